"""pages/_ui/live_canvas.py through the Transform page (AppTest): the live canvas gets the
core's numbers, a playing tick sends several frames, and training per tick stays bounded."""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np

from core.labs.network_stages import layer_snapshots
from core.labs.plane import grid_lines
from core.render.live_arrays import LEVELS, decode, plane_payload, points_payload
from pages._ui.live_canvas import (
    EPOCHS_PER_SECOND,
    LONGEST_GAP,
    MAX_FRAMES,
    TICK_GUESS,
    frames_for,
)
from pages._ui.live_plane import layer_probe, metric_cells, probe_row
from pages._ui.state import EXPERIMENT


def test_the_canvas_gets_the_cores_numbers(transform, live_view):
    for _ in range(3):
        transform.button(key="step").click().run()
    experiment = transform.session_state[EXPERIMENT]
    shown = live_view(transform)
    (frame,) = shown["frames"]  # paused: the current weights only
    assert frame["epoch"] == experiment.epoch == 3 and not shown["playing"]
    model = experiment.view_model
    assert frame["plane"] == plane_payload(model, experiment.extent)
    points = points_payload(experiment.X, experiment.y, experiment.extent)
    assert {k: shown["points"][k] for k in points} == points
    assert shown["points"]["n_train"] == len(experiment.X_train)
    snapshots = layer_snapshots(model, experiment.X, grid_lines(experiment.extent))
    assert len(frame["panels"]) == len(snapshots) == 4
    for panel, (layer_points, _, caption) in zip(frame["panels"], snapshots, strict=True):
        x_min, x_max, y_min, y_max = panel["frame"]
        levels = decode(panel["xy"], np.uint16).reshape(-1, 2) / LEVELS
        drawn = levels * [x_max - x_min, y_max - y_min] + [x_min, y_min]
        assert np.allclose(drawn, layer_points, atol=(x_max - x_min) / LEVELS)
        assert panel["caption"] == caption
    scores = layer_probe(experiment)
    names = ["input", "layer 1", "layer 2", "layer 3"]
    rows = [[probe_row(experiment, n, s, experiment.first_separable.get(i)), s]
            for i, (n, s) in enumerate(zip(names, scores, strict=True))]  # fmt: skip
    assert shown["probes"]["rows"] == rows
    loss, _ = shown["curves"]
    train = decode(loss["series"][0]["xy"], np.uint16).reshape(-1, 2)
    assert len(train) == 3  # one vertex per epoch of the history


def test_a_playing_tick_sends_a_frame_per_training_step(transform, live_view):
    transform.session_state["playing"] = True
    transform.run()
    assert not transform.exception
    shown = live_view(transform)
    epochs = [frame["epoch"] for frame in shown["frames"]]
    assert shown["playing"] and len(epochs) == frames_for(TICK_GUESS) >= 3
    assert epochs == sorted(set(epochs)) and epochs[0] > 0  # each step trained
    assert epochs[-1] == transform.session_state[EXPERIMENT].epoch
    steps = np.diff([0, *epochs])
    # Equal steps (the frames play at an even pace), unless a busy machine cut one short.
    assert steps.max() == steps[0] <= EPOCHS_PER_SECOND * TICK_GUESS / len(epochs) + 1


def test_every_frame_carries_the_counters_of_its_own_epoch(transform, live_view):
    """The counters above the picture are drawn with each frame: a frame's epoch, accuracy and
    loss are those of the history row of the epoch it pictures, not the tick's last."""
    transform.session_state["playing"] = True
    transform.run()
    history = transform.session_state[EXPERIMENT].trainer.history
    frames = live_view(transform)["frames"]
    assert len({frame["epoch"] for frame in frames}) == len(frames) >= 3
    for frame in frames:
        (row,) = history.rows[history.epochs == frame["epoch"]]
        expected = [["Epoch", f"{frame['epoch']:,}"]]
        expected += [list(cell) for cell in metric_cells(transform.session_state[EXPERIMENT], row)]
        assert frame["counters"] == expected
    assert frames[0]["counters"] != frames[-1]["counters"]


def test_reused_probe_scores_are_dated_at_the_epoch_they_were_measured(transform, live_view):
    """While playing, probe scores are reused for a while: a layer found separable by them is
    recorded at the epoch they were measured at, and the caption says which epoch that was."""
    transform.session_state["playing"] = True
    transform.run()
    stored = transform.session_state["separability"]
    transform.session_state["separability"] = replace(
        stored, measured_at=time.monotonic(), scores=[1.0] * len(stored.scores)
    )
    transform.run()
    experiment = transform.session_state[EXPERIMENT]
    assert experiment.epoch > stored.epoch  # trained on, the scores were not measured again
    assert experiment.first_separable == dict.fromkeys(range(len(stored.scores)), stored.epoch)
    shown = live_view(transform)
    assert f"Measured at epoch {stored.epoch:,};" in shown["probes"]["caption"]
    assert shown["probes"]["rows"][0][0] == f"input: 100.0% · separable by epoch {stored.epoch:,}"


def test_a_long_gap_between_ticks_is_not_caught_up(transform, live_view):
    transform.session_state["playing"] = True
    transform.session_state["live_clock"] = time.monotonic() - 60  # a minute since the last tick
    transform.run()
    trained = transform.session_state[EXPERIMENT].epoch
    assert 0 < trained <= EPOCHS_PER_SECOND * LONGEST_GAP + MAX_FRAMES
    assert len(live_view(transform)["frames"]) == frames_for(LONGEST_GAP)


def test_a_slower_tick_takes_more_pictures_up_to_a_cap():
    counts = [frames_for(gap) for gap in (0.1, 0.5, 1.0, 5.0)]
    assert counts == sorted(counts) and counts[0] == 2 and counts[-1] == MAX_FRAMES
    assert frames_for(1.0) >= 6  # a tick a second still shows six pictures a second

"""core/render/live_arrays.py: the arrays the browser draws the live view from."""

from __future__ import annotations

import numpy as np
import pytest

from core.labs.network_stages import layer_snapshots
from core.labs.plane import grid_lines, plane_grid
from core.nn.network import MLP
from core.nn.training import Trainer
from core.render.live_arrays import (
    BREAK,
    LEVELS,
    curves_payload,
    data_frame,
    decode,
    layer_panels,
    plane_payload,
    points_payload,
    scale_bar,
    spread_words,
)

EXTENT = (-1.5, 2.0, -1.0, 1.0)


def _positions(levels: np.ndarray, extent) -> np.ndarray:
    """Levels (n, 2) back to coordinates of ``extent`` (the browser's mapping)."""
    x_min, x_max, y_min, y_max = extent
    return levels / LEVELS * [x_max - x_min, y_max - y_min] + [x_min, y_min]


def test_points_round_trip_to_within_a_level_and_keep_their_colours():
    rng = np.random.default_rng(0)
    X = rng.uniform([-1.5, -1.0], [2.0, 1.0], size=(200, 2))
    y = rng.integers(0, 3, 200)
    payload = points_payload(X, y, EXTENT)
    levels = decode(payload["xy"], np.uint16).reshape(-1, 2)
    step = np.array([3.5, 2.0]) / LEVELS
    assert np.all(np.abs(_positions(levels, EXTENT) - X) <= step / 2 + 1e-12)
    fills = decode(payload["rgb"], np.uint8).reshape(-1, 3)
    for label in range(3):  # one colour per class, different classes different colours
        assert len({tuple(c) for c in fills[y == label]}) == 1
    assert len({tuple(fills[y == k][0]) for k in range(3)}) == 3


def test_a_point_outside_or_not_finite_is_a_break():
    X = np.array([[0.0, 0.0], [np.nan, 0.0], [5.0, 0.0], [2.0, 1.0]])
    levels = decode(points_payload(X, np.zeros(4, int), EXTENT)["xy"], np.uint16).reshape(-1, 2)
    assert (levels[1] == BREAK).all() and (levels[2] == BREAK).all()
    assert (levels[3] == LEVELS).all()  # the far corner is still inside


@pytest.mark.parametrize("n_outputs", [1, 3])
def test_the_boundary_fields_cross_their_middle_where_the_predicted_class_changes(n_outputs):
    model = MLP([2, 6, n_outputs], activation="tanh", seed=3)
    payload = plane_payload(model, EXTENT, resolution=40)
    *_, points = plane_grid(EXTENT, 40)
    winner = model.predict_proba(points).argmax(axis=1).reshape(40, 40)
    fields = [decode(f, np.uint8).reshape(40, 40) for f in payload["fields"]]
    if n_outputs == 1:
        (field,) = fields
        agree = (field > 127.5) == (winner == 1)
    else:
        assert len(fields) == 3
        agree = np.stack([(f > 127.5) == (winner == k) for k, f in enumerate(fields)])
    # Only samples within a rounding level of a tie may disagree.
    assert agree.mean() > 0.99
    rgb = decode(payload["rgb"], np.uint8).reshape(40, 40, 3)
    assert len(np.unique(rgb.reshape(-1, 3), axis=0)) > 10  # shaded by certainty


def test_a_regression_plane_has_values_and_no_boundary():
    model = MLP([2, 4, 1], activation="tanh", output="values", seed=0)
    payload = plane_payload(model, EXTENT, resolution=16)
    assert payload["fields"] == [] and len(decode(payload["rgb"], np.uint8)) == 16 * 16 * 3


@pytest.mark.parametrize("spread", [(1e-3, 1e-3), (50.0, 0.2), (3.0, 7.0)])
def test_a_frame_fits_its_data_at_equal_scales(spread):
    rng = np.random.default_rng(1)
    points = rng.normal(size=(300, 2)) * spread + [4.0, -2.0]
    x_min, x_max, y_min, y_max = data_frame(points)
    assert x_max - x_min == pytest.approx(y_max - y_min)  # a square: a stretch looks like one
    inside = (points >= [x_min, y_min]) & (points <= [x_max, y_max])
    assert inside.all()
    longest = (points.max(axis=0) - points.min(axis=0)).max()
    assert longest >= 0.79 * (x_max - x_min)  # the data fill the frame along their long side


@pytest.mark.parametrize("width", [0.003, 0.9, 1.0, 7.3, 420.0])
def test_the_scale_bar_is_a_round_length_of_up_to_a_third_of_the_frame(width):
    share, label = scale_bar((0.0, width, 0.0, width))
    length = float(label)
    assert share == pytest.approx(length / width)
    assert 0.3 / 5 <= share <= 0.3 + 1e-12
    mantissa = length / 10 ** np.floor(np.log10(length))
    assert round(mantissa, 9) in (1.0, 2.0, 5.0)


def test_spread_words_say_what_the_pca_share_means():
    words = spread_words("layer 2 · 8-D, PCA 73%")
    assert "8 units" in words and "73 %" in words and "spread" in words
    assert "plane itself" in spread_words("input · 2-D")


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid"])
@pytest.mark.parametrize("trained", [False, True])
def test_layer_panels_hold_every_representation_framed_on_its_data(activation, trained):
    rng = np.random.default_rng(2)
    X = rng.uniform(-1, 1, size=(120, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(int)
    model = MLP([2, 8, 2, 1], activation=activation, seed=0)
    if trained:
        Trainer(model, X, y, X, y, optimizer="adam").run(100)
    grid = grid_lines((-1.0, 1.0, -1.0, 1.0))
    snapshots = layer_snapshots(model, X, grid)
    panels = layer_panels(snapshots, y)
    assert [p["caption"] for p in panels] == [c for _, _, c in snapshots]
    for panel, (points, lines, _) in zip(panels, snapshots, strict=True):
        frame = panel["frame"]
        shown = _positions(decode(panel["xy"], np.uint16).reshape(-1, 2).astype(float), frame)
        step = (frame[1] - frame[0]) / LEVELS
        assert np.all(np.abs(shown - points) <= step)  # every point, inside its frame
        levels = decode(panel["lines"], np.uint16).reshape(-1, 2)
        assert (levels[np.isnan(lines).any(axis=1)] == BREAK).all()  # lines stay apart
        assert 0 < panel["bar"] <= 0.3


def test_curves_keep_the_values_and_break_where_a_loss_is_not_positive():
    epochs = np.arange(1, 501)
    loss = np.exp(-epochs / 100.0)
    loss[10] = 0.0  # log scale: no vertex there
    payload = curves_payload(epochs, {"train": (loss, "#000", "")}, title="Loss")
    (series,) = payload["series"]
    levels = decode(series["xy"], np.uint16).reshape(-1, 2)
    assert len(levels) == 240 and (levels == BREAK).any(axis=1).sum() <= 1
    finite = levels[levels[:, 0] != BREAK]
    assert finite[0, 0] == 0 and finite[-1, 0] == LEVELS
    assert finite[0, 1] == LEVELS  # the highest loss at the top
    y_ticks = payload["y_ticks"]
    assert y_ticks and all(0 <= level <= LEVELS for level, _ in y_ticks)
    assert payload["x_range"] == [1.0, 500.0]  # the canvas labels the x axis from it

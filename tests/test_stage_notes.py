"""Notes on what a bend did: saturated corners and ReLU folds, from the layer's own numbers."""

import numpy as np

from core.figures.transform import frame_positions
from core.labs.network_stages import network_animation, stage_summary
from core.labs.plane import grid_lines
from core.labs.stage_notes import bend_note
from core.nn.network import MLP


def test_saturated_tanh_puts_points_in_the_corners():
    rng = np.random.default_rng(0)
    z = rng.choice([-1.0, 1.0], size=(200, 3)) * rng.uniform(3, 6, size=(200, 3))
    assert bend_note(z, np.tanh(z), "tanh", "tanh") == (
        "tanh saturates: 100% of points sit at the corners of the cube"
    )
    small = rng.uniform(-0.5, 0.5, size=(200, 2))
    assert "corners" not in bend_note(small, np.tanh(small), "tanh", "tanh")
    assert "saturates 0% of the values" in bend_note(small, np.tanh(small), "tanh", "tanh")


def test_relu_counts_units_folded_flat_and_folded_values():
    rng = np.random.default_rng(1)
    z = rng.normal(size=(100, 4))
    z[:, [1, 3]] = -np.abs(z[:, [1, 3]]) - 0.1  # never positive: these units output 0
    assert bend_note(z, np.maximum(z, 0), "relu", "ReLU") == (
        "ReLU folded 2 of 4 units flat (0 for every point)"
    )
    alive = np.abs(z) * np.sign(rng.normal(size=z.shape)) + 1e-3
    alive[0] = 1.0  # every unit positive somewhere
    share = np.mean(alive < 0)
    assert bend_note(alive, np.maximum(alive, 0), "relu", "ReLU") == (
        f"ReLU folds {share:.0%} of the values (the negative ones) onto 0"
    )


def test_the_note_reaches_the_bend_title_and_the_stage_table():
    rng = np.random.default_rng(2)
    X = rng.uniform(-1, 1, size=(60, 2))
    model = MLP([2, 8, 1], "relu", seed=0)
    model.biases[0][:3] = -100.0  # three units below zero for every point
    anim = network_animation(model, X, grid_lines((-1, 1, -1, 1), 3, 4), n_frames=2)
    expected = "ReLU folded 3 of 8 units flat (0 for every point)"
    bend_titles = [f.title for f in frame_positions(anim) if "bend by σ" in f.title]
    assert bend_titles and all(expected in t for t in bend_titles)
    assert stage_summary(anim)[0]["what the bend did"] == expected

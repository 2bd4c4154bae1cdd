"""Network animation: every layer ends on its traced activations, in core and in the figure."""

import numpy as np
import pytest

from core.data.features import LiftedModel
from core.labs.network_stages import (
    frames_per_stage,
    layer_snapshots,
    network_animation,
    project,
    stage_summary,
)
from core.labs.plane import grid_lines
from core.nn.activations import ACTIVATIONS
from core.nn.network import MLP

ARCHITECTURES = [[2, 3, 1], [2, 2, 2, 1], [2, 8, 8, 8, 1], [2, 5, 3, 4, 3], [2, 1, 1]]


def _data(n=60, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, size=(n, 2))
    return X, (X[:, 0] * X[:, 1] > 0).astype(int)


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
@pytest.mark.parametrize("sizes", ARCHITECTURES)
def test_every_layer_ends_on_its_traced_activations(activation, sizes):
    X, _ = _data()
    model = MLP(sizes, activation, init="normal", seed=1)
    grid = grid_lines((-1.2, 1.2, -1.2, 1.2), n_lines=5, n_samples=7)
    anim = network_animation(model, X, grid, n_frames=3)
    trace = model.forward(np.concatenate([X, grid.reshape(-1, 2)]), return_trace=True)
    assert len(anim.layers) == len(sizes) - 2
    for layer, traced in zip(anim.layers, trace, strict=False):
        assert np.max(np.abs(layer.end - traced.a)) <= 1e-9
        np.testing.assert_array_equal(layer.start[:, : layer.fan_in], traced.inputs)


def test_negative_determinant_layer_is_exact():
    X, _ = _data()
    model = MLP([2, 2, 1], "tanh", seed=0)
    model.weights[0][...] = [[0.0, 2.0], [1.0, 0.0]]
    anim = network_animation(model, X, grid_lines((-1, 1, -1, 1), 3, 5))
    assert anim.layers[0].stages[0].kind == "reflect_in"
    expected = np.tanh(X @ model.weights[0] + model.biases[0])
    assert np.max(np.abs(anim.layers[0].end[: len(X)] - expected)) <= 1e-9


def test_views_are_fixed_projections_with_explained_variance():
    X, _ = _data()
    # Layer 2 maps 8-D to 3-D: its frames live in 8-D until Σ flattens them, so it is projected.
    anim = network_animation(
        MLP([2, 8, 3, 3, 1], "tanh", seed=2), X, grid_lines((-1, 1, -1, 1), 4, 6)
    )
    wide, shrinking, narrow = anim.views
    assert shrinking.basis.shape == (8, 3) and shrinking.explained is not None
    assert anim.figure_dim == 3
    assert wide.basis.shape == (8, 3) and 0 < wide.explained <= 1
    np.testing.assert_allclose(wide.basis.T @ wide.basis, np.eye(3), atol=1e-12)
    assert narrow.explained is None and narrow.basis.shape == (3, 3)
    flat = network_animation(MLP([2, 2, 1], seed=0), X, grid_lines((-1, 1, -1, 1), 4, 6))
    assert flat.figure_dim == 2


def test_projection_keeps_all_variance_of_a_3d_layer():
    X, _ = _data()
    anim = network_animation(MLP([2, 3, 1], "relu", seed=3), X, grid_lines((-1, 1, -1, 1), 4, 6))
    view = anim.views[0]
    np.testing.assert_allclose(project(anim.layers[0].end, view), anim.layers[0].end, atol=1e-12)


def test_layer_snapshots_read_the_trace():
    X, _ = _data(30)
    model = MLP([2, 2, 5, 1], "tanh", seed=4)
    grid = grid_lines((-1, 1, -1, 1), 3, 4)
    snaps = layer_snapshots(model, X, grid)
    assert [caption.split(" ·")[0] for _, _, caption in snaps] == ["input", "layer 1", "layer 2"]
    trace = model.forward(X, return_trace=True)
    np.testing.assert_allclose(snaps[1][0], trace[0].a, atol=1e-12)  # 2-D layer: as is
    points, lines, caption = snaps[2]
    assert points.shape == (30, 2) and "5-D, PCA" in caption
    assert lines.shape == (6 * 5, 2) and np.isnan(lines[4]).all()


def test_frames_per_stage_keeps_deep_animations_light():
    assert frames_per_stage(3) == 5
    assert frames_per_stage(8) == 2
    assert frames_per_stage(0) == 5


def test_stage_summary_rows():
    X, _ = _data()
    anim = network_animation(MLP([2, 3, 2, 1], "tanh", seed=0), X, grid_lines((-1, 1, -1, 1), 3, 4))
    rows = stage_summary(anim)
    assert [r["layer"] for r in rows] == ["1 (2→3)", "2 (3→2)"]
    assert "lifts 2-D into 3-D" in rows[0]["stretch by Σ"]
    assert "flattens 3-D to 2-D" in rows[1]["stretch by Σ"]


@pytest.mark.parametrize("features", [("x1", "x2", "r2"), ("x1", "x2", "x1sq", "x2sq", "x1x2")])
def test_lifted_inputs_start_the_animation_and_stay_exact(features):
    X, _ = _data()
    model = LiftedModel(MLP([len(features), 4, 1], "tanh", seed=5), features)
    grid = grid_lines((-1, 1, -1, 1), 4, 5)
    anim = network_animation(model, X, grid, n_frames=2)
    trace = model.forward(np.concatenate([X, grid.reshape(-1, 2)]), return_trace=True)
    np.testing.assert_array_equal(anim.input_points, trace[0].inputs)
    assert anim.figure_dim == 3
    assert (anim.input_view.explained is None) == (len(features) == 3)
    assert np.max(np.abs(anim.layers[0].end - trace[0].a)) <= 1e-9

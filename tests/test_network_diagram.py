"""The diagram's arrays: unit maps are the units' outputs, links follow the weights."""

from __future__ import annotations

import numpy as np
import pytest

from core.data.features import LiftedModel
from core.labs.network_diagram import (
    MAX_LINK_WIDTH,
    diagram_layout,
    links,
    nice_ceiling,
    unit_axis,
    unit_labels,
    unit_maps,
)
from core.labs.plane import grid_lines, plane_grid
from core.nn.activations import ACTIVATIONS, softmax
from core.nn.network import MLP

EXTENT = (-1.5, 1.0, -0.5, 2.0)


def _by_hand(model: MLP, points: np.ndarray) -> list[np.ndarray]:
    """Every unit's output, layer by layer, without the model's forward pass."""
    outputs, a = [points], points
    for i, (W, b) in enumerate(zip(model.weights, model.biases, strict=True)):
        z = a @ W + b
        if i < model.n_layers - 1:
            a = model.activation.fn(z)
        else:
            a = 0.5 * (1 + np.tanh(z / 2)) if z.shape[1] == 1 else softmax(z)
        outputs.append(a)
    return outputs


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@pytest.mark.parametrize("n_outputs", [1, 3])
def test_unit_maps_are_every_units_output_on_the_grid(activation, n_outputs):
    model = MLP([2, 5, 4, n_outputs], activation, seed=3)
    resolution = 7
    maps = unit_maps(model, EXTENT, resolution)
    xs, ys, points = plane_grid(EXTENT, resolution)
    expected = _by_hand(model, points)
    assert [m.shape for m in maps.maps] == [
        (2, 7, 7), (5, 7, 7), (4, 7, 7), (n_outputs, 7, 7)
    ]  # fmt: skip
    for column, (got, want) in enumerate(zip(maps.maps, expected, strict=True)):
        for unit in range(want.shape[1]):
            image = want[:, unit].reshape(len(ys), len(xs))  # row 0 at y_max
            where = f"{activation} column {column} unit {unit}"
            np.testing.assert_allclose(got[unit], image, rtol=2e-6, atol=1e-6, err_msg=where)
    assert maps.maps[0][0][0, -1] == pytest.approx(EXTENT[1])  # top right: x = x_max
    assert maps.maps[0][1][0, 0] == pytest.approx(EXTENT[3])  # top: y = y_max


def test_lifted_inputs_are_the_features_and_the_scale_is_shared():
    model = LiftedModel(MLP([3, 4, 1], "relu", seed=1), ("x1", "x2", "r2"))
    maps = unit_maps(model, (-1, 1, -1, 1), 5)
    xs, ys, points = plane_grid((-1, 1, -1, 1), 5)
    np.testing.assert_allclose(maps.maps[0][2].ravel(), (points**2).sum(axis=1), rtol=1e-6)
    peaks = np.abs(maps.maps[1]).reshape(4, -1).max(axis=1)
    assert maps.limit == nice_ceiling(float(np.median(peaks)))
    assert unit_labels(model)[0] == ["x₁", "x₂", "x₁² + x₂²"]


def test_nice_ceiling():
    assert [nice_ceiling(v) for v in (0.97, 1.0, 1.2, 2.2, 3, 0.031, 0, np.nan)] == [
        1, 1, 2, 2.5, 5, 0.05, 1, 1
    ]  # fmt: skip


def test_links_follow_the_weights():
    model = MLP([2, 3, 2], "tanh", seed=0)
    model.weights[0][...] = [[0.5, -2.0, 0.0], [1.0, 0.25, -0.5]]
    model.weights[1][...] = [[4.0, -1.0], [0.0, 0.5], [-3.0, 2.0]]
    model.biases[1][...] = [-8.0, 1.0]
    got = links(model.weights, model.biases)
    assert got.weight.size == 6 + 6
    assert got.reference == 4.0
    for k in range(got.weight.size):
        w = model.weights[got.layer[k]][got.source[k], got.target[k]]
        assert got.weight[k] == w
        assert got.width[k] == pytest.approx(MAX_LINK_WIDTH * abs(w) / 4.0)
        assert got.positive[k] == (w >= 0)
    assert got.width.max() == MAX_LINK_WIDTH
    np.testing.assert_allclose(got.bias_strength[1], [1.0, 0.25])  # |b| / 4, clipped to 1
    model.weights[1][0, 0] = -4.0  # a sign flip changes only that link's colour
    flipped = links(model.weights, model.biases)
    assert (flipped.positive != got.positive).sum() == 1
    np.testing.assert_allclose(flipped.width, got.width)


@pytest.mark.parametrize("sizes", [(2, 8, 8, 8, 1), (2, *(16,) * 8, 1), (2, 8, 8, 3), (2, 1)])
def test_layout_fits_any_depth_and_width(sizes):
    layout = diagram_layout(sizes)
    assert [len(b) for b in layout.boxes] == list(sizes)
    assert layout.width <= 1010 and layout.height <= 640
    size = layout.map_size
    assert size == (40 if max(sizes) <= 8 else 27)
    everything = np.concatenate(layout.boxes)
    assert everything.min() >= 0
    assert (everything[:, 0] + size).max() <= layout.width
    assert (everything[:, 1] + size).max() <= layout.height
    for boxes in layout.boxes:  # no two maps of a column overlap
        assert np.all(np.diff(boxes[:, 1]) >= size + 4)
    assert np.all(np.diff([b[0, 0] for b in layout.boxes]) >= size + 40)  # room for links


def test_a_units_axis_in_a_plane_layer_is_that_coordinate():
    model = MLP([2, 2, 1], "tanh", seed=4)
    X = np.random.default_rng(0).uniform(-1, 1, (50, 2))
    grid = grid_lines((-1, 1, -1, 1), n_lines=3, n_samples=5)
    axis = unit_axis(model, X, grid, 1, 1)
    hidden = model.forward(X, return_trace=True)[0].a
    np.testing.assert_allclose(axis.points, hidden)
    np.testing.assert_allclose(axis.loadings, [0, 1])
    low, high = hidden[:, 1].min(), hidden[:, 1].max()
    np.testing.assert_allclose(axis.segment, [[hidden[:, 0].mean(), low],
                                              [hidden[:, 0].mean(), high]])  # fmt: skip
    assert axis.shown == 1 and axis.explained is None and axis.lines.shape == (6 * 6, 2)


def test_a_units_axis_in_a_wide_layer_is_its_pca_loading():
    model = MLP([2, 6, 1], "relu", seed=4)
    X = np.random.default_rng(1).uniform(-1, 1, (80, 2))
    grid = grid_lines((-1, 1, -1, 1), n_lines=3, n_samples=5)
    axes = [unit_axis(model, X, grid, 1, unit) for unit in range(6)]
    # The view's two axes are orthonormal: the squared loadings of all six units sum to 2.
    assert sum(a.shown**2 for a in axes) == pytest.approx(2.0)
    assert all(0 <= a.shown <= 1 + 1e-12 for a in axes)
    a = axes[2]
    direction = a.segment[1] - a.segment[0]
    hidden = model.forward(X, return_trace=True)[0].a
    span = hidden[:, 2].max() - hidden[:, 2].min()
    np.testing.assert_allclose(direction, span * a.loadings, atol=1e-12)
    np.testing.assert_allclose(a.points.mean(axis=0), 0, atol=0.05)  # data (and grid) centred

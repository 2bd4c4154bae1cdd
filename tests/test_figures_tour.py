"""The Tour's figures (core/figures/tour.py): structure, data equal to core's arrays, ranges."""

from __future__ import annotations

import json
import pickle

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from core.figures.tour import hidden_figure, moves_figure, neuron_figure, thawed
from core.labs.plane import plane_grid
from core.labs.tour import HiddenSpace, layer_moves, neuron
from core.nn.activations import ACTIVATIONS


@pytest.fixture(scope="module")
def panels():
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (30, 2))
    W, b = np.array([[1.5, -0.5], [0.4, 1.0]]), np.array([0.2, -0.3])
    return X, layer_moves(X, W, b, ACTIVATIONS["relu"], (-1.2, 1.2, -1.2, 1.2), n_cells=5)


def test_moves_figure_has_six_framed_panels_with_the_data(panels):
    X, moves = panels
    labels = (X[:, 0] > 0).astype(int)
    figure = moves_figure(moves, labels)
    assert len(figure.data) == 2 * 6  # grid, data per panel
    titles = [a.text for a in figure.layout.annotations]
    assert titles == [p.title for p in moves]
    for index, panel in enumerate(moves):
        data = figure.data[2 * index + 1]
        np.testing.assert_allclose(data.x, panel.data[:, 0].astype(np.float32))
        suffix = "" if index == 0 else str(index + 1)
        x_range = figure.layout[f"xaxis{suffix}"].range
        y_range = figure.layout[f"yaxis{suffix}"].range
        assert x_range[1] - x_range[0] == pytest.approx(y_range[1] - y_range[0])  # square
        assert x_range[0] <= panel.data[:, 0].min() and panel.data[:, 0].max() <= x_range[1]
        assert figure.layout[f"yaxis{suffix}"].scaleanchor == f"x{suffix}"


def test_shading_adds_cells_under_the_grid_and_a_colour_bar(panels):
    X, moves = panels
    figure = moves_figure(moves, np.zeros(len(X), dtype=int), shade=True)
    fills = [t for t in figure.data if t.fill == "toself"]
    assert fills and figure.data[-1].marker.showscale
    assert figure.layout.annotations[0].text.endswith("where σ acts")
    first_grid = next(
        i for i, t in enumerate(figure.data) if t.mode == "lines" and t.line.width == 0.8
    )
    assert figure.data[0].fill == "toself" and first_grid > 0  # fills drawn first, grid on top


def test_neuron_figure_draws_sigma_the_line_and_the_point():
    worked = neuron(1.0)
    xs, ys, points = plane_grid((-5, 5, -5, 5), 21)
    values = worked.model.forward(points)[:, 0].reshape(len(ys), len(xs))
    weights = worked.model.weights[0][:, 0]
    figure = neuron_figure(xs, ys, values, worked.x, weights, 4.0)
    heatmap, line, point = figure.data
    np.testing.assert_allclose(heatmap.z, values.astype(np.float32))
    np.testing.assert_allclose(line.y, [-4.0, -4.0])  # z = x₂ + 4 = 0
    assert (point.x[0], point.y[0]) == (2.0, 3.0)


def test_hidden_figure_is_a_plane_for_two_units_and_a_scene_for_three():
    rng = np.random.default_rng(1)
    lines = np.vstack([rng.uniform(-1, 1, (5, 2)), [[np.nan, np.nan]]])
    flat = HiddenSpace(rng.uniform(-1, 1, (10, 2)), lines, np.array([1.0, 1.0]), 0.0)
    figure = hidden_figure(flat, np.zeros(10, dtype=int))
    assert [t.type for t in figure.data] == ["scatter"] * 3
    np.testing.assert_allclose(figure.data[2].x + figure.data[2].y, 0.0, atol=1e-12)  # the cut
    lines3 = np.vstack([rng.uniform(-1, 1, (5, 3)), [[np.nan] * 3]])
    space = HiddenSpace(rng.uniform(-1, 1, (10, 3)), lines3, np.array([0.0, 0.0, 1.0]), -0.2)
    figure = hidden_figure(space, np.zeros(10, dtype=int))
    assert [t.type for t in figure.data] == ["scatter3d", "scatter3d", "surface"]
    heights = np.asarray(figure.data[2].z, dtype=float)
    np.testing.assert_allclose(heights[np.isfinite(heights)], 0.2)  # h3 = 0.2
    with pytest.raises(ValueError, match="2 or 3"):
        hidden_figure(HiddenSpace(np.zeros((3, 4)), np.zeros((2, 4)), np.ones(4), 0.0), [0, 0, 0])


def test_a_thawed_figure_sends_the_same_chart(panels):
    X, moves = panels
    figure = moves_figure(moves, np.zeros(len(X), dtype=int), shade=True)
    state = pickle.loads(pickle.dumps(figure.to_dict()))  # what the page's cache hands back
    again = thawed(state)
    assert json.loads(pio.to_json(again, validate=False)) == json.loads(
        pio.to_json(figure, validate=False)
    )
    assert isinstance(again, go.Figure) and len(again.data) == len(figure.data)


def test_a_thawed_animation_sends_the_same_chart_and_frames():
    # The Activations page caches its bend animation (frames of typed arrays) as a dict.
    from core.data.datasets import make_dataset
    from core.figures.activations import bend_figure
    from core.labs.activation_lab import bend_frames, plane_points

    X, y = make_dataset("circles", 40, 0.0, seed=0)
    points, grid_shape = plane_points(X)
    bend = bend_frames(points, 30.0, 2.0, 1.5, (0.0, 0.0), "tanh", n_frames=3)
    figure = bend_figure(bend, len(X), grid_shape, y, (-1.0, 1.0))
    state = pickle.loads(pickle.dumps(figure.to_dict()))
    again = thawed(state)
    sent = json.loads(pio.to_json(again, validate=False))
    assert sent == json.loads(pio.to_json(figure, validate=False))
    assert len(sent["frames"]) == len(figure.frames) > 1
    assert all(isinstance(frame, go.Frame) for frame in again.frames)

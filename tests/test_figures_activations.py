"""Activations figures: trace and frame counts, fixed ranges, and data equal to core's arrays."""

import numpy as np
import pytest

from core.figures.activations import (
    activation_color,
    bend_figure,
    function_figure,
    gradient_figure,
    live_histogram_figure,
    softmax_figure,
)
from core.figures.plotly_frames import checked_copy
from core.labs.activation_lab import (
    bend_frames,
    curve,
    curve_grid,
    plane_points,
    saturation_regions,
)
from core.labs.gradient_lab import gradient_norm_grid, layer_statistics, pre_activation_histogram
from core.nn.activations import ACTIVATIONS, softmax
from core.nn.network import MLP


def _xy(trace) -> np.ndarray:
    return np.column_stack([np.asarray(trace.x), np.asarray(trace.y)])


def test_every_activation_has_its_own_colour():
    colours = [activation_color(name) for name in ACTIVATIONS]
    assert len(set(colours)) == len(ACTIVATIONS)


@pytest.mark.parametrize("names", [["tanh"], ["sigmoid", "relu", "step"]])
def test_function_figure_draws_each_curve_and_its_derivative(names):
    z = curve_grid(301)
    curves = {name: curve(name, z) for name in names}
    regions = saturation_regions(names[0], z)
    figure = function_figure(z, curves, names[0], regions)
    assert len(figure.data) == 2 * len(names)
    for index, name in enumerate(names):
        values, derivative = curves[name]
        sigma, slope = figure.data[2 * index], figure.data[2 * index + 1]
        assert sigma.xaxis == "x" and slope.xaxis == "x2"
        assert np.asarray(sigma.y).dtype == np.float32
        np.testing.assert_allclose(np.asarray(sigma.y), values, rtol=1e-6, atol=1e-7)
        np.testing.assert_allclose(np.asarray(slope.y), derivative, rtol=1e-6, atol=1e-7)
    assert figure.data[0].line.width > figure.data[-1].line.width or len(names) == 1
    assert len(figure.layout.shapes) == 2 * len(regions)  # shaded in both panels
    assert figure.layout.xaxis.range == (-6.0, 6.0) == figure.layout.xaxis2.range
    assert figure.layout.yaxis.range is not None and figure.layout.yaxis2.range is not None
    spike = [a for a in figure.layout.annotations if "spike" in (a.text or "")]
    assert len(spike) == (1 if "step" in names else 0)


def _bend(name="tanh", n=40, n_frames=3):
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (n, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(int)
    points, grid_shape = plane_points(X, n_lines=3, n_samples=5)
    return X, y, grid_shape, bend_frames(points, 30, 2.0, 1.5, (0.2, -0.1), name, n_frames)


@pytest.mark.parametrize("name", ["tanh", "relu", "identity"])
def test_bend_figure_frames_traces_and_fixed_square_axes(name):
    X, y, grid_shape, bend = _bend(name)
    figure = checked_copy(bend_figure(bend, len(X), grid_shape, y, ACTIVATIONS[name].output_range))
    assert len(figure.frames) == 7 == len(bend.frames)
    assert all(len(frame.data) == 1 + 2 for frame in figure.frames)  # grid + one per class
    x_range, y_range = figure.layout.xaxis.range, figure.layout.yaxis.range
    assert x_range == y_range and x_range[0] == -x_range[1]
    assert figure.layout.yaxis.scaleanchor == "x"
    assert all(frame.layout.xaxis.range is None for frame in figure.frames)
    data = bend.frames[:, : len(X)]
    assert np.abs(data).max() <= x_range[1]  # every data frame stays in view
    buttons = figure.layout.updatemenus[0].buttons
    assert buttons[0].args[1]["frame"]["redraw"] is False
    assert [step.label for step in figure.layout.sliders[0].steps] == ["x", "z", "σ(z)"]


def test_bend_figure_data_equal_the_core_frames():
    X, y, grid_shape, bend = _bend("relu")
    figure = checked_copy(
        bend_figure(bend, len(X), grid_shape, y, ACTIVATIONS["relu"].output_range)
    )
    for index, frame in enumerate(figure.frames):
        for trace_index, label in enumerate([0, 1], start=1):
            shown = _xy(frame.data[trace_index])
            assert shown.dtype == np.float32
            np.testing.assert_allclose(shown, bend.frames[index][: len(X)][y == label], rtol=1e-6)
    # It opens on σ(z); the grid is one trace with a NaN break after each of its lines.
    np.testing.assert_allclose(_xy(figure.data[1]), bend.a[: len(X)][y == 0], rtol=1e-6)
    grid = _xy(figure.data[0])
    assert grid.shape == (6 * 6, 2) and np.isnan(grid[5::6]).all()
    np.testing.assert_allclose(grid[:5], bend.a[len(X) : len(X) + 5], rtol=1e-6)
    box = figure.layout.shapes[0]
    assert (box.x0, box.y0) == (0.0, 0.0) and box.x1 == figure.layout.xaxis.range[1]


def test_softmax_figure_shows_logits_and_probabilities():
    logits = np.array([3.0, 1.0, -3.0])
    probabilities = softmax(logits[None, :])[0]
    figure = softmax_figure(logits, probabilities)
    assert len(figure.data) == 2
    np.testing.assert_allclose(np.asarray(figure.data[0].y), logits)
    np.testing.assert_allclose(np.asarray(figure.data[1].y), [0.879, 0.119, 0.002], atol=1e-3)
    assert list(figure.data[1].text) == ["0.88", "0.12", "0.002"]
    assert figure.layout.yaxis2.range == (0, 1.12)


def test_gradient_figure_one_line_per_activation_and_panel_per_initialiser():
    grid = gradient_norm_grid(4, 4, ["sigmoid", "relu"], ("normal", "xavier_normal", "he_normal"))
    figure = gradient_figure(grid)
    assert len(figure.data) == 2 * 3
    assert [t.name for t in figure.data if t.showlegend] == ["sigmoid", "ReLU"]
    for trace, norms in zip(figure.data, grid.norms.reshape(-1, 5), strict=True):
        np.testing.assert_allclose(np.asarray(trace.y), norms, rtol=1e-6)
        np.testing.assert_array_equal(np.asarray(trace.x), np.arange(1, 6))
    assert figure.layout.yaxis.type == "log"
    low, high = figure.layout.yaxis.range
    assert 10**low < grid.norms.min() and grid.norms.max() < 10**high
    titles = [a.text for a in figure.layout.annotations]
    assert titles[:3] == ["normal(0, σ = 1)", "Glorot/Xavier normal", "He/Kaiming normal"]


@pytest.mark.parametrize(("hidden", "rows"), [((6, 6), 1), ((4, 4, 4, 4, 4), 2)])
def test_live_histogram_figure_one_panel_per_hidden_layer(hidden, rows):
    model = MLP([2, *hidden, 1], "tanh", seed=0)
    stats = layer_statistics(model, np.random.default_rng(0).normal(size=(60, 2)))
    histograms = [pre_activation_histogram(s.z, n_bins=20) for s in stats]
    z = curve_grid(201)
    regions = saturation_regions("tanh", z)
    titles = [f"layer {s.layer}" for s in stats]
    figure = live_histogram_figure(histograms, titles, (z, curve("tanh", z)[0]), regions)
    assert len(figure.data) == 2 * len(hidden)
    assert len(figure.layout.shapes) == len(regions) * len(hidden)
    for index, (edges, shares) in enumerate(histograms):
        bars = figure.data[2 * index]
        np.testing.assert_allclose(np.asarray(bars.y), shares, rtol=1e-6)
        np.testing.assert_allclose(np.asarray(bars.x), (edges[:-1] + edges[1:]) / 2, rtol=1e-6)
    assert figure.layout.height == 270 * rows + 50
    assert [a.text for a in figure.layout.annotations][: len(hidden)] == titles


def test_function_svg_draws_core_curves_in_the_figures_colours_and_ranges():
    import xml.etree.ElementTree as ET

    from test_preview_svg import SVG, path_points

    from core.figures.activations import DERIVATIVE_Y, SIGMA_Y, function_svg

    z = curve_grid()
    names = ["tanh", "relu", "step"]
    curves = {name: curve(name, z) for name in names}
    root = ET.fromstring(function_svg(z, curves, "tanh", saturation_regions("tanh", z)))
    frames = [r for r in root.iter(f"{SVG}rect") if r.get("fill") == "none"]
    paths = list(root.iter(f"{SVG}path"))
    assert len(frames) == 2 and len(paths) == 2 * len(names)  # σ and σ′ of each
    for panel, (frame, y_range) in enumerate(zip(frames, (SIGMA_Y, DERIVATIVE_Y), strict=True)):
        left, top = float(frame.get("x")), float(frame.get("y"))
        width, height = float(frame.get("width")), float(frame.get("height"))
        for index, name in enumerate(names):
            path = paths[panel * len(names) + index]
            assert path.get("stroke") == activation_color(name)
            assert float(path.get("stroke-width")) == (3.2 if name == "tanh" else 1.8)
            points = np.array([point for piece in path_points(path.get("d")) for point in piece])
            expected = curves[name][panel]
            kept = np.isfinite(expected)  # the step's undefined slope at 0 is a gap
            xs = z[0] + (points[:, 0] - left) / width * (z[-1] - z[0])
            ys = y_range[0] + (1 - (points[:, 1] - top) / height) * (y_range[1] - y_range[0])
            np.testing.assert_allclose(xs, z[kept], atol=0.06 * (z[-1] - z[0]) / width)
            span = y_range[1] - y_range[0]
            np.testing.assert_allclose(ys, expected[kept], atol=0.06 * span / height)

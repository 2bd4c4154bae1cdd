"""Figures of the Loss-surface page: structure, data equal to core's arrays, never a NaN."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import core.figures.landscape as figures
from core.figures.landscape import path_loss_figure, surface_figure, trajectory_figure
from core.figures.loss_display import display_values, log_ticks

AXIS = np.linspace(-1.0, 1.0, 3)
VALUES = np.array([[0.5, 0.2, 0.6], [0.1, 0.02, 0.3], [0.9, 0.4, 2.0]])


def test_builders_never_import_streamlit():
    assert "streamlit" not in inspect.getsource(figures)


def test_ordinary_values_are_shown_unclipped():
    shown = display_values(VALUES)
    assert shown.n_clipped == 0 and shown.ceiling == pytest.approx(2.0)
    np.testing.assert_allclose(shown.z, VALUES, rtol=1e-6)


def test_overflowing_values_are_clipped_never_nan():
    values = VALUES.copy()
    values[0, 0], values[2, 2], values[1, 0] = 1e300, np.inf, np.nan
    for log_scale in (False, True):
        shown = display_values(values, log_scale)
        assert np.all(np.isfinite(shown.z)) and shown.n_clipped == 3
        assert shown.ceiling < 100  # 10 × the 95th percentile of the finite values, at most
        assert shown.z.max() == pytest.approx(
            np.log10(shown.ceiling) if log_scale else shown.ceiling
        )


def test_log_scale_is_labelled_with_losses():
    shown = display_values(VALUES, log_scale=True)
    np.testing.assert_allclose(shown.z, np.log10(VALUES), rtol=1e-6)
    assert shown.ticktext == ["0.02", "0.05", "0.1", "0.2", "0.5", "1", "2"]
    np.testing.assert_allclose(10.0**shown.tickvals, [0.02, 0.05, 0.1, 0.2, 0.5, 1, 2])
    zeros = display_values(np.zeros((3, 3)), log_scale=True)  # a perfect fit: no -inf
    assert np.all(np.isfinite(zeros.z))


def test_log_ticks():
    np.testing.assert_allclose(log_ticks(0.03, 4), [0.05, 0.1, 0.2, 0.5, 1, 2])
    np.testing.assert_allclose(log_ticks(0.003, 40), [0.01, 0.1, 1, 10])  # > 4 decades
    assert log_ticks(0.0, 0.5).size > 0  # a zero loss does not break the log
    np.testing.assert_allclose(log_ticks(0.66, 1.9), [0.66, 0.86, 1.1, 1.5, 1.9])  # < 1 decade


def test_surface_figure_structure():
    figure = surface_figure(
        AXIS, AXIS, VALUES, log_scale=True, titles=("w₁", "w₂"), marks=[(0.0, 0.0, 0.02, "now")]
    )
    surface, contour, dot, star = figure.data
    assert (surface.type, contour.type, dot.type, star.type) == (
        "surface",
        "contour",
        "scatter3d",
        "scatter",
    )
    np.testing.assert_allclose(surface.z, np.log10(VALUES), rtol=1e-6)
    np.testing.assert_allclose(contour.z, surface.z)
    # One colour axis for both: plotly.js ignores it for a *filled* contour beside a surface.
    assert surface.coloraxis == contour.coloraxis == "coloraxis"
    assert contour.contours.coloring == "heatmap"
    assert figure.layout.coloraxis.colorbar.ticktext == (
        "0.02",
        "0.05",
        "0.1",
        "0.2",
        "0.5",
        "1",
        "2",
    )
    assert list(figure.layout.xaxis.range) == [-1.0, 1.0] and figure.layout.xaxis.title.text == "w₁"
    assert dot.z[0] == pytest.approx(np.log10(0.02), rel=1e-6)
    assert figure.layout.scene.zaxis.ticktext == figure.layout.coloraxis.colorbar.ticktext


def test_trajectory_figure_colours_checkpoints_by_their_true_loss():
    n = 150
    coords = np.column_stack([np.linspace(-0.8, 0, n), np.sin(np.linspace(0, 3, n)) * 0.5])
    true = np.linspace(0.9, 0.02, n)
    on_plane = true * 1.3
    figure = trajectory_figure(AXIS, AXIS, VALUES, coords, true, on_plane, log_scale=True)
    kinds = [trace.type for trace in figure.data]
    assert kinds == [
        "surface",
        "contour",
        "scatter3d",
        "scatter",
        "scatter",
        "scatter3d",
        "scatter",
    ]
    path3d, line, dots = figure.data[2], figure.data[3], figure.data[4]
    np.testing.assert_allclose(path3d.z, np.log10(np.minimum(on_plane, 2.0)), rtol=1e-6)
    assert len(line.x) == n and len(dots.x) == figures.MAX_MARKERS
    chosen = np.rint(np.linspace(0, n - 1, figures.MAX_MARKERS)).astype(int)
    np.testing.assert_allclose(dots.marker.color, np.log10(true[chosen]), rtol=1e-6)
    assert dots.marker.coloraxis == "coloraxis"


def test_path_loss_figure_shows_both_losses():
    epochs = np.arange(0, 50, 5)
    true, on_plane = np.linspace(0.7, 0.05, 10), np.linspace(0.8, 0.05, 10)
    figure = path_loss_figure(epochs, true, on_plane)
    assert len(figure.data) == 2 and figure.layout.yaxis.type == "log"
    np.testing.assert_allclose(figure.data[0].y, true, rtol=1e-6)
    np.testing.assert_allclose(figure.data[1].y, on_plane, rtol=1e-6)
    assert figure.layout.yaxis.ticktext == ("0.05", "0.1", "0.2", "0.5")


def test_a_surface_far_from_the_minimum_draws_without_nan():
    from core.labs.landscape import plane_losses, random_plane
    from core.nn.losses import one_hot_targets
    from core.nn.network import MLP

    model = MLP([2, 4, 4, 1], "identity", seed=0)
    X = np.random.default_rng(0).normal(size=(20, 2))
    targets = one_hot_targets(np.arange(20) % 2, 1)
    axis = np.linspace(-1e20, 1e20, 5)  # weights ~1e20: logits ~1e60
    plane = random_plane(model, 0)
    loss = "binary_cross_entropy"
    values = plane_losses(model, X, targets, loss, model.params, plane, axis, axis)
    assert values.max() > 1e50
    with np.errstate(over="ignore"):
        values = values * 1e300  # overflow to inf
    values[2, 2] = np.nan
    for log_scale in (False, True):
        figure = surface_figure(axis, axis, values, log_scale=log_scale)
        assert np.all(np.isfinite(figure.data[0].z)) and np.all(np.isfinite(figure.data[1].z))


def test_surface_svg_colours_the_display_values_and_stars_the_marks():
    import xml.etree.ElementTree as ET

    from test_preview_svg import SVG, decoded_image

    from core.figures.landscape import surface_svg
    from core.figures.loss_display import COLORSCALE
    from core.render.preview_svg import colors_on_scale

    x, y = np.linspace(-1, 1, 21), np.linspace(-2, 2, 21)
    values = np.exp(x[None, :] ** 2 + y[:, None] ** 2 / 4)  # lowest at the centre
    root = ET.fromstring(surface_svg(x, y, values, log_scale=True, marks=[(0, 0, 1, "here")]))
    pixels = decoded_image(root).astype(float)
    display = display_values(values, log_scale=True)
    low, high = float(display.z.min()), float(display.z.max())
    side = pixels.shape[0]
    centre = pixels[side // 2, side // 2]
    np.testing.assert_allclose(
        centre, colors_on_scale(display.z[10, 10], COLORSCALE, low, high), atol=6
    )
    corner = pixels[0, 0]  # top left: x[0], y[-1]
    np.testing.assert_allclose(
        corner, colors_on_scale(display.z[-1, 0], COLORSCALE, low, high), atol=12
    )
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert "here★" in texts
    assert set(display.ticktext) <= set(texts)  # the colour bar reads in losses


def test_the_surface_is_large_with_few_readable_ticks():
    """The 3-D scene takes most of the width and is seen from close by; its axes carry at
    most five ticks in 13 px and 15 px titles (they lie along their axes, so a crowd of small
    ones reads as a slanted smear)."""
    figure = surface_figure(AXIS, AXIS, VALUES, log_scale=True)
    scene = figure.layout.scene
    for axis in (scene.xaxis, scene.yaxis, scene.zaxis):
        assert axis.tickfont.size >= 13 and axis.title.font.size >= 15
    assert scene.xaxis.nticks <= 5 and scene.yaxis.nticks <= 5
    assert len(scene.zaxis.tickvals) <= 8  # the log scale's own labels (0.01, 0.1, 1, …)
    low, high = scene.domain.x
    assert high - low >= 0.6  # was 0.56 of the width
    eye = scene.camera.eye
    assert np.hypot(np.hypot(eye.x, eye.y), eye.z) < 2.8  # was 3.17 from the centre

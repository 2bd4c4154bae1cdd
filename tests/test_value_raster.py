"""Regression pictures and their data: the value scale, the fitted-value plane, fitted stages."""

from __future__ import annotations

import numpy as np
import pytest

from core.data.datasets import make_dataset
from core.labs.fitted_values import (
    fitted_stage,
    fitted_values,
    layer_predictability,
    plane_of,
    probe_r2,
)
from core.nn.network import MLP
from core.render.draw import PALETTE, WHITE, upsample
from core.render.raster import boundary_image
from core.render.value_raster import plane_image, value_grid, value_image
from core.render.value_scale import point_fills, value_colors, value_legend_svg

EXTENT = (-1.2, 1.2, -1.2, 1.2)


def _regression_model(seed=0):
    return MLP([2, 4, 1], "tanh", seed=seed, output="values")


def test_the_value_scale_runs_orange_white_blue_and_clips():
    low, middle, high, beyond = value_colors(np.array([-1.0, 0.0, 1.0, 7.0]))
    np.testing.assert_allclose(middle, WHITE)
    assert np.argmax(np.abs(low - WHITE)) == np.argmax(np.abs(PALETTE[0] - WHITE))
    np.testing.assert_allclose(high, WHITE + 0.95 * (PALETTE[1] - WHITE), rtol=1e-6)
    np.testing.assert_allclose(beyond, high)
    # Halfway up the scale is halfway to the end colour: the scale is linear.
    np.testing.assert_allclose(value_colors(np.array(0.5)), (WHITE + high) / 2, rtol=1e-6)


def test_point_fills_are_by_class_for_labels_and_by_value_for_targets():
    np.testing.assert_array_equal(point_fills(np.array([0, 1, 2])), PALETTE[[0, 1, 2]])
    np.testing.assert_allclose(point_fills(np.array([0.0, 1.0])), value_colors([0.0, 1.0]))


def test_legend_names_the_scale_and_its_ticks():
    svg = value_legend_svg()
    assert svg.startswith("<svg") and "linearGradient" in svg
    assert all(f">{tick}<" in svg for tick in ("-1", "-0.5", "0", "+0.5", "+1"))


def test_value_image_colours_each_pixel_by_the_fitted_value():
    model = _regression_model()
    image = value_image(model, EXTENT, np.empty((0, 2)), np.empty(0), size=64)
    grid = value_grid(model, EXTENT, resolution=64)
    expected = value_colors(upsample(grid[..., None], (64, 64))[..., 0])
    assert image.shape == (64, 64, 3) and image.dtype == np.uint8
    assert np.abs(image.astype(float) - expected).max() <= 1.0  # only rounding to uint8


def test_discretize_leaves_two_colours_and_points_show_their_targets():
    X, y = make_dataset("plane", 60, 0.0, seed=2)
    model = _regression_model()
    hard = value_image(model, EXTENT, np.empty((0, 2)), np.empty(0), size=48, discretize=True)
    assert len(np.unique(hard.reshape(-1, 3), axis=0)) == 2
    plain = value_image(model, EXTENT, np.empty((0, 2)), np.empty(0), size=48)
    with_points = value_image(model, EXTENT, X, y, size=48)
    assert not np.array_equal(plain, with_points)


def _top_two_share(image):
    _, counts = np.unique(image.reshape(-1, 3), axis=0, return_counts=True)
    return np.sort(counts)[-2:].sum() / counts.sum()


def test_plane_image_picks_the_picture_and_can_hide_test_points():
    X, y = make_dataset("moons", 80, 0.0, seed=0)
    classifier = MLP([2, 4, 1], "tanh", seed=0)
    args = (EXTENT, X[:40], y[:40], X[40:], y[40:])
    assert np.array_equal(
        plane_image(classifier, *args, size=48), boundary_image(classifier, *args, size=48)
    )
    hidden = plane_image(classifier, *args, size=48, show_test=False)
    assert np.array_equal(hidden, boundary_image(classifier, *args[:3], size=48))
    assert not np.array_equal(hidden, plane_image(classifier, *args, size=48))
    hard = plane_image(classifier, EXTENT, X[:0], y[:0], size=48, discretize=True)
    soft = plane_image(classifier, EXTENT, X[:0], y[:0], size=48)
    assert _top_two_share(hard) > 0.8 > _top_two_share(soft)  # two flat colours and a line
    Xr, yr = make_dataset("plane", 40, 0.0, seed=0)
    regression = _regression_model()
    assert np.array_equal(
        plane_image(regression, EXTENT, Xr, yr, size=48),
        value_image(regression, EXTENT, Xr, yr, size=48),
    )


def test_fitted_stage_is_the_output_units_affine_function_of_the_last_representation():
    X, _ = make_dataset("sine_ridge", 50, 0.0, seed=0)
    model = MLP([2, 5, 3, 1], "tanh", seed=1, output="values")
    representation, values = fitted_stage(model, X)
    assert representation.shape == (50, 3)
    np.testing.assert_allclose(
        values, representation @ model.weights[-1][:, 0] + model.biases[-1][0]
    )
    np.testing.assert_allclose(values, fitted_values(model, X))


def test_plane_of_keeps_two_units_pads_one_and_projects_wider_layers():
    rng = np.random.default_rng(0)
    two = rng.normal(size=(30, 2))
    assert np.array_equal(plane_of(two)[0], two)
    one, caption = plane_of(two[:, :1])
    assert np.array_equal(one[:, 0], two[:, 0]) and not one[:, 1].any() and "one unit" in caption
    flat = np.column_stack([two, np.zeros(30), two[:, 0] - two[:, 1]])  # rank 2 in 4-D
    projected, caption = plane_of(flat)
    assert projected.shape == (30, 2) and "principal" in caption
    # A rank-2 cloud loses no distance on its own principal plane.
    distances = lambda P: np.linalg.norm(P[:, None] - P[None], axis=-1)  # noqa: E731
    np.testing.assert_allclose(distances(projected), distances(flat), atol=1e-9)


def test_probe_r2_is_one_for_an_affine_target_and_low_for_a_ridge():
    X, y = make_dataset("plane", 200, 0.0, seed=3)
    assert probe_r2(X, y) == pytest.approx(1.0)
    X, y = make_dataset("sine_ridge", 400, 0.0, seed=3)
    assert probe_r2(X, y) < 0.5  # no affine function of (x1, x2) follows the ridges
    scores = layer_predictability(MLP([2, 6, 1], "tanh", seed=0, output="values"), X, y)
    assert len(scores) == 2 and scores[0] == pytest.approx(probe_r2(X, y))

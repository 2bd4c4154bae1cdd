"""The lift figure: structure, data equal to core's arrays, the plane where the model puts it."""

from __future__ import annotations

import numpy as np
import pytest

from core.data.datasets import make_dataset
from core.data.features import LiftedModel, fit_linear_model, lift
from core.data.splits import data_extent
from core.figures.lifting import lift_figure, plane_equation, plane_points
from core.nn.network import MLP


@pytest.fixture(scope="module")
def circles():
    X, y = make_dataset("circles", 120, 0.0, 0)
    model = fit_linear_model(X, y, ("x1", "x2", "r2"))
    return X, y, model, data_extent(X)


def test_traces_grid_classes_then_plane(circles):
    X, y, model, extent = circles
    figure = lift_figure(X, y, model, extent)
    assert [trace.type for trace in figure.data] == ["scatter3d"] * 3 + ["surface"]
    grid, first, second, plane = figure.data
    assert grid.mode == "lines" and first.mode == second.mode == "markers"
    lifted = lift(X, model.features)
    np.testing.assert_allclose(first.z, lifted[y == 0, 2])
    np.testing.assert_allclose(second.x, lifted[y == 1, 0])
    scene = figure.layout.scene
    assert scene.zaxis.title.text == "x₁² + x₂²"
    assert tuple(scene.xaxis.range) == pytest.approx(extent[:2])
    # The plane lies between the inner circle (r² = 0.25) and the ring (r² = 1).
    heights = np.asarray(plane.z, dtype=float)
    assert np.isfinite(heights).any()
    assert np.nanmin(heights) > 0.25 and np.nanmax(heights) < 1.0


def test_the_lifted_grid_stays_inside_the_axis_ranges(circles):
    X, y, model, extent = circles
    figure = lift_figure(X, y, model, extent)
    low, high = figure.layout.scene.zaxis.range
    grid_z = np.asarray(figure.data[0].z, dtype=float)
    assert np.nanmin(grid_z) >= low and np.nanmax(grid_z) <= high
    assert np.isnan(grid_z).any()  # line breaks, and the sheet cut where it rises past the data


def test_plane_points_solve_the_equation_inside_the_box():
    weights, bias = np.array([0.5, -1.0, 2.0]), 0.3
    box = np.array([[-1.0, 1.0], [-1.0, 1.0], [-0.5, 0.5]])
    sheet = plane_points(weights, bias, box, n=11)
    assert sheet.shape == (11, 11, 3)
    inside = np.isfinite(sheet).all(axis=-1)
    assert inside.any() and not inside.all()  # the plane leaves the box's top and bottom
    np.testing.assert_allclose(sheet[inside] @ weights + bias, 0.0, atol=1e-12)
    assert (sheet[inside][:, 2] >= -0.5).all() and (sheet[inside][:, 2] <= 0.5).all()
    assert np.isnan(plane_points(np.zeros(3), 1.0, box)).all()


def test_several_classes_get_no_plane_and_no_equation():
    X, y = make_dataset("blobs3", 90, 0.0, 0)
    model = fit_linear_model(X, y, ("x1", "x2", "x1sq"))
    figure = lift_figure(X, y, model, data_extent(X))
    assert [trace.type for trace in figure.data] == ["scatter3d"] * 4
    assert plane_equation(model) is None


def test_equations_read_naturally(circles):
    equation = plane_equation(circles[2])
    assert equation.startswith("x₁² + x₂² = 0.")
    model = LiftedModel(MLP([3, 1]), ("x1", "x2", "sinx1"))
    model.weights[0][:, 0] = [1.0, -4.0, 0.0001]
    model.biases[0][0] = 2.0
    # Solved for x₂ (the largest weight); terms that print as 0.00 are left out.
    assert plane_equation(model) == "x₂ = 0.25·x₁ + 0.50"
    model.weights[0][:, 0] = [0.0, 0.0, -2.0]
    model.biases[0][0] = -1.0
    assert plane_equation(model) == "sin x₁ = −0.50"
    model.weights[0][:, 0] = [3.0, 0.0, 1.0]
    model.biases[0][0] = 0.0
    assert plane_equation(model) == "x₁ = −0.33·(sin x₁)"


def test_only_a_linear_model_on_one_extra_feature_is_drawn():
    X, y = make_dataset("circles", 40, 0.0, 0)
    with pytest.raises(ValueError, match="one feature"):
        lift_figure(X, y, fit_linear_model(X, y), data_extent(X))
    deep = LiftedModel(MLP([3, 4, 1]), ("x1", "x2", "r2"))
    with pytest.raises(ValueError, match="linear model"):
        lift_figure(X, y, deep, data_extent(X))


def test_the_3d_axes_read_at_a_glance(circles):
    """Few ticks in 13 px and 15 px titles (a scene's tick labels lie along their axes: ten of
    them at 10 px read as a slanted smear), seen from close enough to fill the scene."""
    X, y, model, extent = circles
    figure = lift_figure(X, y, model, extent)
    scene = figure.layout.scene
    for axis in (scene.xaxis, scene.yaxis, scene.zaxis):
        assert axis.tickfont.size >= 13 and axis.title.font.size >= 15
        assert axis.nticks <= 5
    eye = scene.camera.eye
    assert np.hypot(np.hypot(eye.x, eye.y), eye.z) < 2.6  # was 2.64 from the centre
    assert figure.layout.height >= 440

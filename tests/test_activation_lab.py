"""Activation lab: curves against numerical derivatives, saturation regions, the properties
table and the bend."""

import math

import numpy as np
import pytest

from core.labs.activation_lab import (
    affine_matrix,
    bend_frames,
    curve,
    curve_grid,
    derivative_max,
    plane_points,
    properties_table,
    saturation_regions,
    statistics_shown,
)
from core.nn.activations import ACTIVATIONS

TRAINABLE = [name for name, a in ACTIVATIONS.items() if a.trainable]
# σ′ jumps (ReLU, leaky) or bends sharply (ELU: σ″ jumps) at 0: a central difference there
# averages the two sides, so the comparison skips a few grid steps around it.
KINKS = {"relu": [0.0], "leaky_relu": [0.0], "elu": [0.0]}


@pytest.mark.parametrize("name", TRAINABLE)
def test_derivative_curve_equals_numerical_derivative_of_the_function_curve(name):
    z = np.linspace(-6.0, 6.0, 12_001)
    values, derivative = curve(name, z)
    numerical = np.gradient(values, z)
    keep = np.ones_like(z, dtype=bool)
    for kink in KINKS.get(name, []):
        keep &= np.abs(z - kink) > 2.5e-3
    keep[[0, -1]] = False  # one-sided differences at the ends are only first order
    np.testing.assert_allclose(derivative[keep], numerical[keep], atol=2e-6)


def test_step_derivative_is_zero_with_an_undefined_spike_at_zero():
    z = np.array([-1.0, 0.0, 1.0])
    values, derivative = curve("step", z)
    np.testing.assert_array_equal(values, [0.0, 0.0, 1.0])
    assert derivative[0] == derivative[2] == 0.0 and np.isnan(derivative[1])
    assert derivative_max("step") is None


def test_curve_rejects_bad_input():
    with pytest.raises(ValueError, match="unknown activation 'swishy'"):
        curve("swishy", np.zeros(3))
    with pytest.raises(ValueError, match="finite 1-D"):
        curve("tanh", np.array([0.0, np.nan]))


def test_saturation_regions_match_the_analytic_thresholds():
    z = np.linspace(-8.0, 8.0, 16_001)  # step 0.001
    # sigmoid: σ(1 − σ) = 0.01 at |z| = ln(σ/(1 − σ)), σ = (1 − √0.96)/2
    s = (1 - np.sqrt(0.96)) / 2
    edge = -np.log(s / (1 - s))
    (low_start, low_end), (high_start, high_end) = saturation_regions("sigmoid", z)
    assert low_start == -8.0 and high_end == 8.0
    assert abs(low_end + edge) < 2e-3 and abs(high_start - edge) < 2e-3
    tanh_edge = np.arctanh(np.sqrt(0.99))
    assert abs(saturation_regions("tanh", z)[1][0] - tanh_edge) < 2e-3
    assert saturation_regions("relu", z) == [(-8.0, 0.0)]
    assert saturation_regions("leaky_relu", z) == []  # slope 0.01 is not below 0.01
    assert saturation_regions("identity", z) == []
    assert len(saturation_regions("step", z)) == 2  # everywhere but the spike at 0


def test_saturation_regions_validate():
    with pytest.raises(ValueError, match="strictly increasing"):
        saturation_regions("tanh", np.array([0.0, -1.0]))
    with pytest.raises(ValueError, match="threshold must be a positive number, got -1"):
        saturation_regions("tanh", curve_grid(), threshold=-1)


def test_derivative_maxima():
    assert derivative_max("sigmoid") == pytest.approx(0.25, abs=1e-9)
    assert derivative_max("tanh") == pytest.approx(1.0, abs=1e-9)
    # GELU′ = Φ(z) + z φ(z) peaks where φ(z)(2 − z²) = 0, at z = √2.
    cdf, pdf = 0.5 * (1 + math.erf(1.0)), math.exp(-1.0) / math.sqrt(2 * math.pi)
    assert derivative_max("gelu") == pytest.approx(cdf + math.sqrt(2.0) * pdf)
    assert derivative_max("softplus") == pytest.approx(1.0, abs=1e-6)


def test_properties_table_states_range_centring_maximum_and_saturation():
    rows = {row["activation"]: row for row in properties_table(list(ACTIVATIONS))}
    assert rows["sigmoid"]["max σ′"] == "0.25"
    assert rows["sigmoid"]["output range"] == "0 to 1"
    assert rows["sigmoid"]["zero-centred"] == "no" and rows["tanh"]["zero-centred"] == "yes"
    assert rows["sigmoid"]["|σ′| < 0.01 where"] == "z < −4.6, z > 4.6"
    assert rows["ReLU"]["|σ′| < 0.01 where"] == "z < 0"
    assert rows["ReLU"]["output range"] == "0 to ∞"
    assert "cannot be trained" in rows["step"]["max σ′"]
    assert rows["swish (SiLU)"]["|σ′| < 0.01 where"] == "z ≈ −1.3"  # its minimum, a sliver


def test_statistics_shown():
    assert statistics_shown("relu") == (False, True)
    assert statistics_shown("step") == (False, True)
    assert statistics_shown("tanh") == (True, False)
    assert statistics_shown("leaky_relu") == (True, False)


def test_affine_matrix_rotates_then_stretches():
    M = affine_matrix(90.0, 2.0, 3.0)
    np.testing.assert_allclose(M @ [1.0, 0.0], [0.0, 3.0], atol=1e-12)
    np.testing.assert_allclose(M @ [0.0, 1.0], [-2.0, 0.0], atol=1e-12)


@pytest.mark.parametrize("name", ["tanh", "relu", "sigmoid", "step"])
def test_bend_frames_go_from_x_through_z_to_sigma_z(name):
    rng = np.random.default_rng(0)
    points = rng.uniform(-1, 1, (30, 2))
    shift = (0.5, -0.25)
    bend = bend_frames(points, 40.0, 2.0, 0.5, shift, name, n_frames=4)
    assert bend.frames.shape == (9, 30, 2)
    z = points @ affine_matrix(40.0, 2.0, 0.5).T + shift
    np.testing.assert_array_equal(bend.frames[0], points)
    np.testing.assert_allclose(bend.frames[4], z, atol=1e-12)
    np.testing.assert_array_equal(bend.frames[-1], ACTIVATIONS[name].fn(z))
    np.testing.assert_allclose(bend.frames[6], 0.5 * z + 0.5 * ACTIVATIONS[name].fn(z))
    assert [label for label in bend.labels if label] == ["x", "z", "σ(z)"]
    assert bend.labels.index("z") == 4 and len(bend.titles) == 9
    # No in-between affine frame flattens the plane: its spread keeps full rank.
    for frame in bend.frames[1:5]:
        assert np.linalg.matrix_rank(frame - frame.mean(axis=0), tol=1e-6) == 2


def test_bend_lands_where_sigma_says():
    points, grid_shape = plane_points(np.random.default_rng(1).normal(size=(50, 2)))
    assert grid_shape == (22, 41) and points.shape == (50 + 22 * 41, 2)
    assert np.all(np.abs(bend_frames(points, 10, 3, 3, (0, 0), "tanh").a) < 1)
    assert np.all(bend_frames(points, 10, 3, 3, (0, 0), "relu").a >= 0)


def test_bend_validates():
    points = np.zeros((3, 2))
    with pytest.raises(ValueError, match=r"scale_x must be in \(0, 10\], got 0"):
        bend_frames(points, 0, 0, 1, (0, 0), "tanh")
    with pytest.raises(ValueError, match="shift must be two finite numbers"):
        bend_frames(points, 0, 1, 1, (0, np.inf), "tanh")
    with pytest.raises(ValueError, match=r"points must have shape \(n_points, 2\)"):
        bend_frames(np.zeros((3, 3)), 0, 1, 1, (0, 0), "tanh")

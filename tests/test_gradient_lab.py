"""Gradient lab: gradient norms at initialisation (a seeded vanishing/flat result and a
finite-difference check) and the live unit statistics on hand-made networks."""

import numpy as np
import pytest

from core.labs.gradient_lab import (
    gradient_norm_grid,
    gradient_norms_per_layer,
    layer_statistics,
    pre_activation_histogram,
)
from core.nn.losses import get_loss
from core.nn.network import MLP


def test_sigmoid_with_normal_init_vanishes_and_relu_with_he_stays_flat():
    sigmoid = gradient_norms_per_layer(10, 8, "sigmoid", "normal", seed=0, init_scale=1.0)
    relu = gradient_norms_per_layer(10, 8, "relu", "he_normal", seed=0)
    assert sigmoid.shape == relu.shape == (11,)
    assert sigmoid[0] < 1e-3 * sigmoid[-1]
    assert 0.1 < relu[0] / relu[-1] < 10.0


def test_gradient_norms_match_finite_differences():
    # Rebuild the documented experiment by hand and differentiate the loss numerically.
    model = MLP([2, 3, 3, 1], "tanh", init="he_normal", seed=4)
    rng = np.random.default_rng([4, 1])
    X = rng.normal(size=(16, 2))
    targets = rng.integers(0, 2, size=(16, 1)).astype(float)
    loss = get_loss("binary_cross_entropy")
    first = model.weights[0]
    numerical = np.zeros_like(first)
    for index in np.ndindex(first.shape):
        old, step = first[index], 1e-6
        first[index] = old + step
        up = loss.value(model.forward(X, return_trace=True)[-1].z, targets)
        first[index] = old - step
        down = loss.value(model.forward(X, return_trace=True)[-1].z, targets)
        first[index] = old
        numerical[index] = (up - down) / (2 * step)
    norms = gradient_norms_per_layer(2, 3, "tanh", "he_normal", seed=4, n_samples=16)
    assert norms[0] == pytest.approx(np.linalg.norm(numerical), rel=1e-6)


def test_gradient_grid_covers_every_pair():
    grid = gradient_norm_grid(3, 4, ["tanh", "relu"], ("normal", "he_normal"), init_scale=0.5)
    assert grid.norms.shape == (2, 2, 4)
    np.testing.assert_array_equal(
        grid.norms[1, 0], gradient_norms_per_layer(3, 4, "relu", "normal", 0, 256, 0.5)
    )
    np.testing.assert_allclose(grid.first_to_last, grid.norms[..., 0] / grid.norms[..., -1])
    assert "step" not in gradient_norm_grid(2, 2).activations


def test_gradient_norms_validate():
    with pytest.raises(ValueError, match="depth must be 1..20, got 21"):
        gradient_norms_per_layer(21, 8, "tanh", "normal")
    with pytest.raises(ValueError, match="width must be 1..1024, got 0"):
        gradient_norms_per_layer(3, 0, "tanh", "normal")
    with pytest.raises(ValueError, match="'step' has no gradient"):
        gradient_norms_per_layer(3, 4, "step", "normal")
    with pytest.raises(ValueError, match="unknown initializer 'glorot'"):
        gradient_norms_per_layer(3, 4, "tanh", "glorot")


def _hand_made(activation: str, W0, b0) -> MLP:
    W0 = np.asarray(W0, dtype=float)
    model = MLP([2, W0.shape[1], 1], activation, seed=0)
    model.weights[0][...] = W0
    model.biases[0][...] = b0
    return model


def test_dead_relu_units_on_a_hand_made_network():
    X = np.array([[1.0, 0.0], [2.0, 5.0], [3.0, -5.0]])
    # unit 0: z = x₁ > 0 (alive); unit 1: z = −x₁ < 0 (dead); unit 2: z = 0 (σ = 0: dead);
    # unit 3: z = x₂, positive for one sample only (alive).
    model = _hand_made("relu", [[1, -1, 0, 0], [0, 0, 0, 1]], [0, 0, 0, 0])
    (stats,) = layer_statistics(model, X)
    np.testing.assert_array_equal(stats.dead, [False, True, True, False])
    assert stats.n_dead == 2 and stats.n_units == 4
    np.testing.assert_array_equal(stats.z, X @ model.weights[0])


def test_saturated_units_on_a_hand_made_network():
    # 20 samples: x₁ = 10 for the first 19 and 0 for the last; x₂ = 10 for the first 18.
    X = np.zeros((20, 2))
    X[:19, 0] = 10.0
    X[:18, 1] = 10.0
    # unit 0 sees x₁ (flat on 95 %: saturated), unit 1 sees x₂ (90 %: not), unit 2 sees
    # 0.01·x₁ (never flat), unit 3 sees −x₁ (saturated on the negative side).
    model = _hand_made("tanh", [[1, 0, 0.01, -1], [0, 1, 0, 0]], [0, 0, 0, 0])
    (stats,) = layer_statistics(model, X)
    np.testing.assert_array_equal(stats.saturated, [True, False, False, True])
    assert stats.n_saturated == 2
    assert stats.n_dead == 0


def test_statistics_per_hidden_layer_and_step_has_no_saturation():
    model = MLP([2, 5, 4, 3], "step", seed=0)
    stats = layer_statistics(model, np.random.default_rng(0).normal(size=(40, 2)))
    assert [s.layer for s in stats] == [1, 2] and [s.n_units for s in stats] == [5, 4]
    assert stats[0].saturated is None and stats[0].n_saturated is None
    assert layer_statistics(MLP([2, 1], "tanh"), np.zeros((3, 2))) == []


def test_pre_activation_histogram():
    z = np.concatenate([np.linspace(-1.0, 1.0, 998), [-100.0, 100.0]]).reshape(-1, 4)
    edges, shares = pre_activation_histogram(z, n_bins=10)
    assert edges.shape == (11,) and shares.shape == (10,)
    assert (edges[0], edges[-1]) == (-3.0, 3.0)  # ±max(3, 99.5th percentile of |z|)
    assert shares.sum() == pytest.approx(1.0)
    assert shares[0] == shares[-1] == pytest.approx(1 / 1000)  # outliers kept in end bins
    values = np.linspace(-10.0, 10.0, 101)
    wide, _ = pre_activation_histogram(values)
    assert wide[-1] == pytest.approx(np.percentile(np.abs(values), 99.5)) and wide[-1] > 9
    with pytest.raises(ValueError, match="non-empty and finite"):
        pre_activation_histogram(np.array([np.nan]))

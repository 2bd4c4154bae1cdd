"""Losses: worked examples, numerical safety, and gradients against finite differences."""

import numpy as np
import pytest

from core.nn.losses import LOSSES, get_loss, one_hot_targets

# Every loss with every output width it accepts.
LOSS_WIDTHS = [(name, n) for name in LOSSES for n in (1, 3) if LOSSES[name].n_outputs_allowed(n)]


def test_categorical_cross_entropy_worked_example():
    # Logits log p give softmax p: the loss of the true class 1 is −log 0.7 (nats).
    logits = np.log([[0.2, 0.7, 0.1]])
    value = LOSSES["categorical_cross_entropy"].value(logits, one_hot_targets(np.array([1]), 3))
    assert value == pytest.approx(-np.log(0.7), rel=1e-14)


@pytest.mark.parametrize(("name", "n_outputs"), LOSS_WIDTHS)
def test_huge_logits_give_finite_loss_and_gradient(name, n_outputs):
    logits = np.array([[1e4] * n_outputs, [-1e4] * n_outputs, [800.0] + [-800.0] * (n_outputs - 1)])
    targets = one_hot_targets(np.array([0, 0, 0]), n_outputs)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        value, grad = LOSSES[name].value_and_grad(logits, targets)
    assert np.isfinite(value) and np.all(np.isfinite(grad))


def test_binary_cross_entropy_matches_definition():
    rng = np.random.default_rng(1)
    logits = rng.normal(size=(20, 1)) * 3
    y = rng.integers(0, 2, size=(20, 1)).astype(float)
    p = 1 / (1 + np.exp(-logits))
    expected = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    assert get_loss("binary_cross_entropy").value(logits, y) == pytest.approx(expected, rel=1e-12)


def test_categorical_with_two_outputs_equals_binary_with_logit_difference():
    rng = np.random.default_rng(2)
    logits = rng.normal(size=(30, 2))
    y = rng.integers(0, 2, size=30)
    cce = get_loss("categorical_cross_entropy").value(logits, one_hot_targets(y, 2))
    bce = get_loss("binary_cross_entropy").value(
        logits[:, 1:] - logits[:, :1], one_hot_targets(y, 1)
    )
    assert cce == pytest.approx(bce, rel=1e-12)


@pytest.mark.parametrize(("name", "n_outputs"), LOSS_WIDTHS)
def test_loss_gradient_matches_central_difference(name, n_outputs):
    rng = np.random.default_rng(3)
    logits = rng.normal(size=(6, n_outputs)) * 2
    targets = one_hot_targets(rng.integers(0, max(n_outputs, 2), size=6), n_outputs)
    _, grad = LOSSES[name].value_and_grad(logits, targets)
    numeric = np.zeros_like(logits)
    h = 1e-6
    for index in np.ndindex(logits.shape):
        up, down = logits.copy(), logits.copy()
        up[index] += h
        down[index] -= h
        numeric[index] = (LOSSES[name].value(up, targets) - LOSSES[name].value(down, targets)) / (
            2 * h
        )
    np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-9)


def test_unknown_loss_names_the_value():
    with pytest.raises(ValueError, match="'hinge'"):
        get_loss("hinge")


@pytest.mark.parametrize(("name", "n_outputs"), LOSS_WIDTHS)
def test_a_stack_of_logits_gives_each_slices_value_bit_for_bit(name, n_outputs):
    rng = np.random.default_rng(8)
    logits = rng.normal(size=(4, 23, n_outputs)) * 3
    targets = one_hot_targets(rng.integers(0, max(n_outputs, 2), size=23), n_outputs)
    values = LOSSES[name].value(logits, targets)
    assert values.shape == (4,)
    for k in range(4):
        assert values[k] == LOSSES[name].value(logits[k], targets)
        assert values[k] == LOSSES[name].value_and_grad(logits[k], targets)[0]

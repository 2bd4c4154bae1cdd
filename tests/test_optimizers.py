"""Optimizers: the first two updates recomputed by hand from the textbook rules."""

import numpy as np
import pytest

from core.nn.optimizers import OPTIMIZERS, make_optimizer

THETA0 = np.array([1.0, -2.0, 0.5])
G1 = np.array([0.1, -0.3, 2.0])
G2 = np.array([-0.2, 0.4, 1.0])
LR = 0.1


def _two_steps(name, **kwargs):
    opt = make_optimizer(name, 3, LR)
    for key, value in kwargs.items():
        setattr(opt, key, value)
    theta = THETA0.copy()
    opt.step(theta, G1)
    first = theta.copy()
    opt.step(theta, G2)
    return first, theta


def test_sgd():
    first, second = _two_steps("sgd")
    np.testing.assert_allclose(first, THETA0 - LR * G1, rtol=1e-15)
    np.testing.assert_allclose(second, THETA0 - LR * G1 - LR * G2, rtol=1e-15)


def test_momentum():
    mu = 0.9
    v1 = -LR * G1
    v2 = mu * v1 - LR * G2
    first, second = _two_steps("momentum")
    np.testing.assert_allclose(first, THETA0 + v1, rtol=1e-15)
    np.testing.assert_allclose(second, THETA0 + v1 + v2, rtol=1e-15)


def test_nesterov():
    mu = 0.9
    v1 = -LR * G1
    t1 = THETA0 + mu * v1 - LR * G1
    v2 = mu * v1 - LR * G2
    t2 = t1 + mu * v2 - LR * G2
    first, second = _two_steps("nesterov")
    np.testing.assert_allclose(first, t1, rtol=1e-15)
    np.testing.assert_allclose(second, t2, rtol=1e-15)


def test_adagrad():
    eps = 1e-8
    t1 = THETA0 - LR * G1 / (np.sqrt(G1**2) + eps)
    t2 = t1 - LR * G2 / (np.sqrt(G1**2 + G2**2) + eps)
    first, second = _two_steps("adagrad")
    np.testing.assert_allclose(first, t1, rtol=1e-14)
    np.testing.assert_allclose(second, t2, rtol=1e-14)


def test_rmsprop():
    rho, eps = 0.9, 1e-8
    s1 = (1 - rho) * G1**2
    t1 = THETA0 - LR * G1 / (np.sqrt(s1) + eps)
    s2 = rho * s1 + (1 - rho) * G2**2
    t2 = t1 - LR * G2 / (np.sqrt(s2) + eps)
    first, second = _two_steps("rmsprop")
    np.testing.assert_allclose(first, t1, rtol=1e-14)
    np.testing.assert_allclose(second, t2, rtol=1e-14)


def test_adam():
    b1, b2, eps = 0.9, 0.999, 1e-8
    m1, v1 = (1 - b1) * G1, (1 - b2) * G1**2
    t1 = THETA0 - LR * (m1 / (1 - b1)) / (np.sqrt(v1 / (1 - b2)) + eps)
    m2, v2 = b1 * m1 + (1 - b1) * G2, b2 * v1 + (1 - b2) * G2**2
    t2 = t1 - LR * (m2 / (1 - b1**2)) / (np.sqrt(v2 / (1 - b2**2)) + eps)
    first, second = _two_steps("adam")
    # Adam's first step is ±lr per coordinate (m̂/√v̂ = sign g): a sanity anchor.
    np.testing.assert_allclose(first, THETA0 - LR * np.sign(G1), rtol=1e-7)
    np.testing.assert_allclose(first, t1, rtol=1e-14)
    np.testing.assert_allclose(second, t2, rtol=1e-14)


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_changing_learning_rate_keeps_state(name):
    changed, unchanged = make_optimizer(name, 3, LR), make_optimizer(name, 3, LR)
    theta_a, theta_b = THETA0.copy(), THETA0.copy()
    changed.step(theta_a, G1)
    unchanged.step(theta_b, G1)
    changed.learning_rate = LR  # set again, same value: nothing may reset
    changed.step(theta_a, G2)
    unchanged.step(theta_b, G2)
    np.testing.assert_array_equal(theta_a, theta_b)
    changed.learning_rate = 2 * LR
    assert changed.n_steps == 2


@pytest.mark.parametrize("bad", [0.0, -0.1, float("nan"), float("inf")])
def test_bad_learning_rate_rejected(bad):
    with pytest.raises(ValueError, match="learning_rate"):
        make_optimizer("adam", 3, bad)


def test_unknown_optimizer_names_the_value():
    with pytest.raises(ValueError, match="'lbfgs'"):
        make_optimizer("lbfgs", 3)

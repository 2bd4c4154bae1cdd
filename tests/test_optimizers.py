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


G3 = np.array([0.5, 0.1, -1.5])


def _third_step_by_hand(name: str, new_lr: float) -> np.ndarray:
    """θ after steps at LR, LR, then new_lr: the textbook rules with the state of two steps."""
    mu, rho, b1, b2, eps = 0.9, 0.9, 0.9, 0.999, 1e-8
    if name == "sgd":
        return THETA0 - LR * G1 - LR * G2 - new_lr * G3
    if name in ("momentum", "nesterov"):
        v1 = -LR * G1
        v2 = mu * v1 - LR * G2
        v3 = mu * v2 - new_lr * G3
        if name == "momentum":
            return THETA0 + v1 + v2 + v3
        t1 = THETA0 + mu * v1 - LR * G1
        t2 = t1 + mu * v2 - LR * G2
        return t2 + mu * v3 - new_lr * G3
    if name == "adagrad":
        t1 = THETA0 - LR * G1 / (np.sqrt(G1**2) + eps)
        t2 = t1 - LR * G2 / (np.sqrt(G1**2 + G2**2) + eps)
        return t2 - new_lr * G3 / (np.sqrt(G1**2 + G2**2 + G3**2) + eps)
    if name == "rmsprop":
        s1 = (1 - rho) * G1**2
        s2 = rho * s1 + (1 - rho) * G2**2
        s3 = rho * s2 + (1 - rho) * G3**2
        t2 = THETA0 - LR * G1 / (np.sqrt(s1) + eps) - LR * G2 / (np.sqrt(s2) + eps)
        return t2 - new_lr * G3 / (np.sqrt(s3) + eps)
    assert name == "adam", name
    theta, m, v = THETA0, np.zeros(3), np.zeros(3)
    for t, (lr, g) in enumerate([(LR, G1), (LR, G2), (new_lr, G3)], start=1):
        m, v = b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g**2
        theta = theta - lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps)
    return theta


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_a_new_learning_rate_applies_from_the_next_step_and_keeps_the_state(name):
    opt = make_optimizer(name, 3, LR)
    theta = THETA0.copy()
    opt.step(theta, G1)
    opt.learning_rate = LR  # set again, same value: nothing may reset
    opt.step(theta, G2)
    opt.learning_rate = 2 * LR
    assert opt.learning_rate == 2 * LR and opt.n_steps == 2
    opt.step(theta, G3)
    # Velocity, squared-gradient sums and Adam's step count carry over; only η changes.
    np.testing.assert_allclose(theta, _third_step_by_hand(name, 2 * LR), rtol=1e-13)
    fresh = make_optimizer(name, 3, 2 * LR)
    restarted = _two_steps(name)[1]
    fresh.step(restarted, G3)
    if name != "sgd":  # a reset state would have given this instead
        assert not np.allclose(theta, restarted)


@pytest.mark.parametrize("bad", [0.0, -0.1, float("nan"), float("inf")])
def test_bad_learning_rate_rejected(bad):
    with pytest.raises(ValueError, match="learning_rate"):
        make_optimizer("adam", 3, bad)


def test_unknown_optimizer_names_the_value():
    with pytest.raises(ValueError, match="'lbfgs'"):
        make_optimizer("lbfgs", 3)

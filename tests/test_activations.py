"""Activation registry: values, derivatives against finite differences, worked examples."""

import numpy as np
import pytest

from core.nn.activations import ACTIVATIONS, get_activation, sigmoid, softmax

TRAINABLE = [name for name, act in ACTIVATIONS.items() if act.trainable]
# Points away from the kinks of relu/leaky_relu/elu at 0, where the derivative is one-sided.
Z = np.concatenate([np.linspace(-6, -0.05, 40), np.linspace(0.05, 6, 40)])


@pytest.mark.parametrize("name", TRAINABLE)
def test_derivative_matches_central_difference(name):
    act = ACTIVATIONS[name]
    h = 1e-6
    numeric = (act.fn(Z + h) - act.fn(Z - h)) / (2 * h)
    np.testing.assert_allclose(act.grad(Z), numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("name", [n for n in TRAINABLE if ACTIVATIONS[n].grad_from_output])
def test_derivative_from_output_agrees(name):
    act = ACTIVATIONS[name]
    np.testing.assert_allclose(act.derivative(Z, act.fn(Z)), act.grad(Z), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_values_stay_in_stated_range_and_finite(name):
    act = ACTIVATIONS[name]
    z = np.linspace(-800, 800, 4001)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        values = act.fn(z)
    low, high = act.output_range
    assert np.all(np.isfinite(values))
    assert values.min() >= low - 1e-9 and values.max() <= high + 1e-9


def test_step_is_value_only():
    step = ACTIVATIONS["step"]
    assert not step.trainable
    np.testing.assert_array_equal(step.fn(np.array([-1.0, 0.0, 2.0])), [0.0, 0.0, 1.0])
    with pytest.raises(ValueError, match="step"):
        step.derivative(np.zeros(3))


def test_sigmoid_neuron_from_the_article():
    # w = [0, 1], b = 4, x = [2, 3]: z = 0·2 + 1·3 + 4 = 7, σ(7) = 0.9990889…
    z = np.array([2.0, 3.0]) @ np.array([0.0, 1.0]) + 4.0
    assert sigmoid(z) == pytest.approx(0.9990889488055994, abs=1e-15)


def test_softmax_worked_example_and_extremes():
    np.testing.assert_allclose(
        softmax(np.array([[3.0, 1.0, -3.0]])), [[0.8789, 0.1189, 0.0022]], atol=5e-5
    )
    huge = softmax(np.array([[1000.0, 0.0, -1000.0]]))
    assert np.all(np.isfinite(huge)) and huge[0, 0] == 1.0


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_zero_centred_means_an_odd_function(name):
    # The flag picks the diverging colour map for unit pictures: it must say whether σ treats
    # negative and positive inputs alike, σ(−z) = −σ(z) (so outputs centre on 0).
    act, z = ACTIVATIONS[name], np.linspace(-5, 5, 101)
    assert act.zero_centred == np.allclose(act.fn(-z), -act.fn(z), atol=1e-12), name


def _grows_without_bound(fn, far: float) -> bool:
    # Linear or faster growth: twice as far out, at least 1.5 times as big (leaky ReLU too).
    return abs(fn(np.array(2 * far))) > 1.5 * abs(fn(np.array(far))) > 1


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_stated_range_is_reached_not_just_respected(name):
    # The Activations page draws output_range: a finite bound must be (nearly) attained, an
    # infinite one must really be unbounded.
    act = ACTIVATIONS[name]
    values = act.fn(np.linspace(-800, 800, 160_001))
    low, high = act.output_range
    assert _grows_without_bound(act.fn, -400) if low == -np.inf else abs(values.min() - low) < 2e-3
    assert _grows_without_bound(act.fn, 400) if high == np.inf else abs(values.max() - high) < 2e-3


def test_unknown_activation_names_the_value():
    with pytest.raises(ValueError, match="'swishy'"):
        get_activation("swishy")

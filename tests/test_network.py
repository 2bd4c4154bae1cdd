"""The MLP: backprop against finite differences, validation, trace, and sklearn agreement."""

import numpy as np
import pytest

from core.nn.activations import ACTIVATIONS, sigmoid
from core.nn.losses import LOSSES, one_hot_targets
from core.nn.network import MLP

TRAINABLE = [name for name, act in ACTIVATIONS.items() if act.trainable]
LOSS_WIDTHS = [(name, k) for name in LOSSES for k in (1, 3) if LOSSES[name].n_outputs_allowed(k)]


def _numeric_gradient(model, objective, h=1e-6):
    grad = np.zeros_like(model.params)
    for i in range(model.params.size):
        saved = model.params[i]
        model.params[i] = saved + h
        up = objective()
        model.params[i] = saved - h
        down = objective()
        model.params[i] = saved
        grad[i] = (up - down) / (2 * h)
    return grad


def _relative_error(a, b):
    return np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-8))


@pytest.mark.parametrize("activation", TRAINABLE)
@pytest.mark.parametrize(("loss", "n_outputs"), LOSS_WIDTHS)
def test_backprop_matches_central_differences(activation, loss, n_outputs):
    rng = np.random.default_rng(4)
    model = MLP([2, 3, 3, n_outputs], activation, init="normal", init_scale=0.8, seed=5)
    model.params[...] = rng.normal(0, 0.8, model.n_parameters)  # biases nonzero too
    X = rng.normal(size=(7, 2))
    targets = one_hot_targets(rng.integers(0, max(n_outputs, 2), 7), n_outputs)
    kwargs = {"l1": 0.01, "l2": 0.02}
    _, grad, _ = model.loss_and_gradient(X, targets, loss, **kwargs)
    numeric = _numeric_gradient(
        model, lambda: model.loss_and_gradient(X, targets, loss, **kwargs)[0]
    )
    assert _relative_error(grad, numeric) < 1e-6


def test_backprop_with_dropout_uses_the_same_mask():
    model = MLP([2, 5, 4, 1], "tanh", seed=1)
    X = np.random.default_rng(0).normal(size=(9, 2))
    targets = one_hot_targets(np.arange(9) % 2, 1)

    def objective():
        return model.loss_and_gradient(X, targets, dropout=0.3, rng=np.random.default_rng(7))

    value, grad, trace = objective()
    assert trace[0].keep is not None and set(np.unique(trace[0].keep)) <= {0.0, 1 / 0.7}
    numeric = _numeric_gradient(model, lambda: objective()[0])
    assert _relative_error(grad, numeric) < 1e-6


def test_trace_is_the_forward_pass():
    model = MLP([2, 4, 3, 2], "relu", seed=3)
    X = np.random.default_rng(1).normal(size=(10, 2))
    trace = model.forward(X, return_trace=True)
    a = X
    for layer, W, b in zip(trace, model.weights, model.biases, strict=True):
        np.testing.assert_array_equal(layer.inputs, a)
        np.testing.assert_allclose(layer.z, a @ W + b, rtol=1e-14)
        a = layer.a
    np.testing.assert_allclose(trace[0].a, np.maximum(trace[0].z, 0))
    np.testing.assert_allclose(trace[-1].a.sum(axis=1), 1.0)
    np.testing.assert_array_equal(model.predict_proba(X), trace[-1].a)


def test_sigmoid_neuron_from_the_article():
    model = MLP([2, 1], "identity")
    model.weights[0][:, 0] = [0.0, 1.0]
    model.biases[0][0] = 4.0
    assert model.predict_proba([[2.0, 3.0]])[0, 1] == pytest.approx(sigmoid(7.0), abs=1e-15)
    assert model.predict_proba([[2.0, 3.0]])[0, 1] == pytest.approx(0.9990889488, abs=1e-10)


def test_parameters_are_views_of_the_flat_vector():
    model = MLP([2, 3, 1], "tanh")
    assert len(model.parameters()) == 4
    model.parameters()[0][0, 0] = 42.0
    assert model.params[0] == 42.0
    assert model.n_parameters == 2 * 3 + 3 + 3 + 1
    assert repr(model) == "MLP(2-3-1, tanh, output=sigmoid, 13 params)"


def test_same_seed_same_weights_and_copy_is_independent():
    a, b = MLP([2, 8, 1], seed=11), MLP([2, 8, 1], seed=11)
    np.testing.assert_array_equal(a.params, b.params)
    assert not np.array_equal(a.params, MLP([2, 8, 1], seed=12).params)
    clone = a.copy()
    clone.weights[0][0, 0] += 1
    assert a.weights[0][0, 0] != clone.weights[0][0, 0]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"layer_sizes": [2, 0, 1]}, "width must be 1..1024, got 0"),
        ({"layer_sizes": [2, 1025, 1]}, "got 1025"),
        ({"layer_sizes": [2]}, "input and an output"),
        ({"layer_sizes": [2, 2.5, 1]}, "whole numbers"),
        ({"layer_sizes": "abc"}, "whole numbers"),
        ({"layer_sizes": [2, 3, 1], "activation": "nope"}, "'nope'"),
        ({"layer_sizes": [2, 3, 1], "init": "zeros"}, "'zeros'"),
        ({"layer_sizes": [2, 3, 1], "init": "normal", "init_scale": -1}, "-1"),
    ],
)
def test_bad_arguments_raise_value_error_naming_the_value(kwargs, message):
    with pytest.raises(ValueError, match=message):
        MLP(**kwargs)


@pytest.mark.parametrize(
    ("X", "message"),
    [
        (np.zeros((3, 3)), r"\(3, 3\)"),
        (np.zeros(2), r"\(2,\)"),
        ([[0.0, np.nan]], "nan at row 0, column 1"),
    ],
)
def test_bad_inputs_raise_value_error(X, message):
    with pytest.raises(ValueError, match=message):
        MLP([2, 3, 1]).predict_proba(X)


@pytest.mark.parametrize("activation", TRAINABLE)
@pytest.mark.parametrize("n_outputs", [1, 2])
def test_linear_output_with_squared_loss_matches_central_differences(activation, n_outputs):
    rng = np.random.default_rng(6)
    model = MLP(
        [2, 4, n_outputs], activation, init="normal", init_scale=0.8, seed=2, output="values"
    )
    model.params[...] = rng.normal(0, 0.8, model.n_parameters)
    X, targets = rng.normal(size=(9, 2)), rng.uniform(-1, 1, size=(9, n_outputs))
    _, grad, trace = model.loss_and_gradient(X, targets, "squared", l1=0.01, l2=0.02)
    assert trace[-1].a is trace[-1].z  # a linear unit: the output is its pre-activation
    objective = lambda: model.loss_and_gradient(X, targets, "squared", l1=0.01, l2=0.02)[0]  # noqa: E731
    assert _relative_error(grad, _numeric_gradient(model, objective)) < 1e-6


def test_a_regression_network_predicts_values_not_classes():
    model = MLP([2, 3, 1], "tanh", seed=0, output="values")
    X = np.array([[0.5, -0.2], [3.0, 4.0]])
    z = np.tanh(X @ model.weights[0] + model.biases[0]) @ model.weights[1] + model.biases[1]
    np.testing.assert_allclose(model.forward(X), z, rtol=1e-12)  # no sigmoid on top
    np.testing.assert_allclose(model.predict(X), z[:, 0], rtol=1e-12)
    assert model.regression and "output=identity" in repr(model)
    assert model.copy().regression
    with pytest.raises(ValueError, match="values, not class probabilities"):
        model.predict_proba(X)
    with pytest.raises(ValueError, match="output must be one of"):
        MLP([2, 1], output="numbers")


@pytest.mark.parametrize(
    ("activation", "n_outputs", "output"),
    [("tanh", 1, "classes"), ("relu", 3, "classes"), ("gelu", 1, "values")],
)
def test_a_stack_of_parameter_vectors_traces_each_bit_for_bit(activation, n_outputs, output):
    """The trainer measures the test set at many epochs' weights in one stacked pass: each
    slice must be exactly the model's own pass with that vector (no rounding difference)."""
    rng = np.random.default_rng(6)
    model = MLP([2, 8, 5, n_outputs], activation, seed=2, output=output)
    stack = rng.normal(0, 0.7, size=(5, model.n_parameters))
    X = rng.normal(size=(37, 2))
    stacked = model._trace(X, params=stack)
    for k, params in enumerate(stack):
        model.set_parameters(params)
        for layer, alone in zip(stacked, model.forward(X, return_trace=True), strict=True):
            np.testing.assert_array_equal(layer.z[k], alone.z)
            np.testing.assert_array_equal(layer.a[k], alone.a)
    # The flat vector's views, stacked: W (n_stack, fan_in, fan_out), b (n_stack, fan_out).
    weights, biases = model.unflatten(stack)
    assert weights[1].shape == (5, 8, 5) and biases[1].shape == (5, 5)
    np.testing.assert_array_equal(weights[1][3], model.unflatten(stack[3])[0][1])

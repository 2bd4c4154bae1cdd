"""Model (de)serialising: exact JSON round trips, validation, and scikit-learn agreement."""

import json
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

from core.exchange.model_io import mlp_from_dict, mlp_from_sklearn, mlp_to_dict
from core.nn.activations import ACTIVATIONS
from core.nn.network import MLP


@settings(max_examples=40, deadline=None)
@given(
    hidden=st.lists(st.integers(1, 9), min_size=0, max_size=4),
    n_outputs=st.integers(1, 5),
    activation=st.sampled_from(sorted(ACTIVATIONS)),
    seed=st.integers(0, 2**32 - 1),
)
def test_to_dict_from_dict_round_trip_is_exact(hidden, n_outputs, activation, seed):
    model = MLP([2, *hidden, n_outputs], activation, init="normal", seed=seed)
    text = json.dumps(mlp_to_dict(model))
    clone = mlp_from_dict(json.loads(text))
    np.testing.assert_array_equal(clone.params, model.params)
    assert clone.layer_sizes == model.layer_sizes and clone.activation is model.activation
    X = np.random.default_rng(seed).normal(size=(5, 2))
    np.testing.assert_array_equal(clone.predict_proba(X), model.predict_proba(X))


@settings(max_examples=40, deadline=None)
@given(
    n_samples=st.integers(1, 30),
    hidden=st.lists(st.integers(1, 6), min_size=0, max_size=3),
    n_outputs=st.integers(1, 4),
)
def test_output_shapes(n_samples, hidden, n_outputs):
    model = MLP([2, *hidden, n_outputs])
    X = np.random.default_rng(0).normal(size=(n_samples, 2))
    probs = model.predict_proba(X)
    assert probs.shape == (n_samples, max(n_outputs, 2))
    np.testing.assert_allclose(probs.sum(axis=1), 1.0)
    assert model.predict(X).shape == (n_samples,)
    assert len(model.forward(X, return_trace=True)) == len(hidden) + 1


def _good_dict():
    return mlp_to_dict(MLP([2, 3, 1], "tanh"))


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(format="keras"), "not a Spacewarp model"),
        (lambda d: d.pop("weights"), "missing weights"),
        (lambda d: d.update(activation="__import__('os')"), "unknown activation"),
        (lambda d: d["weights"][0].pop(), r"weights\[0\] must have shape \(2, 3\)"),
        (lambda d: d["biases"][1].__setitem__(0, float("nan")), "non-finite"),
        (lambda d: d["weights"][1].__setitem__(0, ["x"]), r"weights\[1\] must be numbers"),
        (lambda d: d.update(layer_sizes=[2, 0, 1]), "width must be 1..1024, got 0"),
        (lambda d: d.update(biases=[]), "biases must be a list of 2 layers"),
    ],
)
def test_from_dict_rejects_bad_models(mutate, message):
    data = _good_dict()
    mutate(data)
    with pytest.raises(ValueError, match=message):
        mlp_from_dict(data)


def test_from_dict_rejects_non_dicts():
    with pytest.raises(ValueError, match="JSON object"):
        mlp_from_dict([1, 2, 3])


@pytest.mark.parametrize("activation", ["relu", "tanh", "logistic", "identity"])
@pytest.mark.parametrize("n_classes", [2, 3])
def test_from_sklearn_agrees_with_predict_proba(activation, n_classes):
    rng = np.random.default_rng(n_classes)
    X = rng.normal(size=(60, 2))
    y = (np.arctan2(X[:, 1], X[:, 0]) * n_classes / (2 * np.pi) + n_classes).astype(int) % n_classes
    clf = MLPClassifier((5, 4), activation=activation, max_iter=30, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X, y)
    model = mlp_from_sklearn(clf)
    np.testing.assert_allclose(model.predict_proba(X), clf.predict_proba(X), rtol=0, atol=1e-9)
    np.testing.assert_array_equal(model.predict(X), clf.predict(X))


def test_from_sklearn_rejects_unfitted():
    with pytest.raises(ValueError, match="not fitted"):
        mlp_from_sklearn(MLPClassifier())

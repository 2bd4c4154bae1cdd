"""Model (de)serialising: exact JSON round trips, validation, and scikit-learn agreement."""

import json
import tracemalloc
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

from core.data.features import FEATURES
from core.exchange.exports import model_from_json
from core.exchange.model_io import (
    PAGE_LIMITS,
    ModelLimits,
    mlp_from_dict,
    mlp_from_sklearn,
    mlp_to_dict,
)
from core.nn.activations import ACTIVATIONS
from core.nn.network import MLP
from core.settings import TRANSFORM_MAX_LAYERS, TRANSFORM_MAX_WIDTH


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
        (lambda d: d["biases"][1].__setitem__(0, float("nan")), r"biases\[1\]\[0\] is nan"),
        (
            lambda d: d["weights"][1].__setitem__(0, ["x"]),
            r"weights\[1\]\[0\]\[0\] must be a number",
        ),
        (
            lambda d: d.update(layer_sizes=[2, 0, 1]),
            r"width must be 1..16, got 0 \(layer_sizes\[1\]\)",
        ),
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


def _hostile(**changes) -> str:
    """JSON text of a valid 2-3-1 model with some keys replaced (raw JSON fragments)."""
    fields = {key: json.dumps(value) for key, value in _good_dict().items()}
    fields.update(changes)
    return "{" + ",".join(f'"{key}":{value}' for key, value in fields.items()) + "}"


def _first_weight(value: str) -> str:
    """The 2-3-1 model with ``value`` (a raw JSON fragment) as its first weight."""
    return _hostile(weights=f"[[[{value}, 0, 0], [0, 0, 0]], [[0], [0], [0]]]")


HOSTILE_MODELS = {
    # ~300 bytes that used to allocate ~740 MB: 32 hidden layers of 1024 units
    "deep and wide": (
        _hostile(layer_sizes="[16," + "1024," * 32 + "10]", weights="[]", biases="[]"),
        "32 hidden layers; at most 8",
    ),
    "one layer too many": (_hostile(layer_sizes=json.dumps([2] + [3] * 9 + [1])), "at most 8"),
    "too wide": (_hostile(layer_sizes="[2, 17, 1]"), r"width must be 1..16, got 17"),
    "too many inputs": (_hostile(layer_sizes="[9, 3, 1]"), r"input size must be 1..8, got 9"),
    "too many outputs": (_hostile(layer_sizes="[2, 3, 11]"), r"output size must be 1..10, got 11"),
    "bool size": (_hostile(layer_sizes="[2, true, 1]"), r"layer_sizes\[1\] must be a whole number"),
    "float size": (_hostile(layer_sizes="[2, 3.0, 1]"), r"whole number, got 3.0"),
    "infinite size": (_hostile(layer_sizes="[2, Infinity, 1]"), r"whole number, got inf"),
    "huge size": (_hostile(layer_sizes="[2, 1" + "0" * 400 + ", 1]"), r"got a 401-digit number"),
    "string size": (_hostile(layer_sizes='[2, "3", 1]'), r"whole number, got '3'"),
    "sizes not a list": (_hostile(layer_sizes='"2-3-1"'), r"list such as \[2, 8, 1\]"),
    "a million sizes": (
        _hostile(layer_sizes="[" + "1," * 300_000 + "1]"),
        "has 299,999 hidden layers",
    ),
    "400-digit weight": (
        _first_weight("1" + "0" * 400),
        r"weights\[0\]\[0\]\[0\] is a 401-digit number, too large",
    ),
    "1e999 weight": (
        _first_weight("1e999"),
        r"weights\[0\]\[0\]\[0\] is inf",
    ),
    "NaN bias": (_hostile(biases="[[0, NaN, 0], [0]]"), r"biases\[0\]\[1\] is nan"),
    "exploded weight": (
        _first_weight("1e7"),
        r"weights\[0\]\[0\]\[0\] is 1e\+07; weights and biases must be within ±1e\+06",
    ),
    "bool weight": (
        _first_weight("true"),
        r"weights\[0\]\[0\]\[0\] must be a number, got True",
    ),
    "ragged weights": (
        _hostile(weights="[[[0, 0, 0], [0, 0]], [[0], [0], [0]]]"),
        r"weights\[0\] must have shape \(2, 3\); weights\[0\]\[1\] has 2 items, not 3",
    ),
    "weights too deep": (
        _first_weight("[0]"),
        r"weights\[0\]\[0\]\[0\] must be a number, got \[0\]",
    ),
    "a million weights": (
        _hostile(weights="[[" + "0," * 300_000 + "0], [[0], [0], [0]]]"),
        r"weights\[0\] must have shape \(2, 3\); weights\[0\] has 300,001 items, not 2",
    ),
    "long activation": (
        _hostile(activation=json.dumps("x" * 100_000)),
        r"unknown activation 'x{40}…' \(cut from 100,000 characters\)",
    ),
    "format is a big list": (
        _hostile(format="[" + "1," * 1000 + "1]"),
        r"format is \[1, 1, 1, 1, \.\.\.\]",
    ),
    "newer version": (_hostile(version="2"), "model version 2 cannot be read; this app reads 1"),
    "nested format": (_hostile(format="[" * 500 + "]" * 500), r"format is \[\[\[\.\.\.\]\]\]"),
}


@pytest.mark.parametrize(("text", "message"), HOSTILE_MODELS.values(), ids=HOSTILE_MODELS.keys())
def test_hostile_models_are_refused_before_anything_is_allocated(text, message):
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match=message) as info:
            model_from_json(text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # json.loads of the text itself is the only cost: about 10 bytes per character at worst.
    assert peak < 2_000_000 + 12 * len(text), f"{peak:,} bytes for {len(text):,} characters"
    assert len(str(info.value)) < 200  # nothing of the file is echoed at length


def test_limits_are_the_pages_caps_and_can_be_raised():
    assert (
        PAGE_LIMITS.max_hidden_layers == TRANSFORM_MAX_LAYERS
        and PAGE_LIMITS.max_width == TRANSFORM_MAX_WIDTH
    )
    assert PAGE_LIMITS.max_inputs == len(FEATURES)
    wide = mlp_to_dict(MLP([2, 40, 1], "relu", seed=1))
    with pytest.raises(ValueError, match="width must be 1..16, got 40"):
        mlp_from_dict(wide)
    clone = mlp_from_dict(wide, ModelLimits(max_width=64))
    assert clone.layer_sizes == (2, 40, 1)


def test_a_regression_network_keeps_its_linear_output_through_json():
    model = MLP([2, 3, 1], "tanh", seed=4, output="values")
    data = mlp_to_dict(model)
    assert data["output"] == "values" and "output" not in mlp_to_dict(MLP([2, 3, 1]))
    restored = mlp_from_dict(json.loads(json.dumps(data)))
    X = np.random.default_rng(0).normal(size=(5, 2))
    assert restored.regression and np.array_equal(restored.forward(X), model.forward(X))
    with pytest.raises(ValueError, match="output must be one of"):
        mlp_from_dict({**data, "output": "<b>x</b>"})

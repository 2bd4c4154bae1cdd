"""Moving models in and out: plain dicts (for JSON) and scikit-learn's MLPClassifier.

The dict format holds names and nested lists of Python floats only, so ``json.dumps`` can write
it and nothing needs ``eval`` or pickle to read it back. Python floats round-trip float64
exactly through JSON, so a saved model predicts bit for bit what the original did.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from core.nn.activations import ACTIVATIONS
from core.nn.network import MLP

__all__ = ["FORMAT", "mlp_from_dict", "mlp_from_sklearn", "mlp_to_dict"]

FORMAT = "spacewarp.mlp"
VERSION = 1
_SKLEARN_ACTIVATIONS = {
    "identity": "identity",
    "logistic": "sigmoid",
    "tanh": "tanh",
    "relu": "relu",
}


def mlp_to_dict(model: MLP) -> dict[str, Any]:
    """``{"format", "version", "layer_sizes", "activation", "weights", "biases"}``."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "layer_sizes": list(model.layer_sizes),
        "activation": model.activation.name,
        "weights": [W.tolist() for W in model.weights],
        "biases": [b.tolist() for b in model.biases],
    }


def _blank(layer_sizes: Any, activation: str) -> MLP:
    model = MLP(layer_sizes, activation, init="normal", seed=0)
    model.params[...] = 0.0
    return model


def _as_finite_array(value: Any, shape: tuple[int, ...], what: str) -> np.ndarray:
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{what} must be numbers") from None
    if array.shape != shape:
        raise ValueError(f"{what} must have shape {shape}, got {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{what} contains a non-finite number")
    return array


def mlp_from_dict(data: Any) -> MLP:
    """Rebuild an ``MLP`` from ``mlp_to_dict`` output; ``ValueError`` names what is wrong."""
    if not isinstance(data, dict):
        raise ValueError(f"a model must be a JSON object, got {type(data).__name__}")
    if data.get("format") != FORMAT:
        raise ValueError(f"not a Spacewarp model: format is {data.get('format')!r}, not {FORMAT!r}")
    missing = [k for k in ("layer_sizes", "activation", "weights", "biases") if k not in data]
    if missing:
        raise ValueError(f"model is missing {', '.join(missing)}")
    activation = data["activation"]
    if not isinstance(activation, str) or activation not in ACTIVATIONS:
        raise ValueError(
            f"unknown activation {activation!r}; choose one of: {', '.join(ACTIVATIONS)}"
        )
    model = _blank(data["layer_sizes"], activation)
    for key, arrays in (("weights", model.weights), ("biases", model.biases)):
        values = data[key]
        if not isinstance(values, list) or len(values) != len(arrays):
            raise ValueError(f"{key} must be a list of {len(arrays)} layers")
        for i, (target, value) in enumerate(zip(arrays, values, strict=True)):
            target[...] = _as_finite_array(value, target.shape, f"{key}[{i}]")
    return model


def mlp_from_sklearn(clf: Any) -> MLP:
    """Copy a fitted ``MLPClassifier``'s weights; its ``predict_proba`` is reproduced exactly.

    scikit-learn stores ``coefs_[i]`` as (fan_in, fan_out) and ``intercepts_[i]`` as (fan_out,),
    the same convention as ``MLP``; a binary classifier has one logistic output unit and a
    K-class one K softmax units, again as here. Multi-label classifiers are not supported.
    """
    if not hasattr(clf, "coefs_"):
        raise ValueError("the classifier is not fitted (it has no coefs_)")
    if clf.activation not in _SKLEARN_ACTIVATIONS:
        raise ValueError(f"unsupported scikit-learn activation {clf.activation!r}")
    expected_output = "logistic" if clf.n_outputs_ == 1 else "softmax"
    if clf.out_activation_ != expected_output:
        raise ValueError(f"unsupported output {clf.out_activation_!r} (multi-label classifier?)")
    layer_sizes = [clf.coefs_[0].shape[0]] + [W.shape[1] for W in clf.coefs_]
    model = _blank(layer_sizes, _SKLEARN_ACTIVATIONS[clf.activation])
    for W, b, W_sk, b_sk in zip(
        model.weights, model.biases, clf.coefs_, clf.intercepts_, strict=True
    ):
        W[...] = W_sk
        b[...] = b_sk
    return model

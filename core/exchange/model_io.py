"""Moving models in and out: plain dicts (for JSON) and scikit-learn's MLPClassifier.

The dict format holds names and nested lists of Python floats only, so ``json.dumps`` can write
it and nothing needs ``eval`` or pickle to read it back. Python floats round-trip float64
exactly through JSON, so a saved model predicts bit for bit what the original did.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from core.data.features import FEATURES
from core.exchange.echo import shown
from core.nn.activations import ACTIVATIONS
from core.nn.losses import OUTPUTS
from core.nn.network import MAX_OUTPUTS, MLP
from core.nn.training import EXPLODED

__all__ = [
    "FORMAT",
    "PAGE_LIMITS",
    "ModelLimits",
    "mlp_from_dict",
    "mlp_from_sklearn",
    "mlp_to_dict",
]

FORMAT = "spacewarp.mlp"
VERSION = 1
_SKLEARN_ACTIVATIONS = {
    "identity": "identity",
    "logistic": "sigmoid",
    "tanh": "tanh",
    "relu": "relu",
}


@dataclass(frozen=True)
class ModelLimits:
    """The largest model a reader accepts, checked before anything is allocated.

    The defaults are the Transform page's caps: ``core.settings.TRANSFORM_MAX_LAYERS`` hidden
    layers of up to ``core.settings.TRANSFORM_MAX_WIDTH`` units (settings sits above this layer,
    so the numbers are repeated here; a test keeps them equal), one input per feature of
    ``core.data.features.FEATURES`` and up to 10 outputs. ``max_abs`` bounds every weight and
    bias: beyond ``core.nn.training.EXPLODED`` the trainer calls a run diverged.
    """

    max_hidden_layers: int = 8
    max_width: int = 16
    max_inputs: int = len(FEATURES)
    max_outputs: int = MAX_OUTPUTS
    max_abs: float = EXPLODED


PAGE_LIMITS = ModelLimits()


def mlp_to_dict(model: MLP) -> dict[str, Any]:
    """``{"format", "version", "layer_sizes", "activation", "weights", "biases"}``, and
    ``"output": "values"`` for a regression network (a classifier's file is as before)."""
    data = {
        "format": FORMAT,
        "version": VERSION,
        "layer_sizes": list(model.layer_sizes),
        "activation": model.activation.name,
        "weights": [W.tolist() for W in model.weights],
        "biases": [b.tolist() for b in model.biases],
    }
    if model.regression:
        data["output"] = model.output
    return data


def _output(data: dict) -> str:
    output = data.get("output", "classes")
    if output not in OUTPUTS:
        raise ValueError(f"output must be one of {', '.join(OUTPUTS)}, got {shown(output)}")
    return output


def _blank(layer_sizes: Any, activation: str, output: str = "classes") -> MLP:
    model = MLP(layer_sizes, activation, init="normal", seed=0, output=output)
    model.params[...] = 0.0
    return model


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)  # JSON true is not 1


def _check_header(data: Any) -> str:
    """Format, version, keys and activation; returns the activation's name."""
    if not isinstance(data, dict):
        raise ValueError(f"a model must be a JSON object, got {type(data).__name__}")
    if data.get("format") != FORMAT:
        raise ValueError(
            f"not a Spacewarp model: format is {shown(data.get('format'))}, not {FORMAT!r}"
        )
    version = data.get("version", VERSION)
    if not _is_int(version) or version != VERSION:
        raise ValueError(f"model version {shown(version)} cannot be read; this app reads {VERSION}")
    missing = [k for k in ("layer_sizes", "activation", "weights", "biases") if k not in data]
    if missing:
        raise ValueError(f"model is missing {', '.join(missing)}")
    activation = data["activation"]
    if not isinstance(activation, str) or activation not in ACTIVATIONS:
        raise ValueError(
            f"unknown activation {shown(activation)}; choose one of: {', '.join(ACTIVATIONS)}"
        )
    return activation


def _check_layer_sizes(sizes: Any, limits: ModelLimits) -> tuple[int, ...]:
    """Whole numbers within the limits; the list's length is checked before its items."""
    if not isinstance(sizes, list) or len(sizes) < 2:
        raise ValueError(f"layer_sizes must be a list such as [2, 8, 1], got {shown(sizes)}")
    if len(sizes) - 2 > limits.max_hidden_layers:
        raise ValueError(
            f"layer_sizes has {len(sizes) - 2:,} hidden layers; at most "
            f"{limits.max_hidden_layers} are allowed"
        )
    for i, size in enumerate(sizes):
        if not _is_int(size):
            raise ValueError(f"layer_sizes[{i}] must be a whole number, got {shown(size)}")
    ranges = [("input size", limits.max_inputs)]
    ranges += [("width", limits.max_width)] * (len(sizes) - 2) + [
        ("output size", limits.max_outputs)
    ]
    for i, (size, (what, upper)) in enumerate(zip(sizes, ranges, strict=True)):
        if not 1 <= size <= upper:
            raise ValueError(f"{what} must be 1..{upper}, got {shown(size)} (layer_sizes[{i}])")
    return tuple(sizes)


def _check_number(value: Any, where: str, max_abs: float) -> None:
    if not (_is_int(value) or isinstance(value, float)):
        raise ValueError(f"{where} must be a number, got {shown(value)}")
    try:
        number = float(value)
    except OverflowError:  # an integer beyond float64 (more than 308 digits)
        raise ValueError(f"{where} is {shown(value)}, too large for a weight") from None
    if not math.isfinite(number):
        raise ValueError(f"{where} is {shown(value)}: a model holds finite numbers only")
    if abs(number) > max_abs:
        raise ValueError(f"{where} is {number:g}; weights and biases must be within ±{max_abs:g}")


def _check_nested(value: Any, shape: tuple[int, ...], where: str, max_abs: float) -> None:
    """``value`` is nested lists of ``shape`` holding numbers (checked before NumPy sees it)."""
    if not shape:
        _check_number(value, where, max_abs)
        return
    if not isinstance(value, list):
        raise _Shape(f"{where} is {shown(value)}, not a list")
    if len(value) != shape[0]:
        raise _Shape(f"{where} has {len(value):,} item{'s' * (len(value) != 1)}, not {shape[0]}")
    for i, item in enumerate(value):
        _check_nested(item, shape[1:], f"{where}[{i}]", max_abs)


class _Shape(ValueError):
    """A nesting mismatch; reported with the shape the whole array must have."""


def _arrays(data: dict, key: str, shapes: list[tuple[int, ...]], max_abs: float) -> list:
    values = data[key]
    if not isinstance(values, list) or len(values) != len(shapes):
        raise ValueError(f"{key} must be a list of {len(shapes)} layers")
    for i, (value, shape) in enumerate(zip(values, shapes, strict=True)):
        try:
            _check_nested(value, shape, f"{key}[{i}]", max_abs)
        except _Shape as error:
            raise ValueError(f"{key}[{i}] must have shape {shape}; {error}") from None
    return [np.array(value, dtype=float) for value in values]


def mlp_from_dict(data: Any, limits: ModelLimits = PAGE_LIMITS) -> MLP:
    """Rebuild an ``MLP`` from ``mlp_to_dict`` output, validating everything first.

    Parameters
    ----------
    data : Any
        Usually ``json.loads`` of an upload: nothing about it is trusted. Every size and every
        number is checked (types, ranges, nesting) before the network is allocated, so a
        300-byte file cannot ask for gigabytes.
    limits : ModelLimits
        The largest model accepted; the Transform page's caps by default.

    Returns
    -------
    MLP
        Predicts bit for bit what the saved model did.

    Raises
    ------
    ValueError
        Naming the first thing that is wrong (values in it cut to a few dozen characters).
    """
    activation = _check_header(data)
    sizes = _check_layer_sizes(data["layer_sizes"], limits)
    pairs = list(zip(sizes[:-1], sizes[1:], strict=True))
    weights = _arrays(data, "weights", list(pairs), limits.max_abs)
    biases = _arrays(data, "biases", [(fan_out,) for _, fan_out in pairs], limits.max_abs)
    model = _blank(sizes, activation, _output(data))
    for target, value in zip(model.weights + model.biases, weights + biases, strict=True):
        target[...] = value
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

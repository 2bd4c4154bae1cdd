"""Loss functions, computed from logits so they stay finite for any finite input.

Every loss takes the output layer's pre-activations (logits, shape (n_samples, n_outputs)) and a
target matrix of the same shape (a 0/1 column for binary, one-hot rows for K classes), and
returns the mean loss and its gradient with respect to the logits. For classes the output
nonlinearity is fixed by the width: one unit → sigmoid, K ≥ 2 → softmax (see
``activations.output_activation``). Working from logits avoids log(0): log σ(z) = −softplus(−z),
log softmax(z) = z − logsumexp(z). A regression network's output unit is linear (the logits are
the fitted values) and its loss is ``squared``: the mean squared error, whose square root is the
RMSE.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from core.nn.activations import sigmoid, softmax, softplus

__all__ = [
    "LOSSES",
    "OUTPUTS",
    "Loss",
    "default_loss",
    "get_loss",
    "one_hot_targets",
    "output_probabilities",
    "regression_targets",
]
OUTPUTS = ("classes", "values")  # what an output layer predicts: class probabilities, or values

Array = np.ndarray
_MAXIMUM, _MINIMUM = np.maximum.reduce, np.minimum.reduce


@dataclass(frozen=True)
class Loss:
    """A loss: ``value(logits, targets) -> mean loss`` and ``value_and_grad(logits, targets,
    probabilities=None) -> (mean loss, dL/dlogits)``.

    ``probabilities`` is ``output_probabilities(logits)`` when the caller already has it (the
    forward pass's output layer): losses whose gradient reads it reuse it instead of computing
    it again. ``value`` alone skips the gradient (test-set metrics need no gradient), and also
    takes a stack of logits (n_stack, n_samples, n_outputs): then one mean loss per slice.

    ``bound(logits, targets)`` is a cheap upper bound on the mean loss, from the logits' range
    alone (two reductions; NaN or inf when the logits are not finite), and ``gradient`` the
    gradient of ``value_and_grad`` bit for bit without the value: a training epoch whose loss
    nobody reads only needs to know it is below the divergence threshold (``None``: no cheap
    bound, the value is computed).
    """

    name: str
    label: str
    value: Callable[[Array, Array], float | Array]
    value_and_grad: Callable[..., tuple[float, Array]]
    n_outputs_allowed: Callable[[int], bool]
    bound: Callable[[Array, Array], float] | None = None
    gradient: Callable[..., Array] | None = None


def output_probabilities(logits: Array) -> Array:
    """Apply the output nonlinearity: sigmoid for one column, softmax for several."""
    return sigmoid(logits) if logits.shape[-1] == 1 else softmax(logits)


def one_hot_targets(y: Array, n_outputs: int) -> Array:
    """Integer labels (n_samples,) → targets (n_samples, n_outputs) as the losses expect."""
    y = np.asarray(y)
    if n_outputs == 1:
        return y.reshape(-1, 1).astype(float)
    targets = np.zeros((y.shape[0], n_outputs))
    targets[np.arange(y.shape[0]), y.astype(int)] = 1.0
    return targets


def regression_targets(y: Array) -> Array:
    """Continuous targets (n_samples,) → a column (n_samples, 1) as the ``squared`` loss expects."""
    return np.asarray(y, dtype=float).reshape(-1, 1)


def _mean_over_samples(terms: Array) -> float | Array:
    """Σ over samples and outputs / n_samples: a float for (n_samples, n_outputs) terms, and
    for a stack (n_stack, n_samples, n_outputs) one value per slice, each equal bit for bit to
    that slice's float (a value function takes either)."""
    if terms.ndim == 2:
        return float(terms.sum()) / terms.shape[0]  # the method: np.sum's wrapper costs more
    return np.sum(terms, axis=(-2, -1)) / terms.shape[-2]


def _squared_error_value(values: Array, targets: Array) -> float | Array:
    # Mean over samples of Σ (z − t)² over outputs, on the linear outputs themselves.
    diff = values - targets
    return _mean_over_samples(diff * diff)


def _squared_error(
    values: Array, targets: Array, _probabilities: Array | None = None
) -> tuple[float, Array]:
    # The gradient is 2 (z − t) / n, with no squashing in between.
    diff, n_samples = values - targets, values.shape[0]
    return float(np.sum(diff * diff)) / n_samples, 2.0 * diff / n_samples


def _binary_cross_entropy_value(logits: Array, targets: Array) -> float | Array:
    # −[y log σ(z) + (1−y) log(1−σ(z))] = softplus(z) − y·z, exact and overflow-free.
    return _mean_over_samples(softplus(logits) - targets * logits)


def _binary_cross_entropy(
    logits: Array, targets: Array, probabilities: Array | None = None
) -> tuple[float, Array]:
    value = _binary_cross_entropy_value(logits, targets)
    return value, _binary_cross_entropy_gradient(logits, targets, probabilities)


def _binary_cross_entropy_gradient(
    logits: Array, targets: Array, probabilities: Array | None = None
) -> Array:
    probabilities = sigmoid(logits) if probabilities is None else probabilities
    return (probabilities - targets) / logits.shape[0]


def _range(logits: Array) -> tuple[float, float]:
    # The ufuncs' own reductions: the ndarray methods' Python wrappers cost as much again.
    return _MAXIMUM(logits, axis=None), _MINIMUM(logits, axis=None)


def _binary_cross_entropy_bound(logits: Array, _targets: Array) -> float:
    # A term is softplus(z) or softplus(−z) (targets 0 or 1), at most |z| + log 2; the margin
    # of 1 > log 2 covers rounding. abs + abs, not max(): a NaN must come through.
    high, low = _range(logits)
    return abs(high) + abs(low) + 1.0


def _log_softmax(logits: Array) -> Array:
    shifted = logits - logits.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def _categorical_cross_entropy_value(logits: Array, targets: Array) -> float | Array:
    if logits.shape[-1] == 1:  # one unit is the two-class case: the same as binary CE
        return _binary_cross_entropy_value(logits, targets)
    return -_mean_over_samples(targets * _log_softmax(logits))


def _categorical_cross_entropy(
    logits: Array, targets: Array, probabilities: Array | None = None
) -> tuple[float, Array]:
    if logits.shape[1] == 1:
        return _binary_cross_entropy(logits, targets, probabilities)
    # The gradient is exp(log-softmax) − targets, from the same log-probabilities as the value
    # (the forward pass's softmax is the same to rounding, not bit for bit).
    n_samples, log_probs = logits.shape[0], _log_softmax(logits)
    value = -float(np.sum(targets * log_probs)) / n_samples
    return value, (np.exp(log_probs) - targets) / n_samples


def _categorical_cross_entropy_gradient(
    logits: Array, targets: Array, probabilities: Array | None = None
) -> Array:
    if logits.shape[1] == 1:
        return _binary_cross_entropy_gradient(logits, targets, probabilities)
    return (np.exp(_log_softmax(logits)) - targets) / logits.shape[0]


def _categorical_cross_entropy_bound(logits: Array, _targets: Array) -> float:
    # −log softmax(z)_k = logsumexp(z) − z_k ≤ max z + log K − min z; the binary case's bound
    # for one unit. The margin of 1 covers rounding.
    if logits.shape[1] == 1:
        return _binary_cross_entropy_bound(logits, _targets)
    high, low = _range(logits)
    return high - low + math.log(logits.shape[1]) + 1.0


def _mean_squared_error_value(logits: Array, targets: Array) -> float | Array:
    # Squared error on the probabilities, summed over outputs, averaged over samples.
    diff = output_probabilities(logits) - targets
    return _mean_over_samples(diff * diff)


def _mean_squared_error(
    logits: Array, targets: Array, probabilities: Array | None = None
) -> tuple[float, Array]:
    n_samples = logits.shape[0]
    probs = output_probabilities(logits) if probabilities is None else probabilities
    diff = probs - targets
    value = float(np.sum(diff * diff)) / n_samples
    grad_probs = 2.0 * diff / n_samples
    if logits.shape[1] == 1:
        return value, grad_probs * probs * (1.0 - probs)
    # Softmax Jacobian-vector product: p ⊙ (g − ⟨g, p⟩).
    return value, probs * (grad_probs - np.sum(grad_probs * probs, axis=1, keepdims=True))


LOSSES: dict[str, Loss] = {
    loss.name: loss
    for loss in [
        Loss(
            "binary_cross_entropy",
            "binary cross-entropy",
            _binary_cross_entropy_value,
            _binary_cross_entropy,
            lambda n_outputs: n_outputs == 1,
            _binary_cross_entropy_bound,
            _binary_cross_entropy_gradient,
        ),
        Loss(
            "categorical_cross_entropy",
            "categorical cross-entropy",
            _categorical_cross_entropy_value,
            _categorical_cross_entropy,
            lambda n_outputs: n_outputs >= 1,
            _categorical_cross_entropy_bound,
            _categorical_cross_entropy_gradient,
        ),
        Loss(
            "mse",
            "mean squared error",
            _mean_squared_error_value,
            _mean_squared_error,
            lambda n_outputs: n_outputs >= 1,
        ),
        # For a linear output unit (regression): the squared error of the values themselves.
        Loss(
            "squared",
            "squared error",
            _squared_error_value,
            _squared_error,
            lambda n_outputs: n_outputs >= 1,
        ),
    ]
}


def default_loss(n_outputs: int, output: str = "classes") -> str:
    """Cross-entropy matching the output layer (binary for one unit, categorical otherwise);
    the squared error for a linear output (``output="values"``)."""
    if output == "values":
        return "squared"
    return "binary_cross_entropy" if n_outputs == 1 else "categorical_cross_entropy"


def get_loss(name: str) -> Loss:
    """Look up a loss by registry key, with an error that lists the valid keys."""
    try:
        return LOSSES[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown loss {name!r}; choose one of: {', '.join(LOSSES)}") from None

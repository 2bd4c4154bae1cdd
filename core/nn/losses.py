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


@dataclass(frozen=True)
class Loss:
    """A loss: ``value_and_grad(logits, targets) -> (mean loss, dL/dlogits)``."""

    name: str
    label: str
    value_and_grad: Callable[[Array, Array], tuple[float, Array]]
    n_outputs_allowed: Callable[[int], bool]

    def value(self, logits: Array, targets: Array) -> float:
        """Mean loss over samples."""
        return self.value_and_grad(logits, targets)[0]


def output_probabilities(logits: Array) -> Array:
    """Apply the output nonlinearity: sigmoid for one column, softmax for several."""
    return sigmoid(logits) if logits.shape[1] == 1 else softmax(logits)


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


def _squared_error(values: Array, targets: Array) -> tuple[float, Array]:
    # Mean over samples of Σ (z − t)² over outputs, on the linear outputs themselves:
    # the gradient is 2 (z − t) / n, with no squashing in between.
    diff = values - targets
    n_samples = values.shape[0]
    return float(np.sum(diff * diff)) / n_samples, 2.0 * diff / n_samples


def _binary_cross_entropy(logits: Array, targets: Array) -> tuple[float, Array]:
    n_samples = logits.shape[0]
    # −[y log σ(z) + (1−y) log(1−σ(z))] = softplus(z) − y·z, exact and overflow-free.
    value = float(np.sum(softplus(logits) - targets * logits)) / n_samples
    return value, (sigmoid(logits) - targets) / n_samples


def _categorical_cross_entropy(logits: Array, targets: Array) -> tuple[float, Array]:
    if logits.shape[1] == 1:  # one unit is the two-class case: the same as binary CE
        return _binary_cross_entropy(logits, targets)
    n_samples = logits.shape[0]
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_norm = np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    log_probs = shifted - log_norm
    value = -float(np.sum(targets * log_probs)) / n_samples
    return value, (np.exp(log_probs) - targets) / n_samples


def _mean_squared_error(logits: Array, targets: Array) -> tuple[float, Array]:
    # Squared error on the probabilities, summed over outputs, averaged over samples.
    n_samples = logits.shape[0]
    probs = output_probabilities(logits)
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
            _binary_cross_entropy,
            lambda n_outputs: n_outputs == 1,
        ),
        Loss(
            "categorical_cross_entropy",
            "categorical cross-entropy",
            _categorical_cross_entropy,
            lambda n_outputs: n_outputs >= 1,
        ),
        Loss("mse", "mean squared error", _mean_squared_error, lambda n_outputs: n_outputs >= 1),
        # For a linear output unit (regression): the squared error of the values themselves.
        Loss("squared", "squared error", _squared_error, lambda n_outputs: n_outputs >= 1),
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

"""Linear probes: how linearly separable each layer has made the classes.

A network classifies by drawing one hyperplane through its last hidden representation, so the
hidden layers' job is to move the classes until such a plane exists. A linear probe measures
that directly: fit a nearly unregularised linear classifier to a layer's activations and report
its training accuracy (Alain & Bengio, "Understanding intermediate layers using linear
classifier probes", 2016). 1.0 means some hyperplane separates the classes perfectly there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from core.data.features import fit_logistic

__all__ = [
    "SEPARABLE",
    "first_separable_epochs",
    "layer_representations",
    "layer_separability",
    "linear_probe_accuracy",
    "topology_obstruction",
]

Array = np.ndarray
SEPARABLE = 0.99  # probe accuracy from which a layer counts as linearly separable


def linear_probe_accuracy(features: Any, y: Any) -> float:
    """Training accuracy of a weakly regularised linear classifier on ``features``.

    Parameters
    ----------
    features : array_like of shape (n_samples, n_features)
        One layer's representation of the samples; standardised here.
    y : array_like of shape (n_samples,)
        Class labels.

    Returns
    -------
    float
        Accuracy in [0, 1]; 1.0 when only one class is present; NaN when a feature is NaN or
        infinite (a diverged network).
    """
    features = np.asarray(features, dtype=float)
    y = np.asarray(y)
    if features.ndim != 2 or y.shape != (len(features),):
        raise ValueError(
            f"need features (n_samples, n_features) and y (n_samples,), "
            f"got {features.shape} and {y.shape}"
        )
    if not np.isfinite(features).all():
        return float("nan")
    if len(np.unique(y)) < 2:
        return 1.0
    return float(np.mean(fit_logistic(features, y).predict(features) == y))


def layer_separability(model: Any, X: Any, y: Any) -> list[float]:
    """Probe accuracy of the input and of every hidden layer, from one traced forward pass.

    Parameters
    ----------
    model : MLP
    X : array_like of shape (n_samples, n_inputs)
    y : array_like of shape (n_samples,)

    Returns
    -------
    list of float
        ``[input, hidden 1, …, hidden L]``, length 1 + number of hidden layers.
    """
    return [linear_probe_accuracy(features, y) for features in layer_representations(model, X)]


def layer_representations(model: Any, X: Any) -> list[Any]:
    """The input and every hidden layer's activations, (n_samples, width) each, from one
    traced forward pass: what the per-layer probes read."""
    trace = model.forward(X, return_trace=True)
    return [trace[0].inputs] + [layer.a for layer in trace[:-1]]


def first_separable_epochs(
    previous: Mapping[int, int], accuracies: Sequence[float], epoch: int
) -> dict[int, int]:
    """Per layer, the first epoch whose probe accuracy reached ``SEPARABLE``.

    Parameters
    ----------
    previous : mapping of layer index → epoch
        What was recorded so far (empty to start).
    accuracies : sequence of float
        This epoch's ``layer_separability``; NaN never counts as separable.
    epoch : int
        The epoch the accuracies were measured at.

    Returns
    -------
    dict of layer index → epoch
        A new dict: ``previous``, plus ``epoch`` for every layer separable now and not yet
        recorded. A layer that later loses separability keeps its first epoch.
    """
    first = dict(previous)
    for layer, accuracy in enumerate(accuracies):
        if accuracy >= SEPARABLE:
            first.setdefault(layer, epoch)
    return first


def topology_obstruction(dataset_name: str, hidden_widths: Sequence[int]) -> str | None:
    """Explain why the layers are too narrow to separate nested circles, if they are.

    Parameters
    ----------
    dataset_name : str
        A key of ``core.data.datasets.DATASETS``; only ``"circles"`` has the obstruction.
    hidden_widths : sequence of int
        Units per hidden layer (may be empty).

    Returns
    -------
    str or None
        A plain-language sentence when every hidden layer has at most 2 units and the data are
        nested circles; None otherwise.
    """
    widths = [int(width) for width in hidden_widths]
    if dataset_name != "circles" or any(width > 2 for width in widths):
        return None
    remedy = (
        "Adding a third unit to a hidden layer lets the network lift the inner circle out "
        "through the third dimension."
        if widths
        else "A hidden layer with three units can lift the inner circle out through the third "
        "dimension."
    )
    return (
        "A network whose layers are at most 2 units wide can only stretch and fold the plane "
        "continuously, so it cannot pull the inner circle out of the outer one: some point of "
        "the ring always stays on the inner circle's side of the final line (Olah, \"Neural "
        f'Networks, Manifolds, and Topology", 2014). {remedy}'
    )

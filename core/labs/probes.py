"""Linear probes: how linearly separable each layer has made the classes.

A network classifies by drawing one hyperplane through its last hidden representation, so the
hidden layers' job is to move the classes until such a plane exists. A linear probe measures
that directly: fit a nearly unregularised linear classifier to a layer's activations and report
its training accuracy (Alain & Bengio, "Understanding intermediate layers using linear
classifier probes", 2016). 1.0 means some hyperplane separates the classes perfectly there.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy.linalg import LinAlgWarning
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression

__all__ = [
    "SEPARABLE",
    "first_separable_epochs",
    "layer_separability",
    "linear_probe_accuracy",
    "topology_obstruction",
]

Array = np.ndarray
SEPARABLE = 0.99  # probe accuracy from which a layer counts as linearly separable
# C = 1e4 is weak enough regularisation to find a separating plane with a small margin, yet
# keeps the problem strictly convex so Newton's method converges in a few steps. Measured on
# 250 x 8 hidden activations of trained nets: 2-7 ms per fit, and 1.0 on every layer an exact
# LP test calls separable (barring margins near float precision). lbfgs was 2-4x slower;
# LinearSVC's one-vs-rest missed separable multiclass layers.
PROBE_C = 1e4
PROBE_MAX_ITER = 100


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
    spread = features.std(axis=0)
    # A constant feature carries no information; dividing by 1 keeps it at 0 instead of NaN.
    standardised = (features - features.mean(axis=0)) / np.where(spread > 0, spread, 1.0)
    probe = LogisticRegression(C=PROBE_C, solver="newton-cholesky", max_iter=PROBE_MAX_ITER)
    with warnings.catch_warnings():
        # Separable data push the weights outwards for ever; stopping early is fine because
        # only the predicted labels matter, not the converged weights.
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", LinAlgWarning)
        probe.fit(standardised, y)
    return float(np.mean(probe.predict(standardised) == y))


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
    trace = model.forward(X, return_trace=True)
    representations = [trace[0].inputs] + [layer.a for layer in trace[:-1]]
    return [linear_probe_accuracy(features, y) for features in representations]


def first_separable_epochs(
    previous: Sequence[int | None] | None, accuracies: Sequence[float], epoch: int
) -> list[int | None]:
    """Update, per layer, the first epoch whose probe accuracy reached ``SEPARABLE``.

    Parameters
    ----------
    previous : sequence of (int or None), or None
        The last result (None to start); restarted when its length differs from
        ``accuracies`` (the architecture changed).
    accuracies : sequence of float
        This epoch's ``layer_separability``; NaN never counts as separable.
    epoch : int
        The epoch the accuracies were measured at.

    Returns
    -------
    list of (int or None)
        A new list: the earlier epoch where one was recorded, else ``epoch`` where the layer is
        separable now, else None. A layer that later loses separability keeps its first epoch.
    """
    if previous is None or len(previous) != len(accuracies):
        previous = [None] * len(accuracies)
    return [
        first if first is not None else (epoch if accuracy >= SEPARABLE else None)
        for first, accuracy in zip(previous, accuracies, strict=True)
    ]


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

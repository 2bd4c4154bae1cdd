"""Regression through the layers: fitted values per point and how linearly predictable each
representation makes the target.

For a classifier the last question is whether a layer made the classes linearly separable
(``core.labs.probes``); for a regression network the output unit is linear, so the question is
whether the target became a linear function of the last representation: "linearly predictable".
``layer_predictability`` answers it per layer with a least-squares probe (R² of the best affine
fit), and ``fitted_stage`` gives the last representation with the network's own fitted value at
every point, what the layer-by-layer view colours the last stage by. Everything reads the
model's one traced forward pass.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from core.labs.probes import layer_representations

__all__ = [
    "PREDICTABLE",
    "fitted_stage",
    "fitted_values",
    "layer_predictability",
    "plane_of",
    "probe_r2",
]

Array = np.ndarray
PREDICTABLE = 0.99  # probe R² from which a layer counts as linearly predictable


def fitted_values(model: Any, X: Any) -> Array:
    """The network's fitted value (n_samples,) at each point of X (its first output)."""
    return np.asarray(model.forward(X))[:, 0]


def fitted_stage(model: Any, X: Any) -> tuple[Array, Array]:
    """The last representation and the fitted value at each point.

    Parameters
    ----------
    model : MLP (or LiftedModel) with a linear output
    X : array_like (n_samples, n_inputs)

    Returns
    -------
    representation : ndarray (n_samples, width)
        What the output unit reads: the last hidden layer's activations (the inputs when there
        is no hidden layer).
    values : ndarray (n_samples,)
        The output unit's affine function of ``representation``: the fitted value.
    """
    trace = model.forward(X, return_trace=True)
    return trace[-1].inputs, trace[-1].z[:, 0].copy()


def plane_of(representation: Any) -> tuple[Array, str]:
    """A representation (n, k) as points of a plane (n, 2), and what the axes are.

    Two units are drawn as they are; one unit along the first axis (the second is 0); wider
    layers on their two principal axes (the plane of largest spread, centred on the mean).
    """
    points = np.asarray(representation, dtype=float)
    width = points.shape[1]
    if width == 2:
        return points.copy(), "units 1 and 2"
    if width == 1:
        return np.column_stack([points[:, 0], np.zeros(len(points))]), "unit 1 (one unit)"
    centred = points - points.mean(axis=0)
    _, _, axes = np.linalg.svd(centred, full_matrices=False)
    return centred @ axes[:2].T, f"principal axes 1 and 2 of {width} units"


def probe_r2(features: Any, y: Any) -> float:
    """R² of the least-squares affine fit of targets y (n,) on features (n, k); 1 is exact,
    nan for constant targets."""
    features, y = np.asarray(features, dtype=float), np.asarray(y, dtype=float)
    design = np.column_stack([features, np.ones(len(y))])
    coefficients, *_ = np.linalg.lstsq(design, y, rcond=None)
    sse = float(np.sum((design @ coefficients - y) ** 2))
    sst = float(np.sum((y - y.mean()) ** 2))
    return 1.0 - sse / sst if sst > 0 else float("nan")


def layer_predictability(model: Any, X: Any, y: Any) -> list[float]:
    """Probe R² of the input and of every hidden layer, from one traced forward pass.

    Returns
    -------
    list of float
        ``[input, hidden 1, …, hidden L]``, length 1 + number of hidden layers.
    """
    return [probe_r2(features, y) for features in layer_representations(model, X)]

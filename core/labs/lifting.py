"""Lifting by hand: a linear model (no hidden layer) on x₁, x₂ plus features picked by hand.

With the right extra feature a problem that needs hidden layers in the plane becomes linear
(the circles are split by a plane in (x₁, x₂, x₁² + x₂²)). ``fit_lifted`` draws the dataset,
fits the weakly regularised linear classifier ``core.data.features.fit_linear_model`` finds and
scores it on the same points: the question is whether a separating plane *exists*, not how well
it generalises.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core.data.datasets import make_dataset
from core.data.features import DEFAULT_FEATURES, LiftedModel, fit_linear_model
from core.data.splits import data_extent
from core.nn.metrics import accuracy

__all__ = ["LinearLift", "fit_lifted"]


@dataclass(frozen=True)
class LinearLift:
    """The data, the fitted linear model and how much of the data it classifies right."""

    X: np.ndarray  # (n_samples, 2), points of the plane
    y: np.ndarray  # (n_samples,) labels 0..K-1
    model: LiftedModel  # reads x1, x2 and the extra features
    extent: tuple[float, float, float, float]
    accuracy: float  # on the points it was fitted to


def fit_lifted(
    dataset: str, n_samples: int, noise: float, seed: int, features: Sequence[str]
) -> LinearLift:
    """Fit the linear model on x₁, x₂ and ``features`` to a drawn dataset and score it.

    Parameters
    ----------
    dataset : str
        A key of ``core.data.datasets.DATASETS``.
    n_samples, noise, seed
        As for ``make_dataset``.
    features : sequence of str
        Extra inputs beside x1 and x2 (keys of ``FEATURES``); empty for a straight line.

    Returns
    -------
    LinearLift
    """
    X, y = make_dataset(dataset, n_samples, noise, seed)
    extra = tuple(name for name in features if name not in DEFAULT_FEATURES)
    model = fit_linear_model(X, y, (*DEFAULT_FEATURES, *extra))
    return LinearLift(X, y, model, data_extent(X), accuracy(model.forward(X), y))

"""Splitting a drawn dataset, and the box its pictures cover.

``train_test_split`` divides ``(X, y)`` from ``core.data.datasets.make_dataset`` into training
and test parts (stratified by class; float targets, a regression's, at random);
``data_extent`` is the square bounding box that grids and heatmaps of the points cover. Drawing
the datasets themselves is ``core.data.datasets``'s job.
"""

from __future__ import annotations

import math

import numpy as np

from core.data.datasets import _is_real  # one rule for what counts as a number, every slider

__all__ = ["data_extent", "train_test_split"]

Array = np.ndarray

TRAIN_SHARE_RANGE = (0.1, 0.9)
MIN_EXTENT = 1.2


def _train_counts(class_counts: Array, train_share: float) -> Array:
    """Split ``round(n * train_share)`` over classes by largest remainder, >= 1 each side."""
    ideal = class_counts * train_share
    counts = np.floor(ideal).astype(np.int64)
    shortfall = int(round(class_counts.sum() * train_share)) - int(counts.sum())
    counts[np.argsort(-(ideal - counts), kind="stable")[:shortfall]] += 1
    return np.clip(counts, 1, class_counts - 1)


def train_test_split(
    X: Array, y: Array, train_share: float = 0.5, seed: int = 0
) -> tuple[Array, Array, Array, Array]:
    """Stratified random split: every class appears in both parts in proportion (float
    targets, a regression's, are split at random).

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
        Integer class labels; every class needs at least two samples.
    train_share : float
        Fraction of the samples (of each class) that goes to training, 0.1..0.9.
    seed : int
        Seed for the per-class permutations.

    Returns
    -------
    X_train : ndarray of shape (n_train, n_features)
    X_test : ndarray of shape (n_samples - n_train, n_features)
    y_train : ndarray of shape (n_train,)
    y_test : ndarray of shape (n_samples - n_train,)
        In scikit-learn's order; each part is shuffled, so classes are interleaved.
    """
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim != 2 or y.shape != (len(X),):
        raise ValueError(
            f"need X (n_samples, n_features) and y (n_samples,), got {X.shape}, {y.shape}"
        )
    low, high = TRAIN_SHARE_RANGE
    if not _is_real(train_share) or not low <= train_share <= high:
        raise ValueError(f"train_share must be {low}..{high}, got {train_share!r}")
    if y.dtype.kind == "f":  # continuous targets: no classes to stratify by
        order = np.random.default_rng(seed).permutation(len(y))
        n_train = min(max(int(round(len(y) * train_share)), 1), len(y) - 1)
        train, test = order[:n_train], order[n_train:]
        return X[train], X[test], y[train], y[test]
    classes, class_counts = np.unique(y, return_counts=True)
    if (class_counts < 2).any():
        rare = classes[class_counts < 2].tolist()
        raise ValueError(f"every class needs at least 2 samples to split; classes {rare} have 1")
    rng = np.random.default_rng(seed)
    train_parts, test_parts = [], []
    n_trains = _train_counts(class_counts, float(train_share))
    for label, n_train in zip(classes, n_trains, strict=True):
        members = rng.permutation(np.flatnonzero(y == label))
        train_parts.append(members[:n_train])
        test_parts.append(members[n_train:])
    train = rng.permutation(np.concatenate(train_parts))
    test = rng.permutation(np.concatenate(test_parts))
    return X[train], X[test], y[train], y[test]


def data_extent(X: Array, margin: float = 0.1) -> tuple[float, float, float, float]:
    """Square bounding box ``(x_min, x_max, y_min, y_max)`` for grids and heatmaps.

    Parameters
    ----------
    X : ndarray of shape (n_samples, 2)
        Points to cover; may be empty.
    margin : float
        Padding added beyond the data on every side, in data units (not a fraction).

    Returns
    -------
    tuple of float
        A box covering the data plus ``margin`` and at least [-1.2, 1.2] on both axes; the
        shorter side is widened about its centre so both sides have equal length.
    """
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must have shape (n_samples, 2), got {X.shape}")
    if not np.isfinite(X).all():
        raise ValueError("X must be finite, got NaN or infinite values")
    if not math.isfinite(margin) or margin < 0:
        raise ValueError(f"margin must be finite and >= 0, got {margin!r}")
    low = np.full(2, -MIN_EXTENT)
    high = np.full(2, MIN_EXTENT)
    if len(X):
        low = np.minimum(low, X.min(axis=0) - margin)
        high = np.maximum(high, X.max(axis=0) + margin)
    half = (high - low).max() / 2
    centre = (high + low) / 2
    (x_min, y_min), (x_max, y_max) = centre - half, centre + half
    return float(x_min), float(x_max), float(y_min), float(y_max)

"""Toy 2-D datasets, classification and regression: a registry of generators keyed by name.

Every generator draws its noise-free points inside [-1, 1]^2 (roughly filling it) and then adds
isotropic Gaussian noise with standard deviation ``noise`` in those same units, so one noise
slider means the same thing for every dataset. The noise is always drawn, even when ``noise`` is
0, so for a fixed seed the clean points do not depend on the noise level: raising the slider
only blurs the same picture. Keys double as UI labels and URL values (as in TensorFlow
Playground's ``dataset.ts``); scikit-learn generators are used where they exist. A regression
dataset (``task="regression"``, generators in ``core.data.regression_sets``) has a continuous
target in [-1, 1] instead of labels.

This module only draws datasets (the registry, ``get_dataset``, ``make_dataset``); splitting a
drawn set into training and test parts, and the square box a picture of it covers, are in
``core.data.splits``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np

from core.data.regression_sets import multi_gaussian, plane, sine_ridge

__all__ = [
    "DATASETS",
    "REGRESSION",
    "Dataset",
    "get_dataset",
    "make_dataset",
]

Array = np.ndarray
Rng = np.random.Generator
Labelled = tuple[Array, Array]  # (X (n_samples, 2), y (n_samples,))
Maker = Callable[[int, float, Rng], Labelled]

N_SAMPLES_RANGE = (10, 5000)
NOISE_RANGE = (0.0, 1.0)
XOR_PADDING = 0.06  # Playground's 0.3 on its [-5, 5] domain: a visible cross between classes.
LINEAR_MARGIN = 0.08  # keeps the clean classes strictly separable, with room to spare.
CHECKER_CELLS = 4
CHECKER_PADDING = 0.03
REGRESSION = "regression"  # a Dataset.task: continuous targets, a linear output unit


@dataclass(frozen=True)
class Dataset:
    """One toy dataset.

    ``make(n_samples, noise, rng)`` returns ``X (n_samples, 2) float64`` and
    ``y (n_samples,) int64`` with labels ``0..n_classes-1``, classes as balanced as possible;
    for ``task="regression"`` y is float64, the target value (and ``n_classes`` is 0).
    """

    name: str
    label: str
    n_classes: int
    description: str
    make: Maker
    task: str = "classification"

    @property
    def regression(self) -> bool:
        return self.task == REGRESSION


def _class_counts(n_samples: int, n_classes: int) -> Array:
    """Per-class sample counts, shape ``(n_classes,)``, differing by at most one."""
    return n_samples // n_classes + (np.arange(n_classes) < n_samples % n_classes)


def _sklearn_seed(rng: Rng) -> int:
    return int(rng.integers(2**31 - 1))


def _shuffled(parts: list[Array], rng: Rng) -> Labelled:
    """Stack per-class point arrays into ``(X, y)`` in a random order."""
    X = np.concatenate(parts)
    y = np.concatenate([np.full(len(p), k, dtype=np.int64) for k, p in enumerate(parts)])
    order = rng.permutation(len(y))
    return X[order], y[order]


# scikit-learn is imported where a generator needs it, not with this module: importing it (and
# SciPy with it) took about 2 s of a fresh server, and the default dataset (the spiral) and a
# first visit's first picture need none of it (pages/_ui: ``LATE_IMPORTS``).
def _circles(n_samples: int, rng: Rng) -> Labelled:
    from sklearn.datasets import make_circles

    # Outer circle (label 0) has radius 1 already; inner (label 1) radius 0.5.
    return make_circles(n_samples, factor=0.5, random_state=_sklearn_seed(rng))


def _moons(n_samples: int, rng: Rng) -> Labelled:
    from sklearn.datasets import make_moons

    X, y = make_moons(n_samples, random_state=_sklearn_seed(rng))
    # sklearn's moons span x in [-1, 2], y in [-0.5, 1]; keep the aspect ratio.
    return (X - [0.5, 0.25]) / 1.5, y


def _xor(n_samples: int, rng: Rng) -> Labelled:
    parts = []
    for label, count in enumerate(_class_counts(n_samples, 2)):
        magnitude = XOR_PADDING + (1 - XOR_PADDING) * rng.uniform(size=(count, 2))
        sign_x = rng.choice([-1.0, 1.0], size=count)
        # label 1 where x1 * x2 > 0 (quadrants I and III), label 0 elsewhere.
        sign_y = sign_x if label == 1 else -sign_x
        parts.append(magnitude * np.column_stack([sign_x, sign_y]))
    return _shuffled(parts, rng)


def _linear(n_samples: int, rng: Rng) -> Labelled:
    angle = np.deg2rad(30.0)  # boundary through the origin, tilted 30 degrees from the x-axis
    normal = np.array([-np.sin(angle), np.cos(angle)])
    parts = []
    for label, count in enumerate(_class_counts(n_samples, 2)):
        side = 1.0 if label == 1 else -1.0
        points = np.empty((0, 2))
        while len(points) < count:  # rejection sampling; acceptance is ~45%, so ~1 round
            candidates = rng.uniform(-1, 1, size=(3 * count + 8, 2))
            keep = side * (candidates @ normal) >= LINEAR_MARGIN
            points = np.concatenate([points, candidates[keep]])
        parts.append(points[:count])
    return _shuffled(parts, rng)


def _checkerboard(n_samples: int, rng: Rng) -> Labelled:
    cell = 2.0 / CHECKER_CELLS
    rows, cols = np.divmod(np.arange(CHECKER_CELLS**2), CHECKER_CELLS)
    parts = []
    for label, count in enumerate(_class_counts(n_samples, 2)):
        cells = np.flatnonzero((rows + cols) % 2 == label)
        chosen = rng.choice(cells, size=count)
        corner = np.column_stack([cols[chosen], rows[chosen]]) * cell - 1.0
        offset = CHECKER_PADDING + (cell - 2 * CHECKER_PADDING) * rng.uniform(size=(count, 2))
        parts.append(corner + offset)
    return _shuffled(parts, rng)


def _spiral_arms(n_samples: int, rng: Rng, n_arms: int, turns: float) -> Labelled:
    """Playground-style spiral: on each arm the radius grows linearly with angle, 0 to 1."""
    parts = []
    for arm, count in enumerate(_class_counts(n_samples, n_arms)):
        radius = rng.uniform(size=count)
        theta = 2 * np.pi * (turns * radius + arm / n_arms)
        parts.append(radius[:, None] * np.column_stack([np.sin(theta), np.cos(theta)]))
    return _shuffled(parts, rng)


def _blobs(n_samples: int, rng: Rng, centres: Array, std: float) -> Labelled:
    """``make_blobs`` with every point redrawn until it lies within ``3 * std`` of its centre.

    Truncation (it touches ~1% of points) is what keeps noise-free blobs inside [-1, 1]^2.
    """
    from sklearn.datasets import make_blobs

    counts = _class_counts(n_samples, len(centres))
    X, y = make_blobs(
        counts.tolist(), centers=centres, cluster_std=std, random_state=_sklearn_seed(rng)
    )
    offsets = X - centres[y]
    outside = np.linalg.norm(offsets, axis=1) > 3 * std
    while outside.any():
        offsets[outside] = std * rng.standard_normal((int(outside.sum()), 2))
        outside = np.linalg.norm(offsets, axis=1) > 3 * std
    return centres[y] + offsets, y


def _ring(n_centres: int, radius: float, start_degrees: float) -> Array:
    """Centres evenly spaced on a circle, shape ``(n_centres, 2)``."""
    angles = np.deg2rad(start_degrees) + 2 * np.pi * np.arange(n_centres) / n_centres
    return radius * np.column_stack([np.cos(angles), np.sin(angles)])


def _with_noise(clean: Callable[[int, Rng], Labelled]) -> Maker:
    """Turn a noise-free generator into a ``Dataset.make`` that adds Gaussian noise."""

    def make(n_samples: int, noise: float, rng: Rng) -> Labelled:
        X, y = clean(n_samples, rng)
        X = np.asarray(X, dtype=np.float64) + noise * rng.standard_normal((n_samples, 2))
        y = np.asarray(y)
        return X, (y.astype(np.float64) if y.dtype.kind == "f" else y.astype(np.int64))

    return make


_gaussians = partial(_blobs, centres=np.array([[-0.5, -0.5], [0.5, 0.5]]), std=0.15)
_blobs3 = partial(_blobs, centres=_ring(3, 0.55, 90.0), std=0.14)
_blobs4 = partial(_blobs, centres=_ring(4, 0.68, 45.0), std=0.15)
_blobs5 = partial(_blobs, centres=_ring(5, 0.6, 90.0), std=0.12)
_spiral = partial(_spiral_arms, n_arms=2, turns=1.75)
_spiral3 = partial(_spiral_arms, n_arms=3, turns=1.5)

_TABLE = [
    # name, label, n_classes, noise-free generator, description
    ("circles", "Circles", 2, _circles, "A disc inside a ring (radii 0.5 and 1)."),
    ("moons", "Moons", 2, _moons, "Two interleaving half circles."),
    ("xor", "XOR", 2, _xor, "Four quadrants; the class is the sign of x1 * x2."),
    ("gaussians", "Gaussians", 2, _gaussians, "Two Gaussian blobs on the diagonal."),
    ("spiral", "Spiral", 2, _spiral, "Two interleaved spiral arms of 1.75 turns: hard."),
    ("linear", "Linear", 2, _linear, "Two classes split by a tilted straight line."),
    ("checkerboard", "Checkerboard", 2, _checkerboard, "A 4x4 board of alternating cells."),
    ("blobs3", "3 blobs", 3, _blobs3, "Three Gaussian blobs in a triangle."),
    ("blobs4", "4 blobs", 4, _blobs4, "Four Gaussian blobs in a square."),
    ("blobs5", "5 blobs", 5, _blobs5, "Five Gaussian blobs in a pentagon."),
    ("spiral3", "3-arm spiral", 3, _spiral3, "Three interleaved spiral arms of 1.5 turns."),
]
DATASETS: dict[str, Dataset] = {
    name: Dataset(name, label, n_classes, description, _with_noise(clean))
    for name, label, n_classes, clean, description in _TABLE
}
_REGRESSION_TABLE = [
    ("plane", "Plane (regression)", plane, "The target rises along the diagonal: (x1 + x2) / 2."),
    ("multi_gaussian", "Multi-Gaussian (regression)", multi_gaussian,
     "Six cones of alternating sign; the target is the tallest one under the point."),
    ("sine_ridge", "Sine ridge (regression)", sine_ridge,
     "Parallel ridges and valleys: sin(3 (x1 + x2 / 2))."),
]  # fmt: skip
DATASETS |= {
    name: Dataset(name, label, 0, description, _with_noise(clean), REGRESSION)
    for name, label, clean, description in _REGRESSION_TABLE
}


def get_dataset(name: str) -> Dataset:
    """Look up a dataset by registry key, with an error that lists the known names."""
    try:
        return DATASETS[name]
    except (KeyError, TypeError):  # TypeError: an unhashable name
        known = ", ".join(DATASETS)
        raise ValueError(f"unknown dataset {name!r}; known datasets: {known}") from None


def _is_int(value: object) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool)


def _is_real(value: object) -> bool:
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool)


def make_dataset(name: str, n_samples: int = 500, noise: float = 0.1, seed: int = 0) -> Labelled:
    """Draw a registered dataset reproducibly.

    Parameters
    ----------
    name : str
        A key of ``DATASETS``.
    n_samples : int
        Number of points, 10..5000.
    noise : float
        Standard deviation of the Gaussian noise added to every coordinate, 0..1; the clean
        points lie in [-1, 1]^2.
    seed : int
        Seed for ``np.random.default_rng``; the same arguments always give the same arrays.

    Returns
    -------
    X : ndarray of shape (n_samples, 2), float64
    y : ndarray of shape (n_samples,), int64, or float64 for a regression dataset
        Labels ``0..n_classes-1``, class sizes differing by at most one; or target values.
    """
    dataset = get_dataset(name)
    low, high = N_SAMPLES_RANGE
    if not _is_int(n_samples) or not low <= n_samples <= high:
        raise ValueError(f"n_samples must be an integer {low}..{high}, got {n_samples!r}")
    low, high = NOISE_RANGE
    if not _is_real(noise) or not low <= float(noise) <= high:
        raise ValueError(f"noise must be a finite number {low}..{high}, got {noise!r}")
    return dataset.make(int(n_samples), float(noise), np.random.default_rng(seed))

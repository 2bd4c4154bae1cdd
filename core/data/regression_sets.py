"""Noise-free generators of the regression datasets: points in [-1, 1]² and a continuous target.

TensorFlow Playground's two regression problems, scaled from its [-6, 6]² to the unit square
(``plane``: the target rises along the diagonal; ``multi_gaussian``: six bumps of alternating
sign), and a sine ridge that no single straight cut can follow. Each returns X (n, 2) and
y (n,) float64 in [-1, 1]; ``core.data.datasets`` registers them (with ``task="regression"``)
and adds the noise to X as for every dataset, so the targets stay those of the clean points.
"""

from __future__ import annotations

import numpy as np

__all__ = ["multi_gaussian", "plane", "sine_ridge"]

Array = np.ndarray
# Playground's centres (±4, ±2.5) and (0, ±2.5) with their signs, over its radius 6.
_BUMPS = np.array(
    [[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]]
) / [6.0, 6.0, 1.0]
_BUMP_RADIUS = 2.0 / 6.0  # a bump falls linearly from ±1 at its centre to 0 at this distance
RIDGE_FREQUENCY = 3.0  # radians per unit along the ridge direction: about 1.5 waves across


def _uniform(n_samples: int, rng: np.random.Generator) -> Array:
    return rng.uniform(-1.0, 1.0, size=(n_samples, 2))


def plane(n_samples: int, rng: np.random.Generator) -> tuple[Array, Array]:
    """Target (x₁ + x₂) / 2: a tilted plane, what one linear unit fits exactly."""
    X = _uniform(n_samples, rng)
    return X, X.sum(axis=1) / 2.0


def multi_gaussian(n_samples: int, rng: np.random.Generator) -> tuple[Array, Array]:
    """Target: the strongest of six signed cones (Playground's "multi-Gaussian")."""
    X = _uniform(n_samples, rng)
    distance = np.hypot(X[:, None, 0] - _BUMPS[:, 0], X[:, None, 1] - _BUMPS[:, 1])
    heights = _BUMPS[:, 2] * np.clip(1.0 - distance / _BUMP_RADIUS, 0.0, 1.0)  # (n, 6)
    strongest = np.argmax(np.abs(heights), axis=1)  # the bumps do not overlap
    return X, heights[np.arange(n_samples), strongest]


def sine_ridge(n_samples: int, rng: np.random.Generator) -> tuple[Array, Array]:
    """Target sin(3 (x₁ + x₂ / 2)): parallel ridges and valleys across the square."""
    X = _uniform(n_samples, rng)
    return X, np.sin(RIDGE_FREQUENCY * (X[:, 0] + 0.5 * X[:, 1]))

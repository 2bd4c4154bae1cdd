"""Linear regions: how many pieces a piecewise-linear network cuts the plane into.

A ReLU unit is either off (z ≤ 0) or on (z > 0); with every unit's state fixed, the whole network
is one affine map. So the plane splits into *activation regions*, one per on/off pattern that
occurs, and on each the network is linear (Montúfar et al., "On the Number of Linear Regions of
Deep Neural Networks", 2014). Depth is what multiplies them: a layer can fold the regions of the
layer below onto each other and cut them all at once, so their number can grow exponentially
with depth but only polynomially with width.

Counted here by sampling: one traced forward pass over a fine grid, each point's pattern of
``z > 0`` over all hidden units packed into bytes, distinct rows counted with ``np.unique``.
Every activation region is convex (its pattern fixes every z as an affine function of x, so it
is an intersection of half-planes), hence connected, so the count is exact once the grid puts a
point in every region; regions thinner than a grid step can be missed, so on a coarse grid it
is a lower bound. Adjacent regions may share one affine map (a unit that never matters), so
this counts activation regions, the usual upper bound on the linear pieces.
"""

from __future__ import annotations

from collections.abc import Sequence
from math import comb
from typing import Any

import numpy as np

from core.labs.plane import plane_grid

__all__ = ["KINKED", "max_regions", "region_map", "why_not_counted"]

Array = np.ndarray
# Activations that are piecewise linear with one kink at z = 0 (step: piecewise constant).
KINKED = frozenset({"relu", "leaky_relu", "step"})


def why_not_counted(activation: str) -> str | None:
    """None when regions can be counted for this activation, else a sentence saying why not."""
    if activation in KINKED or activation == "identity":
        return None
    return (
        f"{activation} is smooth: it bends the plane everywhere instead of cutting it into flat "
        "pieces, so the network has no linear regions to count (ReLU, leaky ReLU and step do)."
    )


def max_regions(hidden: Sequence[int], n_inputs: int = 2) -> int:
    """Most activation regions a ReLU net of these hidden widths can cut R^n_inputs into.

    The bound of Serra, Tjandraatmadja & Ramalingam ("Bounding and Counting Linear Regions of
    Deep Neural Networks", 2018): ∏ₗ Σ_{j ≤ dₗ} C(nₗ, j) with dₗ = min(n_inputs, n₁, …, nₗ). For
    one hidden layer it is exact: n lines in general position cut the plane into
    1 + n + n(n − 1)/2 pieces. Each deeper layer can multiply the count; a wider one only adds.

    Parameters
    ----------
    hidden : sequence of int, hidden widths
    n_inputs : int, input dimension

    Returns
    -------
    int (exact Python integer; it grows exponentially with depth)
    """
    total, dim = 1, n_inputs
    for width in hidden:
        dim = min(dim, width)
        total *= sum(comb(width, j) for j in range(dim + 1))
    return total


def _patterns(model: Any, points: Array) -> Array:
    """Packed on/off pattern per point, (n_points, n_bytes) uint8, from one traced pass."""
    trace = model.forward(points, return_trace=True)
    if model.activation.name == "identity" or len(trace) == 1:
        return np.zeros((len(points), 1), dtype=np.uint8)  # one affine map everywhere
    bits = np.concatenate([layer.z > 0 for layer in trace[:-1]], axis=1)
    return np.packbits(bits, axis=1)


def region_map(model: Any, extent: Any, resolution: int = 256) -> tuple[Array, Array] | None:
    """Which activation region every point of a grid over ``extent`` lies in.

    Parameters
    ----------
    model : MLP (or LiftedModel) with a piecewise-linear activation
    extent : (x_min, x_max, y_min, y_max)
    resolution : int, grid points per side, 2..1024

    Returns
    -------
    (ids, patterns) or None
        ``ids`` (resolution, resolution) int, region numbers 0..n_regions-1, row 0 at
        ``y_max``; ``patterns`` (n_regions, n_bytes) uint8, each region's packed on/off bits
        (``len(patterns)`` is the count: exact once every region holds a grid point).
        None when the activation is not piecewise linear (see ``why_not_counted``).
    """
    if model.n_layers > 1 and why_not_counted(model.activation.name) is not None:
        return None  # (without hidden layers the activation is never used: one region)
    packed = np.ascontiguousarray(_patterns(model, plane_grid(extent, resolution)[2]))
    # One opaque value per row: np.unique on a 1-D void view is ~20x faster than axis=0.
    rows = packed.view(np.dtype((np.void, packed.shape[1]))).ravel()
    unique, ids = np.unique(rows, return_inverse=True)
    patterns = np.frombuffer(unique.tobytes(), dtype=np.uint8).reshape(len(unique), -1)
    return ids.reshape(resolution, resolution), patterns

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

from core.render.theme import INK, hex_to_rgb

__all__ = [
    "KINKED",
    "count_linear_regions",
    "max_regions",
    "region_map",
    "regions_image",
    "why_not_counted",
]

Array = np.ndarray
# Activations that are piecewise linear with one kink at z = 0 (step: piecewise constant).
KINKED = frozenset({"relu", "leaky_relu", "step"})
_WHITE = np.array([255.0, 255.0, 255.0])
_BORDER = np.array(hex_to_rgb(INK), dtype=float)
BORDER_ALPHA = 0.55
# Fixed weights that turn a packed pattern into a hue: the same pattern keeps its colour as
# training moves the regions around (ids from np.unique are reassigned every time).
_HUE_WEIGHTS = np.random.default_rng(12345).random(4096)


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


def _grid(extent: Any, resolution: int) -> Array:
    """Grid points (resolution², 2) by rows, row 0 at y_max: the rasteriser's layout."""
    try:
        x_min, x_max, y_min, y_max = (float(v) for v in extent)
    except (TypeError, ValueError):
        raise ValueError(f"extent must be (x_min, x_max, y_min, y_max), got {extent!r}") from None
    if not (np.isfinite([x_min, x_max, y_min, y_max]).all() and x_min < x_max and y_min < y_max):
        raise ValueError(f"extent needs finite x_min < x_max and y_min < y_max, got {extent!r}")
    if not 2 <= resolution <= 1024:
        raise ValueError(f"resolution must be 2..1024, got {resolution}")
    grid_x, grid_y = np.meshgrid(
        np.linspace(x_min, x_max, resolution), np.linspace(y_max, y_min, resolution)
    )
    return np.column_stack([grid_x.ravel(), grid_y.ravel()])


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
        ``y_max``; ``patterns`` (n_regions, n_bytes) uint8, each region's packed on/off bits.
        None when the activation is not piecewise linear (see ``why_not_counted``).
    """
    if model.n_layers > 1 and why_not_counted(model.activation.name) is not None:
        return None  # (without hidden layers the activation is never used: one region)
    packed = np.ascontiguousarray(_patterns(model, _grid(extent, resolution)))
    # One opaque value per row: np.unique on a 1-D void view is ~20x faster than axis=0.
    rows = packed.view(np.dtype((np.void, packed.shape[1]))).ravel()
    unique, ids = np.unique(rows, return_inverse=True)
    patterns = np.frombuffer(unique.tobytes(), dtype=np.uint8).reshape(len(unique), -1)
    return ids.reshape(resolution, resolution), patterns


def count_linear_regions(model: Any, extent: Any, resolution: int = 256) -> int | None:
    """Number of distinct activation patterns on a ``resolution``² grid over ``extent``.

    Parameters
    ----------
    model : MLP (or LiftedModel)
    extent : (x_min, x_max, y_min, y_max)
    resolution : int, grid points per side, 2..1024

    Returns
    -------
    int or None
        The number of linear regions the grid finds (a lower bound that is exact once every
        region holds a grid point); None for activations that are not piecewise linear.
    """
    found = region_map(model, extent, resolution)
    return None if found is None else len(found[1])


def _hues(patterns: Array) -> Array:
    """A stable pseudo-random hue in [0, 1) per packed pattern (n_regions, n_bytes)."""
    weights = _HUE_WEIGHTS[: patterns.shape[1]]
    if patterns.shape[1] > len(_HUE_WEIGHTS):
        weights = np.resize(_HUE_WEIGHTS, patterns.shape[1])
    return np.mod(patterns.astype(float) @ weights * 0.618034, 1.0)


def _pastel(hues: Array) -> Array:
    """Light, distinct RGB colours (n, 3) in 0..255 for hues (n,)."""
    angles = 2 * np.pi * (hues[:, None] + np.array([0.0, 1 / 3, 2 / 3]))
    return 255.0 * (0.8 + 0.15 * np.cos(angles))


def regions_image(ids: Array, patterns: Array) -> Array:
    """Colour every region and darken the borders between them.

    Parameters
    ----------
    ids : ndarray (h, w) int, from ``region_map``
    patterns : ndarray (n_regions, n_bytes) uint8, from ``region_map``

    Returns
    -------
    ndarray (h, w, 3), uint8
    """
    colors = _pastel(_hues(patterns)) if len(patterns) > 1 else _WHITE[None, :] * 0.96
    image = colors[ids]
    border = np.zeros(ids.shape, dtype=bool)
    border[:, 1:] |= ids[:, 1:] != ids[:, :-1]
    border[1:, :] |= ids[1:, :] != ids[:-1, :]
    image[border] += BORDER_ALPHA * (_BORDER - image[border])
    return np.clip(image + 0.5, 0, 255).astype(np.uint8)

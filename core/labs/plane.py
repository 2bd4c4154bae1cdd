"""The input plane sampled: extents, point grids over them, grid lines, and polylines.

Every picture of the plane reads the same few samplings: a regular grid of points over an extent
(the boundary image, unit maps, linear regions), and horizontal and vertical lines carried
through the network (the warped grid). Lines are drawn as one polyline array with a NaN row
after each line (``join_lines``): one Plotly trace, or one rasteriser call, draws them all.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = ["Extent", "check_extent", "grid_lines", "join_lines", "plane_grid"]

Array = np.ndarray
Extent = tuple[float, float, float, float]  # (x_min, x_max, y_min, y_max)
MAX_RESOLUTION = 1024


def check_extent(extent: Any) -> Extent:
    """``extent`` as four floats (x_min, x_max, y_min, y_max); ``ValueError`` unless finite
    with x_min < x_max and y_min < y_max."""
    try:
        x_min, x_max, y_min, y_max = (float(v) for v in extent)
    except (TypeError, ValueError):
        raise ValueError(f"extent must be (x_min, x_max, y_min, y_max), got {extent!r}") from None
    if not (np.isfinite([x_min, x_max, y_min, y_max]).all() and x_min < x_max and y_min < y_max):
        raise ValueError(f"extent needs finite x_min < x_max and y_min < y_max, got {extent!r}")
    return x_min, x_max, y_min, y_max


def plane_grid(extent: Any, resolution: int) -> tuple[Array, Array, Array]:
    """A regular ``resolution`` × ``resolution`` grid over ``extent``, laid out as an image.

    Parameters
    ----------
    extent : (x_min, x_max, y_min, y_max)
    resolution : int, points per side, 2..1024

    Returns
    -------
    xs : ndarray (resolution,), ascending
    ys : ndarray (resolution,), descending: row 0 is the top, ``y_max``
    points : ndarray (resolution², 2), row by row
    """
    if not 2 <= resolution <= MAX_RESOLUTION:
        raise ValueError(f"resolution must be 2..{MAX_RESOLUTION}, got {resolution}")
    x_min, x_max, y_min, y_max = check_extent(extent)
    xs, ys = np.linspace(x_min, x_max, resolution), np.linspace(y_max, y_min, resolution)
    grid_x, grid_y = np.meshgrid(xs, ys)
    return xs, ys, np.column_stack([grid_x.ravel(), grid_y.ravel()])


def grid_lines(extent: Extent, n_lines: int = 11, n_samples: int = 25) -> Array:
    """Horizontal and vertical lines over ``extent``, densely sampled so they bend smoothly.

    Returns (2·n_lines, n_samples, 2): the horizontal lines, then the vertical ones.
    """
    x_min, x_max, y_min, y_max = extent
    xs, ys = np.linspace(x_min, x_max, n_lines), np.linspace(y_min, y_max, n_lines)
    along_x, along_y = np.linspace(x_min, x_max, n_samples), np.linspace(y_min, y_max, n_samples)
    shape = (n_lines, n_samples)
    horizontal = np.stack([np.broadcast_to(along_x, shape), np.broadcast_to(ys[:, None], shape)])
    vertical = np.stack([np.broadcast_to(xs[:, None], shape), np.broadcast_to(along_y, shape)])
    return np.concatenate([np.moveaxis(horizontal, 0, -1), np.moveaxis(vertical, 0, -1)])


def join_lines(lines: Array | Sequence[Array]) -> Array:
    """Polylines as one (m, k) array with a NaN row after each line.

    Parameters
    ----------
    lines : ndarray (n_lines, n_samples, k), or a sequence of (n_i, k) arrays of any lengths

    Returns
    -------
    ndarray (Σ (n_i + 1), k)
        Every line's points, each line followed by a row of NaN; (0, k) for no lines (a
        sequence needs at least one line to know k; an empty one gives (0, 2)).
    """
    if isinstance(lines, np.ndarray):
        n_lines, _, k = lines.shape
        gaps = np.full((n_lines, 1, k), np.nan)
        return np.concatenate([lines, gaps], axis=1).reshape(-1, k)
    if not lines:
        return np.zeros((0, 2))
    gap = np.full((1, lines[0].shape[1]), np.nan)
    return np.concatenate([part for line in lines for part in (line, gap)])

"""Pictures of a ReLU net's linear regions: one light colour per region, dark borders.

The regions come from ``core.labs.linear_regions.region_map``; a region's colour follows from
its activation pattern alone, so it keeps its colour while training moves it around.
"""

from __future__ import annotations

import numpy as np

from core.render.draw import DARK, WHITE, to_uint8

__all__ = ["regions_image"]

Array = np.ndarray

BORDER_ALPHA = 0.55  # the dark line between two linear regions
# Fixed weights that turn a packed pattern into a hue: the same pattern keeps its colour as
# training moves the regions around (ids from np.unique are reassigned every time).
_HUE_WEIGHTS = np.random.default_rng(12345).random(4096)


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
    ids : ndarray (h, w) int, from ``core.labs.linear_regions.region_map``
    patterns : ndarray (n_regions, n_bytes) uint8, from the same ``region_map``

    Returns
    -------
    ndarray (h, w, 3), uint8
    """
    colors = _pastel(_hues(patterns)) if len(patterns) > 1 else WHITE[None, :] * 0.96
    image = colors[ids]
    border = np.zeros(ids.shape, dtype=bool)
    border[:, 1:] |= ids[:, 1:] != ids[:, :-1]
    border[1:, :] |= ids[1:, :] != ids[:-1, :]
    image[border] += BORDER_ALPHA * (DARK - image[border])
    return to_uint8(image)

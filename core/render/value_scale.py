"""The continuous colour scale of regression targets and fitted values, and its legend.

Playground's regression colouring: orange at the low end of the scale, white in the middle,
blue at the high end, so a value reads the same on the points, the heat map and the legend.
The scale is fixed to the targets' range [-1, 1] (every regression dataset's); values beyond it
take the end colour. ``point_fills`` colours points by class or by value, whichever ``labels``
holds, so a picture of points needs no separate regression path.
"""

from __future__ import annotations

import numpy as np

from core.render.draw import PALETTE, WHITE
from core.render.theme import MUTED

__all__ = ["VALUE_RANGE", "is_values", "point_fills", "value_colors", "value_legend_svg"]

Array = np.ndarray
VALUE_RANGE = (-1.0, 1.0)  # every regression dataset's targets lie in it
FULL = 0.95  # the end colours are nearly the class colours: white stays the midpoint
LEGEND_TICKS = (-1.0, -0.5, 0.0, 0.5, 1.0)
CLASS_NAMES = ("orange", "blue")  # how the legend names PALETTE[0] and PALETTE[1]


def is_values(labels: Array) -> bool:
    """Whether ``labels`` are continuous values (a float array) rather than class numbers."""
    return np.asarray(labels).dtype.kind == "f"


def value_colors(values: Array, value_range: tuple[float, float] = VALUE_RANGE) -> Array:
    """RGB floats (..., 3) for ``values`` (...): orange at the low end, white at the middle,
    blue at the high end of ``value_range``; clipped beyond it."""
    low, high = value_range
    signed = np.clip((np.asarray(values, dtype=np.float32) - (low + high) / 2) * 2 / (high - low),
                     -1.0, 1.0)  # fmt: skip
    end = np.where(signed[..., None] >= 0, PALETTE[1], PALETTE[0])
    return WHITE + (FULL * np.abs(signed)[..., None]) * (end - WHITE)


def point_fills(labels: Array) -> Array:
    """Fill colours (n, 3) of points: by class for integer labels, on the value scale for
    float targets."""
    labels = np.asarray(labels)
    if is_values(labels):
        return value_colors(labels)
    return PALETTE[labels.astype(np.intp) % len(PALETTE)]


def value_legend_svg(title: str = "Target / fitted value", width: int = 360) -> str:
    """A colour bar of the value scale with ticks, as a standalone SVG string."""
    low, high = VALUE_RANGE
    bar_left, bar_right, bar_top = 12, width - 12, 18
    stops = "".join(
        f'<stop offset="{(v - low) / (high - low):.3f}" stop-color="rgb{_rgb(v)}"/>'
        for v in np.linspace(low, high, 9)
    )
    ticks = "".join(
        f'<text x="{bar_left + (v - low) / (high - low) * (bar_right - bar_left):.1f}" y="44" '
        f'text-anchor="middle">{"0" if v == 0 else f"{v:+g}"}</text>'
        for v in LEGEND_TICKS
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="50" '
        f'font-family="sans-serif" font-size="11" fill="{MUTED}">'
        f'<defs><linearGradient id="scale">{stops}</linearGradient></defs>'
        f'<text x="{bar_left}" y="12">{title}: {CLASS_NAMES[0]} low, white middle, '
        f"{CLASS_NAMES[1]} high</text>"
        f'<rect x="{bar_left}" y="{bar_top}" width="{bar_right - bar_left}" height="12" '
        f'fill="url(#scale)" stroke="{MUTED}" stroke-width="0.5"/>{ticks}</svg>'
    )


def _rgb(value: float) -> tuple[int, int, int]:
    return tuple(int(round(c)) for c in value_colors(np.array(value)))

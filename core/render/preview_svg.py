"""Still pictures of a page's charts as SVG strings: what a visitor sees before plotly.js is in.

Streamlit loads its 4.7 MB plotly.js chunk only when a page's first Plotly chart arrives, and
on a new visitor's first page it then takes seconds more to parse and draw. An SVG in an
``<img>`` shows with the page's first elements. ``line_panels_svg`` draws side-by-side line
panels (fixed axis ranges, shaded x intervals, a legend); ``heatmap_svg`` draws a value grid
as a coloured raster (a PNG inside the SVG) with axes, a colour bar and marked points. The
figure modules choose what goes in (the same arrays as their Plotly figures); this module only
draws.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

import numpy as np

from core.render.draw import upsample
from core.render.png import png_data_uri
from core.render.theme import (
    AXIS_GRID_COLOR,
    BACKGROUND,
    FONT_FAMILY,
    GRID_COLOR,
    INK,
    MUTED,
    hex_to_rgb,
)
from core.render.ticks import nice_ticks

__all__ = ["Line", "Panel", "colors_on_scale", "heatmap_svg", "line_panels_svg"]

Array = np.ndarray
MARGIN = {"left": 44, "right": 12, "top": 28, "bottom": 40}  # pixels around each panel


@dataclass(frozen=True)
class Line:
    """One curve: y (n,) on the panel's x, its colour, stroke width and SVG dash pattern."""

    y: Array
    color: str
    width: float = 1.8
    dash: str = ""


@dataclass(frozen=True)
class Panel:
    """One set of axes: curves on a shared x (n,), fixed ranges, shaded x intervals."""

    title: str
    x: Array
    lines: list[Line]
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    x_title: str = ""
    shaded: list[tuple[float, float]] = field(default_factory=list)
    shade_color: str = "rgba(91, 75, 219, 0.10)"


def _svg_open(width: int, height: int) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{escape(FONT_FAMILY)}" font-size="12">'
        f'<rect width="{width}" height="{height}" fill="{BACKGROUND}"/>'
    )


def _scale(low: float, high: float, start: float, length: float, flip: bool = False):
    def to_pixels(values):
        share = (np.asarray(values, dtype=float) - low) / (high - low)
        return start + ((1 - share) if flip else share) * length

    return to_pixels


def _path(xs: Array, ys: Array) -> str:
    """An SVG path through the finite points, broken where a value is not finite."""
    finite = np.isfinite(xs) & np.isfinite(ys)
    starts = finite & ~np.concatenate([[False], finite[:-1]])  # the first point of each piece
    commands = np.where(starts, "M", "L")[finite].tolist()
    points = zip(commands, xs[finite].tolist(), ys[finite].tolist(), strict=True)
    return "".join(f"{command}{x:.1f},{y:.1f}" for command, x, y in points)


def _axes(
    box: tuple[float, float, float, float], x_range, y_range, x_title: str, grid_opacity=1.0
) -> list[str]:
    """Grid lines, tick labels and the x-axis title of a panel in ``box`` (left, top, w, h)."""
    left, top, width, height = box
    sx = _scale(*x_range, left, width)
    sy = _scale(*y_range, top, height, flip=True)
    parts = []
    for vertical, (low, high) in ((True, x_range), (False, y_range)):
        ticks, labels = nice_ticks(low, high, min_ticks=4, max_ticks=8)
        for tick, label in zip(ticks, labels, strict=True):
            if vertical:  # a tick of the x axis: a vertical grid line, its label below
                at = float(sx(tick))
                line, text = (at, at, top, top + height), (at, top + height + 15, "middle")
            else:
                at = float(sy(tick))
                line, text = (left, left + width, at, at), (left - 6, at + 4, "end")
            parts.append(
                f'<line x1="{line[0]:.1f}" x2="{line[1]:.1f}" y1="{line[2]:.1f}" '
                f'y2="{line[3]:.1f}" stroke="{AXIS_GRID_COLOR}" '
                f'stroke-opacity="{grid_opacity:g}"/>'
            )
            parts.append(
                f'<text x="{text[0]:.1f}" y="{text[1]:.1f}" fill="{MUTED}" '
                f'text-anchor="{text[2]}">{escape(label.replace("-", "−"))}</text>'
            )
    parts.append(
        f'<rect x="{left}" y="{top}" width="{width}" height="{height}" fill="none" '
        f'stroke="{GRID_COLOR}" stroke-width="0.8"/>'
    )
    if x_title:
        parts.append(
            f'<text x="{left + width / 2:.1f}" y="{top + height + 32}" fill="{MUTED}" '
            f'text-anchor="middle">{escape(x_title)}</text>'
        )
    return parts


def _panel(panel: Panel, box: tuple[float, float, float, float], clip_id: str) -> list[str]:
    left, top, width, height = box
    sx = _scale(*panel.x_range, left, width)
    sy = _scale(*panel.y_range, top, height, flip=True)
    parts = [
        f'<clipPath id="{clip_id}"><rect x="{left}" y="{top}" width="{width}" '
        f'height="{height}"/></clipPath>'
    ]
    for start, end in panel.shaded:
        x0, x1 = sorted((float(sx(start)), float(sx(end))))
        parts.append(
            f'<rect x="{x0:.1f}" y="{top}" width="{x1 - x0:.1f}" height="{height}" '
            f'fill="{panel.shade_color}"/>'
        )
    parts += _axes(box, panel.x_range, panel.y_range, panel.x_title)
    xs = sx(panel.x)
    for line in panel.lines:
        dash = f' stroke-dasharray="{line.dash}"' if line.dash else ""
        parts.append(
            f'<path d="{_path(xs, sy(line.y))}" fill="none" stroke="{line.color}" '
            f'stroke-width="{line.width}" stroke-linejoin="round" '
            f'clip-path="url(#{clip_id})"{dash}/>'
        )
    parts.append(
        f'<text x="{left + width / 2:.1f}" y="{top - 10}" fill="{INK}" font-size="14" '
        f'text-anchor="middle">{escape(panel.title)}</text>'
    )
    return parts


def line_panels_svg(
    panels: list[Panel],
    legend: list[tuple[str, str]] = (),
    *,
    width: int = 1000,
    height: int = 380,
) -> str:
    """Panels side by side, each with its own axes, and one legend of (label, colour) below.

    Returns a standalone ``<svg>`` element of ``width`` × ``height`` pixels.
    """
    legend_height = 26 if legend else 0
    gap = 24
    panel_width = (width - gap * (len(panels) - 1)) / max(len(panels), 1)
    parts = [_svg_open(width, height)]
    for index, panel in enumerate(panels):
        left = index * (panel_width + gap) + MARGIN["left"]
        box = (
            left,
            MARGIN["top"],
            panel_width - MARGIN["left"] - MARGIN["right"],
            height - MARGIN["top"] - MARGIN["bottom"] - legend_height,
        )
        parts += _panel(panel, box, f"panel{index}")
    x = MARGIN["left"]
    for label, color in legend:
        y = height - 9
        parts.append(
            f'<line x1="{x}" x2="{x + 22}" y1="{y - 4}" y2="{y - 4}" stroke="{color}" '
            f'stroke-width="2.4"/>'
        )
        parts.append(f'<text x="{x + 28}" y="{y}" fill="{INK}">{escape(label)}</text>')
        x += 40 + 7 * len(label)
    parts.append("</svg>")
    return "".join(parts)


def colors_on_scale(values: Array, colorscale: list, low: float, high: float) -> Array:
    """RGB floats (..., 3) of ``values`` on a Plotly-style colour scale ([[share, "#hex"], ...])
    running from ``low`` to ``high``; values outside take the end colours."""
    stops = np.array([float(share) for share, _ in colorscale])
    rgb = np.array([hex_to_rgb(color) for _, color in colorscale], dtype=np.float32)
    share = np.clip((np.asarray(values, np.float32) - low) / max(high - low, 1e-12), 0.0, 1.0)
    return np.stack([np.interp(share, stops, rgb[:, c]) for c in range(3)], axis=-1)


def heatmap_svg(
    x: Array,
    y: Array,
    z: Array,
    colorscale: list,
    *,
    titles: tuple[str, str] = ("x", "y"),
    colorbar: tuple[list[float], list[str]] | None = None,
    colorbar_title: str = "",
    marks: list[tuple[float, float, str]] = (),
    width: int = 460,
    height: int = 420,
    caption: str = "",
) -> str:
    """``z`` (n_y, n_x) over the grid ``x`` (n_x,) × ``y`` (n_y,) as a coloured map with axes.

    ``colorbar`` gives tick positions (in z units) and their labels; ``marks`` are (x, y,
    label) points drawn as stars. Returns a standalone ``<svg>`` element.
    """
    x, y, z = (np.asarray(v, dtype=np.float32) for v in (x, y, z))
    low, high = float(z.min()), float(z.max())
    bar = 70 if colorbar is not None else 0
    left, top = MARGIN["left"] + 10, MARGIN["top"] - 8
    side = min(width - left - MARGIN["right"] - bar, height - top - MARGIN["bottom"] - 18)
    picture = upsample(z[::-1, :, None], (int(side), int(side)))[..., 0]  # row 0: the top
    pixels = colors_on_scale(picture, colorscale, low, high).round().astype(np.uint8)
    box = (left, top, side, side)
    parts = [_svg_open(width, height)]
    parts.append(
        f'<image x="{left}" y="{top}" width="{side}" height="{side}" '
        f'preserveAspectRatio="none" href="{png_data_uri(pixels)}"/>'
    )
    x_range, y_range = (float(x[0]), float(x[-1])), (float(y[0]), float(y[-1]))
    parts += _axes(box, x_range, y_range, titles[0], grid_opacity=0.35)  # over the colours
    parts.append(
        f'<text transform="translate(14 {top + side / 2:.1f}) rotate(-90)" '
        f'fill="{MUTED}" text-anchor="middle">{escape(titles[1])}</text>'
    )
    sx, sy = _scale(*x_range, left, side), _scale(*y_range, top, side, flip=True)
    for mark_x, mark_y, label in marks:
        parts.append(
            f'<text x="{sx(mark_x):.1f}" y="{sy(mark_y) + 7:.1f}" fill="{INK}" '
            f'stroke="white" stroke-width="1.5" paint-order="stroke" font-size="22" '
            f'text-anchor="middle"><title>{escape(label)}</title>★</text>'
        )
    if colorbar is not None:
        parts += _colorbar(colorbar, colorscale, (left + side + 24, top, 14, side), low, high)
        parts.append(
            f'<text x="{left + side + 24}" y="{top - 6}" fill="{MUTED}">'
            f"{escape(colorbar_title)}</text>"
        )
    if caption:
        parts.append(f'<text x="{left}" y="{height - 4}" fill="{MUTED}">{escape(caption)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _colorbar(ticks, colorscale, box, low: float, high: float) -> list[str]:
    left, top, width, height = box
    stops = "".join(
        f'<stop offset="{1 - float(share):.3f}" stop-color="{color}"/>'
        for share, color in reversed(colorscale)
    )
    parts = [
        f'<defs><linearGradient id="bar" x1="0" x2="0" y1="0" y2="1">{stops}'
        f"</linearGradient></defs>",
        f'<rect x="{left}" y="{top}" width="{width}" height="{height}" fill="url(#bar)" '
        f'stroke="{GRID_COLOR}" stroke-width="0.5"/>',
    ]
    sy = _scale(low, high, top, height, flip=True)
    for value, label in zip(*ticks, strict=True):
        if low <= value <= high:
            parts.append(
                f'<text x="{left + width + 4}" y="{sy(value) + 4:.1f}" fill="{MUTED}">'
                f"{escape(label)}</text>"
            )
    return parts

"""Small inline SVG charts for the live view: a string is cheap to make and to swap in place.

A Plotly or Vega chart redrawn four times a second costs tens of milliseconds on the server
and re-mounts in the browser; an SVG string of a few kilobytes does neither.
"""

from __future__ import annotations

import base64
from html import escape

import numpy as np

from core.render.theme import FONT_FAMILY, GRID_COLOR, INK, MUTED
from core.render.ticks import nice_ticks

__all__ = ["curves_svg", "svg_data_uri"]

Array = np.ndarray


def _polyline(xs: Array, ys: Array, color: str, dash: str = "") -> str:
    keep = np.isfinite(ys)
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs[keep], ys[keep], strict=True))
    style = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<polyline points="{points}" fill="none" stroke="{color}" stroke-width="1.8"'
        f' stroke-linejoin="round"{style}/>'
    )


def curves_svg(
    epochs: Array,
    series: dict[str, tuple[Array, str, str]],
    *,
    width: int = 360,
    height: int = 150,
    log_y: bool = True,
    title: str = "",
    max_points: int = 300,
) -> str:
    """Line chart of ``series`` ({name: (values, colour, dash)}) against ``epochs``.

    ``log_y`` plots log10 of the values (losses span decades). Non-finite values are skipped.
    Returns a standalone ``<svg>`` element.
    """
    left, right, top, bottom = 48, 8, 20 if title else 8, 22
    plot_w, plot_h = width - left - right, height - top - bottom
    values = np.concatenate([np.asarray(v, dtype=float) for v, _, _ in series.values()] or [[]])
    if log_y:
        values = np.log10(np.where(values > 0, values, np.nan))
    finite = values[np.isfinite(values)]
    y_low, y_high = (finite.min(), finite.max()) if finite.size else (0.0, 1.0)
    if y_high - y_low < 1e-12:
        y_low, y_high = y_low - 0.5, y_high + 0.5
    x_low, x_high = (float(epochs[0]), float(epochs[-1])) if len(epochs) > 1 else (0.0, 1.0)

    def sx(x):
        return left + (np.asarray(x, dtype=float) - x_low) / max(x_high - x_low, 1e-12) * plot_w

    def sy(y):
        return top + (1 - (np.asarray(y, dtype=float) - y_low) / (y_high - y_low)) * plot_h

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{escape(FONT_FAMILY)}" font-size="10">'
    ]
    if title:
        parts.append(f'<text x="{left}" y="12" fill="{INK}" font-size="11">{escape(title)}</text>')
    values, labels = (
        nice_ticks(10**y_low, 10**y_high, log=True) if log_y else nice_ticks(y_low, y_high)
    )
    for tick, label in zip(np.log10(values) if log_y else values, labels, strict=True):
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{sy(tick):.1f}" y2="{sy(tick):.1f}"'
            f' stroke="{GRID_COLOR}" stroke-opacity="0.3"/>'
        )
        parts.append(
            f'<text x="{left - 4}" y="{sy(tick) + 3:.1f}" fill="{MUTED}" '
            f'text-anchor="end">{label}</text>'
        )
    # First, middle and last epoch; the middle only when it is a whole epoch of its own.
    x_ticks = [x_low, (x_low + x_high) / 2, x_high] if x_high - x_low >= 2 else [x_low, x_high]
    anchors = ("start", "middle", "end") if len(x_ticks) == 3 else ("start", "end")
    for tick, anchor in zip(x_ticks, anchors, strict=True):
        parts.append(
            f'<text x="{sx(tick):.1f}" y="{height - 8}" fill="{MUTED}" '
            f'text-anchor="{anchor}">{tick:,.0f}</text>'
        )
    # A few hundred vertices look the same as thousands and keep the string small.
    keep = np.unique(np.linspace(0, len(epochs) - 1, min(len(epochs), max_points)).astype(int))
    legend_x = left + 8 + (7 * len(title) if title else 0)
    for name, (raw, color, dash) in series.items():
        ys = np.asarray(raw, dtype=float)[keep]
        ys = np.log10(np.where(ys > 0, ys, np.nan)) if log_y else ys
        parts.append(_polyline(sx(np.asarray(epochs)[keep]), sy(ys), color, dash))
        parts.append(f'<text x="{legend_x}" y="12" fill="{color}">{escape(name)}</text>')
        legend_x += 7 * len(name) + 14
    parts.append("</svg>")
    return "".join(parts)


def svg_data_uri(svg: str) -> str:
    """``data:image/svg+xml;base64,…``: Streamlit's HTML sanitiser drops inline ``<svg>``
    elements but keeps an ``<img>`` showing one."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")

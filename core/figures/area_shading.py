"""Grid cells shaded by how much a move changed their area, and the cells a kink folds.

Draws a ``core.labs.area_change.StageArea`` over a lattice of cell corners (n_rows, n_cols, 2)
as Plotly traces: one filled trace per shade (green: squeezed, white: unchanged, magenta:
stretched; never the class colours), a black outline around every cell a kink folds, and a
colour bar that reads the shades as area factors (÷7 … ×7). Any figure that carries a grid
through a layer can add them under its grid lines. No Streamlit.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from core.labs.area_change import StageArea
from core.render.theme import INK

__all__ = [
    "AREA_LIMIT",
    "LEVELS",
    "area_color",
    "area_color_bar",
    "area_frame",
    "area_slots",
    "area_traces",
]

Array = np.ndarray
AREA_LIMIT = 2.0  # log-area shades saturate here: e² ≈ 7× bigger or smaller
AREA_STEP = 0.5  # one fill colour per half unit of log area
LEVELS = np.arange(-AREA_LIMIT, AREA_LIMIT + AREA_STEP / 2, AREA_STEP)
STRETCHED, SQUEEZED = (197, 27, 125), (77, 146, 33)  # magenta / green
FOLD_LINE = {"color": INK, "width": 2.2}
QUIET = {"hoverinfo": "skip", "showlegend": False}


def area_color(log_area: float) -> str:
    """The fill of a cell whose area changed by e^log_area (clipped at ±``AREA_LIMIT``)."""
    share = float(np.clip(log_area / AREA_LIMIT, -1.0, 1.0))
    end = STRETCHED if share > 0 else SQUEEZED
    red, green, blue = (255 + abs(share) * (c - 255) for c in end)
    return f"rgb({red:.0f}, {green:.0f}, {blue:.0f})"


def _gapped(values: Array) -> list:
    # Plotly fills each gap-separated piece of a "toself" trace on its own only when the gaps
    # are nulls: NaN inside a typed array is no gap to the fill (measured in Chromium: the
    # cells stayed blank), so these traces go as lists.
    return [None if np.isnan(v) else round(float(v), 5) for v in values]


def cell_outlines(corners: Array, mask: Array) -> Array:
    """Closed outlines (5 points and a NaN row each) of the cells where ``mask`` is True.

    ``corners`` (n_rows, n_cols, 2), ``mask`` (n_rows − 1, n_cols − 1); returns (6·m, 2).
    """
    rows, cols = np.nonzero(mask)
    ring = [(rows, cols), (rows, cols + 1), (rows + 1, cols + 1), (rows + 1, cols), (rows, cols)]
    quads = np.stack([corners[r, c] for r, c in ring] + [np.full((len(rows), 2), np.nan)], axis=1)
    return quads.reshape(-1, 2)


def _levels(area: StageArea) -> Array:
    """Each cell's shade, rounded to a fill level (flattened cells take the darkest)."""
    log_area = np.nan_to_num(area.log_area, nan=0.0, neginf=-AREA_LIMIT)
    return np.round(np.clip(log_area, -AREA_LIMIT, AREA_LIMIT) / AREA_STEP) * AREA_STEP


def _fill(corners: Array, mask: Array) -> tuple[list, list]:
    outline = cell_outlines(corners, mask)
    return _gapped(outline[:, 0]), _gapped(outline[:, 1])


def _edges(corners: Array, area: StageArea, outline_flattened: bool) -> Array:
    edges = area.folded | (area.flattened & outline_flattened)
    return cell_outlines(corners, edges).astype(np.float32)


def area_traces(corners: Array, area: StageArea, outline_flattened: bool) -> list[go.Scatter]:
    """Filled cells, one trace per shade (flattened cells take the darkest), kinks outlined.

    ``corners`` are where the cells are drawn. Where they are the move's own result, a
    flattened cell is a segment with no area to fill: ``outline_flattened`` draws its outline
    instead, a dark line where space was folded flat.
    """
    levels = _levels(area)
    traces = []
    for level in np.unique(levels):
        x, y = _fill(corners, levels == level)
        fill = {"fill": "toself", "fillcolor": area_color(level)}
        traces.append(go.Scatter(x=x, y=y, mode="none", **fill, **QUIET))
    if (area.folded | (area.flattened & outline_flattened)).any():
        outline = _edges(corners, area, outline_flattened)
        traces.append(
            go.Scatter(x=outline[:, 0], y=outline[:, 1], mode="lines", line=FOLD_LINE, **QUIET)
        )
    return traces


def area_slots() -> list[dict]:
    """Empty traces, one per fill level and one for the fold outlines, for an animation.

    Every frame of an animated figure updates the same traces: ``area_frame`` fills these
    slots (plain dicts, in this order) for one frame.
    """
    fills = [
        {"type": "scatter", "x": [], "y": [], "mode": "none", "fill": "toself"}
        | {"fillcolor": area_color(level), "name": f"area {level:+.1f}", **QUIET}
        for level in LEVELS
    ]
    folds = {"type": "scatter", "x": [], "y": [], "mode": "lines", "line": FOLD_LINE}
    return [*fills, folds | {"name": "folds", **QUIET}]


def area_frame(corners: Array | None, area: StageArea | None, outline_flattened: bool) -> list:
    """What moves in ``area_slots`` for one frame: every level's cells, then the kinks.

    None (a frame with no cells to shade) empties every slot.
    """
    if corners is None or area is None:
        return [{"type": "scatter", "x": [], "y": []} for _ in range(len(LEVELS) + 1)]
    levels = _levels(area)
    slots = []
    for level in LEVELS:
        x, y = _fill(corners, np.isclose(levels, level))
        slots.append({"type": "scatter", "x": x, "y": y})
    outline = _edges(corners, area, outline_flattened)
    if not len(outline):  # no kinks: an empty list (an empty array would stay an array)
        return [*slots, {"type": "scatter", "x": [], "y": []}]
    return [*slots, {"type": "scatter", "x": outline[:, 0], "y": outline[:, 1]}]


def area_color_bar(x: float = 1.02) -> go.Scatter:
    """An invisible trace whose colour bar reads the shades as area factors."""
    ticks = np.arange(-AREA_LIMIT, AREA_LIMIT + 1)
    labels = [f"÷{np.exp(-t):.0f}" if t < 0 else f"×{np.exp(t):.0f}" for t in ticks]
    labels[0] += " or flat"
    scale = [[0.0, area_color(-AREA_LIMIT)], [0.5, area_color(0.0)], [1.0, area_color(AREA_LIMIT)]]
    title = {"text": "area", "side": "top"}
    bar = {"title": title, "tickvals": ticks, "ticktext": labels, "len": 0.8, "thickness": 12}
    marker = {"color": [0.0], "colorscale": scale, "cmin": -AREA_LIMIT, "cmax": AREA_LIMIT}
    marker |= {"colorbar": bar | {"x": x}, "showscale": True}
    return go.Scatter(x=[None], y=[None], mode="markers", marker=marker, **QUIET)

"""The network diagram drawn: the unit maps in one PNG atlas, links as lines, labels in SVG.

``core.labs.network_diagram`` says where every unit sits, what it outputs and how wide each
link is; this turns that into what the live view sends with every live picture (about seven a
second), as little as the browser needs to paint it on one canvas without touching the page's
elements:

- ``diagram_atlas``: every unit's map as a tile of one small RGB image, inputs and hidden
  units on the shared diverging scale (orange −limit, white 0, blue +limit), outputs as
  probabilities (binary: orange 0, white ½, blue 1 as the decision boundary; K classes:
  white to class k's colour) or fitted values; ``atlas_boxes`` says where each tile goes;
- ``link_rows`` and ``bias_marks``: every link as a line (width ∝ |w|, blue positive,
  orange negative) and every bias as a square at its unit, as numbers to stroke;
- ``overlay_svg``: what changes seldom: unit outlines with ``data-column``/``data-unit`` for
  clicking and a ``<title>`` for hovering, column titles, labels and the one legend;
- ``unit_picture`` and ``weights_svg``: one unit large with the data, and its weights.
"""

from __future__ import annotations

from html import escape
from typing import Any

import numpy as np

from core.labs.network_diagram import DiagramLayout, Links, UnitMaps, column_titles
from core.render.draw import PALETTE, WHITE, to_uint8, upsample
from core.render.raster import draw_data_points
from core.render.theme import CLASS_COLORS, FONT_FAMILY, INK, MUTED, PRIMARY
from core.render.value_scale import FULL, value_colors

__all__ = [
    "LEGEND_HEIGHT",
    "atlas_boxes",
    "diagram_atlas",
    "bias_marks",
    "link_rows",
    "overlay_svg",
    "unit_map_colors",
    "unit_picture",
    "weights_svg",
]

Array = np.ndarray
LEGEND_HEIGHT = 34  # px below the units: the colour scale, shown once
POSITIVE, NEGATIVE = CLASS_COLORS[1], CLASS_COLORS[0]  # Playground: blue +, orange −
BIAS_MARK = 7  # px: the square at a unit's lower left
ATLAS_ROW = 16  # tiles a row of the atlas
WIDTH_STEP = 0.25  # px: link widths are rounded to this (and narrower ones left out)


def unit_map_colors(maps: UnitMaps, column: int, unit: Any, values: Array, output: str) -> Array:
    """RGB floats (..., 3) of one unit's values (...): the shared diverging scale for the
    inputs and hidden units; for outputs the probability (white to the class's colour, or
    orange to blue for one sigmoid unit) or the fitted value (the regression scale).
    ``unit`` may be an index array that broadcasts against ``values`` (a whole column)."""
    if column < len(maps.maps) - 1:
        return value_colors(values, (-maps.limit, maps.limit))
    if output == "values":
        return value_colors(values)
    if maps.maps[-1].shape[0] == 1:
        return value_colors(values, (0.0, 1.0))
    strength = np.clip(np.asarray(values, dtype=np.float32), 0.0, 1.0)[..., None]
    return WHITE + (FULL * strength) * (PALETTE[np.asarray(unit) % len(PALETTE)] - WHITE)


def diagram_atlas(maps: UnitMaps, output: str = "classes") -> Array:
    """Every unit's map as one tile of a compact atlas: uint8 (n_rows·s, n·s, 3) for maps of
    s² pixels, tile k (units counted column by column, top to bottom) at row k // ATLAS_ROW,
    column k % ATLAS_ROW. The browser paints tile k at the k-th box of the layout: a small
    picture is several times cheaper to encode than the whole mostly white diagram."""
    tiles = np.concatenate(
        [
            unit_map_colors(maps, column, np.arange(len(column_maps))[:, None, None], column_maps,
                            output)
            for column, column_maps in enumerate(maps.maps)
        ]
    )  # fmt: skip
    n_tiles, size = tiles.shape[0], tiles.shape[1]
    n_columns = min(ATLAS_ROW, n_tiles)
    n_rows = -(-n_tiles // n_columns)
    padded = np.empty((n_rows * n_columns, size, size, 3), dtype=np.float32)
    padded[...] = WHITE
    padded[:n_tiles] = tiles
    grid = padded.reshape(n_rows, n_columns, size, size, 3).transpose(0, 2, 1, 3, 4)
    return to_uint8(grid.reshape(n_rows * size, n_columns * size, 3))


def atlas_boxes(layout: DiagramLayout) -> list[list[int]]:
    """Where the browser paints each atlas tile: [x, y] of every box, in tile order."""
    return np.rint(np.concatenate(layout.boxes)).astype(int).tolist()


def link_rows(
    layout: DiagramLayout, links: Links, selected: tuple[int, int] | None = None
) -> Array:
    """Every visible link as a row [x1, y1, x2, y2, width, positive, opacity] (float, rounded
    to 0.01), in drawing order.

    From a source's right edge to a target's left edge, ``width`` px (∝ |w|, rounded to
    ``WIDTH_STEP``; narrower links are left out), ``positive`` 1 for w ≥ 0 (blue) and 0 for
    orange. With a unit ``selected``, its incoming links come last at full opacity and the
    others are dimmed. The browser strokes them on its canvas: cheaper to send and to draw
    seven times a second than an SVG element each.
    """
    size = layout.map_size
    offsets = np.cumsum([0, *layout.layer_sizes])
    boxes = np.concatenate(layout.boxes)
    width = np.round(links.width / WIDTH_STEP) * WIDTH_STEP
    incoming = np.zeros(links.weight.size, dtype=bool)
    if selected is not None and selected[0] > 0:
        incoming = (links.layer == selected[0] - 1) & (links.target == selected[1])
    opacity = np.where(incoming, 1.0, 0.35 if incoming.any() else 0.7)
    starts = boxes[offsets[links.layer] + links.source] + (size, size / 2)
    ends = boxes[offsets[links.layer + 1] + links.target] + (0, size / 2)
    rows = np.column_stack([starts, ends, width, links.positive, opacity])
    order = np.lexsort((~incoming,))[::-1]  # the selected unit's links last (on top)
    rows = rows[order][width[order] > 0]
    return np.round(rows, 2)


def bias_marks(layout: DiagramLayout, links: Links) -> list[list[float]]:
    """A square per unit with a bias (all but the inputs) at its lower left corner, as
    [x, y, size, positive, opacity]: blue for b ≥ 0, orange below, stronger as |b| grows."""
    size, marks = layout.map_size, []
    for column, boxes in enumerate(layout.boxes[1:]):
        biases, strengths = links.biases[column], links.bias_strength[column]
        for (x, y), bias, strength in zip(boxes, biases, strengths, strict=True):
            left, top = round(x - BIAS_MARK / 2, 1), round(y + size - BIAS_MARK / 2, 1)
            opacity = round(0.15 + 0.85 * float(strength), 2)
            marks.append([left, top, BIAS_MARK, int(bias >= 0), opacity])
    return marks


def _units(layout: DiagramLayout, labels: list[list[str]], selected) -> list[str]:
    size, titles, parts = layout.map_size, column_titles(layout.layer_sizes), []
    for column, boxes in enumerate(layout.boxes):
        for unit, (x, y) in enumerate(boxes):
            is_selected = selected == (column, unit)
            stroke = f'stroke="{PRIMARY}" stroke-width="3"' if is_selected else (
                f'stroke="{MUTED}" stroke-width="0.6"')  # fmt: skip
            title = escape(f"{titles[column]} · {labels[column][unit]} (click to inspect)")
            parts.append(
                f'<rect class="unit" data-column="{column}" data-unit="{unit}" x="{x:.1f}" '
                f'y="{y:.1f}" width="{size}" height="{size}" fill="transparent" {stroke} '
                f'style="cursor:pointer"><title>{title}</title></rect>'
            )
    return parts


def _labels(layout: DiagramLayout, labels: list[list[str]]) -> list[str]:
    size, parts = layout.map_size, []
    for column, title in enumerate(column_titles(layout.layer_sizes)):
        x = layout.boxes[column][0, 0] + size / 2
        count = layout.layer_sizes[column]
        parts.append(
            f'<text x="{x:.1f}" y="12" text-anchor="middle" fill="{INK}">{escape(title)} '
            f'<tspan fill="{MUTED}">({count})</tspan></text>'
        )
    for column, anchor, dx in ((0, "end", -6), (len(layout.boxes) - 1, "start", size + 6)):
        for (x, y), label in zip(layout.boxes[column], labels[column], strict=True):
            parts.append(
                f'<text x="{x + dx:.1f}" y="{y + size / 2 + 4:.1f}" text-anchor="{anchor}" '
                f'fill="{MUTED}">{escape(label)}</text>'
            )
    return parts


def _legend(layout: DiagramLayout, limit: float, output_text: str) -> str:
    top, left, stops = layout.height + 6, layout.boxes[0][0, 0], []
    for t in np.linspace(0, 1, 9):
        r, g, b = (int(round(c)) for c in value_colors(np.array(2 * t - 1), (-1.0, 1.0)))
        stops.append(f'<stop offset="{t:.3f}" stop-color="rgb({r},{g},{b})"/>')
    return (
        f'<defs><linearGradient id="diagram-scale">{"".join(stops)}</linearGradient></defs>'
        f'<rect x="{left:.0f}" y="{top}" width="100" height="10" fill="url(#diagram-scale)" '
        f'stroke="{MUTED}" stroke-width="0.5"/>'
        f'<text x="{left + 108:.0f}" y="{top + 9}" fill="{MUTED}" data-testid="diagram-scale">'
        f"inputs and hidden units, one scale: orange −{limit:g} · white 0 · blue +{limit:g}"
        f'</text><text x="{left:.0f}" y="{top + 24}" fill="{MUTED}">{escape(output_text)} · '
        "links: width ∝ |w|, blue +, orange − · square at a unit: its bias</text>"
    )


def overlay_svg(
    layout: DiagramLayout,
    labels: list[list[str]],
    limit: float,
    output_text: str,
    selected: tuple[int, int] | None = None,
) -> str:
    """What is drawn over the canvas: unit outlines (``data-column``/``data-unit`` for clicks,
    a ``<title>`` for hovering), column titles, the inputs' and outputs' labels, and the one
    legend. It changes only with the shape, the selection or the scale, so the browser seldom
    has to replace it; ``selected`` (column, unit) is outlined in the primary colour. The SVG
    is ``layout.width`` × ``layout.height + LEGEND_HEIGHT``, transparent over the canvas.
    """
    height = layout.height + LEGEND_HEIGHT
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{layout.width}" height="{height}" '
        f'viewBox="0 0 {layout.width} {height}" font-family="{escape(FONT_FAMILY)}" '
        f'font-size="11" data-testid="network-diagram-svg">',
        *_units(layout, labels, selected),
        *_labels(layout, labels),
        _legend(layout, limit, output_text),
        "</svg>",
    ]
    return "".join(parts)


def unit_picture(
    maps: UnitMaps,
    column: int,
    unit: int,
    output: str,
    data: tuple[Array, Array, Any, Any],
    size: int = 280,
) -> Array:
    """One unit's map at ``size``² px with the data on it (train filled, test ringed).

    ``maps`` is a finer sampling of the same model (any resolution), with the diagram's own
    ``limit`` so the colours read the same; ``data`` is (X_train, y_train, X_test, y_test),
    the test pair may be None.
    """
    values = upsample(maps.maps[column][unit][..., None], (size, size))[..., 0]
    image = np.ascontiguousarray(unit_map_colors(maps, column, unit, values, output), np.float32)
    draw_data_points(image, maps.extent, *data)
    return to_uint8(image)


def weights_svg(names: list[str], weights: Array, bias: float, reference: float) -> str:
    """A unit's incoming weights and its bias as signed bars (blue +, orange −), one row each,
    all on the diagram's link scale (a bar's half-width of 90 px is |w| = ``reference``)."""
    rows = [*zip(names, np.asarray(weights, dtype=float), strict=True), ("bias", float(bias))]
    row_height, label_width, half = 17, 120, 90
    centre = label_width + half
    width, height = centre + half + 60, row_height * len(rows) + 4
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{escape(FONT_FAMILY)}" font-size="11" '
        f'data-testid="unit-weights">',
        f'<line x1="{centre}" x2="{centre}" y1="0" y2="{height}" stroke="{MUTED}" '
        'stroke-width="0.5"/>',
    ]
    for k, (name, value) in enumerate(rows):
        y = 2 + k * row_height
        length = min(abs(value) / reference, 1.0) * half
        left = centre if value >= 0 else centre - length
        color = POSITIVE if value >= 0 else NEGATIVE
        parts.append(
            f'<text x="{label_width - 6}" y="{y + 12}" text-anchor="end" fill="{INK}">'
            f'{escape(name)}</text><rect x="{left:.1f}" y="{y + 3}" width="{length:.1f}" '
            f'height="{row_height - 6}" fill="{color}"/><text x="{centre + half + 6}" '
            f'y="{y + 12}" fill="{MUTED}">{value:+.3f}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)

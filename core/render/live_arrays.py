"""The live view as compact arrays for a browser canvas: every number computed here, drawn there.

The Transform page's live view used to rasterise and PNG-encode its pictures on the server
several times a second. Now the browser draws them (``assets/live_canvas.js``) from what this
module computes with the same NumPy functions: the decision regions' colours on a coarse grid
and the fields whose zero line is the boundary, the points, each layer's representation with
its warped grid, a frame fitted to the data and a scale bar, and the curves' vertices and ticks.
Positions are sent as uint16 levels of their panel (0..65534; 65535 breaks a polyline),
colours as uint8 RGB, each array as base64: a tick's arrays weigh a few tens of kilobytes. A
layer's grid lines are levels of a box three times the frame's width (they reach past it).
"""

from __future__ import annotations

import base64
import math
import re
from typing import Any

import numpy as np

from core.labs.plane import Extent, check_extent
from core.render.draw import region_colors
from core.render.raster import probability_grid
from core.render.ticks import nice_ticks
from core.render.value_raster import value_grid
from core.render.value_scale import point_fills, value_colors

__all__ = [
    "BREAK",
    "LEVELS",
    "b64_array",
    "curves_payload",
    "data_frame",
    "decode",
    "layer_panels",
    "plane_payload",
    "points_payload",
    "scale_bar",
    "spread_words",
]

Array = np.ndarray

LEVELS = 65534  # the largest position level; a panel's far edge
BREAK = 65535  # a level that is no position: the end of one polyline
PLANE_RESOLUTION = 64  # grid samples per side of the input plane (bilinear in the browser)
MARGIN = 0.1  # share of a frame's side left free around the data on each side
_PCA = re.compile(r"(\d+)-D, PCA (\d+) ?%")


def b64_array(array: Array) -> str:
    """An array's bytes (C order, its own dtype) as base64 text; ``decode`` reads it back."""
    return base64.b64encode(np.ascontiguousarray(array).tobytes()).decode("ascii")


def decode(text: str, dtype: Any) -> Array:
    """The flat array behind one of this module's base64 strings (for tests and checks)."""
    return np.frombuffer(base64.b64decode(text), dtype=dtype)


def _levels(points: Array, extent: Extent) -> Array:
    """Positions (n, 2) as uint16 levels of ``extent`` (x right, y up); rows that are not
    finite or lie outside become BREAK."""
    x_min, x_max, y_min, y_max = extent
    with np.errstate(invalid="ignore"):
        scaled = (points - [x_min, y_min]) / [x_max - x_min, y_max - y_min] * LEVELS
        outside = ~((scaled >= -0.5) & (scaled <= LEVELS + 0.5)).all(axis=1)
    out = np.clip(np.rint(np.nan_to_num(scaled, nan=0.0)), 0, LEVELS).astype(np.uint16)
    out[outside] = BREAK
    return out


def _widened(frame: Extent) -> Extent:
    """The frame grown by its own width on every side: a grid line's vertices just outside the
    frame are kept, so the browser's clipping draws it up to the edge."""
    x_min, x_max, y_min, y_max = frame
    width, height = x_max - x_min, y_max - y_min
    return x_min - width, x_max + width, y_min - height, y_max + height


def points_payload(X: Array, labels: Array, extent: Extent) -> dict[str, str]:
    """Points over ``extent``: "xy" (n, 2) uint16 levels, "rgb" (n, 3) uint8 fill colours."""
    fills = np.clip(point_fills(labels) + 0.5, 0, 255).astype(np.uint8)
    return {"xy": b64_array(_levels(np.asarray(X, float), extent)), "rgb": b64_array(fills)}


def plane_payload(
    model: Any, extent: Extent, discretize: bool = False, resolution: int = PLANE_RESOLUTION
) -> dict[str, Any]:
    """The input plane on a ``resolution``² grid that runs corner to corner over ``extent``
    (row 0 is the top): "rgb" (r, r, 3) uint8 region colours (as ``boundary_image`` or
    ``value_image`` shade them) and "fields": per boundary, (r, r) uint8 levels of a field
    whose level-127.5 line is where the predicted class changes (none for regression)."""
    extent = check_extent(extent)
    fields: list[Array] = []
    if getattr(model, "regression", False):
        values = value_grid(model, extent, resolution)
        rgb = value_colors(np.sign(values) if discretize else values)
    else:
        *_, probs = probability_grid(model, extent, resolution)
        hard = (np.arange(probs.shape[-1]) == np.argmax(probs, axis=-1)[..., None]).astype(float)
        rgb = region_colors(hard if discretize else probs)
        # p_k − max_{j≠k} p_j is 0 where class k ties with its strongest rival; for two
        # classes one field (p₁ − p₀) holds the whole boundary.
        for k in [1] if probs.shape[-1] == 2 else range(probs.shape[-1]):
            rival = np.delete(probs, k, axis=-1).max(axis=-1)
            fields.append((probs[..., k] - rival + 1) / 2 * 255)
    encoded = [b64_array(np.clip(np.rint(f), 0, 255).astype(np.uint8)) for f in fields]
    rgb = np.clip(rgb + 0.5, 0, 255).astype(np.uint8)
    return {"n": resolution, "rgb": b64_array(rgb), "fields": encoded}


def data_frame(points: Array, margin: float = MARGIN) -> Extent:
    """A square frame (equal scales on both axes) fitted to the finite rows of ``points``
    (n, 2): the data fill the frame but for ``margin`` of its side on each side."""
    finite = points[np.isfinite(points).all(axis=1)]
    if not len(finite):
        return -1.0, 1.0, -1.0, 1.0
    low, high = finite.min(axis=0), finite.max(axis=0)
    half = max(float((high - low).max()) / 2, 1e-6) / (1 - 2 * margin)
    centre = (low + high) / 2
    return centre[0] - half, centre[0] + half, centre[1] - half, centre[1] + half


def scale_bar(extent: Extent, share: float = 0.3) -> tuple[float, str]:
    """A round length (1, 2 or 5 × 10^k) of at most ``share`` of the frame's width, as a share
    of the width, and its label: the true scale of a panel fitted to its data."""
    width = extent[1] - extent[0]
    power = 10.0 ** math.floor(math.log10(width * share))
    length = max(m * power for m in (1.0, 2.0, 5.0) if m * power <= width * share)
    return length / width, f"{length:g}"


def spread_words(caption: str) -> str:
    """What a layer panel's caption ("layer 2 · 8-D, PCA 73%") means, in words."""
    match = _PCA.search(caption)
    name = caption.split(" · ")[0]
    if match is None:
        return f"{name}: the plane itself, at its own scale"
    units, share = match.groups()
    return (
        f"{name}: {units} units, seen along their 2 main directions (PCA); "
        f"the view shows {share} % of the layer's spread"
    )


def layer_panels(snapshots: list[tuple[Array, Array, str]], labels: Array) -> list[dict]:
    """Per representation (``core.labs.network_stages.layer_snapshots``): its frame fitted to
    the data, the points and grid lines as levels of it, a scale bar, the caption and its
    meaning. The points' colours are the input plane's (``points_payload``)."""
    panels = []
    for points, lines, caption in snapshots:
        frame = data_frame(points)
        bar, bar_label = scale_bar(frame)
        panels.append(
            {
                "xy": b64_array(_levels(points, frame)),
                "lines": b64_array(_levels(lines, _widened(frame))),  # levels of 3× the frame
                "frame": [round(v, 6) for v in frame],
                "bar": round(bar, 6),
                "bar_label": bar_label,
                "caption": caption,
                "words": spread_words(caption),
            }
        )
    return panels


def curves_payload(
    epochs: Array,
    series: dict[str, tuple[Array, str, str]],
    *,
    title: str,
    log_y: bool = True,
    max_points: int = 240,
) -> dict[str, Any]:
    """A line chart of ``series`` ({name: (values, colour, dash)}) against ``epochs``: per
    series its vertices as uint16 levels of the plot box (x right, y up; BREAK where a value is
    not finite), the y ticks (level, label) to draw and the epochs the x levels span."""
    epochs = np.asarray(epochs, dtype=float)
    keep = np.unique(np.linspace(0, len(epochs) - 1, min(len(epochs), max_points)).astype(int))

    def scaled(values: Array) -> Array:
        values = np.asarray(values, dtype=float)
        return np.log10(np.where(values > 0, values, np.nan)) if log_y else values

    every = np.concatenate([scaled(v) for v, _, _ in series.values()] or [np.array([])])
    finite = every[np.isfinite(every)]
    y_low, y_high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    if y_high - y_low < 1e-12:
        y_low, y_high = y_low - 0.5, y_high + 0.5
    x_low, x_high = (epochs[0], epochs[-1]) if len(epochs) > 1 else (0.0, 1.0)
    box = (float(x_low), float(max(x_high, x_low + 1e-12)), y_low, y_high)
    values, labels = (
        nice_ticks(10**y_low, 10**y_high, log=True) if log_y else nice_ticks(y_low, y_high)
    )
    ticks = np.log10(values) if log_y else values
    tick_levels = np.rint((ticks - y_low) / (y_high - y_low) * LEVELS).astype(int)
    lines = []
    for name, (raw, color, dash) in series.items():
        vertices = np.column_stack([epochs[keep], scaled(raw)[keep]])
        lines.append({"name": name, "color": color, "dash": dash,
                      "xy": b64_array(_levels(vertices, box))})  # fmt: skip
    return {
        "title": title,
        "series": lines,
        "y_ticks": [[int(level), label] for level, label in zip(tick_levels, labels, strict=True)],
        # Epochs at levels 0 and LEVELS: the canvas draws the x ticks up to its picture's epoch.
        "x_range": [box[0], box[1]],
    }

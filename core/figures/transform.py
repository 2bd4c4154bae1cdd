"""Plotly figure builders. They take core arrays and return ``go.Figure``; no Streamlit here.

``transform_figure`` turns a ``NetworkAnimation`` into one animated figure: the warped grid
(one trace, NaN-separated lines), the data (one trace per class), and at the very end the
output layer's decision lines or planes. Frames carry float32 arrays (Plotly sends NumPy arrays as
typed arrays; float32 halves the payload). Every frame is drawn with ``redraw: True``: without
it plotly.js moves 2-D traces and axes but keeps the old title. Each frame carries its own title
and, unless the view is fixed, its own view (``core.figures.transform_views``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from core.figures.area_shading import area_color_bar, area_frame, area_slots
from core.figures.plotly_frames import animated_figure, play_controls
from core.figures.transform_views import axes_layout, axis_span, fixed_view, frame_views
from core.labs.decision_boundaries import decision_pieces
from core.labs.network_stages import NetworkAnimation, View, project
from core.labs.plane import join_lines
from core.labs.stage_areas import CellFrame
from core.labs.stage_notes import network_notes
from core.render.theme import GRID_COLOR, INK, PLANE_OPACITY, PRIMARY, class_color, figure_layout

__all__ = ["frame_positions", "transform_figure"]

Array = np.ndarray
FRAME_MS = 70
FLOAT32_SAFE = 1e30
MOVING = frozenset({"type", "x", "y", "z", "i", "j", "k", "visible"})
# Play/Pause on their own row under the plot (below the x ticks), then a slider with a stop per
# layer (input, L1, L2, …: few, so plotly.js labels every one, even 8 layers on a 390 px phone),
# then the slider with a stop per stage (plotly.js thins its labels to what fits).
MENU = {"x": 0.0, "y": 0.0, "xanchor": "left", "yanchor": "top", "pad": {"t": 28}}
SLIDER = {
    "active": 0,
    "x": 0.0,
    "len": 1.0,
    "y": 0.0,
    "yanchor": "top",
    "pad": {"t": 126, "l": 8, "r": 8},
    "currentvalue": {"visible": False},
    "font": {"size": 11},
}
LAYER_SLIDER = {**SLIDER, "pad": {"t": 70, "l": 8, "r": 8}}
LEFT = {2: 40, 3: 10}  # the left margin, by figure dimension: 3-D ticks lie inside the scene


STAGE_LABELS = {
    "reflect_in": "flip",
    "rotate_in": "Vᵀ",
    "stretch": "Σ",
    "reflect_out": "flip",
    "rotate_out": "U",
    "translate": "+b",
    "bend": "σ",
}


@dataclass(frozen=True)
class FrameSpec:
    """One animation frame: name, title, slider label (None if not a key frame), positions."""

    name: str
    title: str
    label: str | None
    positions: Array  # (n_points, k) in view coordinates


def frame_positions(anim: NetworkAnimation) -> list[FrameSpec]:
    """Every frame in playing order: the input plane, then per layer its start and stages."""
    n_inputs = anim.input_points.shape[1]
    title = "The input plane" if n_inputs == 2 else f"The lifted input ({n_inputs} features)"
    if anim.input_view.explained is not None:
        title += f" · PCA view, {anim.input_view.explained:.0%} of variance"
    frames = [FrameSpec("input", title, "input", project(anim.input_points, anim.input_view))]
    n_layers = len(anim.layers)
    notes = network_notes(anim)
    for layer, view, meaning in zip(anim.layers, anim.views, notes, strict=True):
        shape = f"{layer.fan_in}→{layer.fan_out}"
        note = "" if view.explained is None else f" · PCA view, {view.explained:.0%} of variance"
        head = f"Layer {layer.layer + 1} of {n_layers} ({shape})"
        key = f"L{layer.layer + 1}"
        start = f"{head}: its input{note}"
        frames.append(FrameSpec(key, start, key, project(layer.start, view)))
        for s, stage in enumerate(layer.stages):
            said = f" · {meaning}" if stage.kind == "bend" else ""
            title = f"{head}: {stage.title}<br>{stage.detail}{said}{note}"
            last = len(stage.frames) - 1
            for f, positions in enumerate(stage.frames):
                label = STAGE_LABELS[stage.kind] if f == last else None
                frames.append(FrameSpec(f"{key}.{s}.{f}", title, label, project(positions, view)))
    return frames


def _split(positions: Array, anim: NetworkAnimation) -> tuple[Array, Array]:
    """Data rows, and grid rows with a NaN row after each line (one trace draws all lines)."""
    grid = positions[anim.n_data :].reshape(*anim.grid_shape, positions.shape[1])
    return _float32(positions[: anim.n_data]), _float32(join_lines(grid))


def _float32(values: Array) -> Array:
    """float32 for the browser; values float32 cannot hold (an exploded net) become gaps."""
    return np.where(np.abs(values) < FLOAT32_SAFE, values, np.nan).astype(np.float32)


def _xyz(points: Array) -> dict[str, Array]:
    keys = ("x", "y", "z")[: points.shape[1]]
    return {key: points[:, i] for i, key in enumerate(keys)}


def _traces(positions: Array, anim: NetworkAnimation, labels: Array, classes: Array) -> list:
    # Plain dicts: the base traces are validated once by the Figure, the frames' copies are not
    # (core.figures.plotly_frames; the tests validate them).
    data, grid = _split(positions, anim)
    kind = "scatter" if anim.figure_dim == 2 else "scatter3d"
    traces = [
        {
            "type": kind,
            **_xyz(grid),
            "mode": "lines",
            "hoverinfo": "skip",
            "name": "grid",
            "line": {"color": GRID_COLOR, "width": 1},
        }
    ]
    size = 5 if anim.figure_dim == 2 else 3
    for label in classes:
        marker = {
            "color": class_color(label),
            "size": size,
            "line": {"color": "white", "width": 0.5},
        }
        traces.append(
            {
                "type": kind,
                **_xyz(data[labels == label]),
                "mode": "markers",
                "name": f"class {label}",
                "marker": marker,
            }
        )
    return traces


def _boundary(anim: NetworkAnimation, view: View, data: Array) -> dict:
    """The output layer's decision boundary in the last view's coordinates: lines (2-D) or
    planes (3-D) where the prediction changes (binary: the logit is 0; K classes: the two top
    logits tie, per pair of classes), within the data's bounding box plus a margin; hidden
    until the last frame shows it."""
    weights = np.zeros((view.mean.size, anim.output_weights.shape[1]))
    weights[: anim.output_weights.shape[0]] = anim.output_weights
    # A point y of the view is the representation mean + basis y: its logits are y A + c.
    A, c = view.basis.T @ weights, view.mean @ weights + anim.output_bias
    low, high = np.nanmin(data, axis=0), np.nanmax(data, axis=0)
    # 2-D: lines a little past the data; 3-D: a patch of the plane inside the data's box (an
    # endless sheet would fill the view and hide the points).
    pad = (0.1 if anim.figure_dim == 2 else 0.02) * (high - low).max()
    pieces = decision_pieces(A, c, low - pad, high + pad)
    style = {"name": "decision boundary", "hoverinfo": "skip", "visible": False}
    if anim.figure_dim == 2:
        points = join_lines(pieces)
        line = {"color": INK, "width": 3, "dash": "dash"}
        return {"type": "scatter", **_xyz(points), "mode": "lines", "line": line, **style}
    # Each convex polygon as a triangle fan from its first vertex.
    triangles, start = [], 0
    for piece in pieces:
        triangles += [(start, start + t, start + t + 1) for t in range(1, len(piece) - 1)]
        start += len(piece)
    fan = np.array(triangles, dtype=np.int32).reshape(-1, 3)
    points = np.concatenate(pieces) if pieces else np.zeros((0, 3))
    return {
        "type": "mesh3d",
        **_xyz(points),
        "i": fan[:, 0],
        "j": fan[:, 1],
        "k": fan[:, 2],
        "color": PRIMARY,
        "opacity": PLANE_OPACITY,  # light: the points behind it keep their colour
        "flatshading": True,
        "lighting": {"ambient": 1.0, "diffuse": 0.0, "specular": 0.0},
        **style,
    }


def transform_figure(
    anim: NetworkAnimation,
    labels: Array,
    height: int = 720,
    fixed: bool = False,
    cells: list[CellFrame | None] | None = None,
) -> go.Figure:
    """The staged animation of every hidden layer, from the input plane to the last layer.

    ``labels`` (n_data,) colour the data points. The last frame shows the output layer's
    decision lines/planes (for K classes, where the two top logits tie) in the last layer's view.
    Every frame carries its own title; unless ``fixed``, also its own view fitted to the data
    (``core.labs.framing``), with ticks and a zoom note giving the true scale. ``fixed`` keeps
    one equal-scaled view for the whole animation (true scale). ``cells`` (one per frame,
    ``core.labs.stage_areas.stage_cells``) shades each grid cell by its stage's area change
    under the grid, with a colour bar (``core.figures.area_shading``).
    """
    frames = frame_positions(anim)
    if cells is not None and [c.name for c in cells if c] != [
        f.name for f, c in zip(frames, cells, strict=True) if c
    ]:
        raise ValueError("the shaded cells' frames are not the animation's")
    classes = np.unique(labels)
    last_view = anim.views[-1] if anim.layers else anim.input_view
    # The boundary is computed once: hidden in the base and every frame but the last, which
    # carries its coordinates.
    boundary = _boundary(anim, last_view, frames[-1].positions[: anim.n_data])
    hidden = {"type": boundary["type"], "visible": False}
    shown = {key: value for key, value in boundary.items() if key in MOVING} | {"visible": True}
    views = None if fixed else frame_views(frames, anim)
    base, plain_frames = None, []
    for index, frame in enumerate(frames):
        traces = _traces(frame.positions, anim, labels, classes)
        shade = [] if cells is None else _shade(cells[index])
        if base is None:
            bar = [] if cells is None else [area_color_bar(1.01).to_plotly_json()]
            base = [*(area_slots() if cells is not None else []), *traces, boundary, *bar]
        # A frame carries only what moves; colours and styles stay on the base traces.
        moving = shade + [{k: v for k, v in t.items() if k in MOVING} for t in traces]
        moving.append(shown if index == len(frames) - 1 else hidden)
        title = _title(frame.title, None if views is None else views[index][1])
        layout = {"title": {"text": title}}
        if views is not None:
            layout |= views[index][0]
        plain_frames.append({"name": frame.name, "data": moving, "layout": layout})
    steps = [(frame.label, frame.name) for frame in frames if frame.label is not None]
    # A full redraw per frame: without it plotly.js moves the traces and axes but leaves the
    # title (and the 3-D scene) as they were.
    menus, sliders = play_controls(steps, frame_ms=FRAME_MS, redraw=True, menu=MENU, slider=SLIDER)
    title = plain_frames[0]["layout"]["title"]["text"]
    layout = {
        **figure_layout(height),
        "title": {"text": title, "font": {"size": 15, "color": INK}, "x": 0.01},
        # 2-D: room on the left for the y tick labels (drawn outside the plot, "−0.25").
        "margin": {"l": LEFT[anim.figure_dim], "r": 10 if cells is None else 80, "t": 64, "b": 190},
        "showlegend": False,
        "updatemenus": menus,
        "sliders": _with_layer_slider(sliders),
        "uirevision": "transform",
    }
    view = fixed_view(anim.figure_dim, axis_span(frames)) if views is None else views[0][0]
    # One layout, validated once (Plotly's update_* calls validated it again per call).
    return animated_figure(base, plain_frames, layout | _merged(axes_layout(anim.figure_dim), view))


def _shade(cell: CellFrame | None) -> list[dict]:
    """The shading slots' contents for one frame (empty where nothing is shaded)."""
    if cell is None:
        return area_frame(None, None, False)
    return area_frame(cell.corners, cell.area, cell.kink)


def _merged(a: dict, b: dict) -> dict:
    """``a`` updated by ``b``, nested dicts merged rather than replaced."""
    out = dict(a)
    for key, value in b.items():
        out[key] = _merged(out[key], value) if isinstance(out.get(key), dict) else value
    return out


def _with_layer_slider(sliders: list[dict]) -> list[dict]:
    """The stage slider, and before it one with a stop per layer start ("input", "L1", …)."""
    stages = sliders[0]
    layers = [step for step in stages["steps"] if "." not in step["args"][0][0]]
    return [stages, {**LAYER_SLIDER, "steps": layers}]


def _title(text: str, zoom: str | None) -> str:
    """Stage name on the first line; its numbers, the view and the zoom smaller below."""
    head, _, detail = text.partition("<br>")
    small = " · ".join(part for part in (detail, zoom) if part)
    return head if not small else f"{head}<br><span style='font-size:12px'>{small}</span>"

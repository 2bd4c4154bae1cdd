"""Where the Transform animation looks: each frame's view, the axes' style, the fixed view.

``frame_views`` turns ``core.labs.framing``'s boxes into per-frame layout (2-D axis ranges with a
square on screen; a 3-D scene's ranges, equal-unit aspect and camera) and a zoom note;
``fixed_view`` is the one equal-scaled view of *True scale (fixed axes)*. Frames are
``core.figures.transform.FrameSpec`` records (name, title, label, positions).
"""

from __future__ import annotations

import numpy as np

from core.labs.framing import camera_eyes, follow_boxes, zoom_text
from core.labs.network_stages import NetworkAnimation

__all__ = ["CAMERA_EYE", "axes_layout", "axis_span", "fixed_view", "frame_views"]

Array = np.ndarray
CAMERA_EYE = (0.95, -0.95, 0.62)  # the 3-D camera: its direction, and its distance (zoom)


def axis_span(frames: list) -> float:
    """Half-width of the fixed axis range: fits every representation (the input plane and
    each layer's result), so a big intermediate stretch may run off the edge for a moment
    rather than shrinking every picture to a dot."""
    keys = [f.positions for f in frames if f.label in ("input", "σ")] or [frames[-1].positions]
    values = np.abs(np.concatenate([p[np.isfinite(p)] for p in keys]))
    return float(np.percentile(values, 99.5) * 1.1) if values.size else 1.0


def frame_views(frames: list, anim: NetworkAnimation) -> list[tuple[dict, str]]:
    """Per frame: the layout that frames it on its data, and its zoom note."""
    data = [frame.positions[: anim.n_data] for frame in frames]
    three_d = anim.figure_dim == 3
    is_key = [frame.label is not None for frame in frames]
    eyes = camera_eyes(data, is_key, np.array(CAMERA_EYE)) if three_d else [None] * len(data)
    boxes = follow_boxes(data, is_key, eyes=eyes if three_d else None)
    return [
        (_view_layout(box, eye, _is_flat(points)), zoom_text(box, boxes[0], equal_units=three_d))
        for box, eye, points in zip(boxes, eyes, data, strict=True)
    ]


def _is_flat(points: Array) -> bool:
    """Whether 3-D ``points`` (n, 3) all lie at one height (the input plane, a 2-D layer's
    sheet): their z ticks would label a height nobody can see, floating beside the sheet."""
    finite = points[np.isfinite(points).all(axis=1)]
    if points.shape[1] < 3 or not len(finite):
        return False
    spread = np.ptp(finite, axis=0)
    return bool(spread[2] <= 1e-6 * max(spread[:2].max(), 1e-12))


def _view_layout(box: tuple[Array, Array], eye: Array | None, flat: bool = False) -> dict:
    low, high = (np.round(v, 6).tolist() for v in box)
    span = np.subtract(high, low)
    if eye is None:
        # A square on screen: one unit of y drawn span_x / span_y times one unit of x.
        ratio = round(float(span[0] / span[1]), 6)
        y_axis = {"range": [low[1], high[1]], "scaleanchor": "x", "scaleratio": ratio}
        return {"xaxis": {"range": [low[0], high[0]]}, "yaxis": y_axis}
    ratio = span / span.max()
    axes = {f"{a}axis": {"range": [low[i], high[i]]} for i, a in enumerate("xyz")}
    # Every frame says whether its z ticks show: a frame's layout only changes what it names.
    axes["zaxis"]["showticklabels"] = not flat
    return {
        "scene": {
            **axes,
            "aspectmode": "manual",
            "aspectratio": dict(zip("xyz", np.round(ratio, 4).tolist(), strict=True)),
            "camera": {"eye": dict(zip("xyz", np.round(eye, 4).tolist(), strict=True))},
        }
    }


# Tick labels upright: Plotly tilts crowded 2-D labels, and a 3-D scene lays them along their
# axis, which the camera turned about 45 degrees on the input plane.
TICKS = {
    "showgrid": False,
    "zeroline": False,
    "title": {"text": ""},
    "tickfont": {"size": 10},
    "tickangle": 0,
}


def axes_layout(figure_dim: int) -> dict:
    """Readable ticks on every axis (the true scale), upright, no axis titles or grids."""
    if figure_dim == 2:
        axis = {**TICKS, "nticks": 7, "constrain": "domain"}
        return {"xaxis": axis, "yaxis": axis}
    # A faint floor and walls: the ticks then sit on a box, not in the air.
    axis3 = {
        **TICKS,
        "showbackground": True,
        "backgroundcolor": "rgba(91, 75, 219, 0.035)",
        "showgrid": True,
        "gridcolor": "rgba(107, 104, 128, 0.18)",
        "showspikes": False,
        "nticks": 5,
    }
    camera = {"eye": dict(zip("xyz", CAMERA_EYE, strict=True))}
    return {"scene": {"xaxis": axis3, "yaxis": axis3, "zaxis": axis3, "camera": camera}}


def fixed_view(figure_dim: int, span: float) -> dict:
    """Fixed, equal axes ±``span``: the plane (2-D) or a cube (3-D)."""
    axis = {"range": [-span, span]}
    if figure_dim == 2:
        return {"xaxis": axis, "yaxis": {**axis, "scaleanchor": "x", "scaleratio": 1}}
    return {"scene": {"xaxis": axis, "yaxis": axis, "zaxis": axis, "aspectmode": "cube"}}

"""Animated Plotly figures: frames that skip Plotly's per-property validation, and their controls.

``go.Figure(frames=...)`` validates every frame's every trace, and each NumPy array goes
through narwhals and a read-only copy; ``Figure.to_dict`` (what ``st.plotly_chart`` calls) then
deep-copies the frames and turns each array into a base64 typed array, through narwhals again.
For the Transform animation (about 85 frames × 4 traces) that was most of a rerun after a
setting change. Here the frames' arrays are encoded once, straight from NumPy, into the same
typed-array dicts plotly.js reads (``typed_array``), and the frames are stored unvalidated, so
``to_dict`` copies only short strings. The figure's own traces and layout are still validated
as usual, and the tests rebuild every animated figure through Plotly's validators
(``checked_copy``) and compare.

Relies on two Plotly internals, both pinned by ``tests/test_plotly_frames.py``: the
``_validate=False`` keyword of graph objects (stores properties as given) and the figure's
``_frame_objs`` tuple (what ``Figure.frames`` and ``Figure.to_dict`` read).

``play_controls`` builds the ▶ Play / ❚❚ Pause buttons and the key-frame slider every animated
figure shares; each figure only places them.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go

__all__ = ["animated_figure", "checked_copy", "decoded", "play_controls", "typed_array"]

# NumPy dtype -> plotly.js typed-array code (int64 is not a plotly.js type: left as is).
DTYPE_CODES = {
    "int8": "i1",
    "uint8": "u1",
    "int16": "i2",
    "uint16": "u2",
    "int32": "i4",
    "uint32": "u4",
    "float32": "f4",
    "float64": "f8",
}
CODE_DTYPES = {code: name for name, code in DTYPE_CODES.items()}


def typed_array(values: np.ndarray) -> dict[str, str] | np.ndarray:
    """``values`` as plotly.js's typed-array spec ``{"dtype", "bdata"[, "shape"]}``.

    The same dict Plotly's ``to_dict`` makes; arrays of other dtypes, and empty ones, stay
    arrays (Plotly then handles them itself).
    """
    code = DTYPE_CODES.get(values.dtype.name)
    if code is None or values.size == 0:
        return values
    spec = {"dtype": code, "bdata": base64.b64encode(np.ascontiguousarray(values)).decode("ascii")}
    if values.ndim > 1:
        spec["shape"] = str(values.shape)[1:-1]
    return spec


def _encoded(value: Any) -> Any:
    """A copy of ``value`` (dicts, lists, tuples, scalars) with every array a typed array."""
    if isinstance(value, np.ndarray):
        return typed_array(value)
    if isinstance(value, dict):
        return {key: _encoded(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_encoded(item) for item in value]
    return value


def decoded(value: Any) -> Any:
    """A copy of ``value`` with every typed-array dict (see ``typed_array``) a NumPy array."""
    if isinstance(value, dict):
        if value.keys() in ({"dtype", "bdata"}, {"dtype", "bdata", "shape"}):
            array = np.frombuffer(base64.b64decode(value["bdata"]), CODE_DTYPES[value["dtype"]])
            shape = value.get("shape")
            return (
                array.reshape([int(n) for n in shape.split(",") if n.strip()]) if shape else array
            )
        return {key: decoded(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [decoded(item) for item in value]
    return value


def animated_figure(
    data: Sequence, frames: Sequence[dict], layout: dict | None = None
) -> go.Figure:
    """A ``go.Figure`` of validated ``data`` and ``layout`` and unvalidated ``frames``.

    ``frames`` are dicts with the keys of ``go.Frame`` (``name``, ``data``, ``layout``, ...)
    whose traces are plain dicts with a ``type``; they are not modified.
    """
    figure = go.Figure(data=data, layout=layout)
    figure._frame_objs = tuple(go.Frame(**_encoded(frame), _validate=False) for frame in frames)
    return figure


def checked_copy(figure: go.Figure) -> go.Figure:
    """The same figure rebuilt with full validation (``ValueError`` on a bad property), its
    arrays decoded: ``checked_copy(f).frames[i].data[j].x`` is a NumPy array again."""
    return go.Figure(decoded(figure.to_dict()))


def play_controls(
    steps: Sequence[tuple[str, str]],
    *,
    frame_ms: int,
    redraw: bool = False,
    menu: dict | None = None,
    slider: dict | None = None,
) -> tuple[list[dict], list[dict]]:
    """▶ Play / ❚❚ Pause buttons and a slider over key frames, for an animated figure's layout.

    Parameters
    ----------
    steps : sequence of (label, frame name)
        One slider step per pair, in order; a click jumps to that frame.
    frame_ms : int
        Milliseconds per frame while playing.
    redraw : bool
        plotly.js's full redraw per frame: 3-D traces need it; 2-D scatters move smoothly and
        cheaply without.
    menu, slider : dict, optional
        Placement and look merged into the button menu and the slider (x, y, anchors, pad,
        ``active``, ``currentvalue``, ...).

    Returns
    -------
    (updatemenus, sliders) : one-element lists, ready for ``figure.update_layout``
    """

    def go_to(duration: int) -> dict:
        return {
            "frame": {"duration": duration, "redraw": redraw},
            "mode": "immediate",
            "fromcurrent": True,
            "transition": {"duration": 0},
        }

    buttons = [
        {"label": "▶ Play", "method": "animate", "args": [None, go_to(frame_ms)]},
        {"label": "❚❚ Pause", "method": "animate", "args": [[None], go_to(0)]},
    ]
    slider_steps = [
        {"label": label, "method": "animate", "args": [[name], go_to(0)]} for label, name in steps
    ]
    buttons_menu = {"type": "buttons", "direction": "left", "showactive": False}
    return [{**buttons_menu, **(menu or {}), "buttons": buttons}], [
        {**(slider or {}), "steps": slider_steps}
    ]

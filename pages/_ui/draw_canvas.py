"""Draw your own data: a click-to-add canvas over the input plane, and its controls.

A Plotly chart only selects points that exist, so the canvas is a small ``st.components.v2``
component (``assets/draw_canvas.js``, inline, no iframe): it draws the points it is given and
reports each click as a pair of levels. The click's callback (it runs before the page script)
adds a point of the chosen class or value there, or erases the nearest one, and writes the set
to ``st.session_state["drawn"]``: the ``drawn`` setting of ``core.settings``, encoded by
``core.exchange.drawn_points``. So the drawn set trains like any dataset, exports as the dataset
CSV, and travels in the share link when it has at most ``LINK_POINTS`` points.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import streamlit as st

from core.exchange.drawn_points import (
    LINK_POINTS,
    MAX_POINTS,
    decode,
    encode,
    from_level,
    to_level,
)
from core.render.theme import CLASS_COLORS
from core.render.value_scale import value_colors

__all__ = ["CANVAS_KEY", "draw_panel"]

CANVAS_KEY = "draw_canvas"
DRAWN = "drawn"  # the setting's widget key: Settings.drawn, the encoded set
ERASE = "Erase"
ERASE_REACH = 8  # levels (about 0.06): how near a click must be to erase a point
SIZE = 320
_JS = (Path(__file__).resolve().parents[2] / "assets" / "draw_canvas.js").read_text()
_canvas = st.components.v2.component("spacewarp.draw_canvas", js=_JS)


def _modes(values: bool) -> list[str]:
    return ["Add", ERASE] if values else ["Class 0 (orange)", "Class 1 (blue)", ERASE]


def _on_click() -> None:
    """Add or erase a point where the canvas was clicked (before the script runs)."""
    click = st.session_state[CANVAS_KEY].get("click")
    if not click:
        return
    rows, values = decode(st.session_state.get(DRAWN, ""))
    values = st.session_state.get("draw_values", values)
    at = np.array([click["x"], click["y"]])
    mode = st.session_state.get("draw_mode", _modes(values)[0])
    if mode == ERASE:
        if len(rows):
            distance = np.abs(rows[:, :2] - at).max(axis=1)
            if distance.min() <= ERASE_REACH:
                rows = np.delete(rows, np.argmin(distance), axis=0)
    elif len(rows) < MAX_POINTS:
        label = (
            to_level(st.session_state.get("draw_value", 0.5))
            if values
            else (_modes(False).index(mode))
        )
        rows = np.vstack([rows, [*at, int(label)]])
    st.session_state[DRAWN] = encode(rows, values)


def _clear() -> None:
    st.session_state[DRAWN] = ""


def _switch_kind() -> None:
    st.session_state[DRAWN] = ""  # classes and values do not mix
    st.session_state.pop("draw_mode", None)


def _fills(rows: np.ndarray, values: bool) -> list[str]:
    if values:
        rgb = value_colors(from_level(rows[:, 2])).round().astype(int)
        return [f"rgb({r},{g},{b})" for r, g, b in rgb]
    return [CLASS_COLORS[int(k) % len(CLASS_COLORS)] for k in rows[:, 2]]


def draw_panel() -> None:
    """The canvas and its controls (the page shows them when the dataset is "Draw your own")."""
    rows, values = decode(st.session_state.get(DRAWN, ""))
    st.session_state.setdefault("draw_values", values)
    st.subheader("Draw your own data")
    left, right = st.columns([3, 2])
    with right:
        values = st.toggle(
            "Values (regression)", key="draw_values", on_change=_switch_kind,
            help="Draw targets on a continuous scale instead of two classes; clears the points.",
        )  # fmt: skip
        st.radio("Click to", _modes(values), key="draw_mode", horizontal=True)
        if values:
            st.slider("Value of new points", -1.0, 1.0, 0.5, 0.1, key="draw_value")
        st.button("Clear", key="draw_clear", on_click=_clear, icon=":material/delete:")
        st.caption(
            f"{len(rows)} points (click a point with Erase to remove it). The plane runs from −1 "
            f"to 1 on both axes. A share link carries up to {LINK_POINTS} points."
        )
    with left:
        data = {"points": rows[:, :2].tolist(), "fills": _fills(rows, values), "size": SIZE}
        _canvas(data=data, key=CANVAS_KEY, on_click_change=_on_click)

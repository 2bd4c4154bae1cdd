"""The layer-by-layer animation's chart: one Plotly graph that new figures update in place.

``st.plotly_chart`` gives every different figure a new element (its id hashes the figure), so
each Pause or Snapshot unmounted the old chart and built a new one: the chart was blank
meanwhile, and in Chromium a new 3-D chart (a WebGL context, its shaders, the first draw) cost
about five times a ``Plotly.react`` of the same figure into the existing one (in-page timing,
bench/animation_after_pause.py). This small ``st.components.v2`` component (inline, no iframe)
keeps one graph mounted under a stable key and hands it each new figure; the old animation
stays until the new one is drawn. The figure goes as Plotly's JSON with a version (its
digest), so an unchanged figure is neither re-drawn nor, thanks to Streamlit's message cache,
re-sent. plotly.js is the copy Streamlit ships, imported from its own chunk when no other
chart loaded it yet.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

import plotly.graph_objects as go
import plotly.io
import streamlit as st

__all__ = ["ANIMATION_KEY", "animation_chart", "chart_payload", "plotly_chunk", "session_payload"]

ANIMATION_KEY = "transform_animation"
PAYLOAD = "animation_chart_payload"  # (figure, its payload): the last figure's JSON, made once
_JS = (Path(__file__).resolve().parents[2] / "assets" / "animation_chart.js").read_text()
# In the page's DOM (no shadow root): tests and benches read the graph like any Plotly chart.
_chart = st.components.v2.component("spacewarp.animation_chart", js=_JS, isolate_styles=False)


@functools.cache
def plotly_chunk() -> str:
    """File name of the script in which Streamlit's frontend ships plotly.js (beside its
    ``index`` script); empty if this Streamlit has none."""
    folder = Path(st.__file__).parent / "static" / "static" / "js"
    found = sorted(path.name for path in folder.glob("PlotlyChart.*.js"))
    return found[0] if found else ""


def chart_payload(figure: go.Figure, height: int, config: dict) -> dict:
    """What the component draws: the figure's JSON, its digest as the version, the height,
    Plotly's config and where plotly.js is."""
    spec = plotly.io.to_json(figure, validate=False)
    version = hashlib.blake2b(spec.encode(), digest_size=12).hexdigest()
    return {"figure": spec, "version": version, "height": height, "config": config,
            "plotly": plotly_chunk()}  # fmt: skip


def session_payload(figure: go.Figure, height: int, config: dict) -> dict:
    """``chart_payload`` of ``figure``, made once per figure in this session: a rerun that
    keeps the figure (any change but the weights or the view toggles) does not serialise its
    megabyte again."""
    stored = st.session_state.get(PAYLOAD)
    if stored is not None and stored[0] is figure:
        payload = stored[1]
        if (payload["height"], payload["config"]) == (height, config):
            return payload
    st.session_state.pop(PAYLOAD, None)  # the old JSON goes before the new one is made
    payload = chart_payload(figure, height, config)
    st.session_state[PAYLOAD] = (figure, payload)
    return payload


def animation_chart(figure: go.Figure, height: int, config: dict) -> None:
    """Draw ``figure`` in the page's one animation graph (mounted once, updated in place)."""
    _chart(data=session_payload(figure, height, config), key=ANIMATION_KEY, height=height)

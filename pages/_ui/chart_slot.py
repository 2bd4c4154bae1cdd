"""A placeholder as tall as the chart that will replace it, shown while the chart is computed.

Streamlit sends elements in script order, so a chart whose data take a while (a loss surface:
0.3–3 s on a first visit) left its place blank until it arrived, and the page below it jumped
when it did. Inside ``with chart_slot(key, height) as slot:`` a bordered box of the chart's
height stands in the chart's place at once, and whatever the block shows (the data cache's
spinner, after Streamlit's half-second delay) shows inside it; the chart drawn into ``slot``
after the block replaces the box, in the same place::

    with chart_slot("path_surface", height=560) as slot:
        surface = trajectory_surface(...)  # the slow part; its spinner shows in the box
    slot.plotly_chart(figure, key="path_surface")

A new visitor's first page waits seconds for plotly.js (Streamlit loads its 4.7 MB chunk when
the page's first Plotly chart arrives, then parses it and draws). ``previewed_chart`` shows a
still SVG of the chart (the same numbers, drawn by ``core``) in the chart's place until
plotly.js has drawn it; the swap is CSS in ``assets/style.css`` (the box's key starts with
``PREVIEW_KEY``), so it happens in the browser the moment the chart is drawn::

    previewed_chart(slot, figure, key="exact_surface", preview=svg, alt="…", config=CHART)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from html import escape

import plotly.graph_objects as go
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

__all__ = ["PREVIEW_KEY", "SLOT_KEY", "chart_slot", "previewed_chart"]

SLOT_KEY = "chart_slot"  # the box's key is f"{SLOT_KEY}_{key}" (CSS class st-key-...)
PREVIEW_KEY = "chart_preview"  # f"{PREVIEW_KEY}_{key}": a chart and its still preview


@contextmanager
def chart_slot(key: str, height: int) -> Iterator[DeltaGenerator]:
    """Yield an ``st.empty`` slot for one chart, showing a ``height``-pixel box meanwhile."""
    slot = st.empty()
    with slot.container(height=height, border=True, key=f"{SLOT_KEY}_{key}"):
        yield slot


def previewed_chart(
    parent: DeltaGenerator, figure: go.Figure, *, key: str, preview: str, alt: str, config: dict
) -> None:
    """``figure`` as ``st.plotly_chart(key=key)`` in ``parent``, with ``preview`` (an SVG data
    URI) shown in its place until plotly.js has drawn it (``data-testid="chart-preview"``)."""
    box = parent.container(key=f"{PREVIEW_KEY}_{key}")
    box.html(
        f'<div data-testid="chart-preview"><img src="{preview}" alt="{escape(alt)}" '
        'style="display:block;max-width:100%;height:auto"></div>'
    )
    box.plotly_chart(figure, key=key, config=config)

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
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

__all__ = ["SLOT_KEY", "chart_slot"]

SLOT_KEY = "chart_slot"  # the box's key is f"{SLOT_KEY}_{key}" (CSS class st-key-...)


@contextmanager
def chart_slot(key: str, height: int) -> Iterator[DeltaGenerator]:
    """Yield an ``st.empty`` slot for one chart, showing a ``height``-pixel box meanwhile."""
    slot = st.empty()
    with slot.container(height=height, border=True, key=f"{SLOT_KEY}_{key}"):
        yield slot

"""The Transform page's "What each hidden unit responds to": one map per unit, numbered, with
what its colours mean (until the network diagram shows the same per unit)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from core.render.raster import neuron_images, png_data_uri
from pages._ui import image_row
from pages._ui.text import plural

__all__ = ["colour_key", "unit_maps"]

MAP_WIDTH = 64  # pixels a map is shown at (drawn at 48 × 48)


def colour_key(zero_centred: bool) -> str:
    """What a map's colours mean (``core.render.raster.unit_colors``)."""
    if zero_centred:
        return (
            "orange: the unit's output below 0, white: 0, blue: above 0 (each map scaled to "
            "its unit's largest |output|)"
        )
    return "white: the unit's lowest output over the plane, blue: its highest (each map scaled)"


def unit_maps(model: Any, extent: tuple) -> None:
    """Each hidden layer's units as maps over the input plane, captioned "unit 1", "unit 2"."""
    st.caption(
        f"Over the input plane shown on the left; {colour_key(model.activation.zero_centred)}."
    )
    for index, units in enumerate(neuron_images(model, extent)):
        st.caption(f"Layer {index + 1}: {plural(len(units), 'unit')}")
        maps = [(png_data_uri(image), f"unit {j + 1}") for j, image in enumerate(units)]
        image_row(maps, width=MAP_WIDTH)

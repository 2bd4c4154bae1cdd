"""The layer-by-layer section's "Shade area change" toggle, its sentence and its cells.

The shading itself is computed in ``core.labs.stage_areas`` and drawn by
``core.figures.transform``; this module only reads the toggle and says what it shows.
"""

from __future__ import annotations

import streamlit as st

from core.experiment import Experiment
from core.labs.stage_areas import CellFrame, shaded_layers, stage_cells

__all__ = ["SHADE", "shade_cells", "shade_toggle"]

SHADE = "shade_area"  # toggle: shade each grid cell by its stage's area change
EXPLAINED = (
    "Each grid cell is coloured by how much the current stage changed its area (magenta: "
    "stretched, green: squeezed, white: unchanged; the linear moves by their exact |det|, σ "
    "cell by cell), and a black outline marks the cells a kink like ReLU's folds or flattens."
)


def shade_toggle(experiment: Experiment) -> bool:
    """The toggle and, when on, one sentence on what the colours mean (or why there are none)."""
    on = st.toggle(
        "Shade area change",
        key=SHADE,
        help="Colour each grid cell by log |det J| of the stage shown: how much it stretched "
        "or shrank the cell, and where ReLU folds space flat.",
    )
    if not on:
        return False
    shaded = shaded_layers(experiment.view_model)
    if not any(shaded):
        st.caption(
            "Nothing to shade here: cells are shaded only on a flat picture, for layers that "
            "map the plane to the plane (2 → 2 units). A wider layer (or lifted inputs) makes "
            "the picture 3-D or a PCA view, where a cell is no flat polygon, and a 1-unit layer "
            "squashes cells to segments. Try hidden layers of width 2."
        )
        return True
    st.caption(EXPLAINED)
    if not all(shaded):
        skipped = ", ".join(f"L{i + 1}" for i, on in enumerate(shaded) if not on)
        st.caption(
            f"Only 2 → 2 layers are shaded; {skipped} is left plain (its cells leave the plane)."
        )
    return True


def shade_cells(
    experiment: Experiment, n_cells: int, n_frames: int
) -> list[CellFrame | None] | None:
    """Every frame's shaded cells, for a grid of ``n_cells`` cells a side over the extent."""
    return stage_cells(experiment.view_model, experiment.extent, n_cells, n_frames)

"""The network diagram on the Transform page, and the unit it inspects.

The diagram is a small ``st.components.v2`` component (``assets/diagram.js``, inline, no
iframe): mounted once with a key inside the ticking live view, it is handed new pictures on
every tick and repaints them in place (no remount, no flicker). ``core.labs.network_diagram``
computes the maps and links and ``core.render.diagram`` draws them; this module only lays
them out. A click on a unit (or the "Inspect" box, which works without a pointer) selects it:
its map is shown large with the data, its incoming weights and bias, and its axis in the
layer's representation.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from core.experiment import Experiment
from core.labs.network_diagram import (
    column_titles,
    diagram_layout,
    links,
    output_legend,
    unit_labels,
    unit_maps,
)
from core.render.diagram import (
    ATLAS_ROW,
    LEGEND_HEIGHT,
    atlas_boxes,
    diagram_atlas,
    diagram_svg,
)
from core.render.raster import png_data_uri
from pages._ui.state import EXPERIMENT

__all__ = ["DIAGRAM_KEY", "INSPECT_KEY", "diagram_panel", "selected_unit", "unit_choices"]

DIAGRAM_KEY = "network_diagram"
INSPECT_KEY = "inspect_unit"  # the "Inspect" selectbox: "column:unit", or "" for none
NONE = ""
_JS = (Path(__file__).resolve().parents[2] / "assets" / "diagram.js").read_text()
_diagram = st.components.v2.component("spacewarp.network_diagram", js=_JS)


def unit_choices(layer_sizes: tuple[int, ...]) -> list[str]:
    """Every selectable unit as "column:unit" (0-based), hidden and output units only: an
    input feature has no weights to inspect."""
    return [f"{c}:{u}" for c in range(1, len(layer_sizes)) for u in range(layer_sizes[c])]


def _choice_label(layer_sizes: tuple[int, ...], labels: list[list[str]], choice: str) -> str:
    if choice == NONE:
        return "none"
    column, unit = (int(part) for part in choice.split(":"))
    return f"{column_titles(layer_sizes)[column]} · {labels[column][unit]}"


def selected_unit(layer_sizes: tuple[int, ...]) -> tuple[int, int] | None:
    """The (column, unit) being inspected, if it exists in a network of ``layer_sizes``."""
    choice = st.session_state.get(INSPECT_KEY, NONE)
    if choice not in unit_choices(layer_sizes):
        return None
    column, unit = (int(part) for part in choice.split(":"))
    return column, unit


def _on_select() -> None:
    """A click on a unit in the diagram (the payload is the browser's: checked, not trusted)."""
    pick = (st.session_state.get(DIAGRAM_KEY) or {}).get("select")
    if not isinstance(pick, dict):
        return
    choice = f"{pick.get('column')}:{pick.get('unit')}"
    experiment = st.session_state.get(EXPERIMENT)
    if experiment is not None and choice in unit_choices(experiment.model.layer_sizes):
        st.session_state[INSPECT_KEY] = choice


def diagram_panel(experiment: Experiment) -> tuple[int, int] | None:
    """Draw the diagram of the run's current weights; returns the selected unit, if any."""
    model = experiment.view_model
    sizes = model.layer_sizes
    layout = diagram_layout(sizes)
    maps = unit_maps(model, experiment.extent, layout.map_size)
    labels = unit_labels(model)
    choices = [NONE, *unit_choices(sizes)]
    if st.session_state.get(INSPECT_KEY) not in choices:
        st.session_state[INSPECT_KEY] = NONE
    selected = selected_unit(sizes)
    svg = diagram_svg(
        layout, links(model.weights, model.biases), labels, maps.limit, output_legend(model),
        selected,
    )  # fmt: skip
    widest = max(sizes)
    st.markdown(
        "**The network** (every unit's output over the input plane; click a unit to inspect it)"
    )
    if widest > 8:
        st.caption(
            f"{widest} units in the widest layer: maps shrink to {layout.map_size} px so the "
            "whole network fits without scrolling; click one to see it large."
        )
    data = {
        "atlas": png_data_uri(diagram_atlas(maps, model.output)),
        "boxes": atlas_boxes(layout),
        "tile": layout.map_size,
        "perRow": ATLAS_ROW,
        "svg": svg,
        "width": layout.width,
        "height": layout.height + LEGEND_HEIGHT,
        "epoch": experiment.epoch,
    }
    _diagram(data=data, key=DIAGRAM_KEY, on_select_change=_on_select)
    st.selectbox(
        "Inspect",
        choices,
        key=INSPECT_KEY,
        format_func=lambda choice: _choice_label(sizes, labels, choice),
        help="The same as clicking a unit in the diagram.",
    )
    return selected

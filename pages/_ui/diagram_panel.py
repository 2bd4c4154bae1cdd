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

from dataclasses import replace
from pathlib import Path

import streamlit as st

from core.experiment import Experiment
from core.labs.network_diagram import (
    UnitMaps,
    column_titles,
    diagram_layout,
    links,
    output_legend,
    unit_axis,
    unit_labels,
    unit_maps,
)
from core.labs.plane import grid_lines
from core.render.diagram import (
    ATLAS_ROW,
    LEGEND_HEIGHT,
    atlas_boxes,
    bias_marks,
    diagram_atlas,
    link_lines,
    overlay_svg,
    unit_picture,
    weights_svg,
)
from core.render.raster import png_data_uri, representation_image
from core.render.svg import svg_data_uri
from pages._ui import image_row
from pages._ui.state import EXPERIMENT
from pages._ui.weight_editor import RERUN, weight_editor

__all__ = ["DIAGRAM_KEY", "INSPECT_KEY", "diagram_panel", "selected_unit", "unit_choices"]

DIAGRAM_KEY = "network_diagram"
INSPECT_KEY = "inspect_unit"  # the "Inspect" selectbox: "column:unit", or "" for none
NONE = ""
BIG = 280  # px: the inspected unit's map and its representation
FINE = 96  # grid points a side of the inspected unit's map (upsampled to BIG)
_JS = (Path(__file__).resolve().parents[2] / "assets" / "diagram.js").read_text()
# No shadow root: the page (and its tests) can reach the diagram with document.querySelector.
_diagram = st.components.v2.component("spacewarp.network_diagram", js=_JS, isolate_styles=False)


def unit_choices(layer_sizes: tuple[int, ...]) -> list[str]:
    """Every unit as "column:unit" (0-based; column 0 holds the input features)."""
    return [f"{c}:{u}" for c, size in enumerate(layer_sizes) for u in range(size)]


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


def diagram_panel(experiment: Experiment) -> None:
    """Draw the diagram of the run's current weights, and the selected unit's inspector."""
    if st.session_state.pop(RERUN, False):  # a hand edit: every picture must show it
        st.rerun(scope="app")
    model = experiment.view_model
    sizes = model.layer_sizes
    layout = diagram_layout(sizes)
    maps = unit_maps(model, experiment.extent, layout.map_size)
    labels = unit_labels(model)
    choices = [NONE, *unit_choices(sizes)]
    if st.session_state.get(INSPECT_KEY) not in choices:
        st.session_state[INSPECT_KEY] = NONE
    selected = selected_unit(sizes)
    found = links(model.weights, model.biases)
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
        "lines": link_lines(layout, found, selected),
        "biases": bias_marks(layout, found),
        "svg": overlay_svg(layout, labels, maps.limit, output_legend(model), selected),
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
    if selected is not None:
        inspect_panel(experiment, selected, maps)


def _axis_picture(experiment: Experiment, column: int, unit: int, name: str) -> tuple[str, str]:
    axis = unit_axis(experiment.view_model, experiment.X, grid_lines(experiment.extent),
                     column, unit)  # fmt: skip
    picture = representation_image(axis.points, experiment.y, axis.lines, BIG,
                                   highlight=axis.segment)  # fmt: skip
    view = "" if axis.explained is None else f", PCA {axis.explained:.0%}"
    where = column_titles(experiment.model.layer_sizes)[column]
    caption = (
        f"{where} · {axis.dim}-D{view}: {name}'s axis in bold, from its lowest to its "
        f"highest value on the data (dot); {axis.shown:.0%} of its length lies in this view"
    )
    return png_data_uri(picture), caption


def inspect_panel(experiment: Experiment, selected: tuple[int, int], maps: UnitMaps) -> None:
    """The selected unit large with the data, its incoming weights and bias, and its axis in
    the layer's representation; then its parameters' editor."""
    column, unit = selected
    model = experiment.view_model
    sizes, labels = model.layer_sizes, unit_labels(model)
    name = labels[column][unit]
    fine = replace(unit_maps(model, experiment.extent, FINE), limit=maps.limit)
    settings = experiment.settings
    test = (experiment.X_test, experiment.y_test) if settings.show_test else (None, None)
    data = (experiment.X_train, experiment.y_train, *test)
    big = unit_picture(fine, column, unit, model.output, data, size=BIG)
    title = f"{column_titles(sizes)[column]} · {name}"
    pictures = [(png_data_uri(big), f"{title}: its output over the input plane, with the data")]
    if column < len(sizes) - 1:
        pictures.append(_axis_picture(experiment, column, unit, name))
    st.markdown(f"**Inspecting {title}**")
    image_row(pictures, width=BIG)
    if column == 0:
        st.caption("An input feature: the network's first layer reads it; it has no weights.")
        return
    if column == len(sizes) - 1:
        st.caption(
            "An output unit: its map is what the network predicts, and its incoming weights "
            "are the normal of its decision plane in the last representation (the animation's "
            "last frame below)."
        )
    below = column_titles(sizes)[column - 1]
    names = [f"from {below} {label}" for label in labels[column - 1]]
    found = links(model.weights, model.biases)
    bars = weights_svg(names, model.weights[column - 1][:, unit],
                       float(model.biases[column - 1][unit]), found.reference)  # fmt: skip
    image_row([(svg_data_uri(bars), "incoming weights and bias (bar: |w| on the links' scale)")],
              width=360)  # fmt: skip
    weight_editor(experiment, column, unit)

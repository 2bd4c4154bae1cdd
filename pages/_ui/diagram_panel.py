"""The network diagram on the Transform page, and the unit it inspects.

The diagram is a small ``st.components.v2`` component (``assets/diagram.js``, inline, no
iframe): mounted once with a key inside the ticking live view, it is handed the pictures the
tick took (one per live picture, ``diagram_picture``) and repaints them in place (no remount,
no flicker), each when the live view shows the picture of the same epoch, so the diagram never
lags the decision boundary. ``core.labs.network_diagram`` computes the maps and links and
``core.render.diagram`` draws them; this module only lays them out, and keeps what did not
change (the last picture while the weights stay, the SVG overlay per shape and scale). A
click on a unit (or the "Inspect" box, which works without a pointer) selects it: its map is
shown large with the data, its incoming weights and bias, and its axis in the layer's
representation.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import numpy as np
import streamlit as st

from core.experiment import Experiment
from core.labs.network_diagram import (
    column_titles,
    diagram_layout,
    links,
    map_samples,
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
    link_rows,
    overlay_svg,
    unit_picture,
    weights_svg,
)
from core.render.live_arrays import b64_array
from core.render.png import png_data_uri
from core.render.raster import representation_image
from core.render.svg import svg_data_uri
from pages._ui import image_row
from pages._ui.state import EXPERIMENT, weights_digest
from pages._ui.weight_editor import RERUN, weight_editor

__all__ = [
    "DIAGRAM_KEY",
    "INSPECT_KEY",
    "diagram_overlay",
    "diagram_panel",
    "diagram_picture",
    "selected_unit",
    "unit_choices",
]

DIAGRAM_KEY = "network_diagram"
INSPECT_KEY = "inspect_unit"  # the "Inspect" selectbox: "column:unit", or "" for none
PICTURE_KEY = "diagram_picture"  # (what it depends on, the last diagram picture built)
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


def _weights_key(experiment: Experiment, selected: tuple[int, int] | None) -> tuple:
    """What a diagram picture depends on: the weights, the plane's extent, the selection."""
    model = experiment.model
    where = (tuple(experiment.extent), experiment.settings.features, model.layer_sizes)
    return (experiment.epoch, weights_digest(model.params), where, selected)


def diagram_picture(experiment: Experiment) -> dict:
    """One picture of the diagram for the current weights, labelled with its epoch: the unit
    maps' atlas (PNG), the links' lines, the bias marks and the shared scale's limit. The live
    view takes one with every picture it plays (``live_train``), so the diagram follows the
    decision boundary picture by picture; the last one is kept and reused while the weights and
    the selection stay the same (a paused page's reruns encode nothing again)."""
    model = experiment.view_model
    selected = selected_unit(model.layer_sizes)
    key = _weights_key(experiment, selected)
    kept = st.session_state.get(PICTURE_KEY)
    if kept is not None and kept[0] == key:
        return kept[1]
    layout = diagram_layout(model.layer_sizes)
    maps = unit_maps(model, experiment.extent, map_samples(layout.map_size))
    found = links(model.weights, model.biases)
    picture = {
        "epoch": int(experiment.epoch),
        "atlas": png_data_uri(diagram_atlas(maps, model.output)),
        # float32 rows of 7 (x1, y1, x2, y2, width, positive, opacity), as base64: a tick
        # sends several pictures, and numbers one by one cost JSON time at every step
        "lines": b64_array(link_rows(layout, found, selected).astype(np.float32)),
        "biases": bias_marks(layout, found),
        "limit": maps.limit,
    }
    st.session_state[PICTURE_KEY] = (key, picture)
    return picture


@lru_cache(maxsize=32)
def _overlay(sizes: tuple[int, ...], labels: tuple[tuple[str, ...], ...], limit: float,
             legend: str, selected: tuple[int, int] | None) -> str:  # fmt: skip
    """The SVG overlay, built once per shape, labels, scale and selection (it holds no weight:
    every live picture of a run at one scale shares it)."""
    return overlay_svg(diagram_layout(sizes), [list(c) for c in labels], limit, legend, selected)


def diagram_overlay(model, limit: float, selected: tuple[int, int] | None) -> str:
    """``core.render.diagram.overlay_svg`` for ``model``, reused while nothing it shows changed."""
    labels = tuple(tuple(column) for column in unit_labels(model))
    return _overlay(model.layer_sizes, labels, float(limit), output_legend(model), selected)


def diagram_panel(experiment: Experiment, pictures: list[dict] | None = None) -> None:
    """Draw the diagram of the run's current weights, and the selected unit's inspector.

    ``pictures`` are the diagram's pictures taken as this tick trained (``diagram_picture``),
    played by the browser with the live view's pictures of the same epochs; without any, the
    current weights' alone."""
    if st.session_state.pop(RERUN, False):  # a hand edit: every picture must show it
        st.rerun(scope="app")
    model = experiment.view_model
    sizes = model.layer_sizes
    layout = diagram_layout(sizes)
    labels = unit_labels(model)
    choices = [NONE, *unit_choices(sizes)]
    if st.session_state.get(INSPECT_KEY) not in choices:
        st.session_state[INSPECT_KEY] = NONE
    selected = selected_unit(sizes)
    *earlier, last = pictures or [diagram_picture(experiment)]
    widest = max(sizes)
    st.markdown(
        "**The network** (every unit's output over the input plane; click a unit to inspect it)"
    )
    if widest > 8:
        st.caption(
            f"{widest} units in the widest layer: maps shrink to {layout.map_size} px so the "
            "whole network fits without scrolling; click one to see it large."
        )
    data = last | {
        "frames": earlier,  # the tick's earlier pictures; ``last`` is the current weights'
        "playing": bool(st.session_state.get("playing")),
        "boxes": atlas_boxes(layout),
        "tile": map_samples(layout.map_size),
        "size": layout.map_size,
        "perRow": ATLAS_ROW,
        "svg": diagram_overlay(model, last["limit"], selected),
        "width": layout.width,
        "height": layout.height + LEGEND_HEIGHT,
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
        inspect_panel(experiment, selected, last["limit"])


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


def inspect_panel(experiment: Experiment, selected: tuple[int, int], limit: float) -> None:
    """The selected unit large with the data, its incoming weights and bias, and its axis in
    the layer's representation; then its parameters' editor."""
    column, unit = selected
    model = experiment.view_model
    sizes, labels = model.layer_sizes, unit_labels(model)
    name = labels[column][unit]
    fine = replace(unit_maps(model, experiment.extent, FINE), limit=limit)
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

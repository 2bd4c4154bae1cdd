"""Transform: train a network live and watch each layer rotate, stretch, shift and bend space."""

from __future__ import annotations

import streamlit as st

from core.experiment import Experiment, Settings
from core.labs.probes import topology_obstruction
from core.settings import DRAWN, TRANSFORM
from pages._ui import PAGE_ICON, tune_server_process
from pages._ui.diagram_panel import diagram_panel, diagram_picture
from pages._ui.draw_canvas import draw_panel
from pages._ui.health import health_warning
from pages._ui.layer_by_layer import animation_figure, layer_by_layer
from pages._ui.live_canvas import fetch_component_code, frame, live_canvas, live_train
from pages._ui.navigation import style_and_navigation
from pages._ui.settings_panel import restore_widgets, settings_sidebar, share_panel, write_url
from pages._ui.state import EXPERIMENT
from pages._ui.transfer import imported_params, transfer_panel, uploaded_data
from pages._ui.visitor_link import link_notices
from pages._ui.weight_editor import EDIT_KEY, replay_link, reset_help, sync_edits, take_link_edits

tune_server_process()  # first: once per server process, cheap gc and few malloc arenas
st.set_page_config(page_title="Transform · Spacewarp", page_icon=PAGE_ICON, layout="wide")
style_and_navigation()
fetch_component_code()  # the live view's scripts, fetched with the page's first elements

# Fragment timer; the period is the timer + the tick + a round trip. A tick sends about 7
# pictures a second of it (pages/_ui/live_canvas.py), so a longer tick pays Streamlit's cost
# per script run (the run, its messages, garbage collection) for more of them.
TICK_SECONDS = 0.8


def current_experiment(settings: Settings) -> Experiment:
    """The session's experiment, rebuilt only when a setting that needs a new model changed."""
    experiment = st.session_state.get(EXPERIMENT)
    if experiment is None or settings.needs_reset(experiment.settings):
        params = imported_params(settings.hidden, settings.activation)
        experiment = Experiment.build(settings, data=uploaded_data(), params=params)
        st.session_state[EXPERIMENT] = experiment
        st.session_state.playing = False
    else:
        experiment.apply_live(settings)
    return experiment


def _toggle_play() -> None:
    st.session_state.playing = not st.session_state.get("playing", False)


def _reset() -> None:
    st.session_state.pop(EXPERIMENT, None)  # rebuilt from the seed on this rerun
    st.session_state.playing = False


def _step() -> None:
    experiment = st.session_state.get(EXPERIMENT)
    if experiment is not None and experiment.trainer is not None:
        experiment.trainer.run(1)
    st.session_state.playing = False


def _widen(depth: int) -> None:
    for i in range(depth):
        if st.session_state.get(f"width_{i}", 8) <= 2:
            st.session_state[f"width_{i}"] = 3


def controls(experiment: Experiment) -> None:
    playing = st.session_state.get("playing", False)
    trainable = experiment.trainer is not None
    cols = st.columns([1, 1, 1, 1, 4])
    cols[0].button(
        "Pause" if playing else "Play",
        key="play",
        icon=":material/pause:" if playing else ":material/play_arrow:",
        on_click=_toggle_play,
        type="primary",
        disabled=not trainable,
        width="stretch",
    )
    cols[1].button(
        "Step",
        key="step",
        on_click=_step,
        disabled=not trainable,
        width="stretch",
        help="Train one epoch",
    )
    cols[2].button(
        "Reset",
        key="reset",
        on_click=_reset,
        width="stretch",
        help=reset_help(experiment),
    )
    cols[3].button(
        "Snapshot",
        key="snapshot",
        width="stretch",
        help="Redraw the layer-by-layer animation for the current weights",
    )
    if not trainable:
        st.info(
            f"The {experiment.settings.activation} activation has no gradient, so it cannot be "
            "trained; the pictures show the network at its initial weights."
        )
    message = topology_obstruction(experiment.settings.dataset, experiment.settings.hidden)
    if message:
        st.info(message)
        st.button(
            "Add a third unit to each narrow layer",
            key="widen",
            on_click=_widen,
            args=(len(experiment.settings.hidden),),
        )


def live_view(experiment: Experiment) -> None:
    """Everything that changes while training: one component the browser draws (counters,
    boundary, curves, every layer, probes) from the core's arrays (pages/_ui/live_canvas.py)."""
    frames, diagrams = [], []  # pictures taken while this tick trains, played one by one
    if st.session_state.get("playing") and experiment.trainer is not None:
        shots = live_train(experiment, lambda e: (frame(e), diagram_picture(e)))
        frames, diagrams = [shot[0] for shot in shots], [shot[1] for shot in shots]
        if experiment.trainer.diverged:
            st.session_state.playing = False
            st.rerun(scope="app")
    health_warning(experiment)  # near the controls, checked on every tick
    # The counters (epoch, accuracy, loss) are drawn by the canvas with each picture it plays.
    live_canvas(experiment, frames)  # drawn in the browser from the core's arrays
    diagram_panel(experiment, diagrams)  # the network, unit by unit (pages/_ui/diagram_panel.py)


st.title("Transform")
st.caption(
    "Train a small network live and watch every layer move the plane, until the classes "
    "can be cut apart by a straight line."
)
running = st.session_state.get(EXPERIMENT)
url_notices, url_epochs = restore_widgets(TRANSFORM, running.settings if running else None)
settings = settings_sidebar()
if settings.dataset == DRAWN:
    draw_panel()
write_url(TRANSFORM, settings)
link_notices(url_notices)
link_edits = take_link_edits()  # a visitor link's hand edits (its run is then built afresh)
try:
    experiment = current_experiment(settings)
except ValueError as error:
    st.error(f"These settings cannot be used: {error}")
    st.stop()
# The link carries its training: same seed + settings + epochs give the same weights; its hand
# edits are applied at the epochs they were made.
replay_link(experiment, url_epochs, link_edits)
edits = {EDIT_KEY: text} if (text := sync_edits(experiment)) else None
share_panel(TRANSFORM, experiment.settings, experiment.epoch, key="share_epochs", extra=edits)
transfer_panel(experiment, lambda: animation_figure(experiment))
controls(experiment)
if experiment.trainer is not None and experiment.trainer.diverged:
    st.warning(experiment.trainer.diverged, icon=":material/warning:")
run_every = TICK_SECONDS if st.session_state.get("playing") else None
st.fragment(run_every=run_every)(live_view)(experiment)
layer_by_layer(experiment)

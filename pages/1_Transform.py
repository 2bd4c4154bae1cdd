"""Transform: train a network live and watch each layer rotate, stretch, shift and bend space."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.experiment import Experiment, Settings
from core.figures.transform import transform_figure
from core.labs.network_stages import (
    frames_per_stage,
    network_animation,
    stage_summary,
)
from core.labs.plane import grid_lines
from core.labs.probes import topology_obstruction
from core.render.raster import (
    neuron_images,
    png_data_uri,
    tile,
)
from core.settings import DRAWN, TRANSFORM
from pages._ui import CHART, PAGE_ICON, apply_style, image_row, tune_server_process
from pages._ui.draw_canvas import draw_panel
from pages._ui.health import health_warning
from pages._ui.live_canvas import live_canvas, live_train
from pages._ui.live_plane import metric_cells
from pages._ui.navigation import sidebar_navigation
from pages._ui.regression_stage import regression_stage
from pages._ui.settings_panel import restore_widgets, settings_sidebar, share_panel, write_url
from pages._ui.state import EXPERIMENT, AnimationSnapshot
from pages._ui.transfer import imported_params, transfer_panel, uploaded_data
from pages._ui.visitor_link import link_notices, replay

tune_server_process()  # first: once per server process, cheap gc and few malloc arenas
st.set_page_config(page_title="Transform · Spacewarp", page_icon=PAGE_ICON, layout="wide")
apply_style()
sidebar_navigation()

TICK_SECONDS = 0.4  # fragment timer; the period is the timer + the tick + a round trip


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
        help="New weights from the seed: the same settings give the same start",
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
    """Everything that changes while training: counters, then one component the browser draws
    (boundary, curves, every layer, probes) from the core's arrays (pages/_ui/live_canvas.py)."""
    frames = []  # pictures taken while this tick trains, played one after another
    if st.session_state.get("playing") and experiment.trainer is not None:
        frames = live_train(experiment)
        if experiment.trainer.diverged:
            st.session_state.playing = False
            st.rerun(scope="app")
    health_warning(experiment)  # near the controls, checked on every tick
    trainer = experiment.trainer
    metrics = st.columns(4)
    metrics[0].metric("Epoch", f"{experiment.epoch:,}")
    if trainer is not None and trainer.history.size:
        last = trainer.history.rows[-1]
        cells = metric_cells(experiment, last)
        if trainer.diverged:  # the last row is the explosion's (a test loss of 40,504,137)
            cells = [(label, "diverged") for label, _ in cells]
        for column, (label, value) in zip(metrics[1:], cells, strict=True):
            column.metric(label, value)
    live_canvas(experiment, frames)  # drawn in the browser from the core's arrays
    model = experiment.view_model
    if model.n_layers > 1:
        with st.expander("What each hidden unit responds to", expanded=False):
            for index, units in enumerate(neuron_images(model, experiment.extent)):
                st.caption(f"Layer {index + 1}: {len(units)} units")
                image_row([(png_data_uri(tile(units, n_columns=16)), "")], width=16 * 50)


def animation_figure(experiment: Experiment) -> AnimationSnapshot:
    """The staged figure for the current weights, rebuilt only when the weights changed.

    While training plays, the last snapshot stays (rebuilding would restart its animation);
    Pause or Snapshot redraws it.
    """
    stored = st.session_state.get("transform_figure_cache")
    if stored is not None and stored.experiment is experiment:
        keep = st.session_state.get("playing") and not st.session_state.get("snapshot")
        if stored.epoch == experiment.epoch or keep:
            return stored
    # Drop the old figure first: Streamlit would keep it (and its experiment) until the next
    # run, so a session would briefly hold two (each a few MB).
    st.session_state.pop("transform_figure_cache", None)
    grid = grid_lines(experiment.extent)
    n_frames = frames_per_stage(len(experiment.settings.hidden))
    anim = network_animation(experiment.view_model, experiment.X, grid, n_frames=n_frames)
    # Keep the figure and the summary table, not the animation's arrays (several MB).
    figure = transform_figure(anim, experiment.y)
    stored = AnimationSnapshot(experiment, experiment.epoch, figure, stage_summary(anim))
    st.session_state["transform_figure_cache"] = stored
    return stored


def layer_by_layer(experiment: Experiment) -> None:
    st.subheader("Layer by layer")
    if experiment.regression:
        regression_stage(experiment)
        return
    st.markdown(
        "Each hidden layer computes σ(x W + b). Writing W as **U Σ Vᵀ** splits it into a rotation "
        "(Vᵀ), a stretch along perpendicular axes that also changes the dimension (Σ), and another "
        "rotation (U); then **b** shifts and **σ** bends. Press ▶ or drag the slider to any stage. "
        "At the end, the output layer's decision boundary is drawn in the last representation: "
        "lines (or planes) where the prediction changes, one per pair of neighbouring classes."
    )
    snapshot = animation_figure(experiment)
    if experiment.trainer is not None and experiment.trainer.diverged:
        st.caption(
            f"Training diverged: every picture shows the weights of epoch "
            f"{experiment.trainer.kept_epoch:,}, the last with a finite loss."
        )
    if snapshot.epoch != experiment.epoch:
        st.caption(
            f"Snapshot of epoch {snapshot.epoch:,}; training has moved on since. "
            "Press Snapshot or Pause to redraw it for the current weights."
        )
    st.plotly_chart(snapshot.figure, key="transform_animation", config=CHART)
    if snapshot.summary:
        st.dataframe(pd.DataFrame(snapshot.summary).fillna(""), hide_index=True, key="stage_table")


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
try:
    experiment = current_experiment(settings)
except ValueError as error:
    st.error(f"These settings cannot be used: {error}")
    st.stop()
if url_epochs and experiment.trainer is not None and experiment.epoch < url_epochs:
    # The link carries its training: same seed + settings + epochs give the same weights.
    replay(experiment.trainer.run, experiment.epoch, url_epochs, "Press Play to go on.")
share_panel(TRANSFORM, experiment.settings, experiment.epoch, key="share_epochs")
transfer_panel(experiment, lambda: animation_figure(experiment))
controls(experiment)
if experiment.trainer is not None and experiment.trainer.diverged:
    st.warning(experiment.trainer.diverged, icon="⚠️")
run_every = TICK_SECONDS if st.session_state.get("playing") else None
st.fragment(run_every=run_every)(live_view)(experiment)
layer_by_layer(experiment)

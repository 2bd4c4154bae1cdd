"""Transform: train a network live and watch each layer rotate, stretch, shift and bend space."""

from __future__ import annotations

import time

import streamlit as st

from core.experiment import Experiment, Settings
from core.labs.network_stages import layer_snapshots
from core.labs.plane import grid_lines
from core.labs.probes import first_separable_epochs, topology_obstruction
from core.render.raster import (
    neuron_images,
    png_data_uri,
    representation_image,
    tile,
)
from core.render.svg import curves_svg, svg_data_uri
from core.render.theme import MUTED, class_color
from core.settings import DRAWN, TRANSFORM
from pages._ui import PAGE_ICON, apply_style, image_row, tune_server_process
from pages._ui.draw_canvas import draw_panel
from pages._ui.health import health_warning
from pages._ui.layer_by_layer import animation_figure, layer_by_layer
from pages._ui.live_plane import (
    layer_probe,
    metric_cells,
    plane_heading,
    plane_picture,
    probe_row,
    probe_text,
    score_name,
    value_legend,
)
from pages._ui.navigation import sidebar_navigation
from pages._ui.settings_panel import restore_widgets, settings_sidebar, share_panel, write_url
from pages._ui.state import EXPERIMENT, ProbeScores
from pages._ui.transfer import imported_params, transfer_panel, uploaded_data
from pages._ui.visitor_link import link_notices, replay

tune_server_process()  # first: once per server process, cheap gc and few malloc arenas
st.set_page_config(page_title="Transform · Spacewarp", page_icon=PAGE_ICON, layout="wide")
apply_style()
sidebar_navigation()

TICK_SECONDS = 0.15  # fragment timer; measured period ≈ timer + 80 ms: about 4 refreshes a second
TRAIN_SECONDS = 0.05  # training time inside each tick; the rest draws the pictures
# While training plays, the linear probes (one logistic regression per layer, the costliest part
# of a tick after the pictures) run at most this often; paused, after every change.
PROBE_SECONDS = 1.0


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


def _curves(experiment: Experiment) -> list[tuple[str, str]]:
    """Loss (log scale) and accuracy curves, train solid and test dashed, as SVG data URIs."""
    trainer = experiment.trainer
    rows, epochs = trainer.history.rows, trainer.history.epochs
    if trainer.diverged:  # up to the weights kept: the explosion would flatten the rest
        rows, epochs = rows[epochs <= trainer.kept_epoch], epochs[epochs <= trainer.kept_epoch]
    train, test = class_color(1), class_color(0)
    losses = {"train": (rows[:, 0], train, ""), "test": (rows[:, 2], test, "4 3")}
    if rows[:, 4].any():  # both losses are the data loss; the L1/L2 penalty is its own
        losses["penalty"] = (rows[:, 4], MUTED, "1 2")
    loss = curves_svg(
        epochs,
        losses,
        width=360,
        height=130,
        title="Loss (log scale)",
    )
    accuracy = curves_svg(
        epochs,
        {"train": (rows[:, 1], train, ""), "test": (rows[:, 3], test, "4 3")},
        width=360,
        height=130,
        title=score_name(experiment),
        log_y=False,
    )
    return [(svg_data_uri(loss), ""), (svg_data_uri(accuracy), "")]


def _layer_scores(experiment: Experiment) -> list[float]:
    """This session's probe accuracies per layer, reused for ``PROBE_SECONDS`` while playing."""
    now = time.monotonic()
    stored = st.session_state.get("separability")
    if stored is not None and stored.experiment is experiment:
        fresh = now - stored.measured_at < PROBE_SECONDS and st.session_state.get("playing")
        if stored.epoch == experiment.epoch or fresh:
            return stored.scores
    scores = layer_probe(experiment)
    st.session_state["separability"] = ProbeScores(experiment, experiment.epoch, now, scores)
    return scores


def _separability(experiment: Experiment) -> None:
    scores = _layer_scores(experiment)
    experiment.first_separable = first_separable_epochs(
        experiment.first_separable, scores, experiment.epoch
    )
    names = ["input"] + [f"layer {i}" for i in range(1, len(scores))]
    heading, caption = probe_text(experiment)
    st.markdown(heading)
    st.caption(caption)
    for layer, (name, score) in enumerate(zip(names, scores, strict=True)):
        first = experiment.first_separable.get(layer)
        text = probe_row(experiment, name, score, first)
        st.progress(min(max(score, 0.0), 1.0), text=text)


def live_view(experiment: Experiment) -> None:
    """Everything that changes while training: counters, curves and NumPy-rendered images."""
    if st.session_state.get("playing") and experiment.trainer is not None:
        experiment.advance(TRAIN_SECONDS)
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
    model, grid = experiment.view_model, grid_lines(experiment.extent)
    left, right = st.columns([2, 3], gap="medium")
    with left:
        st.markdown(plane_heading(experiment))
        boundary = plane_picture(experiment, size=360)
        image_row([(png_data_uri(boundary), "")], width=360)
        if experiment.regression:
            image_row([(svg_data_uri(value_legend()), "")], width=360)
        if trainer is not None and trainer.history.size:
            for curve in _curves(experiment):
                image_row([curve], width=360)
    with right:
        snapshots = layer_snapshots(model, experiment.X, grid)
        images = [
            representation_image(points, experiment.y, lines, size=180)
            for points, lines, _ in snapshots
        ]
        st.markdown("**Every layer's representation now** (warped grid carried along)")
        image_row(
            [
                (png_data_uri(image), caption)
                for image, (_, _, caption) in zip(images, snapshots, strict=True)
            ],
            width=150,
        )
        _separability(experiment)
    if model.n_layers > 1:
        with st.expander("What each hidden unit responds to", expanded=False):
            for index, units in enumerate(neuron_images(model, experiment.extent)):
                st.caption(f"Layer {index + 1}: {len(units)} units")
                image_row([(png_data_uri(tile(units, n_columns=16)), "")], width=16 * 50)


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

"""Loss surface: the loss as a landscape over the weights, and where gradient descent walks."""

from __future__ import annotations

import copy
import time

import numpy as np
import streamlit as st

from core.experiment import Experiment, Settings
from core.figures.landscape import (
    PATH_HEIGHT,
    SURFACE_HEIGHT,
    path_loss_figure,
    surface_figure,
    surface_svg,
    trajectory_figure,
)
from core.figures.tour import thawed
from core.labs.landscape import random_plane_surface, two_weight_surface
from core.labs.trajectory import PathSurface, checkpoints, path_surface
from core.nn.budget import REPLAY, train_within
from core.render.svg import svg_data_uri
from pages._ui import CHART, KEEP, PAGE_ICON, tune_server_process
from pages._ui.chart_slot import chart_slot, previewed_chart
from pages._ui.exact_slice import ExactSlice, exact_slice, fingerprint, run_key
from pages._ui.navigation import style_and_navigation
from pages._ui.race_panel import race_section
from pages._ui.settings_panel import adopt_shared_settings
from pages._ui.state import EXPERIMENT

tune_server_process()  # first: once per server process, cheap gc and few malloc arenas
st.set_page_config(page_title="Loss surface · Spacewarp", page_icon=PAGE_ICON, layout="wide")
style_and_navigation()
adopt_shared_settings()  # a shared link may land here: its run is the one shown

TRANSFORM = "pages/1_Transform.py"
OWN = "loss_surface_own"  # this page's own default run, when the Transform page has none
OWN_EPOCHS = 300
RESOLUTIONS = (21, 31, 41, 51, 61, 81)
GRID = 51  # the exact two-weight surface: odd, so the current weights are a grid point
RADII = (0.5, 1.0, 2.0, 3.0, 5.0, 8.0)
MODES = {"network": "Two weights of the network", "logistic": "Logistic regression (w₁, w₂)"}
TABS = ("Two weights, exact", "Whole network, random plane", "Training path, PCA plane")


def network_source() -> tuple[Experiment, bool]:
    """The Transform page's run if it can be trained, else this page's own; (run, borrowed)."""
    running = st.session_state.get(EXPERIMENT)
    if running is not None and running.trainer is not None:
        return running, True
    own = st.session_state.get(OWN)
    if own is None:
        # Every session's own copy of the one trained run: never a shared mutable object.
        own = copy.deepcopy(default_run(OWN_EPOCHS))
        if own.epoch < OWN_EPOCHS:  # the budget ended it (a busy server): the next visit retries
            default_run.clear()
        st.session_state[OWN] = own
    return own, False


@st.cache_resource(show_spinner="Training the default network…", max_entries=2)
def default_run(epochs: int) -> Experiment:
    """The default 2-8-8-8-1 trained ``epochs`` epochs, within one request's compute budget
    (``REPLAY``, as every training a script run does): the same for every session, so trained
    once per process. A resource, not a pickled data cache: an Experiment does not pickle (its
    activation functions are lambdas), so callers deep-copy it instead."""
    run = Experiment.build(Settings())
    train_within(run.trainer.run, epochs, REPLAY)
    return run


def training_loss(experiment: Experiment) -> float:
    trainer = experiment.trainer
    return trainer.evaluate(trainer.X_train, trainer.y_train)[0]


def trained(experiment: Experiment) -> str:
    """How many epochs the page's own run had, and why, when the budget ended it early."""
    if experiment.epoch >= OWN_EPOCHS:
        return f"{experiment.epoch:,} epochs"
    seconds = f"{REPLAY.cpu_seconds:g} s"
    return (
        f"{experiment.epoch:,} of its {OWN_EPOCHS:,} epochs (a page view trains {seconds} at most)"
    )


def source_note(experiment: Experiment, borrowed: bool) -> None:
    s, loss = experiment.settings, training_loss(experiment)
    shape = "-".join(map(str, experiment.model.layer_sizes))
    run = f"{shape} {s.activation} network on {s.dataset} data"
    if borrowed:
        st.markdown(
            f"The {run} from the Transform page, at **epoch {experiment.epoch:,}** (training "
            f"loss {loss:.4g}). Training runs only on the Transform page: train more there and "
            "come back to see the surfaces move."
        )
        st.page_link(TRANSFORM, label="Back to Transform", icon=":material/arrow_back:")
        return
    running = st.session_state.get(EXPERIMENT)
    why = (
        f"The Transform page's {running.settings.activation} network has no gradient"
        if running is not None
        else "No network is being trained in this session yet"
    )
    st.info(
        f"{why}, so this page trained its own: the default {run}, {trained(experiment)} of "
        f"Adam (training loss {loss:.4g}).",
        icon=":material/info:",
    )
    st.page_link(TRANSFORM, label="Train your own network", icon=":material/play_arrow:")


@st.cache_data(show_spinner="Computing the exact surface…", max_entries=32)
def exact_surface(key: str, radius: float, _chosen: ExactSlice):
    """Axes (absolute weight values) and the exact two-weight surface, with its time."""
    started = time.perf_counter()
    c = _chosen
    axes, values = two_weight_surface(c.model, c.X, c.targets, c.loss, c.indices, radius, GRID)
    return axes, values, time.perf_counter() - started


@st.cache_data(show_spinner=False, max_entries=32)
def exact_chart(key: str, radius: float, log_scale: bool, label: str, _chosen: ExactSlice):
    """The exact surface's figure as ``to_dict()`` (rebuilt unvalidated with ``thawed``:
    building and validating it was most of a rerun) and its still SVG preview (a data URI).
    ``key`` and ``radius`` fix the surface."""
    axes, values, _ = exact_surface(key, radius, _chosen)
    here = values[GRID // 2, GRID // 2]
    options = {
        "log_scale": log_scale,
        "titles": _chosen.names,
        "marks": [(*_chosen.centre, here, label)],
    }
    preview = svg_data_uri(surface_svg(*axes, values, **options))
    return surface_figure(*axes, values, **options).to_dict(), preview


@st.cache_data(show_spinner="Computing the loss on a random plane…", max_entries=16)
def network_surface(key, _model, _X, _targets, loss, seed, span, resolution, keep_biases):
    """Li et al.'s filter-normalised random plane through the current weights, and its time."""
    started = time.perf_counter()
    surface = random_plane_surface(
        _model, _X, _targets, loss, seed, span, resolution, keep_biases=keep_biases
    )
    return *surface, time.perf_counter() - started


@st.cache_data(show_spinner="Computing the loss on the PCA plane…", max_entries=16)
def trajectory_surface(key, _model, _X, _targets, loss, _rows, resolution):
    """The training path's PCA plane, the surface on it and every checkpoint's losses."""
    return path_surface(_model, _X, _targets, loss, _rows, resolution)


def two_weight_tab(experiment: Experiment) -> None:
    st.markdown(
        "Hold every weight fixed except two and the loss is an ordinary function of two "
        "numbers, L(w₁, w₂): this surface is **exact**, not an approximation. Pick two weights "
        "of the network, or the two-weight model σ(w₁x₁ + w₂x₂) (logistic regression without "
        "bias) on the same training data."
    )
    left, middle, right = st.columns([2, 1.2, 0.8], vertical_alignment="bottom")
    mode = left.radio(
        "Model", list(MODES), format_func=MODES.get, key="ls_mode", horizontal=True, **KEEP
    )
    radius = middle.select_slider("Window: centre ±", RADII, 2.0, key="ls_radius", **KEEP)
    log_scale = right.toggle("Log scale", True, key="ls_log_exact", **KEEP)
    chosen = exact_slice(experiment, mode, radius)
    if chosen is None:
        return
    with chart_slot("exact_surface", SURFACE_HEIGHT) as slot:
        surface = exact_surface(chosen.key, radius, chosen)
    _, values, seconds = surface
    here, label = values[GRID // 2, GRID // 2], "current weights" if mode == "network" else "w = 0"
    chart, preview = exact_chart(chosen.key, radius, log_scale, label, chosen)
    alt = f"Loss over {chosen.names[0]} and {chosen.names[1]}"
    figure = thawed(chart)
    previewed_chart(slot, figure, key="exact_surface", preview=preview, alt=alt, config=CHART)
    own = chosen.model.loss_and_gradient(chosen.X, chosen.targets, chosen.loss)[0]
    st.caption(
        f"★ the {label}: the surface there is {here:.6g}, the model's own loss {own:.6g}. "
        f"{GRID} × {GRID} grid computed in {seconds:.2f} s. Everything else is held fixed."
    )
    race_section(chosen, surface, log_scale)


def network_tab(experiment: Experiment) -> None:
    model, trainer = experiment.model, experiment.trainer
    st.markdown(
        f"The network has {model.n_parameters:,} parameters, so its loss cannot be drawn whole. "
        "Li et al. (2018) slice it along a plane through the trained weights θ*: "
        "L(θ* + αδ + βη) for two random directions δ and η. Each direction is "
        "**filter-normalised**: every column of its weight matrices (the weights into one "
        "unit) is rescaled to the length of the same column of the trained W, so a step of 1 "
        "moves every unit by its own size. Bias directions are zero unless you keep them."
    )
    cols = st.columns([1, 1.4, 1.4, 1, 1], vertical_alignment="bottom")
    seed = cols[0].number_input("Direction seed", 0, 9999, 0, key="ls_seed", **KEEP)
    span = cols[1].select_slider("α, β range: ±", (0.25, 0.5, 1.0, 2.0), 1.0, key="ls_span", **KEEP)
    resolution = cols[2].select_slider("Grid", RESOLUTIONS, 51, key="ls_grid", **KEEP)
    keep_biases = cols[3].toggle("Move biases too", False, key="ls_biases", **KEEP)
    log_scale = cols[4].toggle("Log scale", True, key="ls_log_network", **KEEP)
    X, targets, loss = trainer.X_train, trainer.targets, trainer.loss
    key = run_key(model, X, targets, loss)
    with chart_slot("network_surface", SURFACE_HEIGHT) as slot:
        axis, values, seconds = network_surface(
            key, model, X, targets, loss, int(seed), span, resolution, keep_biases
        )
    centre = values[resolution // 2, resolution // 2]
    mark = [(0.0, 0.0, centre, "trained weights θ*")]
    figure = surface_figure(axis, axis, values, log_scale=log_scale, marks=mark)
    slot.plotly_chart(figure, key="network_surface", config=CHART)
    st.caption(
        f"★ θ*, the current weights: the surface there is {centre:.6g}, the training loss "
        f"{training_loss(experiment):.6g}. {resolution} × {resolution} = {resolution**2:,} "
        f"networks evaluated at once in {seconds:.2f} s."
    )
    st.markdown(
        "**What to notice.** A wide, flat basin around ★ means the trained weights tolerate "
        "being nudged; a narrow pit means a small change costs a lot. Change the seed: other "
        "random planes through the same weights look much alike, which is why such a picture "
        "says something about the minimum and not just about the plane."
    )


def path_tab(experiment: Experiment) -> None:
    model, trainer = experiment.model, experiment.trainer
    st.markdown(
        "Random directions almost never contain the path training took: in many dimensions "
        "two random directions are nearly perpendicular to everything else. Instead take the "
        "weights θᵢ saved during training, subtract the final weights, and find the two "
        "directions along which they spread the most (PCA). Below is the loss on that plane "
        "through the final weights, with the path projected onto it."
    )
    epochs, rows = checkpoints(
        trainer.trajectory.epochs, trainer.trajectory.rows, trainer.epoch, model.params
    )
    if len(rows) < 3:
        st.info("Train for a few epochs first: a path needs at least three checkpoints.")
        st.page_link(TRANSFORM, label="Train on the Transform page", icon=":material/play_arrow:")
        return
    left, right = st.columns(2, vertical_alignment="bottom")
    resolution = left.select_slider("Grid", RESOLUTIONS, 51, key="ls_path_grid", **KEEP)
    log_scale = right.toggle("Log scale", True, key="ls_log_path", **KEEP)
    X, targets, loss = trainer.X_train, trainer.targets, trainer.loss
    key = f"{run_key(model, X, targets, loss)}/{fingerprint(rows)}"
    metrics = st.columns(4)  # filled once the plane is known
    with chart_slot("path_surface", PATH_HEIGHT) as slot:
        try:
            surface = trajectory_surface(key, model, X, targets, loss, rows, resolution)
        except ValueError as error:
            surface = error
    if isinstance(surface, ValueError):
        slot.info(f"No plane to show yet: {surface}.")
        return
    path_pictures(surface, epochs, log_scale, metrics, slot)


def path_pictures(surface: PathSurface, epochs: np.ndarray, log_scale: bool, metrics, slot):
    """Explained variance (in ``metrics``, 4 columns), the plane with the projected path (in
    ``slot``), and the losses along it."""
    explained, true, on_plane = surface.plane.explained, surface.true, surface.on_plane
    metrics[0].metric("PC1 explains", f"{explained[0]:.1%}")
    metrics[1].metric("PC2 explains", f"{explained[1]:.1%}")
    metrics[2].metric("Together", f"{explained.sum():.1%}")
    help_text = f"Saved during training, epochs {epochs[0]}–{epochs[-1]:,}"
    metrics[3].metric("Checkpoints", f"{len(epochs)}", help=help_text)
    titles = (f"PC1 ({explained[0]:.0%})", f"PC2 ({explained[1]:.0%})")
    figure = trajectory_figure(
        surface.alphas,
        surface.betas,
        surface.values,
        surface.plane.coords,
        true,
        on_plane,
        log_scale=log_scale,
        titles=titles,
    )
    slot.plotly_chart(figure, key="path_surface", config=CHART)
    st.markdown(
        "**Off the plane.** The path's points are projections: each checkpoint sits off this "
        "slice by whatever the two components leave out. On the right every dot is coloured by "
        "its **true** loss; where its colour differs from the ground beneath it, the slice "
        "misrepresents the path. The chart below shows both losses along the path."
    )
    st.plotly_chart(path_loss_figure(epochs, true, on_plane), key="path_losses", config=CHART)


st.title("Loss surface")
st.caption(
    "The loss as a landscape over the weights, and the paths gradient descent takes on it: "
    "exact for two weights, and for the whole network along well-chosen planes."
)
experiment, borrowed = network_source()
source_note(experiment, borrowed)
tabs = st.tabs(TABS, key="ls_tab", on_change="rerun")
sections = (two_weight_tab, network_tab, path_tab)
for tab, section in zip(tabs, sections, strict=True):
    if tab.open:  # only the open tab computes its surface
        with tab:
            section(experiment)

"""Loss surface: the loss as a landscape over the weights, and where gradient descent walks."""

from __future__ import annotations

import html
import time
from dataclasses import dataclass

import numpy as np
import streamlit as st

from core.experiment import Experiment, Settings
from core.figures_landscape import (
    OPTIMIZER_COLORS,
    path_loss_figure,
    race_figure,
    surface_figure,
    trajectory_figure,
)
from core.landscape import (
    fingerprint,
    logistic_regression,
    plane_losses,
    random_plane,
    two_weight_surface,
    weight_choices,
)
from core.network import MLP
from core.optimizer_race import point_in, race, slice_objective, window_around
from core.optimizers import OPTIMIZERS
from core.theme import INK, MUTED
from core.trajectory import PathSurface, checkpoints, path_surface
from pages._ui import PAGE_ICON, apply_style
from pages._ui.settings_panel import adopt_shared_settings

st.set_page_config(page_title="Loss surface · Spacewarp", page_icon=PAGE_ICON, layout="wide")
apply_style()
adopt_shared_settings()  # a shared link may land here: its run is the one shown

TRANSFORM = "pages/1_Transform.py"
OWN = "loss_surface_own"  # this page's own default run, when the Transform page has none
OWN_EPOCHS = 300
KEEP = {"persist_state": "session"}  # settings survive switching tabs and pages
CHART = {"displayModeBar": False}
RESOLUTIONS = (21, 31, 41, 51, 61, 81)
GRID = 51  # the exact two-weight surface: odd, so the current weights are a grid point
RADII = (0.5, 1.0, 2.0, 3.0, 5.0, 8.0)
RACE_RATES = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0)
MODES = {"network": "Two weights of the network", "logistic": "Logistic regression (w₁, w₂)"}
TABS = ("Two weights, exact", "Whole network, random plane", "Training path, PCA plane")
VERDICT_ICONS = {"settles": "✓", "moving": "…", "oscillates": "↯", "escapes": "⚠", "diverges": "⚠"}


def network_source() -> tuple[Experiment, bool]:
    """The Transform page's run if it can be trained, else this page's own; (run, borrowed)."""
    running = st.session_state.get("transform")
    if running is not None and running.trainer is not None:
        return running, True
    own = st.session_state.get(OWN)
    if own is None:
        own = Experiment.build(Settings())
        own.trainer.run(OWN_EPOCHS)
        st.session_state[OWN] = own
    return own, False


def training_loss(experiment: Experiment) -> float:
    trainer = experiment.trainer
    return trainer.evaluate(trainer.X_train, trainer.y_train)[0]


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
    running = st.session_state.get("transform")
    why = (
        f"The Transform page's {running.settings.activation} network has no gradient"
        if running is not None
        else "No network is being trained in this session yet"
    )
    st.info(
        f"{why}, so this page trained its own: the default {run}, {OWN_EPOCHS} epochs of Adam "
        f"(training loss {loss:.4g}).",
        icon=":material/info:",
    )
    st.page_link(TRANSFORM, label="Train your own network", icon=":material/play_arrow:")


def run_key(model: MLP, X: np.ndarray, targets: np.ndarray, loss: str) -> str:
    """A small exact cache key for a model's weights and data (never hash the arrays)."""
    return f"{model!r}/{loss}/{fingerprint(model.params, X, targets)}"


@st.cache_data(show_spinner=False, max_entries=32)
def exact_surface(key: str, radius: float, _chosen: ExactSlice):
    """Axes (absolute weight values) and the exact two-weight surface, with its time."""
    started = time.perf_counter()
    c = _chosen
    axes, values = two_weight_surface(c.model, c.X, c.targets, c.loss, c.indices, radius, GRID)
    return axes, values, time.perf_counter() - started


@st.cache_data(show_spinner=False, max_entries=32)
def optimizer_race(key: str, start, rates, n_steps: int, window, _chosen: ExactSlice):
    """Every optimizer's path on the exact slice (the model's own forward pass and gradient)."""
    c = _chosen
    objective = slice_objective(c.model, c.X, c.targets, c.loss, c.model.params, c.indices)
    bounds = (np.array(window[0]), np.array(window[1]))
    return race(objective, np.array(start), dict(rates), n_steps, bounds)


@st.cache_data(show_spinner=False, max_entries=16)
def network_surface(key, _model, _X, _targets, loss, seed, span, resolution, keep_biases):
    """Li et al.'s filter-normalised random plane through the current weights, and its time."""
    started = time.perf_counter()
    plane = random_plane(_model, seed, keep_biases=keep_biases)
    axis = np.linspace(-span, span, resolution)
    values = plane_losses(_model, _X, _targets, loss, _model.params, plane, axis, axis)
    return axis, values, time.perf_counter() - started


@st.cache_data(show_spinner=False, max_entries=16)
def trajectory_surface(key, _model, _X, _targets, loss, _rows, resolution):
    """The training path's PCA plane, the surface on it and every checkpoint's losses."""
    return path_surface(_model, _X, _targets, loss, _rows, resolution)


def weight_pickers(model: MLP) -> tuple[int, int] | None:
    """Two selects over every weight; None (with a note) when both name the same weight."""
    names = weight_choices(model)
    by_name = {name: index for index, name in names.items()}
    defaults = {"ls_first": by_name["W1[0, 0]"], "ls_second": by_name["W1[1, 0]"]}
    for key, default in defaults.items():
        if st.session_state.get(key) not in names:  # a new architecture: old picks are void
            st.session_state[key] = default
    helper = "W2[3, 5] is the weight from unit 3 of layer 1 to unit 5 of layer 2 (layer 0: x)."
    columns = st.columns(2)
    labels = {"ls_first": "First weight, w₁", "ls_second": "Second weight, w₂"}
    picked = [
        column.selectbox(
            labels[key],
            list(names),
            format_func=lambda i: f"{names[i]} = {model.params[i]:+.3f}",
            key=key,
            help=helper,
            **KEEP,
        )
        for column, key in zip(columns, labels, strict=True)
    ]
    if picked[0] == picked[1]:
        st.warning("Pick two different weights: the surface needs two axes.")
        return None
    return picked[0], picked[1]


@dataclass(frozen=True)
class ExactSlice:
    """What the exact two-parameter section shows: the model, its data and the two axes."""

    model: MLP
    X: np.ndarray
    targets: np.ndarray
    loss: str
    indices: tuple[int, int]
    names: tuple[str, str]
    radius: float

    @property
    def centre(self) -> tuple[float, float]:
        return tuple(float(self.model.params[i]) for i in self.indices)

    @property
    def key(self) -> str:
        """Cache key: the weights, the data and which two parameters."""
        return f"{run_key(self.model, self.X, self.targets, self.loss)}/{self.indices}"


def exact_slice(experiment: Experiment, mode: str, radius: float) -> ExactSlice | None:
    """The chosen two-parameter surface: two network weights or logistic regression."""
    trainer = experiment.trainer
    if mode == "logistic":
        model, targets, loss = logistic_regression(trainer.X_train, trainer.y_train)
        return ExactSlice(model, trainer.X_train, targets, loss, (0, 1), ("w₁", "w₂"), radius)
    indices = weight_pickers(experiment.model)
    if indices is None:
        return None
    names = weight_choices(experiment.model)
    model = experiment.model
    titles = (names[indices[0]], names[indices[1]])
    return ExactSlice(
        model, trainer.X_train, trainer.targets, trainer.loss, indices, titles, radius
    )


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
    surface = exact_surface(chosen.key, radius, chosen)
    axes, values, seconds = surface
    here, label = values[GRID // 2, GRID // 2], "current weights" if mode == "network" else "w = 0"
    mark = [(*chosen.centre, here, label)]
    figure = surface_figure(*axes, values, log_scale=log_scale, titles=chosen.names, marks=mark)
    st.plotly_chart(figure, key="exact_surface", config=CHART)
    own = chosen.model.loss_and_gradient(chosen.X, chosen.targets, chosen.loss)[0]
    st.caption(
        f"★ the {label}: the surface there is {here:.6g}, the model's own loss {own:.6g}. "
        f"{GRID} × {GRID} grid computed in {seconds:.2f} s. Everything else is held fixed."
    )
    race_section(chosen, surface, log_scale)


def race_controls() -> tuple[tuple[float, float], int, tuple[tuple[str, float], ...]]:
    """Start (fractions of the window), number of steps and each optimizer's learning rate."""
    across, up, steps = st.columns(3)
    start = (
        across.slider(
            "Start w₁ (−1 left edge, 1 right)", -1.0, 1.0, 0.6, 0.05, key="ls_x0", **KEEP
        ),
        up.slider("Start w₂ (−1 bottom, 1 top)", -1.0, 1.0, -0.6, 0.05, key="ls_y0", **KEEP),
    )
    n_steps = steps.slider("Steps", 10, 200, 60, 10, key="ls_steps", **KEEP)
    rates = []
    for column, (name, spec) in zip(st.columns(len(OPTIMIZERS)), OPTIMIZERS.items(), strict=True):
        rate = column.select_slider(
            f"{spec.label} η", RACE_RATES, spec.default_learning_rate, key=f"ls_rate_{name}", **KEEP
        )
        rates.append((name, rate))
    return start, n_steps, tuple(rates)


def verdict_list(paths) -> None:
    """One line per optimizer, in its path's colour, saying how its walk went."""
    rows = "".join(
        f'<li style="margin:0 0 0.55rem 0;list-style:none">'
        f'<span style="color:{OPTIMIZER_COLORS[p.optimizer]};font-weight:700">'
        f"{VERDICT_ICONS[p.verdict]} {html.escape(p.label)}</span> "
        f'<span style="color:{MUTED}">(η = {p.learning_rate:g})</span> '
        f'<span style="color:{INK}">{html.escape(p.message)}</span></li>'
        for p in paths
    )
    st.html(f'<ul data-testid="race-verdicts" style="padding:0;margin:0.5rem 0 0 0">{rows}</ul>')


def race_section(chosen: ExactSlice, surface, log_scale: bool) -> None:
    st.subheader("Optimizer race on this surface")
    st.markdown(
        "Six optimizers start from the same point and walk this exact surface, each with its "
        "own learning rate η, using the true gradient of the two weights. Press ▶ to replay "
        "the race. Raise a learning rate until its path zig-zags across the valley "
        "(**oscillates**) or shoots off the picture (**diverges**): the verdicts say which."
    )
    start_share, n_steps, rates = race_controls()
    low, high = window_around(chosen.centre, chosen.radius)
    start = tuple(float(v) for v in point_in((low, high), start_share))
    window = (tuple(map(float, low)), tuple(map(float, high)))
    paths = optimizer_race(chosen.key, start, rates, n_steps, window, chosen)
    axes, values, _ = surface
    figure_column, verdict_column = st.columns([3, 2], gap="medium")
    figure = race_figure(*axes, values, paths, log_scale=log_scale, titles=chosen.names)
    figure_column.plotly_chart(figure, key="race", config=CHART)
    with verdict_column:
        st.markdown("**How each walk went**")
        verdict_list(paths)
        if any(p.verdict in ("diverges", "escapes", "oscillates") for p in paths):
            st.caption(
                "A step of η·gradient that is longer than the valley is wide lands on the far "
                "wall, higher up: the next step overshoots again. Adaptive methods (AdaGrad, "
                "RMSProp, Adam) divide by the gradient's recent size, so their step length is "
                "about η whatever the slope."
            )


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
    axis, values, seconds = network_surface(
        key, model, X, targets, loss, int(seed), span, resolution, keep_biases
    )
    centre = values[resolution // 2, resolution // 2]
    mark = [(0.0, 0.0, centre, "trained weights θ*")]
    figure = surface_figure(axis, axis, values, log_scale=log_scale, marks=mark)
    st.plotly_chart(figure, key="network_surface", config=CHART)
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
    try:
        surface = trajectory_surface(key, model, X, targets, loss, rows, resolution)
    except ValueError as error:
        st.info(f"No plane to show yet: {error}.")
        return
    path_pictures(surface, epochs, log_scale)


def path_pictures(surface: PathSurface, epochs: np.ndarray, log_scale: bool) -> None:
    """Explained variance, the plane with the projected path, and the losses along it."""
    explained, true, on_plane = surface.plane.explained, surface.true, surface.on_plane
    metrics = st.columns(4)
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
    st.plotly_chart(figure, key="path_surface", config=CHART)
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

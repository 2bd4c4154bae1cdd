"""Activations: what σ does to a curve, to the plane and to the gradients, and inside your net."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from core.data.datasets import DATASETS, make_dataset
from core.experiment import Experiment, Settings
from core.figures.activations import (
    bend_figure,
    function_figure,
    function_svg,
    live_histogram_figure,
    softmax_figure,
)
from core.figures.tour import thawed
from core.labs.activation_lab import (
    affine_matrix,
    bend_frames,
    curve,
    curve_grid,
    plane_points,
    properties_table,
    saturation_regions,
    statistics_shown,
)
from core.labs.gradient_lab import layer_statistics, pre_activation_histogram
from core.nn.activations import ACTIVATIONS, softmax
from core.render.svg import svg_data_uri
from pages._ui import CHART, KEEP, PAGE_ICON, tune_server_process
from pages._ui.chart_slot import previewed_chart
from pages._ui.gradient_section import gradient_section
from pages._ui.navigation import style_and_navigation
from pages._ui.settings_panel import adopt_shared_settings
from pages._ui.state import EXPERIMENT
from pages._ui.text import plural

tune_server_process()  # first: once per server process, cheap gc and few malloc arenas
st.set_page_config(page_title="Activations · Spacewarp", page_icon=PAGE_ICON, layout="wide")
style_and_navigation()
adopt_shared_settings()  # a shared link's run is the one "Inside your network" shows

NAMES = list(ACTIVATIONS)
LIVE_SECONDS = 1.0
# Every session's sliders fill one process-wide cache, so each is bounded: a function or bend
# figure is ~0.3 MB (32 of them ~10 MB) and an idle one goes after an hour (the gradient
# section's caches: pages/_ui/gradient_section.py).
CACHE_TTL = "1h"
TRANSFORM = "pages/1_Transform.py"
SATURATED_HELP = "A unit is saturated when |σ′(z)| < 0.01 for at least 95 % of the samples."
DEAD_HELP = "A unit is dead when its output is exactly 0 for every sample: no gradient reaches it."
NOTICE = {
    "identity": "Nothing bends: a stack of identity layers is still one affine map.",
    "step": "Every point jumps to a corner of the unit square: the plane collapses to 4 points.",
    "sigmoid": "Everything is squashed into the square (0, 1)²; far points pile up on its edges.",
    "tanh": "Everything is squashed into the square (−1, 1)²; far points pile up on its edges.",
    "relu": "The negative half of each axis folds onto 0: everything lands in the positive "
    "quadrant, and the quarter where both coordinates are negative collapses to the origin.",
    "leaky_relu": "Like ReLU, but the negative side is squeezed 100× instead of flattened.",
    "elu": "Positive side untouched; the negative side is bent smoothly towards −1.",
    "softplus": "A smooth ReLU: the negative side slides towards 0 without a sharp fold.",
    "gelu": "Almost ReLU, but small negative values dip slightly below 0 before returning.",
    "swish": "Almost ReLU, with a small dip below 0 (down to −0.28) on the negative side.",
    "sin": "The plane is wrapped: far-apart points can land on top of each other.",
}


def label(name: str) -> str:
    return ACTIVATIONS[name].label


def sidebar() -> tuple[str, list[str]]:
    side = st.sidebar
    side.header("Activation")
    activation = side.selectbox(
        "Activation σ",
        NAMES,
        index=NAMES.index("tanh"),
        key="act_activation",
        format_func=label,
        help="Highlighted in every section and used to bend the plane.",
        **KEEP,
    )
    compare = side.multiselect(
        "Compare with",
        NAMES,
        default=["sigmoid", "tanh", "relu"],
        key="act_compare",
        format_func=label,
        help="Drawn next to it in the curves and the gradient experiment.",
        **KEEP,
    )
    return activation, list(dict.fromkeys([activation, *compare]))


# Charts are cached as ``to_dict()`` and rebuilt unvalidated (``thawed``): a cached go.Figure
# is unpickled with every property validated again, and building one validates it too (the
# five charts of this page: about 0.2 s of every rerun, against a few ms this way).
@st.cache_data(show_spinner=False, max_entries=32, ttl=CACHE_TTL)
def function_chart(names: tuple[str, ...], focus: str) -> tuple[dict, str]:
    """The curves' figure (``to_dict()``) and its still SVG preview (a data URI), from the
    same arrays: the page's first picture, before plotly.js has loaded."""
    z = curve_grid()
    curves = {name: curve(name, z) for name in names}
    regions = saturation_regions(focus, z)
    preview = svg_data_uri(function_svg(z, curves, focus, regions))
    return function_figure(z, curves, focus, regions).to_dict(), preview


def function_section(activation: str, names: list[str]) -> None:
    st.header("Function and derivative")
    st.markdown(
        "Left: σ(z). Right: its slope σ′(z), the factor every gradient is multiplied by when "
        "it flows back through the unit. Where σ′ is almost 0 (shaded for "
        f"**{label(activation)}**: |σ′| < 0.01) the unit is *saturated*: its weights stop "
        "learning. Note how small the sigmoid's slope is even at its best (0.25)."
    )
    chart, preview = function_chart(tuple(names), activation)
    alt = f"σ(z) and σ′(z) of {', '.join(label(name) for name in names)}"
    previewed_chart(st, thawed(chart), key="act_curves", preview=preview, alt=alt, config=CHART)
    # A static table: st.dataframe's grid is a 0.5 MB script more for a first visitor to load.
    st.table(pd.DataFrame(properties_table(names)), hide_index=True, border="horizontal")
    if not ACTIVATIONS[activation].trainable:
        st.info(
            "The step has no useful derivative (0 everywhere, a spike at 0), so gradient "
            "descent cannot train a network that uses it: no signal ever reaches the weights."
        )


@st.cache_data(show_spinner=False, max_entries=32, ttl=CACHE_TTL)
def bend_chart(dataset: str, angle: float, scales: tuple, shift: tuple, activation: str) -> dict:
    X, y = make_dataset(dataset, 240, 0.03, seed=0)
    points, grid_shape = plane_points(X)
    bend = bend_frames(points, angle, *scales, shift, activation, n_frames=12)
    output_range = ACTIVATIONS[activation].output_range
    return bend_figure(bend, len(X), grid_shape, y, output_range).to_dict()


def bend_controls() -> tuple[str, float, tuple, tuple]:
    dataset = st.selectbox(
        "Points",
        list(DATASETS),
        index=list(DATASETS).index("circles"),
        key="act_dataset",
        format_func=lambda k: DATASETS[k].label,
        **KEEP,
    )
    angle = st.slider("Rotation (degrees)", -180, 180, 30, 5, key="act_angle", **KEEP)
    scale_x = st.slider("Scale along x", 0.25, 4.0, 2.0, 0.25, key="act_scale_x", **KEEP)
    scale_y = st.slider("Scale along y", 0.25, 4.0, 1.5, 0.25, key="act_scale_y", **KEEP)
    shift_x = st.slider("Shift x", -2.0, 2.0, 0.0, 0.1, key="act_shift_x", **KEEP)
    shift_y = st.slider("Shift y", -2.0, 2.0, 0.0, 0.1, key="act_shift_y", **KEEP)
    return dataset, float(angle), (scale_x, scale_y), (shift_x, shift_y)


def bend_notes(activation: str, angle: float, scales: tuple, shift: tuple) -> None:
    M = affine_matrix(angle, *scales)
    rows = r" \\ ".join(f"{M[i, 0]:.2f} & {M[i, 1]:.2f}" for i in range(2))
    st.latex(
        rf"\begin{{aligned}} z &= M x + b \\ M &= \begin{{pmatrix}} {rows} \end{{pmatrix}} \\ "
        rf"b &= \begin{{pmatrix}} {shift[0]:.1f} \\ {shift[1]:.1f} \end{{pmatrix}} \end{{aligned}}"
    )
    st.markdown(f"**What to notice with {label(activation)}.** {NOTICE[activation]}")
    st.caption(f"{ACTIVATIONS[activation].formula}, applied to each coordinate of z.")


def bend_section(activation: str) -> None:
    st.header("Bending the plane")
    st.markdown(
        "One layer with two units: rotate and stretch the plane, shift it, then apply σ to "
        "each coordinate. Press ▶ to watch x become z and z become σ(z), or drag the slider "
        "under the picture; the dashed box is σ's output range."
    )
    controls, chart, notes = st.columns([1, 2.2, 1.2], gap="large")
    with controls:
        dataset, angle, scales, shift = bend_controls()
    with chart:
        figure = thawed(bend_chart(dataset, angle, scales, shift, activation))
        st.plotly_chart(figure, key="act_bend", config=CHART)
    with notes:
        bend_notes(activation, angle, scales, shift)


def softmax_section() -> None:
    st.header("Softmax: from scores to probabilities")
    st.markdown(
        "The output layer of a K-class network turns its K scores (logits) into probabilities "
        "with softmax(z)ₖ = eᶻᵏ / Σⱼ eᶻʲ. Only differences between logits matter, and each "
        "unit of difference is a factor e ≈ 2.7: the logits (3, 1, −3) give about "
        "(0.88, 0.12, 0.002)."
    )
    controls, chart = st.columns([1, 3], gap="large")
    defaults = (3.0, 1.0, -3.0)
    with controls:
        logits = np.array(
            [
                st.slider(f"Logit z{k + 1}", -6.0, 6.0, value, 0.1, key=f"act_logit_{k}", **KEEP)
                for k, value in enumerate(defaults)
            ]
        )
    with chart:
        figure = thawed(softmax_chart(tuple(logits.tolist())))
        st.plotly_chart(figure, key="act_softmax", config=CHART)


@st.cache_data(show_spinner=False, max_entries=64, ttl=CACHE_TTL)
def softmax_chart(logits: tuple[float, ...]) -> dict:
    z = np.array(logits)
    return softmax_figure(z, softmax(z[None, :])[0]).to_dict()


def default_experiment(activation: str) -> Experiment:
    return Experiment.build(Settings(activation=activation))


def live_statistics(experiment: Experiment) -> None:
    """Per hidden layer: histogram of z over the training data, σ over it, and the counts."""
    model = experiment.view_model  # lifts the plane to its input features
    stats = layer_statistics(model, experiment.X_train)
    if not stats:
        st.info("This network has no hidden layer: nothing to show. Add one on Transform.")
        return
    name = model.activation.name
    show_saturated, show_dead = statistics_shown(name)
    metrics = st.columns(3)
    metrics[0].metric("Epoch", f"{experiment.epoch:,}")
    total = sum(s.n_units for s in stats)
    if show_saturated:
        saturated = sum(s.n_saturated for s in stats)
        metrics[1].metric("Saturated units", f"{saturated} / {total}", help=SATURATED_HELP)
    if show_dead:
        dead = sum(s.n_dead for s in stats)
        metrics[2 if show_saturated else 1].metric(
            "Dead units", f"{dead} / {total}", help=DEAD_HELP
        )
    titles = [_layer_title(s, show_saturated, show_dead) for s in stats]
    histograms = tuple(pre_activation_histogram(s.z) for s in stats)  # small: 40 bins a layer
    figure = thawed(histogram_chart(histograms, tuple(titles), name, show_saturated))
    st.plotly_chart(figure, key="act_live", config=CHART)
    regions = saturation_regions(name, curve_grid()) if show_saturated else []
    shaded = " Shaded: where |σ′| < 0.01." if regions else ""
    st.caption(
        "Bars: how the pre-activations z of all units in the layer spread over the training "
        f"points. Curve: σ(z), scaled to the panel.{shaded}"
    )


@st.cache_data(show_spinner=False, max_entries=32, ttl=CACHE_TTL)
def histogram_chart(histograms: tuple, titles: tuple[str, ...], name: str, shade: bool) -> dict:
    """The per-layer histograms with σ over them (the same for every first visit, so cached)."""
    z = curve_grid()
    regions = saturation_regions(name, z) if shade else []
    return live_histogram_figure(
        list(histograms), list(titles), (z, curve(name, z)[0]), regions
    ).to_dict()


def _layer_title(stats, show_saturated: bool, show_dead: bool) -> str:
    parts = [f"layer {stats.layer} · {plural(stats.n_units, 'unit')}"]
    if show_saturated:
        parts.append(f"{stats.n_saturated} saturated")
    if show_dead:
        parts.append(f"{stats.n_dead} dead")
    return " · ".join(parts)


def live_section(activation: str) -> None:
    st.header("Inside your network")
    experiment = st.session_state.get(EXPERIMENT)
    if experiment is None:
        st.info(
            "No network is being trained in this session yet. Train one on the Transform page "
            f"and come back. Meanwhile: a freshly initialised default network with "
            f"{label(activation)} (2-8-8-8-1, Xavier uniform weights, spiral data)."
        )
        # A link, not a button: an arrow says "go there", a play triangle would say "start".
        st.page_link(
            TRANSFORM, label="Go to Transform to train a network", icon=":material/arrow_forward:"
        )
        live_statistics(default_experiment(activation))
        return
    settings = experiment.settings
    st.markdown(
        f"The network from the Transform page ({settings.activation}, hidden layers "
        f"{'-'.join(map(str, settings.hidden)) or 'none'}, {settings.dataset} data): the "
        "pre-activations z of each hidden layer over the training points, with σ drawn over "
        "them. Mass under the shaded ends means saturated units; a spike at z ≤ 0 under ReLU "
        "means dead ones. Training runs only while the Transform page is open: go back, train "
        "for a while, and return to see how the picture moved."
    )
    st.page_link(TRANSFORM, label="Back to Transform", icon=":material/arrow_back:")
    live_statistics(experiment)
    st.fragment(run_every=LIVE_SECONDS)(watch)(experiment, experiment.epoch)


def watch(shown: Experiment, epoch: int) -> None:
    """Every second: redraw the page if the session's network changed since it was drawn
    (another experiment object, or the same one trained further).

    Redrawing a Plotly chart on every tick would remount it (a visible flicker) even when
    nothing changed; comparing the object and its epoch costs nothing.
    """
    experiment = st.session_state.get(EXPERIMENT)
    if experiment is not shown or experiment.epoch != epoch:
        st.rerun(scope="app")


st.title("Activations")
st.caption(
    "Which activation, and why? What σ does to a curve, to the plane and to the gradients, "
    "and what it is doing right now inside the network you are training."
)
focus, compared = sidebar()
function_section(focus, compared)
bend_section(focus)
softmax_section()
gradient_section(compared)
live_section(focus)

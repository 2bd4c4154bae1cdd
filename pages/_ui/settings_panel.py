"""The run settings in the sidebar, kept in step with the URL and across pages.

Widgets are created without default values: their state is filled in first, from (in this
order) a URL that changed since this session last wrote it (a shared link, back/forward), the
session's running experiment (so leaving a page and coming back keeps the settings), or the
defaults. After the widgets are read, the URL is rewritten to match, so the address bar is
always a link to what is on screen. Parsing and clamping live in ``core.settings``.
"""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from core.data.datasets import DATASETS
from core.data.features import DEFAULT_FEATURES, FEATURES
from core.experiment import UPLOADED, Settings
from core.nn.activations import ACTIVATIONS
from core.nn.initializers import INITIALIZERS
from core.nn.optimizers import OPTIMIZERS
from core.settings import (
    BATCH_SIZES,
    L2_RATES,
    LEARNING_RATES,
    MAX_DEPTH,
    MAX_WIDTH,
    N_SAMPLES,
    NOISE,
    QUERY_KEYS,
    SEED,
    TRAIN_SHARE,
    settings_from_query,
    settings_to_query,
)

WRITTEN = "_url_written"  # the query parameters this session last put in the URL
DEFAULT_WIDTH = 8


def _widget_values(settings: Settings) -> dict[str, object]:
    values = {
        "dataset": settings.dataset,
        "noise": settings.noise,
        "n_samples": settings.n_samples,
        "train_share": settings.train_share,
        "seed": settings.seed,
        "depth": len(settings.hidden),
        "activation": settings.activation,
        "init": settings.init,
        "optimizer": settings.optimizer,
        "learning_rate": settings.learning_rate,
        "batch_size": "full" if settings.batch_size is None else settings.batch_size,
        "l2": settings.l2,
        "features": list(settings.features),
    }
    for i, width in enumerate(settings.hidden):
        values[f"width_{i}"] = width
    return values


def _incoming() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def restore_widgets(current: Settings | None) -> tuple[list[str], int | None]:
    """Fill the widgets' state before they are drawn; returns (URL notices, URL epochs)."""
    incoming = _incoming()
    ours = {k: v for k, v in incoming.items() if k in QUERY_KEYS or k == "epochs"}
    if ours and ours != st.session_state.get(WRITTEN):
        settings, epochs, notices = settings_from_query(incoming)
        for key, value in _widget_values(settings).items():
            st.session_state[key] = value
        return notices, epochs
    for key, value in _widget_values(current or Settings()).items():
        st.session_state.setdefault(key, value)
    for i in range(MAX_DEPTH):
        st.session_state.setdefault(f"width_{i}", DEFAULT_WIDTH)
    return [], None


def _choice(label: str, registry: dict, key: str) -> str:
    return st.sidebar.selectbox(
        label, list(registry), key=key, format_func=lambda k: getattr(registry[k], "label", k)
    )


def settings_sidebar() -> Settings:
    """Draw the sidebar widgets (stable keys) and return the settings they show."""
    side = st.sidebar
    side.header("Data")
    upload = st.session_state.get("uploaded_data")  # set by pages._ui.transfer
    options = list(DATASETS) + ([UPLOADED] if upload else [])
    if st.session_state.get("dataset") not in options:
        st.session_state["dataset"] = Settings().dataset
    dataset = side.selectbox(
        "Dataset",
        options,
        key="dataset",
        format_func=lambda k: f"Your CSV ({upload[3]})" if k == UPLOADED else DATASETS[k].label,
    )
    noise = side.slider("Noise", NOISE[0], NOISE[1], step=NOISE[2], key="noise")
    n_samples = side.slider(
        "Points", N_SAMPLES[0], N_SAMPLES[1], step=N_SAMPLES[2], key="n_samples"
    )
    share = side.slider(
        "Training share", TRAIN_SHARE[0], TRAIN_SHARE[1], step=TRAIN_SHARE[2], key="train_share"
    )
    seed = side.number_input("Seed", SEED[0], SEED[1], key="seed")
    side.header("Network")
    depth = side.slider("Hidden layers", 0, MAX_DEPTH, key="depth")
    widths = tuple(
        side.slider(f"Width of layer {i + 1}", 1, MAX_WIDTH, key=f"width_{i}") for i in range(depth)
    )
    features = side.multiselect(
        "Input features",
        list(FEATURES),
        key="features",
        format_func=lambda k: FEATURES[k].label,
        help="What the first layer reads. Add x₁² + x₂² and the circles need no hidden layer.",
    )
    if not features:
        side.warning("Pick at least one input feature; using x₁, x₂.")
        features = list(DEFAULT_FEATURES)
    activation = _choice("Activation", ACTIVATIONS, "activation")
    init = _choice("Initialiser", INITIALIZERS, "init")
    side.header("Training")
    optimizer = _choice("Optimizer", OPTIMIZERS, "optimizer")
    learning_rate = side.select_slider("Learning rate", LEARNING_RATES, key="learning_rate")
    batch = side.select_slider("Batch size", BATCH_SIZES, key="batch_size")
    l2 = side.select_slider("L2 regularisation", L2_RATES, key="l2")
    return Settings(
        dataset=dataset,
        noise=noise,
        n_samples=n_samples,
        train_share=share,
        seed=int(seed),
        hidden=widths,
        activation=activation,
        optimizer=optimizer,
        learning_rate=learning_rate,
        batch_size=None if batch == "full" else batch,
        l2=l2,
        init=init,
        features=tuple(features),
    )


def write_url(settings: Settings) -> None:
    """Make the address bar describe ``settings`` (other pages' parameters are kept)."""
    params = settings_to_query(settings)
    others = {k: v for k, v in _incoming().items() if k not in QUERY_KEYS and k != "epochs"}
    st.query_params.from_dict({**others, **params})
    st.session_state[WRITTEN] = {k: [v] for k, v in params.items()}


def share_link(settings: Settings, epochs: int | None = None) -> str:
    """A link to this page that rebuilds the run (and trains it to ``epochs``)."""
    base = st.context.url or ""
    query = urlencode(settings_to_query(settings, epochs))
    return f"{base}?{query}" if query else base


def adopt_shared_settings(state_key: str = "transform") -> None:
    """For pages without the settings sidebar: honour a shared link's settings, keep the URL.

    A link such as ``/Activations?data=circles&layers=3`` builds that run (trained to
    ``epochs`` if given) as the session's experiment, which every page reads; afterwards the
    address bar names the session's run on this page too, so it can be shared from here.
    """
    from core.experiment import Experiment  # local: only pages that adopt links need it

    incoming = _incoming()
    ours = {k: v for k, v in incoming.items() if k in QUERY_KEYS or k == "epochs"}
    running = st.session_state.get(state_key)
    if ours and ours != st.session_state.get(WRITTEN):
        settings, epochs, notices = settings_from_query(incoming)
        for notice in notices:
            st.warning(f"Shared link: {notice}", icon="🔗")
        if running is None or running.settings != settings or epochs:
            running = Experiment.build(settings)
            if epochs and running.trainer is not None:
                running.trainer.run(epochs)
            st.session_state[state_key] = running
            st.session_state.playing = False
    if running is not None:
        write_url(running.settings)

"""The Activations page's gradient section: how big a gradient reaches each layer of a deep,
narrow network at initialisation, for the compared activations and three initialisers.

The page calls ``gradient_section(names)`` where the section goes; the numbers come from
``core.labs.gradient_lab`` and the chart from ``core.figures.activations``; this module only
lays out the controls, the chart and its caption, and caches the two.
"""

from __future__ import annotations

import streamlit as st

from core.figures.activations import gradient_figure
from core.figures.tour import thawed
from core.labs.gradient_lab import GRADIENT_INITS, MAX_DEPTH, gradient_norm_grid
from core.nn.activations import ACTIVATIONS
from core.nn.initializers import INITIALIZERS
from pages._ui import CHART, KEEP

__all__ = ["gradient_section"]

# Shared by every session, so bounded: a gradient grid is ~5 kB and slow to compute, so up to
# 64 stay with no time limit; its chart goes after an idle hour, as the page's other charts do.
CACHE_TTL = "1h"


@st.cache_data(show_spinner=False, max_entries=64)
def gradient_experiment(depth: int, width: int, names: tuple[str, ...], init_scale: float):
    return gradient_norm_grid(depth, width, names, GRADIENT_INITS, seed=0, init_scale=init_scale)


@st.cache_data(show_spinner=False, max_entries=64, ttl=CACHE_TTL)
def gradient_chart(depth: int, width: int, names: tuple[str, ...], init_scale: float) -> dict:
    grid = gradient_experiment(depth, width, names, init_scale)
    return gradient_figure(grid, init_scale).to_dict()


def gradient_controls() -> tuple[int, int, float]:
    columns = st.columns(3)
    depth = columns[0].slider("Hidden layers", 2, MAX_DEPTH, 10, key="act_depth", **KEEP)
    width = columns[1].slider("Units per layer", 2, 32, 8, key="act_width", **KEEP)
    init_scale = columns[2].select_slider(
        "σ of the normal initialiser",
        [0.01, 0.1, 0.5, 1.0, 2.0],
        1.0,
        key="act_init_scale",
        **KEEP,
    )
    return depth, width, init_scale


def gradient_section(names: list[str]) -> None:
    st.header("Vanishing and exploding gradients")
    st.markdown(
        "A deep, narrow network at initialisation, one batch, one backward pass (the app's own "
        "backprop). Each line is the size of the gradient reaching each layer's weights. A line "
        "that falls towards the input **vanishes**: the first layers barely learn. A line high "
        "above the others **explodes**. Sigmoid vanishes with every initialiser here; ReLU with "
        "He initialisation stays flat."
    )
    depth, width, init_scale = gradient_controls()
    trainable = tuple(n for n in names if ACTIVATIONS[n].trainable)
    if not trainable:
        st.info("Pick a trainable activation: the step has no gradient to measure.")
        return
    grid = gradient_experiment(depth, width, trainable, init_scale)
    chart = thawed(gradient_chart(depth, width, trainable, init_scale))
    st.plotly_chart(chart, key="act_gradients", config=CHART)
    ratios = ", ".join(
        f"{grid.first_to_last[0, i]:.2g} ({_init_label(init)})" for i, init in enumerate(grid.inits)
    )
    st.caption(
        f"{ACTIVATIONS[trainable[0]].label}: first layer's gradient ÷ output layer's = {ratios}. "
        "Far below 1 means vanishing; far above 1 means the early layers get the biggest steps."
    )


def _init_label(init: str) -> str:
    return "normal" if init == "normal" else INITIALIZERS[init].label

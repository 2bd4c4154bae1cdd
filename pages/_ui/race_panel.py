"""The optimizer race of the Loss-surface page: six optimizers walk the exact two-weight slice.

Controls (start point, steps, one learning rate per optimizer), the cached race itself (the
model's own forward pass and gradient on the slice), the animated figure and a verdict per path.
"""

from __future__ import annotations

import html

import numpy as np
import streamlit as st

from core.figures.race import OPTIMIZER_COLORS, race_figure
from core.figures.tour import thawed
from core.labs.optimizer_race import point_in, race, slice_objective, window_around
from core.nn.optimizers import OPTIMIZERS
from core.render.theme import INK, MUTED
from pages._ui import CHART, KEEP
from pages._ui.exact_slice import ExactSlice

__all__ = ["race_section"]

RACE_RATES = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0)
VERDICT_ICONS = {"settles": "✓", "moving": "…", "oscillates": "↯", "escapes": "⚠", "diverges": "⚠"}


@st.cache_data(show_spinner=False, max_entries=32)
def optimizer_race(key: str, start, rates, n_steps: int, window, _chosen: ExactSlice):
    """Every optimizer's path on the exact slice (the model's own forward pass and gradient)."""
    c = _chosen
    objective = slice_objective(c.model, c.X, c.targets, c.loss, c.model.params, c.indices)
    bounds = (np.array(window[0]), np.array(window[1]))
    return race(objective, np.array(start), dict(rates), n_steps, bounds)


@st.cache_data(show_spinner=False, max_entries=32)
def race_chart(
    key: str, start, rates, n_steps: int, window, log_scale: bool, _paths, _surface, _names
):
    """The race's animated figure as ``to_dict()`` (rebuilt unvalidated with ``thawed``): the
    same arguments as ``optimizer_race`` fix the paths, and ``key`` with ``window`` the surface."""
    axes, values, _ = _surface
    return race_figure(*axes, values, _paths, log_scale=log_scale, titles=_names).to_dict()


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
    figure_column, verdict_column = st.columns([3, 2], gap="medium")
    chart = race_chart(
        chosen.key, start, rates, n_steps, window, log_scale, paths, surface, chosen.names
    )
    figure = thawed(chart)
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

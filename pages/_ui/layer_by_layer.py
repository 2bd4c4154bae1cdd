"""The Transform page's "Layer by layer" section: the staged animation and its stage table.

The figure is built from the current weights (``core.labs.network_stages`` →
``core.figures.transform``) and kept in the session while training plays (rebuilding would
restart its animation); Pause or Snapshot redraws it. A toggle swaps the framing that follows
the data for one fixed, equal-scaled view (true scale).
"""

from __future__ import annotations

import streamlit as st

from core.experiment import Experiment
from core.figures.transform import transform_figure
from core.labs.network_stages import frames_per_stage, network_animation, stage_summary
from core.labs.plane import grid_lines
from pages._ui import CHART
from pages._ui.animation_chart import animation_chart
from pages._ui.regression_stage import regression_stage
from pages._ui.stage_shading import SHADE, shade_cells, shade_toggle
from pages._ui.stage_table import stage_table_html
from pages._ui.state import AnimationSnapshot, weights_digest

__all__ = ["animation_figure", "layer_by_layer"]

CACHE = "transform_figure_cache"  # AnimationSnapshot of the session's run
# Light enough to be drawn within a second of Pause: about 50 frames (3 a stage for the default
# 3 layers), grid lines of 15 samples; the default figure is then about 0.9 MB (84 frames of 25
# samples were 1.8 MB).
FRAME_BUDGET = 50
GRID_SAMPLES = 15
GRID_LINES = 11  # a side: 10 × 10 cells, the ones "Shade area change" colours
HEIGHT = 720
TRUE_SCALE = "true_scale"  # toggle: one fixed view for the whole animation


def animation_figure(experiment: Experiment) -> AnimationSnapshot:
    """The staged figure for the current weights, rebuilt only when they changed.

    Kept per session under ``CACHE`` for (run, epoch, weights, True scale, Shade area): a
    rerun with the same ones (a Pause's rerun after a Snapshot, any widget that does not change
    the picture) reuses the figure. While training plays, the last snapshot stays (rebuilding
    would restart its animation); Pause or Snapshot redraws it.
    """
    fixed = bool(st.session_state.get(TRUE_SCALE, False))
    shaded = bool(st.session_state.get(SHADE, False))
    stored = st.session_state.get(CACHE)
    digest = weights_digest(experiment.model.params)
    same = stored is not None and (stored.fixed, stored.shaded) == (fixed, shaded)
    if same and stored.experiment is experiment:
        keep = st.session_state.get("playing") and not st.session_state.get("snapshot")
        if (stored.epoch, stored.weights) == (experiment.epoch, digest) or keep:
            return stored
    # Drop the old figure first: Streamlit would keep it (and its experiment) until the next
    # run, so a session would briefly hold two (each a few MB).
    st.session_state.pop(CACHE, None)
    grid = grid_lines(experiment.extent, n_lines=GRID_LINES, n_samples=GRID_SAMPLES)
    n_frames = frames_per_stage(len(experiment.settings.hidden), budget=FRAME_BUDGET)
    anim = network_animation(experiment.view_model, experiment.X, grid, n_frames=n_frames)
    # Keep the figure and the summary table, not the animation's arrays (several MB).
    cells = shade_cells(experiment, GRID_LINES - 1, n_frames) if shaded else None
    figure = transform_figure(anim, experiment.y, height=HEIGHT, fixed=fixed, cells=cells)
    summary = stage_summary(anim)
    stored = AnimationSnapshot(
        experiment, experiment.epoch, figure, summary, fixed, shaded, weights=digest
    )
    st.session_state[CACHE] = stored
    return stored


def layer_by_layer(experiment: Experiment) -> None:
    st.subheader("Layer by layer")
    if experiment.regression:
        regression_stage(experiment)
        return
    st.markdown(
        "Each hidden layer computes σ(x W + b). Writing W as **U Σ Vᵀ** splits it into a rotation "
        "(Vᵀ), a stretch along perpendicular axes that also changes the dimension (Σ), and another "
        "rotation (U); then **b** shifts and **σ** bends. Press ▶, or pick a layer on the "
        "upper slider and any stage of it on the lower one (they move together). "
        "At the end, the output layer's decision boundary is drawn in the last representation: "
        "lines (or planes) where the prediction changes, one per pair of neighbouring classes."
    )
    st.toggle(
        "True scale (fixed axes)",
        key=TRUE_SCALE,
        help="One view for the whole animation, the same scale on every axis. Off: every "
        "frame is framed on its data; the ticks and the zoom note give the true scale.",
    )
    shade_toggle(experiment)
    snapshot = animation_figure(experiment)
    if experiment.trainer is not None and experiment.trainer.diverged:
        st.caption(
            f"Training diverged: every picture shows the weights of epoch "
            f"{experiment.trainer.kept_epoch:,}, the last with a finite loss."
        )
    # Always one caption line, so the chart does not move when training pauses.
    if snapshot.epoch != experiment.epoch:
        st.caption(
            f"Snapshot of epoch {snapshot.epoch:,}; training has moved on since. "
            "Press Snapshot or Pause to redraw it for the current weights."
        )
    else:
        st.caption(f"The network's weights at epoch {snapshot.epoch:,}.")
    # One graph updated in place, of a fixed height: the old animation stays until the new one
    # is drawn, and nothing on the page moves (pages/_ui/animation_chart.py).
    animation_chart(snapshot.figure, height=HEIGHT, config=CHART)
    if snapshot.summary:  # a table, or one card per layer on a phone
        st.html(stage_table_html(snapshot.summary))

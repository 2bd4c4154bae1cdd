"""The Transform page's live view as one canvas component drawn in the browser.

Every tick of the live fragment used to rasterise five pictures, encode them as PNG and SVG
and send them as HTML: 0.70 of a core for one session at defaults (bench/server_cost.py).
Now the tick sends one ``st.components.v2`` component (``assets/live_canvas.js``, inline, no
iframe, no CDN) the arrays ``core.render.live_arrays`` computes, a few tens of kilobytes,
and the browser draws them: the counters (epoch, accuracy, loss: each frame carries its own,
so they always give the epoch of the picture shown), the input plane with its boundary, the
loss and score curves (up to the picture's epoch), every layer's representation (fitted to
its data, with a scale bar; a click enlarges it) and the linear probe per layer. The keyed
mount is created once and redrawn in place on every tick, so no picture is ever missing
between two ticks.

The tick also trains a number of epochs that follows the time since the last tick
(``EPOCHS_PER_SECOND``), never more than ``TRAIN_SHARE`` of that time in work, instead of
always spending the whole budget: training was most of what was left once drawing moved to
the browser.

On a fresh server scikit-learn, which the linear probes need, is not imported yet (about 2 s;
``pages._ui.LATE_IMPORTS``): the first picture does not wait for it. The probe bars say
"measuring…", and once the browser has drawn that picture the component says so (its
``drawn`` trigger): that run of the fragment imports scikit-learn and measures them.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import streamlit as st

from core.experiment import Experiment
from core.labs.network_stages import layer_snapshots
from core.labs.plane import grid_lines
from core.labs.probes import first_separable_epochs
from core.nn.budget import Budget, train_within
from core.render.live_arrays import curves_payload, layer_panels, plane_payload, points_payload
from core.render.svg import svg_data_uri
from core.render.theme import MUTED, class_color
from pages._ui import freeze_imports, sklearn_ready, wait_for_sklearn
from pages._ui.live_plane import (
    counters,
    layer_probe,
    plane_heading,
    probe_row,
    probe_text,
    probe_timing,
    score_name,
    value_legend,
)
from pages._ui.state import ProbeScores

__all__ = [
    "LIVE_KEY",
    "frame",
    "frames_for",
    "fetch_component_code",
    "live_canvas",
    "live_data",
    "live_train",
    "probe_scores",
]

LIVE_KEY = "live_canvas"
HIDDEN_PAUSE = "live_hidden_pause"  # paused because the tab was hidden: resume when it shows
RERUN_APP = "live_rerun_app"
# A tick trains in steps and sends a picture after each, enough for REFRESHES_PER_SECOND over
# the time since the last tick (2..MAX_FRAMES); the browser plays them spread over the time to
# the next tick. Streamlit's own cost per script run (the fragment, its messages, garbage
# collection) is then paid once per several pictures, and a busy server that ticks less often
# still shows as many.
REFRESHES_PER_SECOND = 7
MAX_FRAMES = 8
TICK_GUESS = 0.9  # seconds: the first tick's gap (the period is the timer + the tick + a trip)
# The most training one tick does, in all, as a share of the time since the last tick (the
# compute budget's live step): at most 0.3 s of work in a second, whatever the tick's length.
TRAIN_SHARE = 0.3
# Epochs trained per second of wall time while playing: ≥ 1,000 on screen with a margin. It is
# most of what a live session costs the server now (bench/server_cost.py).
EPOCHS_PER_SECOND = 1100
LONGEST_GAP = 1.5  # seconds: a longer pause between ticks (a slow round trip) is not caught up
# While training plays, the linear probes (one logistic regression per layer, the costliest part
# of a tick after training) run at most this often; paused, after every change.
PROBE_SECONDS = 4.0
PROBE_WAIT = "live_probe_wait"  # the browser drew a picture without probes: measure them now
_ASSETS = Path(__file__).resolve().parents[2] / "assets"
_component = st.components.v2.component(
    "spacewarp.live_canvas",
    js=(_ASSETS / "live_canvas.js").read_text(),
    css=(_ASSETS / "live_canvas.css").read_text(),
    isolate_styles=False,  # in the page's DOM, so tests and benches find the canvas; lc- classes
)
# Empty and hidden: mounted at the top of the page so that the browser fetches Streamlit's
# component code (about 200 kB of scripts) with the page's first elements; else it asked for it
# only when the live view arrived, after the sidebar widgets' scripts.
PRELOAD_KEY = "component_preload"
_preload = st.components.v2.component(
    "spacewarp.component_preload",
    js="export default function () {}",
    css=f".st-key-{PRELOAD_KEY} {{ display: none; }}",
    isolate_styles=False,
)
_BOLD = re.compile(r"\*\*(.+?)\*\*(.*)")


def fetch_component_code() -> None:
    """Have the browser fetch the live view's component code now (call it before the sidebar)."""
    _preload(key=PRELOAD_KEY)


def frame(experiment: Experiment) -> dict:
    """One picture of the current weights: its epoch and counters (drawn with the picture, so
    they agree with it), the input plane and every layer."""
    model = experiment.view_model
    snapshots = layer_snapshots(model, experiment.X, grid_lines(experiment.extent))
    return {
        "epoch": int(experiment.epoch),
        "counters": counters(experiment),
        "plane": plane_payload(model, experiment.extent, discretize=experiment.settings.discretize),
        "panels": layer_panels(snapshots, experiment.y),
        "pca": any("PCA" in caption for _, _, caption in snapshots),
    }


def frames_for(gap: float) -> int:
    """Pictures a tick takes when ``gap`` seconds passed since the last one."""
    return int(np.clip(math.ceil(REFRESHES_PER_SECOND * gap), 2, MAX_FRAMES))


def live_train(experiment: Experiment, snapshot: Callable[[Experiment], Any] = frame) -> list:
    """Train this tick's share of ``EPOCHS_PER_SECOND`` (from the time since the last tick)
    in ``frames_for(gap)`` equal steps (fewer epochs each when the first step's share of
    ``TRAIN_SHARE`` · gap does not fit them all); returns ``snapshot(experiment)`` after each step
    (a ``frame`` unless told), for the browser to play one after another until the next tick."""
    now = time.monotonic()
    last = st.session_state.get("live_clock")
    st.session_state["live_clock"] = now
    gap = TICK_GUESS if last is None else min(now - last, LONGEST_GAP)
    n_frames = frames_for(gap)
    step = max(1, round(EPOCHS_PER_SECOND * gap / n_frames))
    frames = []
    for _ in range(n_frames):
        budget = Budget.of(TRAIN_SHARE * gap / n_frames)
        trained = train_within(experiment.trainer.run, step, budget).epochs
        if not trained:
            break  # diverged: the page pauses and explains
        step = trained  # what fitted the first step's budget sets the pace of the others
        frames.append(snapshot(experiment))
    return frames


def _probes_wait(experiment: Experiment) -> bool:
    """True while the probes need scikit-learn (a classifier's) and it is not imported yet."""
    return not experiment.regression and not sklearn_ready()


def probe_scores(experiment: Experiment) -> list[float] | None:
    """This session's probe scores per layer, reused for ``PROBE_SECONDS`` while playing;
    None while they wait for scikit-learn: until the browser drew a picture without them, or
    training plays."""
    drawn = st.session_state.pop(PROBE_WAIT, False)
    if _probes_wait(experiment):
        if not (drawn or st.session_state.get("playing")):
            return None
        wait_for_sklearn()
    now = time.monotonic()
    stored = st.session_state.get("separability")
    if stored is not None and stored.experiment is experiment:
        fresh = now - stored.measured_at < PROBE_SECONDS and st.session_state.get("playing")
        if stored.epoch == experiment.epoch or fresh:
            return stored.scores
    scores = layer_probe(experiment)
    st.session_state["separability"] = ProbeScores(experiment, experiment.epoch, now, scores)
    return scores


def _heading(markdown: str) -> list[str]:
    """A heading "**bold** rest" as [bold, rest], drawn as text (never as HTML)."""
    match = _BOLD.fullmatch(markdown)
    return [match.group(1), match.group(2)] if match else [markdown, ""]


def _curves(experiment: Experiment) -> list[dict]:
    """Loss (log scale) and score curves, train solid and test dashed."""
    trainer = experiment.trainer
    if trainer is None or not trainer.history.size:
        return []
    rows, epochs = trainer.history.rows, trainer.history.epochs
    if trainer.diverged:  # up to the weights kept: the explosion would flatten the rest
        rows, epochs = rows[epochs <= trainer.kept_epoch], epochs[epochs <= trainer.kept_epoch]
    train, test = class_color(1), class_color(0)
    losses = {"train": (rows[:, 0], train, ""), "test": (rows[:, 2], test, "4 3")}
    if rows[:, 4].any():  # both losses are the data loss; the L1/L2 penalty is its own
        losses["penalty"] = (rows[:, 4], MUTED, "1 2")
    scores = {"train": (rows[:, 1], train, ""), "test": (rows[:, 3], test, "4 3")}
    return [
        curves_payload(epochs, losses, title="Loss (log scale)"),
        curves_payload(epochs, scores, title=score_name(experiment), log_y=False),
    ]


def _probes(experiment: Experiment, scores: list[float] | None) -> dict:
    names = ["input"] + [f"layer {i}" for i in range(1, len(experiment.settings.hidden) + 1)]
    if scores is None:  # scikit-learn is still being imported: the bars come on a later run
        heading, caption = probe_text(experiment)
        return {"heading": _heading(heading)[0], "caption": caption,
                "rows": [[f"{name}: measuring…", 0.0] for name in names]}  # fmt: skip
    # The scores are reused for a few seconds while playing: they belong to the epoch they
    # were measured at (probe_scores stores it), not to the current one.
    stored = st.session_state.get("separability")
    measured = stored.epoch if stored is not None else experiment.epoch
    experiment.first_separable = first_separable_epochs(
        experiment.first_separable, scores, measured
    )
    heading, caption = probe_text(experiment)
    caption = f"{caption} {probe_timing(measured, PROBE_SECONDS)}"
    rows = [
        [probe_row(experiment, name, score, experiment.first_separable.get(layer)), float(score)]
        for layer, (name, score) in enumerate(zip(names, scores, strict=True))
    ]
    return {"heading": _heading(heading)[0], "caption": caption, "rows": rows}


def live_data(experiment: Experiment, frames: list[dict], scores: list[float] | None) -> dict:
    """Everything the component draws for this tick (JSON: numbers, strings, base64 arrays):
    the tick's frames (the current weights' alone when there are none), and what is drawn
    once a tick: points, curves, probes and the words around them."""
    frames = frames or [frame(experiment)]
    points = points_payload(experiment.X, experiment.y, experiment.extent)
    tick = st.session_state.get("live_tick", 0) + 1
    st.session_state["live_tick"] = tick
    return {
        "tick": tick,
        "playing": bool(st.session_state.get("playing")),
        "frames": frames,
        "plane_heading": _heading(plane_heading(experiment)),
        "points": points
        | {"n_train": len(experiment.X_train), "show_test": experiment.settings.show_test},
        "legend": svg_data_uri(value_legend()) if experiment.regression else None,
        "curves": _curves(experiment),
        "panels_heading": [
            "Every layer's representation now",
            " (warped grid carried along; each panel fitted to its data, bar = its scale; "
            "click a panel to enlarge it)",
        ],
        "note": (
            "PCA N %: a layer wider than 2 is seen along its 2 main directions, which show N % "
            "of its spread (variance); the rest lies in directions this view cannot show."
            if frames[-1]["pca"]
            else ""
        ),
        "probes": _probes(experiment, scores),
        "probes_pending": scores is None,  # the browser asks for them once it has drawn
    }


def _on_visibility() -> None:
    """The tab was hidden or shown: a hidden tab's timer still ticks (the browser slows it to
    about once a second), so training pauses while it is hidden and resumes when it shows."""
    seen = (st.session_state.get(LIVE_KEY) or {}).get("visibility")
    if seen == "hidden" and st.session_state.get("playing"):
        st.session_state.playing = False
        st.session_state[HIDDEN_PAUSE] = True
    elif seen == "visible" and st.session_state.pop(HIDDEN_PAUSE, False):
        st.session_state.playing = True
    else:
        return
    st.session_state[RERUN_APP] = True  # the fragment's timer changes only with a full run


def _on_drawn() -> None:
    """The browser drew a picture whose probes were still waiting for scikit-learn."""
    st.session_state[PROBE_WAIT] = True


def live_canvas(experiment: Experiment, frames: list[dict]) -> dict:
    """Mount (once) or update the live view with this tick's ``frames``; returns the data."""
    if st.session_state.pop(RERUN_APP, False):
        st.rerun(scope="app")
    data = live_data(experiment, frames, probe_scores(experiment))
    # A module imported since the page's first run (the probes' scikit-learn, on the first
    # ticks) would otherwise be walked by the collection after every tick.
    freeze_imports()
    _component(
        data=data, key=LIVE_KEY, on_visibility_change=_on_visibility, on_drawn_change=_on_drawn
    )
    return data

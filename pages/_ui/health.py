"""The Transform page's training-health check: one box near the controls, and a pause.

The page calls ``health_warning`` once per rerun and per live tick (inside its fragment, after
training advanced); it always draws one collapsed box of the same height, so a finding that
appears while training plays does not push the live view down. The findings come from
``core.labs.training_health``; this module only shows them and pauses once per experiment when
continuing cannot help, so a user who presses Play again on purpose is not stopped a second
time.
"""

from __future__ import annotations

import streamlit as st

from core.experiment import Experiment
from core.labs.training_health import training_health

__all__ = ["health_warning"]

PAUSED = "health_paused"  # id of the experiment the health check paused (once each)
HEALTHY = "Training health: nothing wrong so far"
CHECKED = (
    "Checked on every tick: a loss far above its start or rising for many epochs, accuracy "
    "at chance, a layer whose every unit is dead or saturated, a loss swinging up and down."
)


def health_warning(experiment: Experiment) -> None:
    """Show the health check in one collapsed box of one height, findings or not, so a
    finding that appears mid-training moves nothing on the page (an ``st.warning`` above the
    live view pushed it down 266 px); inside, every finding in one ``st.warning``. Pause (a
    full rerun, the box then open) the first time a finding says more epochs are pointless."""
    trainer = experiment.trainer
    if trainer is None:
        return
    findings = training_health(trainer)
    stop = any(finding.stop for finding in findings)
    if stop and st.session_state.get("playing") and st.session_state.get(PAUSED) != id(experiment):
        st.session_state.playing = False
        st.session_state[PAUSED] = id(experiment)
        st.rerun(scope="app")
    if not findings:
        with st.expander(HEALTHY, icon=":material/check_circle:"):
            st.caption(CHECKED)
        return
    count = f"{len(findings)} problem" + ("s" if len(findings) > 1 else "")
    label = f"Training health: {count} found, open it for what to try"
    with st.expander(label, icon=":material/warning:", expanded=stop):
        lead = "**Training paused: more epochs will not help.**\n\n" if stop else ""
        body = "\n".join(f"- {finding.message}" for finding in findings)
        st.warning(lead + body, icon=":material/warning:")

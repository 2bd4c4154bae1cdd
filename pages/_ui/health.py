"""The Transform page's training-health warning: one box near the controls, and a pause.

The page calls ``health_warning`` once per rerun and per live tick (inside its fragment, after
training advanced). The findings come from ``core.labs.training_health``; this module only
shows them and pauses once per experiment when continuing cannot help, so a user who presses
Play again on purpose is not stopped a second time.
"""

from __future__ import annotations

import streamlit as st

from core.experiment import Experiment
from core.labs.training_health import training_health

__all__ = ["health_warning"]

PAUSED = "health_paused"  # id of the experiment the health check paused (once each)


def health_warning(experiment: Experiment) -> None:
    """Show every finding for the running experiment in one ``st.warning``; pause (a full
    rerun) the first time a finding says more epochs are pointless."""
    trainer = experiment.trainer
    findings = training_health(trainer) if trainer is not None else []
    if not findings:
        return
    stop = any(finding.stop for finding in findings)
    if stop and st.session_state.get("playing") and st.session_state.get(PAUSED) != id(experiment):
        st.session_state.playing = False
        st.session_state[PAUSED] = id(experiment)
        st.rerun(scope="app")
    lead = "**Training paused: more epochs will not help.**\n\n" if stop else ""
    body = "\n".join(f"- {finding.message}" for finding in findings)
    st.warning(lead + body, icon=":material/warning:")

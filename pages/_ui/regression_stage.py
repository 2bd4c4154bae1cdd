"""The layer-by-layer section for a regression run: a plain note and the fitted last stage.

The staged animation colours points by class and ends on a decision boundary, which a
regression network does not have. For a regression dataset the Transform page shows this
instead: what the output unit reads (the last representation) coloured by the value it fits,
beside the same points coloured by their target; where the two agree the target has become
linearly predictable from that layer.
"""

from __future__ import annotations

import streamlit as st

from core.experiment import Experiment
from core.render.svg import svg_data_uri
from pages._ui import image_row
from pages._ui.live_plane import fitted_stage_pictures, value_legend
from pages._ui.state import EXPERIMENT

__all__ = ["regression_note", "regression_stage"]


def regression_stage(experiment: Experiment) -> None:
    """Draw the note and the fitted last stage (the page calls this instead of the animation)."""
    st.info(
        "This is a regression dataset: the staged animation colours points by class and ends "
        "on a decision boundary, so it is not drawn here. For values, the last step is the "
        "output unit's straight (affine) function of the last representation: below, that "
        "representation coloured by the fitted value, beside the same points coloured by their "
        "target. Where they match, the layers have made the target linearly predictable.",
        icon=":material/info:",
    )
    image_row(fitted_stage_pictures(experiment), width=300)
    image_row([(svg_data_uri(value_legend()), "")], width=360)


def regression_note() -> None:
    """The Compare page's word on regression: why its datasets are classification only."""
    running = st.session_state.get(EXPERIMENT)
    if running is not None and running.regression:
        st.info(
            "Your Transform run fits values (a regression dataset); this page compares nets by "
            "their accuracy, linear regions between classes and separability, so it offers "
            "classification datasets only.",
            icon=":material/info:",
        )

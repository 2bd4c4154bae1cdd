"""Every page on a regression dataset (AppTest): no exception, and the regression words."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from pages._ui.state import EXPERIMENT

PAGES = ("pages/2_Activations.py", "pages/3_Loss_surface.py", "pages/4_Compare.py")

pytestmark = pytest.mark.usefixtures("clear_streamlit_caches")


@pytest.fixture
def transform(open_page) -> AppTest:
    return open_page("pages/1_Transform.py", timeout=90)


@pytest.mark.parametrize("dataset", ["plane", "multi_gaussian", "sine_ridge"])
def test_transform_trains_a_regression_and_says_r2_and_rmse(transform, dataset, live_view):
    transform.selectbox(key="dataset").set_value(dataset).run()
    transform.button(key="step").click().run()
    assert not transform.exception
    experiment = transform.session_state[EXPERIMENT]
    assert experiment.regression and experiment.model.layer_sizes[-1] == 1
    assert experiment.trainer.loss == "squared" and experiment.epoch == 1
    shown = live_view(transform)
    labels = [label for label, _ in shown["frames"][-1]["counters"]]
    assert labels == ["Epoch", "Train R²", "Test R²", "Test RMSE"]
    assert shown["plane_heading"][0] == "Fitted value" and shown["legend"]
    assert shown["probes"]["heading"] == "Linear predictability per layer"
    assert not shown["frames"][-1]["plane"]["fields"]  # values: no class boundary to draw
    bars = [text for text, _ in shown["probes"]["rows"]]
    assert bars and all(": R² " in text for text in bars)  # R², not a share of classes
    assert any("regression dataset" in i.value for i in transform.info)  # instead of the animation
    graphs = [e.proto.component_name for e in transform.get("bidi_component")]
    assert "spacewarp.animation_chart" not in graphs  # no class-coloured animation
    assert not transform.get("plotly_chart")
    keys = {b.proto.id for b in transform.get("download_button")}
    assert len(keys) == 3  # model, data, history; no class-coloured animation


@pytest.mark.parametrize("page", PAGES)
def test_every_other_page_runs_on_a_regression_run(transform, page):
    transform.selectbox(key="dataset").set_value("plane").run()
    transform.button(key="step").click().run()
    transform.switch_page(page).run()
    assert not transform.exception
    assert transform.session_state[EXPERIMENT].regression
    if page.endswith("Compare.py"):
        assert any("classification datasets only" in i.value for i in transform.info)
    else:
        assert transform.get("plotly_chart")  # its pictures of the regression run are drawn

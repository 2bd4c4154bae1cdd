"""AppTest of the layer-by-layer graph's data: a figure is built and serialised once per
(run, epoch, weights, view toggles) and sent with a version the browser draws once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from pages._ui.animation_chart import PAYLOAD, chart_payload, plotly_chunk
from pages._ui.layer_by_layer import CACHE
from pages._ui.state import EXPERIMENT

HOME = str(Path(__file__).resolve().parents[1] / "app.py")
COMPONENT = "spacewarp.animation_chart"


@pytest.fixture(autouse=True)
def clear_streamlit_caches():
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()


@pytest.fixture
def at() -> AppTest:
    test = AppTest.from_file(HOME, default_timeout=90)
    test.query_params["layers"] = "2,2"  # small: the caching, not the size, is under test
    test.run()
    test.switch_page("pages/1_Transform.py").run()
    assert not test.exception
    return test


def _sent(at: AppTest) -> dict:
    (chart,) = [e for e in at.get("bidi_component") if e.proto.component_name == COMPONENT]
    return json.loads(chart.proto.json)


def test_a_rerun_with_the_same_weights_reuses_the_figure_and_its_json(at):
    snapshot, payload = at.session_state[CACHE], at.session_state[PAYLOAD][1]
    at.run()
    assert not at.exception
    assert at.session_state[CACHE] is snapshot  # not rebuilt
    assert at.session_state[PAYLOAD][1] is payload  # not serialised again
    assert _sent(at)["version"] == payload["version"]


def test_new_weights_build_a_new_figure_with_a_new_version(at):
    before = at.session_state[CACHE]
    version = _sent(at)["version"]
    at.button(key="step").click().run()  # one epoch: new weights
    assert not at.exception
    after = at.session_state[CACHE]
    assert after is not before and after.figure is not before.figure
    assert (before.epoch, after.epoch) == (0, 1) and after.weights != before.weights
    sent = _sent(at)
    assert sent["version"] != version
    frames = json.loads(sent["figure"])["frames"]
    old = json.loads(chart_payload(before.figure, 720, {})["figure"])["frames"]
    assert frames[-1]["data"] != old[-1]["data"]  # the last frame moved with the weights


def test_changed_weights_at_the_same_epoch_miss_the_cache(at):
    before = at.session_state[CACHE]
    at.session_state[EXPERIMENT].model.params[0] += 0.5  # as a hand edit does, epoch unchanged
    at.run()
    assert not at.exception
    after = at.session_state[CACHE]
    assert after.epoch == before.epoch and after.figure is not before.figure
    assert (
        after.weights != before.weights
        and _sent(at)["version"] != chart_payload(before.figure, 720, {})["version"]
    )


def test_the_version_is_the_figures_digest_and_plotly_is_streamlits(at):
    figure = at.session_state[CACHE].figure
    first, again = chart_payload(figure, 720, {}), chart_payload(figure, 720, {})
    assert first["version"] == again["version"] and first["figure"] == again["figure"]
    assert json.loads(first["figure"])["frames"]
    name = plotly_chunk()
    assert name.startswith("PlotlyChart.") and name.endswith(".js")
    assert (Path(st.__file__).parent / "static" / "static" / "js" / name).is_file()

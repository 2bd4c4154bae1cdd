"""Runs that read a single input feature (``?feat=r2``, ``?feat=x1``) work on every page.

Such a network's first weight matrix has one row, so there is no ``W1[1, 0]``: the Loss-surface
page used to fail looking it up. Each page is entered the way a shared link arrives: through
``app.py`` with the query, then ``switch_page``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from core.labs.landscape import weight_choices

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGES = ["pages/1_Transform.py", "pages/2_Activations.py", "pages/3_Loss_surface.py"]
PAGES += ["pages/4_Compare.py"]
LOSS_SURFACE = "pages/3_Loss_surface.py"
TABS = ("Two weights, exact", "Whole network, random plane", "Training path, PCA plane")


@pytest.fixture(autouse=True)
def clear_streamlit_caches():
    st.cache_data.clear()
    st.cache_resource.clear()


def open_page(page: str, **query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("feature", ["r2", "x1"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_works_with_one_input_feature(page, feature):
    at = open_page(page, feat=feature, epochs="20")
    run = at.session_state["transform"]
    assert run.settings.features == (feature,) and run.model.layer_sizes[0] == 1
    assert at.get("plotly_chart") or at.get("html"), "the page drew nothing"


@pytest.mark.parametrize("feature", ["r2", "x1"])
def test_loss_surface_picks_two_weights_that_exist_and_every_tab_draws(feature):
    at = open_page(LOSS_SURFACE, feat=feature, epochs="20")
    names = weight_choices(at.session_state["transform"].model)
    first, second = at.selectbox(key="ls_first").value, at.selectbox(key="ls_second").value
    assert first != second and {first, second} <= set(names)
    assert (names[first], names[second]) == ("W1[0, 0]", "W1[0, 1]")  # both from the one input
    surface = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert surface["data"][0]["type"] == "surface"
    for tab in TABS[1:]:
        at.session_state["ls_tab"] = tab
        at.run()
        assert not at.exception, [e.value for e in at.exception]
    at.session_state["ls_tab"] = TABS[0]
    at.session_state["ls_mode"] = "logistic"  # the two weights of σ(w₁x₁ + w₂x₂), on x itself
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert json.loads(at.get("plotly_chart")[0].proto.spec)["data"]


def test_a_network_with_a_single_weight_says_there_is_no_second_axis():
    at = open_page(LOSS_SURFACE, feat="r2", layers="none")
    assert at.session_state["transform"].model.layer_sizes == (1, 1)
    assert any("single weight, W1[0, 0]" in info.value for info in at.info)
    at.session_state["ls_mode"] = "logistic"
    at.run()
    assert not at.exception and at.get("plotly_chart")


@pytest.mark.parametrize("features", ["x1", "x1,x2,r2"])
def test_logistic_regression_slice_reads_the_plane_whatever_the_features(features):
    at = open_page(LOSS_SURFACE, feat=features)
    at.session_state["ls_mode"] = "logistic"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    star = next(c.value for c in at.caption if c.value.startswith("★"))
    assert "w = 0" in star  # the two-weight model at its centre, on (x₁, x₂)

"""Runs that read a single input feature (``?feat=r2``, ``?feat=x1``) work on every page.

Such a network's first weight matrix has one row, so there is no ``W1[1, 0]``: the Loss-surface
page used to fail looking it up. Each page is entered the way a shared link arrives: through
``app.py`` with the query, then ``switch_page``.
"""

from __future__ import annotations

import json

import pytest

from core.labs.landscape import weight_choices

PAGES = ["pages/1_Transform.py", "pages/2_Activations.py", "pages/3_Loss_surface.py"]
PAGES += ["pages/4_Compare.py"]
LOSS_SURFACE = "pages/3_Loss_surface.py"
TABS = ("Two weights, exact", "Whole network, random plane", "Training path, PCA plane")

pytestmark = pytest.mark.usefixtures("clear_streamlit_caches")


@pytest.mark.parametrize("feature", ["r2", "x1"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_works_with_one_input_feature(open_page, page, feature):
    at = open_page(page, query={"feat": feature, "epochs": "20"}, timeout=120)
    run = at.session_state["transform"]
    assert run.settings.features == (feature,) and run.model.layer_sizes[0] == 1
    assert at.get("plotly_chart") or at.get("html"), "the page drew nothing"


@pytest.mark.parametrize("feature", ["r2", "x1"])
def test_loss_surface_picks_two_weights_that_exist_and_every_tab_draws(open_page, feature):
    at = open_page(LOSS_SURFACE, query={"feat": feature, "epochs": "20"}, timeout=120)
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


def test_a_network_with_a_single_weight_says_there_is_no_second_axis(open_page):
    at = open_page(LOSS_SURFACE, query={"feat": "r2", "layers": "none"}, timeout=120)
    assert at.session_state["transform"].model.layer_sizes == (1, 1)
    assert any("single weight, W1[0, 0]" in info.value for info in at.info)
    at.session_state["ls_mode"] = "logistic"
    at.run()
    assert not at.exception and at.get("plotly_chart")


@pytest.mark.parametrize("features", ["x1", "x1,x2,r2"])
def test_logistic_regression_slice_reads_the_plane_whatever_the_features(open_page, features):
    at = open_page(LOSS_SURFACE, query={"feat": features}, timeout=120)
    at.session_state["ls_mode"] = "logistic"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    star = next(c.value for c in at.caption if c.value.startswith("★"))
    assert "w = 0" in star  # the two-weight model at its centre, on (x₁, x₂)

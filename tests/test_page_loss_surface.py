"""AppTest of the Loss-surface page, with and without the Transform page's network in session.

The page is reached from ``app.py`` with ``switch_page``, as in the running app: its links to
the Transform page resolve only when ``app.py`` is the main script. Tabs run lazily, so each
tab is opened through its session-state key.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from core.experiment import Experiment, Settings

PAGE = "pages/3_Loss_surface.py"
TABS = ("Two weights, exact", "Whole network, random plane", "Training path, PCA plane")

pytestmark = pytest.mark.usefixtures("clear_streamlit_caches")


def open_tab(at: AppTest, label: str) -> AppTest:
    at.session_state["ls_tab"] = label
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def spec(at: AppTest, index: int) -> dict:
    return json.loads(at.get("plotly_chart")[index].proto.spec)


def centre_check(at: AppTest) -> tuple[float, float]:
    """(surface at the star, the loss it must equal) from the caption under a surface."""
    caption = next(c.value for c in at.caption if c.value.startswith("★"))
    pattern = r"surface there is ([^,]+), the (?:model's own|training) loss ([0-9.e+-]+?)\.\s"
    first, second = re.search(pattern, caption).groups()
    return float(first), float(second)


def verdicts(at: AppTest) -> str:
    return next(h.proto.body for h in at.get("html") if "race-verdicts" in h.proto.body)


@pytest.fixture(scope="module")
def trained() -> Experiment:
    experiment = Experiment.build(Settings(dataset="moons", hidden=(6, 5), activation="relu"))
    experiment.trainer.run(40)
    return experiment


def test_without_a_network_the_page_trains_its_own_and_every_tab_runs(open_page):
    at = open_page(PAGE)
    assert any("trained its own" in info.value for info in at.info)
    assert len(at.get("plotly_chart")) == 2  # the exact surface and the race
    surface, star = centre_check(at)
    assert surface == star
    assert "Nesterov" in verdicts(at)
    race = spec(at, 1)
    assert len(race["frames"]) > 10 and len(race["data"]) == 2 + 2 * 6
    open_tab(at, TABS[1])
    assert len(at.get("plotly_chart")) == 1
    surface, loss = centre_check(at)
    assert surface == loss
    open_tab(at, TABS[2])
    assert len(at.get("plotly_chart")) == 2  # the plane with its path, the losses by epoch
    explained = [float(m.value.rstrip("%")) for m in at.metric[:3]]
    assert explained[0] >= explained[1] and explained[2] == pytest.approx(sum(explained[:2]), 0.2)


def test_with_the_transform_network_it_reads_and_leaves_it_alone(open_page, trained):
    before = trained.model.params.copy()
    at = open_page(PAGE, trained)
    text = " ".join(m.value for m in at.markdown)
    assert "from the Transform page" in text and "epoch 40" in text
    assert not any("trained its own" in info.value for info in at.info)
    for label in TABS[1:]:
        open_tab(at, label)
    assert trained.epoch == 40 and np.array_equal(trained.model.params, before)
    assert at.metric[3].value == str(len(trained.trainer.trajectory.rows))


def test_logistic_regression_and_two_weight_choices(open_page, trained):
    at = open_page(PAGE, trained)
    at.radio(key="ls_mode").set_value("logistic").run()
    assert not at.exception
    surface, loss = centre_check(at)
    assert surface == loss == pytest.approx(np.log(2), abs=1e-6)  # w = 0: σ = ½ everywhere
    at.radio(key="ls_mode").set_value("network").run()
    first = at.selectbox(key="ls_first").value
    at.selectbox(key="ls_second").set_value(first).run()
    assert not at.exception
    assert any("two different weights" in w.value for w in at.warning)


def test_same_settings_and_seed_give_the_same_picture(open_page):
    pictures = []
    for _ in range(2):
        st.cache_data.clear()
        at = open_tab(open_page(PAGE), TABS[1])
        at.number_input(key="ls_seed").set_value(7).run()
        pictures.append(spec(at, 0)["data"][0]["z"])
    assert pictures[0] == pictures[1]
    at.number_input(key="ls_seed").set_value(8).run()
    assert spec(at, 0)["data"][0]["z"] != pictures[0]


def test_a_huge_learning_rate_is_called_out(open_page):
    at = open_page(PAGE)
    at.select_slider(key="ls_rate_sgd").set_value(30.0).run()
    assert not at.exception
    sgd = verdicts(at).split("SGD")[1].split("</li>")[0]
    assert re.search(r"diverges|ends outside|ends higher|oscillates", sgd)


def test_a_network_without_gradient_falls_back_to_the_pages_own(open_page):
    step = Experiment.build(Settings(activation="step"))
    at = open_page(PAGE, step)
    assert any("has no gradient" in info.value for info in at.info)
    assert len(at.get("plotly_chart")) == 2


def test_an_untrained_network_has_no_path_yet(open_page):
    fresh = Experiment.build(Settings(hidden=(4,)))
    at = open_tab(open_page(PAGE, fresh), TABS[2])
    assert any("Train for a few epochs first" in info.value for info in at.info)
    assert not at.get("plotly_chart")

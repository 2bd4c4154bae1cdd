"""AppTest of the Activations page, with and without the Transform page's network in session.

The page is reached from ``app.py`` with ``switch_page``, as in the running app: its links to
the Transform page resolve only when ``app.py`` is the main script.
"""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from core.experiment import Experiment, Settings
from core.nn.activations import ACTIVATIONS

PAGE = "pages/2_Activations.py"
SECTIONS = [
    "Function and derivative",
    "Bending the plane",
    "Softmax: from scores to probabilities",
    "Vanishing and exploding gradients",
    "Inside your network",
]

pytestmark = pytest.mark.usefixtures("clear_streamlit_caches")


def spec(at: AppTest, index: int) -> dict:
    return json.loads(at.get("plotly_chart")[index].proto.spec)


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


@pytest.fixture(scope="module")
def trained() -> Experiment:
    experiment = Experiment.build(Settings(dataset="moons", hidden=(6, 5), activation="relu"))
    experiment.trainer.run(15)
    return experiment


def test_runs_without_a_network_and_shows_a_fresh_default_one(open_page):
    at = open_page(PAGE)
    assert [h.value for h in at.header][:5] == SECTIONS
    assert len(at.get("plotly_chart")) == 5
    assert any("No network is being trained" in i.value for i in at.info)
    [link] = at.main.get("page_link")  # a link, drawn as one: an arrow, not a play button
    assert link.proto.label == "Go to Transform to train a network"
    assert link.proto.icon == ":material/arrow_forward:"
    assert metric(at, "Epoch") == "0"
    assert metric(at, "Saturated units").endswith("/ 24")  # tanh default, 2-8-8-8-1
    live = spec(at, 4)
    assert len(live["data"]) == 2 * 3  # bars + σ for each of the three hidden layers


def test_reads_the_transform_network_from_session_state(open_page, trained):
    at = open_page(PAGE, trained)
    assert not any("No network" in i.value for i in at.info)
    assert metric(at, "Epoch") == "15"
    dead = metric(at, "Dead units")  # ReLU: dead units, not saturation
    assert dead.endswith("/ 11") and "Saturated units" not in [m.label for m in at.metric]
    live = spec(at, 4)
    titles = [a["text"] for a in live["layout"]["annotations"]]
    assert titles[0].startswith("layer 1 · 6 units") and titles[1].startswith("layer 2 · 5 units")
    assert [link.proto.label for link in at.main.get("page_link")] == ["Back to Transform"]
    assert at.session_state["transform"] is trained  # read-only: the page trains nothing
    assert trained.epoch == 15


def test_a_one_unit_layer_reads_1_unit(open_page):
    experiment = Experiment.build(Settings(dataset="moons", hidden=(1, 3)))
    titles = [a["text"] for a in spec(open_page(PAGE, experiment), 4)["layout"]["annotations"]]
    assert titles[0].startswith("layer 1 · 1 unit ·") and titles[1].startswith("layer 2 · 3 units")


@pytest.mark.parametrize("name", ["relu", "step", "sin", "identity"])
def test_changing_the_activation_redraws_every_section(open_page, name):
    at = open_page(PAGE)
    at.selectbox(key="act_activation").set_value(name).run()
    assert not at.exception
    assert spec(at, 1)["layout"]["title"]["text"] == f"Bend: σ = {ACTIVATIONS[name].label}"
    curves = spec(at, 0)
    assert len(curves["data"]) == 2 * len({name, "sigmoid", "tanh", "relu"})
    if name == "step":
        assert any("cannot train" in i.value for i in at.info)


def test_comparison_and_gradient_controls(open_page):
    at = open_page(PAGE)
    assert len(spec(at, 3)["data"]) == 3 * 3  # tanh, sigmoid, ReLU × three initialisers
    at.multiselect(key="act_compare").set_value(["gelu"]).run()
    at.slider(key="act_depth").set_value(4).run()
    assert not at.exception
    gradients = spec(at, 3)
    assert len(gradients["data"]) == 2 * 3  # tanh (the page's own) and GELU
    assert gradients["layout"]["xaxis"]["range"][1] == 5.5  # 4 hidden layers + output
    at.selectbox(key="act_activation").set_value("step").run()
    at.multiselect(key="act_compare").set_value([]).run()
    assert any("Pick a trainable activation" in i.value for i in at.info)


def test_softmax_and_bend_sliders(open_page):
    at = open_page(PAGE)
    probabilities = spec(at, 2)["data"][1]["text"]
    assert probabilities == ["0.88", "0.12", "0.002"]
    at.slider(key="act_logit_2").set_value(3.0).run()
    assert spec(at, 2)["data"][1]["text"] == ["0.47", "0.06", "0.47"]
    before = spec(at, 1)["layout"]["xaxis"]["range"]
    at.slider(key="act_scale_x").set_value(4.0).run()
    assert not at.exception
    assert spec(at, 1)["layout"]["xaxis"]["range"][1] > before[1]
    assert len(spec(at, 1)["frames"]) == 25

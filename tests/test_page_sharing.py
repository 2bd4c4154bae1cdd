"""Shared links through the real Transform page (AppTest): restore, clamp, train, never raise."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hst
from streamlit.testing.v1 import AppTest

from core.experiment import Experiment, Settings
from core.settings import TRANSFORM
from pages._ui.state import EXPERIMENT
from pages._ui.text import as_shown

PAGE = str(Path(__file__).resolve().parents[1] / "pages" / "1_Transform.py")

pytestmark = pytest.mark.usefixtures("clear_streamlit_caches")


def _open(**params) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    return at


def test_link_restores_the_widgets_and_the_run():
    at = _open(data="circles", layers="3,2", act="relu", lr="0.1", seed="7", batch="10")
    assert at.selectbox(key="dataset").value == "circles"
    assert at.selectbox(key="activation").value == "relu"
    assert at.slider(key="depth").value == 2
    assert (at.slider(key="width_0").value, at.slider(key="width_1").value) == (3, 2)
    assert at.select_slider(key="learning_rate").value == 0.1
    assert at.number_input(key="seed").value == 7
    expected = Settings(
        dataset="circles",
        hidden=(3, 2),
        activation="relu",
        learning_rate=0.1,
        seed=7,
        batch_size=10,
    )
    assert at.session_state[EXPERIMENT].settings == expected
    assert not at.warning


def test_link_with_epochs_reproduces_the_weights_bit_for_bit():
    at = _open(data="moons", layers="5,4", seed="3", epochs="60", batch="25")
    experiment = at.session_state[EXPERIMENT]
    assert experiment.epoch == 60
    reference = Experiment.build(Settings(dataset="moons", hidden=(5, 4), seed=3, batch_size=25))
    reference.trainer.run(60)
    np.testing.assert_array_equal(experiment.model.params, reference.model.params)


def test_hostile_values_are_clamped_with_a_visible_notice():
    at = _open(layers="999,-1", lr="nan", act="__import__('os')", data="x" * 10_000)
    assert len(at.warning) == 1  # one box for the link, a line for each of its four notices
    box = at.warning[0]
    assert box.icon == ":material/link:" and box.value.count("\n- ") == 4
    messages = as_shown(box.value)
    assert "layers=999,-1" in messages and "lr=nan" in messages and "characters long" in messages
    assert at.session_state[EXPERIMENT].settings.hidden == (16, 1)


def test_a_batch_of_zero_is_refused_not_made_one():
    at = _open(batch="0", lr="0.1")
    assert at.session_state[EXPERIMENT].settings.batch_size is None  # full, not the costliest
    assert at.session_state[EXPERIMENT].settings.learning_rate == 0.1
    notice = as_shown(at.warning[0].value)
    assert "“batch=0” is not a usable value: a batch size is a whole number" in notice


def test_changing_a_widget_updates_the_url():
    at = _open()
    assert "data" not in at.query_params  # defaults keep the URL clean
    at.selectbox(key="dataset").set_value("xor").run()
    at.slider(key="depth").set_value(1).run()
    assert at.query_params["data"] in ("xor", ["xor"])
    assert at.query_params["layers"] in ("8", ["8"])


def test_share_link_carries_the_settings():
    at = _open(data="xor", seed="5")
    link = next(c.value for c in at.code)
    assert "data=xor" in link and "seed=5" in link and "epochs" not in link
    at.toggle(key="share_epochs").set_value(True).run()
    at.button(key="step").click().run()
    link = next(c.value for c in at.code)
    assert "epochs=1" in link


KEYS = [
    "data",
    "noise",
    "n",
    "split",
    "seed",
    "layers",
    "act",
    "init",
    "opt",
    "lr",
    "batch",
    "l2",
    "epochs",
]


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hst.dictionaries(hst.sampled_from(KEYS), hst.text(min_size=0, max_size=30), max_size=5))
def test_fuzzed_urls_never_raise(params):
    at = AppTest.from_file(PAGE, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception


def test_a_link_to_another_page_prepares_the_run_for_every_page():
    home = str(Path(__file__).resolve().parents[1] / "app.py")
    at = AppTest.from_file(home, default_timeout=60)
    at.query_params["data"] = "xor"
    at.query_params["layers"] = "4"
    at.query_params["epochs"] = "5"
    at.run()
    assert not at.exception
    experiment = at.session_state[EXPERIMENT]
    assert experiment.settings == Settings(dataset="xor", hidden=(4,))
    assert experiment.epoch == 5
    at.switch_page("pages/1_Transform.py").run()
    assert not at.exception
    assert at.selectbox(key="dataset").value == "xor"
    assert at.session_state[EXPERIMENT].epoch == 5  # the same run, not rebuilt


def test_the_sidebar_offers_what_the_table_declares():
    at = _open()
    points = at.slider(key="n_samples")
    field = TRANSFORM["n_samples"]
    assert (points.label, points.min, points.max, points.step) == (
        field.label,
        field.low,
        field.high,
        field.step,
    )
    batch = at.select_slider(key="batch_size")
    assert batch.options == [*map(str, TRANSFORM["batch_size"].choices), "full"]
    assert batch.value == "full"
    assert at.slider(key="depth").max == TRANSFORM["hidden"].max_count
    assert at.slider(key="width_0").max == TRANSFORM["hidden"].high

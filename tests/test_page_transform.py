"""AppTest of the Transform page: runs at defaults and after changing every kind of setting."""

from __future__ import annotations

import gc
import time
import weakref
from dataclasses import replace
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pages._ui.live_canvas import PROBE_SECONDS

PAGE = str(Path(__file__).resolve().parents[1] / "pages" / "1_Transform.py")

pytestmark = pytest.mark.usefixtures("clear_streamlit_caches")


@pytest.fixture
def app(open_script) -> AppTest:
    return open_script(PAGE)


def test_defaults_render_everything(app, live_view, animation_spec, counters):
    assert counters(app) == {"Epoch": "0"}  # nothing trained: no accuracy or loss yet
    # The live canvas gets one frame of the current weights: the boundary and one panel per
    # representation (input + 3 layers).
    shown = live_view(app)
    (frame,) = shown["frames"]
    assert frame["epoch"] == 0 and len(frame["panels"]) == 4 and frame["plane"]["fields"]
    assert not shown["curves"]  # nothing trained yet
    spec = animation_spec(app)
    # 2-8-8-8-1: input frame + 3 layers × (start + stages × 3 frames)
    assert len(spec["frames"]) > 40
    assert app.session_state["transform"].settings.hidden == (8, 8, 8)


def test_step_advances_one_epoch_and_keeps_going(app, live_view, counters):
    app.button(key="step").click().run()
    assert not app.exception
    assert counters(app)["Epoch"] == "1"
    loss, accuracy = live_view(app)["curves"]
    assert loss["title"] == "Loss (log scale)" and accuracy["title"] == "Accuracy"
    assert [s["name"] for s in loss["series"]] == [s["name"] for s in accuracy["series"]]
    assert [s["name"] for s in loss["series"]] == ["train", "test"]
    app.button(key="step").click().run()
    assert counters(app)["Epoch"] == "2"
    assert app.session_state["transform"].trainer.epoch == 2


def test_reset_gives_the_same_start_from_the_seed(app, counters):
    before = app.session_state["transform"].model.params.copy()
    app.button(key="step").click().run()
    app.button(key="reset").click().run()
    assert counters(app)["Epoch"] == "0"
    assert (app.session_state["transform"].model.params == before).all()


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("depth", 1),
        ("depth", 0),
        ("width_0", 3),
        ("activation", "relu"),
        ("dataset", "circles"),
        ("dataset", "blobs4"),
        ("activation", "step"),
        ("optimizer", "sgd"),
        ("noise", 0.2),
    ],
)
def test_changing_a_setting_rebuilds_without_error(app, key, value, animation_spec):
    widget = (
        app.selectbox(key=key)
        if key in ("activation", "dataset", "optimizer")
        else app.slider(key=key)
    )
    widget.set_value(value).run()
    assert not app.exception
    assert animation_spec(app)["frames"]
    settings = app.session_state["transform"].settings
    if key == "depth":
        assert len(settings.hidden) == value
    elif key == "width_0":
        assert settings.hidden[0] == 3


def test_learning_rate_change_does_not_reset(app):
    app.button(key="step").click().run()
    app.select_slider(key="learning_rate").set_value(0.1).run()
    assert not app.exception
    experiment = app.session_state["transform"]
    assert experiment.epoch == 1 and experiment.trainer.learning_rate == 0.1


def test_diverging_run_pauses_and_explains(app):
    app.selectbox(key="activation").set_value("identity").run()
    app.selectbox(key="optimizer").set_value("sgd").run()
    app.select_slider(key="learning_rate").set_value(10.0).run()
    for _ in range(12):
        app.button(key="step").click().run()
    assert not app.exception
    assert any("diverged" in w.value for w in app.warning)


def test_circles_with_narrow_layers_explains_topology(app):
    app.selectbox(key="dataset").set_value("circles").run()
    app.slider(key="depth").set_value(2).run()
    app.slider(key="width_0").set_value(2).run()
    app.slider(key="width_1").set_value(2).run()
    assert any("third unit" in i.value for i in app.info)
    app.button(key="widen").click().run()
    assert not app.exception
    assert app.session_state["transform"].settings.hidden == (3, 3)


def test_lifted_features_reach_the_network_and_the_animation(app, animation_spec):
    app.selectbox(key="dataset").set_value("circles").run()
    app.slider(key="depth").set_value(0).run()
    app.multiselect(key="features").set_value(["x1", "x2", "r2"]).run()
    assert not app.exception
    experiment = app.session_state["transform"]
    assert experiment.model.layer_sizes == (3, 1)
    experiment.trainer.run(300)
    assert experiment.trainer.evaluate(experiment.trainer.X_train, experiment.y_train)[1] == 1.0
    app.button(key="step").click().run()
    assert animation_spec(app)["frames"][0]["layout"]["title"]["text"].startswith(
        "The lifted input (3 features)"
    )


@pytest.fixture
def probe_texts(live_view):
    return lambda at: [text for text, _ in live_view(at)["probes"]["rows"]]


def test_probes_rerun_after_a_step_but_at_most_every_probe_period_while_playing(app, probe_texts):
    stored = app.session_state["separability"]
    assert len(stored.scores) == 4 and len(probe_texts(app)) == 4  # input + 3 hidden layers
    # Paused: a changed epoch is probed again at once (the marker scores are replaced).
    app.session_state["separability"] = replace(stored, scores=[0.125] * 4)
    app.button(key="step").click().run()
    assert not any("12.5%" in text for text in probe_texts(app))
    # Playing: within PROBE_SECONDS of the last probe the scores are reused though epochs passed.
    stored = app.session_state["separability"]
    marked = replace(stored, measured_at=time.monotonic(), scores=[0.125] * 4)
    app.session_state["separability"] = marked
    app.session_state["playing"] = True
    app.run()
    assert app.session_state["transform"].epoch > stored.epoch
    assert all("12.5%" in text for text in probe_texts(app))
    # A period later they are measured afresh, at the current epoch.
    stale = replace(marked, measured_at=time.monotonic() - PROBE_SECONDS - 0.5)
    app.session_state["separability"] = stale
    app.run()
    assert not any("12.5%" in text for text in probe_texts(app))
    assert app.session_state["separability"].epoch == app.session_state["transform"].epoch


def test_a_rebuild_lets_the_old_figure_go_at_once(app):
    # Streamlit keeps a replaced session-state value until the next run; the page drops the old
    # figure itself, so a session never holds two (each a few MB).
    old_figure = weakref.ref(app.session_state["transform_figure_cache"].figure)
    app.slider(key="noise").set_value(0.2).run()
    assert not app.exception
    gc.collect()
    assert old_figure() is None
    snapshot = app.session_state["transform_figure_cache"]
    assert snapshot.experiment is app.session_state["transform"]

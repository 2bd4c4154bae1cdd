"""Playground's small controls on the Transform page (AppTest): L1 and L2, Discretize output,
Show test data, Regenerate, and what an uploaded dataset switches off or cannot share."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from pages._ui.state import EXPERIMENT

PAGE = str(Path(__file__).resolve().parents[1] / "pages" / "1_Transform.py")

pytestmark = pytest.mark.usefixtures("clear_streamlit_caches")


@pytest.fixture
def app(open_script) -> AppTest:
    return open_script(PAGE)


def test_regenerate_draws_a_new_sample_and_keeps_the_network(app):
    app.button(key="step").click().run()
    before = app.session_state[EXPERIMENT]
    X_before, params = before.X.copy(), before.model.params.copy()
    app.button(key="regenerate").click().run()
    assert not app.exception
    after = app.session_state[EXPERIMENT]
    assert after is before and after.epoch == 1  # same network, same training so far
    assert np.array_equal(after.model.params, params)
    assert not np.array_equal(after.X, X_before) and after.settings.data_seed == 1
    assert np.array_equal(after.trainer.X_train, after.X_train)  # it trains on the new sample
    app.button(key="step").click().run()
    assert app.session_state[EXPERIMENT].epoch == 2


def test_l1_and_l2_reach_the_trainer_without_a_reset(app):
    app.button(key="step").click().run()
    app.select_slider(key="l1").set_value(0.01).run()
    app.select_slider(key="l2").set_value(0.001).run()
    experiment = app.session_state[EXPERIMENT]
    assert experiment.epoch == 1
    assert (experiment.trainer.l1, experiment.trainer.l2) == (0.01, 0.001)


def test_discretize_and_show_test_change_the_picture(app, live_view):
    shown = live_view(app)
    app.toggle(key="discretize").set_value(True).run()
    discretized = live_view(app)
    app.toggle(key="show_test").set_value(False).run()
    assert not app.exception
    without_test = live_view(app)
    planes = [d["frames"][-1]["plane"]["rgb"] for d in (shown, discretized, without_test)]
    assert planes[0] != planes[1] == planes[2]  # discretized: every region at full strength
    assert shown["points"]["show_test"] and not without_test["points"]["show_test"]
    assert "train only" in without_test["plane_heading"][1]


def _upload(app: AppTest) -> None:
    rows = ["a,b,label"] + [f"{i % 7},{i % 5},{'xy'[i % 2]}" for i in range(30)]
    app.file_uploader(key="upload_csv").upload("mine.csv", "\n".join(rows).encode(), "text/csv")
    app.run()
    assert not app.exception and app.selectbox(key="dataset").value == "uploaded"


def test_uploaded_data_switches_off_noise_points_and_regenerate(app):
    _upload(app)
    for key in ("noise", "n_samples"):
        widget = app.slider(key=key)
        assert widget.disabled and "used as they are" in widget.help
    assert app.button(key="regenerate").disabled


def test_the_share_box_says_uploaded_data_cannot_travel(app):
    assert not any("cannot travel" in w.value for w in app.sidebar.warning)
    _upload(app)
    assert any("cannot travel in a link" in w.value for w in app.sidebar.warning)
    links = [c.value for c in app.sidebar.code]
    assert links and not any("data=uploaded" in link for link in links)

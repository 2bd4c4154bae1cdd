"""AppTest of the Compare page: the race, its controls, the lifting section and shared links."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.settings import COMPARE
from pages._ui.text import as_shown

PAGE = str(Path(__file__).resolve().parents[1] / "pages" / "4_Compare.py")

pytestmark = pytest.mark.usefixtures("clear_streamlit_caches")


def _run(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    if query:
        at.query_params.update(query)
    at.run()
    assert not at.exception
    return at


@pytest.fixture
def app() -> AppTest:
    return _run()


def _metrics(at: AppTest, label: str) -> list[str]:
    return [m.value for m in at.metric if m.label == label]


def _pictures(at: AppTest) -> int:
    return sum(h.proto.body.count("data:image/png;base64,") for h in at.get("html"))


def _epoch_line(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("Epoch"))


def test_defaults_show_both_nets_and_the_lift(app):
    race = app.session_state["compare"]
    assert race.trainers["deep"].model.layer_sizes == (2, 7, 7, 7, 7, 1)
    assert race.trainers["wide"].model.layer_sizes == (2, 49, 1)
    captions = [c.value for c in app.caption]
    assert "2 → 7 → 7 → 7 → 7 → 1 · **197 parameters**" in captions
    assert "2 → 49 → 1 · **197 parameters**" in captions
    assert len(_metrics(app, "Linear regions")) == 2
    assert all(int(v) > 1 for v in _metrics(app, "Linear regions"))
    # Boundary and region map per net, and the linear model's boundary in the lift section.
    assert _pictures(app) == 2 + 2 + 1
    assert _epoch_line(app).startswith("Epoch **0**")
    assert _metrics(app, "Linear model's accuracy") == ["100.0%"]
    figure = json.loads(app.get("plotly_chart")[0].proto.spec)
    assert [t["type"] for t in figure["data"]] == ["scatter3d"] * 3 + ["surface"]
    assert app.query_params == {}  # the defaults make no URL parameters


def test_step_trains_both_nets_the_same_epochs_and_draws_curves(app):
    app.button(key="cmp_step").click().run()
    assert not app.exception
    race = app.session_state["compare"]
    assert race.trainers["deep"].epoch == race.trainers["wide"].epoch == 10
    assert _epoch_line(app).startswith("Epoch **10**")
    charts = [h.proto.body for h in app.get("html") if "data:image/svg+xml" in h.proto.body]
    assert len(charts) == 1 and charts[0].count("<img") == 2  # loss and accuracy, one row
    app.button(key="cmp_reset").click().run()
    assert app.session_state["compare"].epoch == 0


def test_changing_the_budget_rebuilds_and_goes_in_the_url(app):
    app.select_slider(key="cmp_budget").set_value(50).run()
    app.slider(key="cmp_depth").set_value(6).run()
    app.selectbox(key="cmp_data").set_value("blobs5").run()
    assert not app.exception
    race = app.session_state["compare"]
    assert race.trainers["deep"].model.layer_sizes == (2, 2, 2, 2, 2, 2, 2, 5)
    assert app.query_params["cmp_budget"] == "50" and app.query_params["cmp_depth"] == "6"


def test_a_smooth_activation_explains_why_regions_are_not_counted(app):
    app.selectbox(key="cmp_act").set_value("tanh").run()
    assert not app.exception
    assert any("smooth" in info.value for info in app.info)
    assert _metrics(app, "Linear regions") == ["—", "—"]
    assert _pictures(app) == 2 + 1  # no region maps


@pytest.mark.parametrize(
    ("features", "has_figure", "accuracy"),
    [([], False, None), (["x1x2"], True, None), (["x1sq", "x2sq"], False, "100.0%")],
)
def test_lifting_section_for_none_one_or_several_features(app, features, has_figure, accuracy):
    app.multiselect(key="cmp_feat").set_value(features).run()
    assert not app.exception
    assert bool(app.get("plotly_chart")) == has_figure
    if not has_figure:
        assert any("exactly one extra feature" in info.value for info in app.info)
    if accuracy:
        assert _metrics(app, "Linear model's accuracy") == [accuracy]
    assert app.query_params["cmp_feat"] == ",".join(features)


def test_a_shared_link_restores_settings_and_training_with_notices():
    at = _run(
        {
            "cmp_data": "circles",
            "cmp_budget": "999",
            "cmp_act": "bogus",
            "cmp_ldata": "xor",
            "cmp_feat": "x1x2",
            "cmp_epochs": "30",
        }
    )
    notices = [as_shown(w.value) for w in at.warning]
    assert any("cmp_budget=999" in n for n in notices) and any("bogus" in n for n in notices)
    assert at.selectbox(key="cmp_data").value == "circles"
    assert at.multiselect(key="cmp_feat").value == ["x1x2"]
    assert at.session_state["compare"].epoch == 30
    assert _metrics(at, "Linear model's accuracy") == ["100.0%"]
    # The address bar now describes what is on screen (clamped, without the epochs).
    assert at.query_params["cmp_budget"] == "1000" and "cmp_epochs" not in at.query_params
    assert "cmp_act" not in at.query_params


def test_diverging_nets_explain_themselves(app):
    app.selectbox(key="cmp_act").set_value("identity").run()
    app.selectbox(key="cmp_opt").set_value("sgd").run()
    app.select_slider(key="cmp_lr").set_value(10.0).run()
    for _ in range(3):
        app.button(key="cmp_step").click().run()
    assert not app.exception
    assert sum("diverged" in w.value for w in app.warning) == 2
    assert not app.session_state["compare"].running


def test_share_link_carries_the_settings_and_optionally_the_training(app):
    app.slider(key="cmp_depth").set_value(3).run()
    link = next(c.value for c in app.code)
    assert "cmp_depth=3" in link and "cmp_epochs" not in link
    app.toggle(key="cmp_share_epochs").set_value(True).run()
    app.button(key="cmp_step").click().run()
    link = next(c.value for c in app.code)
    assert "cmp_depth=3" in link and "cmp_epochs=10" in link


def test_the_widgets_offer_what_the_table_declares(app):
    depth = app.slider(key="cmp_depth")
    assert (depth.min, depth.max) == (COMPARE["depth"].low, COMPARE["depth"].high)
    assert depth.label == COMPARE["depth"].label
    activations = app.selectbox(key="cmp_act").options
    assert len(activations) == len(COMPARE["activation"].choices) and "Step" not in activations
    assert app.select_slider(key="cmp_budget").options == [
        str(b) for b in COMPARE["budget"].choices
    ]


def test_a_link_keeps_the_other_pages_parameters_and_reports_repeats():
    at = _run({"data": "xor", "layers": "4", "cmp_depth": ["2", "3"]})
    assert any("“cmp_depth” was given 2 times" in as_shown(w.value) for w in at.warning)
    assert at.session_state["compare"].trainers["deep"].model.n_layers == 4  # 3 hidden + output
    assert at.query_params["data"] == "xor" and at.query_params["layers"] == "4"
    assert at.query_params["cmp_depth"] == "3"


def _race_pictures(at: AppTest) -> list[str]:
    rows = [h.proto.body for h in at.get("html") if 'data-testid="live-images"' in h.proto.body]
    return rows[:2]  # one row a net: boundary and regions


def test_the_race_is_redrawn_for_new_data_or_weights_and_kept_across_other_reruns(app):
    before = _race_pictures(app)
    app.slider(key="cmp_lnoise").set_value(0.1).run()  # the lifting section only
    assert _race_pictures(app) == before
    # The same seed and shapes give the same initial weights: only the data differ.
    app.selectbox(key="cmp_data").set_value("moons").run()
    moons = _race_pictures(app)
    assert moons != before
    race = app.session_state["compare"]
    accuracy = [race.trainers[n].evaluate(race.X_train, race.y_train)[1] for n in ("deep", "wide")]
    assert _metrics(app, "Train accuracy") == [f"{a:.1%}" for a in accuracy]
    app.button(key="cmp_step").click().run()  # ten epochs: new weights, new pictures
    assert _race_pictures(app) != moons

"""The network diagram and hand edits on the Transform page (AppTest, entered through app.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from core.experiment import Experiment, Settings
from core.labs.plane import plane_grid
from core.nn.edits import Edit
from pages._ui.state import EXPERIMENT
from pages._ui.text import as_shown

ROOT = Path(__file__).resolve().parents[1]
APP, PAGE = str(ROOT / "app.py"), "pages/1_Transform.py"

pytestmark = pytest.mark.usefixtures("clear_streamlit_caches")


def _open(**params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(PAGE).run()
    assert not at.exception
    return at


def _diagram(at: AppTest) -> dict:
    (component,) = [
        e for e in at.get("bidi_component") if e.proto.component_name.endswith("network_diagram")
    ]
    return json.loads(component.proto.json)


def _metric(at: AppTest, label: str) -> str:
    """A counter the live canvas draws above its picture (the current weights' when paused)."""
    (live,) = [
        e for e in at.get("bidi_component") if e.proto.component_name == "spacewarp.live_canvas"
    ]
    return dict(json.loads(live.proto.json)["frames"][-1]["counters"])[label]


def _boundary(at: AppTest) -> str:
    """The decision-boundary picture: the first inline PNG of the live view."""
    bodies = [h.proto.body for h in at.get("html") if "data:image/png;base64," in h.proto.body]
    return re.search(r'src="(data:image/png;base64,[^"]+)"', bodies[0]).group(1)


def test_the_diagram_draws_every_unit_and_link():
    at = _open(data="blobs3", layers="5,4")
    data = _diagram(at)
    assert len(data["boxes"]) == 2 + 5 + 4 + 3  # one output unit per class
    svg = data["svg"]
    assert len(re.findall(r'<rect class="unit"', svg)) == 14
    assert all(f">class {k}<" in svg for k in range(3))
    assert data["atlas"].startswith("data:image/png;base64,")
    assert not at.selectbox(key="inspect_unit").value
    _select(at, "0:1")  # an input: its map large, and nothing to edit
    assert "Inspecting input · x₂" in [m.value.strip("*") for m in at.markdown]
    assert not [t for t in at.text_input if t.key == "edit_value"]


def _select(at: AppTest, choice: str) -> None:
    at.selectbox(key="inspect_unit").set_value(choice).run()
    assert not at.exception


def _edit(at: AppTest, target: str, text: str) -> None:
    at.selectbox(key="edit_target").set_value(target)
    at.text_input(key="edit_value").input(text)
    at.button(key="edit_apply").click().run()
    assert not at.exception


def test_editing_a_weight_changes_exactly_it_and_the_boundary():
    at = _open(data="xor", layers="4", n="100")
    at.button(key="step").click().run()
    _select(at, "1:2")  # layer 1, unit 3
    assert "Inspecting layer 1 · unit 3" in [m.value.strip("*") for m in at.markdown]
    experiment = at.session_state[EXPERIMENT]
    before, picture = experiment.model.params.copy(), _boundary(at)
    animation, loss = at.session_state["transform_figure_cache"], _metric(at, "Test loss")
    _, _, grid = plane_grid(experiment.extent, 40)
    predicted = experiment.view_model.predict_proba(grid)
    _edit(at, "W1", "-4.5")  # the weight from x₂: W1[2,3]
    model = at.session_state[EXPERIMENT].model
    changed = np.flatnonzero(model.params != before)
    assert len(changed) == 1 and model.weights[0][1, 2] == -4.5
    assert _boundary(at) != picture
    assert np.abs(experiment.view_model.predict_proba(grid) - predicted).max() > 0.05
    assert "W1[2,3] set to -4.5" in as_shown(at.success[0].value)
    assert at.query_params["edit"] == "W1[2,3]:-4.5@1"
    assert at.session_state["transform_figure_cache"] is not animation  # rebuilt
    assert _metric(at, "Test loss") != loss  # measured again for the edited weights


@pytest.mark.parametrize(
    ("text", "reason"),
    [("abc", "is not a number"), ("NaN", "not a finite number"),
     ("1e309", "beyond the range of floating-point numbers")],
)  # fmt: skip
def test_a_bad_entry_is_explained_and_changes_nothing(text, reason):
    at = _open(data="xor", layers="4", n="100")
    _select(at, "2:0")  # the output unit
    before = at.session_state[EXPERIMENT].model.params.copy()
    _edit(at, "b", text)
    np.testing.assert_array_equal(at.session_state[EXPERIMENT].model.params, before)
    (error,) = at.error
    assert reason in as_shown(error.value) and "Nothing changed" in as_shown(error.value)
    assert "edit" not in at.query_params
    assert not at.session_state[EXPERIMENT].edits


def test_a_share_link_with_edits_restores_them():
    link = "W2[1,1]:2.5@3;b1[4]:-1@3;b2[1]:0.75"
    at = _open(data="xor", layers="4", n="100", epochs="6", edit=link)
    experiment = at.session_state[EXPERIMENT]
    assert experiment.epoch == 6
    expected = Experiment.build(Settings(dataset="xor", hidden=(4,), n_samples=100))
    expected.trainer.run(3)
    expected.edit([Edit("W", 1, 0, 0, 2.5, 3), Edit("b", 0, 3, None, -1.0, 3)])
    expected.trainer.run(3)
    expected.edit([Edit("b", 1, 0, None, 0.75)])
    np.testing.assert_array_equal(experiment.model.params, expected.model.params)
    assert experiment.edits == expected.edits
    share = at.sidebar.get("code")[0].value
    assert "edit=W2%5B1%2C1%5D%3A2.5%3Bb1%5B4%5D%3A-1%403%3Bb2%5B1%5D%3A0.75" in share
    # A second run does not apply the link's edits again.
    at.run()
    np.testing.assert_array_equal(at.session_state[EXPERIMENT].model.params, expected.model.params)


def test_a_links_bad_edits_are_noticed_and_reset_says_what_it_discards():
    at = _open(data="xor", layers="4", n="100", edit="W7[1,1]:1;b1[1]:nan;W1[1,1]:0.5")
    notices = as_shown(" ".join(w.value for w in at.warning))
    assert "weight layers 1..2" in notices and "not a finite number" in notices
    assert at.session_state[EXPERIMENT].edits == [Edit("W", 0, 0, 0, 0.5)]
    assert "discards your 1 hand edit" in at.button(key="reset").proto.help
    at.button(key="reset").click().run()
    assert not at.session_state[EXPERIMENT].edits
    assert "discarded 1 hand edit" in as_shown(at.info[0].value)
    assert "edit" not in at.query_params

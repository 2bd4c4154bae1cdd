"""AppTest of the Transform page's layer-by-layer section, entered through the home page.

Also its graph's data: a figure is built and serialised once per (run, epoch, weights, view
toggles) and sent with a version the browser draws once (pages/_ui/animation_chart.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from pages._ui.animation_chart import PAYLOAD, chart_payload, plotly_chunk
from pages._ui.layer_by_layer import CACHE
from pages._ui.state import EXPERIMENT

TRANSFORM = "pages/1_Transform.py"
COMPONENT = "spacewarp.animation_chart"
SMALL = {"layers": "2,2"}  # the caching, not the size, is under test


pytestmark = pytest.mark.usefixtures("clear_streamlit_caches")


@pytest.fixture
def open_transform(open_page):
    """``open_transform(query)``: the Transform page opened from the home page with ``query``."""
    return lambda query: open_page(TRANSFORM, query=query, timeout=90)


@pytest.mark.parametrize(("depth", "width"), [(8, 16), (1, 1)])
def test_the_slider_labels_every_layer(open_transform, depth, width, animation_spec):
    at = open_transform({"layers": ",".join([str(width)] * depth)})
    assert at.session_state["transform"].settings.hidden == (width,) * depth
    spec = animation_spec(at)
    titles = {frame["name"]: frame["layout"]["title"]["text"] for frame in spec["frames"]}
    steps = spec["layout"]["sliders"][0]["steps"]  # every stage
    layer_steps = spec["layout"]["sliders"][1]["steps"]  # a row of layers, few enough to label
    assert [step["label"] for step in layer_steps] == ["input"] + [
        f"L{k}" for k in range(1, depth + 1)
    ]
    labelled = {step["label"]: step["args"][0][0] for step in layer_steps}
    for layer in range(1, depth + 1):
        frame = labelled[f"L{layer}"]  # a labelled stop for every layer …
        assert titles[frame].startswith(f"Layer {layer} of {depth} ")  # … that goes there
    # Every stage is still a stop, labelled or not, in playing order, ending on the last frame.
    order = [frame["name"] for frame in spec["frames"]]
    stops = [order.index(step["args"][0][0]) for step in steps]
    assert stops == sorted(stops) and stops[-1] == len(order) - 1
    assert len(stops) >= 1 + 4 * depth  # start, and at least Σ, +b, σ per layer


def test_true_scale_toggle_fixes_the_axes(open_transform, animation_spec):
    at = open_transform({"layers": "2,2"})
    framed = animation_spec(at)
    assert "range" in framed["frames"][3]["layout"]["xaxis"]  # each frame its own view
    at.toggle(key="true_scale").set_value(True).run()
    assert not at.exception
    fixed = animation_spec(at)
    assert all("xaxis" not in frame["layout"] for frame in fixed["frames"])
    x_range = fixed["layout"]["xaxis"]["range"]
    assert x_range == fixed["layout"]["yaxis"]["range"] and x_range[0] == -x_range[1]


def test_default_animation_is_under_one_megabyte(open_transform):
    at = open_transform({})
    spec = _sent(at)["figure"]
    assert len(spec) <= 1_000_000, len(spec)
    assert len(json.loads(spec)["frames"]) >= 40  # still every stage, a few frames each


def _shading(spec: dict) -> list[dict]:
    return [t for t in spec["data"] if t.get("name", "").startswith(("area ", "folds"))]


def test_shade_area_toggle_adds_the_cells_and_off_removes_them(open_transform, animation_spec):
    at = open_transform({"layers": "2,2", "act": "relu", "data": "circles"})
    plain = animation_spec(at)
    assert not _shading(plain)
    at.toggle(key="shade_area").set_value(True).run()
    assert not at.exception
    shaded = animation_spec(at)
    slots = _shading(shaded)
    assert len(slots) == 10 and len(shaded["data"]) == len(plain["data"]) + 11  # + colour bar
    # Some frame fills cells (a null after each of the 10 × 10), and a σ frame outlines folds.
    filled = [sum(v is None for t in f["data"][:9] for v in t["x"]) for f in shaded["frames"]]
    assert 100 in filled and 0 in filled  # shaded stages, and the unshaded input/starts
    assert any(f["data"][9]["x"] for f in shaded["frames"] if f["name"].startswith("L1.")), (
        "no fold outlined in layer 1"
    )
    assert any("how much the current stage changed its area" in c.value for c in at.caption)
    at.toggle(key="shade_area").set_value(False).run()
    assert not at.exception
    again = animation_spec(at)
    assert not _shading(again) and len(again["data"]) == len(plain["data"])


def test_shade_area_says_why_a_wide_net_has_no_cells(open_transform, animation_spec):
    at = open_transform({"layers": "3"})
    at.toggle(key="shade_area").set_value(True).run()
    assert not at.exception
    assert not _shading(animation_spec(at))
    assert any("Nothing to shade here" in c.value for c in at.caption)


def _sent(at: AppTest) -> dict:
    (chart,) = [e for e in at.get("bidi_component") if e.proto.component_name == COMPONENT]
    return json.loads(chart.proto.json)


def test_a_rerun_with_the_same_weights_reuses_the_figure_and_its_json(open_transform):
    at = open_transform(SMALL)
    snapshot, payload = at.session_state[CACHE], at.session_state[PAYLOAD][1]
    at.run()
    assert not at.exception
    assert at.session_state[CACHE] is snapshot  # not rebuilt
    assert at.session_state[PAYLOAD][1] is payload  # not serialised again
    assert _sent(at)["version"] == payload["version"]


def test_new_weights_build_a_new_figure_with_a_new_version(open_transform):
    at = open_transform(SMALL)
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


def test_changed_weights_at_the_same_epoch_miss_the_cache(open_transform):
    at = open_transform(SMALL)
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


def test_the_version_is_the_figures_digest_and_plotly_is_streamlits(open_transform):
    at = open_transform(SMALL)
    figure = at.session_state[CACHE].figure
    first, again = chart_payload(figure, 720, {}), chart_payload(figure, 720, {})
    assert first["version"] == again["version"] and first["figure"] == again["figure"]
    assert json.loads(first["figure"])["frames"]
    name = plotly_chunk()
    assert name.startswith("PlotlyChart.") and name.endswith(".js")
    assert (Path(st.__file__).parent / "static" / "static" / "js" / name).is_file()

"""AppTest of the Transform page's layer-by-layer section, entered through the home page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

HOME = str(Path(__file__).resolve().parents[1] / "app.py")


@pytest.fixture(autouse=True)
def clear_streamlit_caches():
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()


def _transform(query: dict[str, str]) -> AppTest:
    at = AppTest.from_file(HOME, default_timeout=90)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("pages/1_Transform.py").run()
    assert not at.exception
    return at


@pytest.mark.parametrize(("depth", "width"), [(8, 16), (1, 1)])
def test_the_slider_labels_every_layer(depth, width, animation_spec):
    at = _transform({"layers": ",".join([str(width)] * depth)})
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


def test_true_scale_toggle_fixes_the_axes(animation_spec):
    at = _transform({"layers": "2,2"})
    framed = animation_spec(at)
    assert "range" in framed["frames"][3]["layout"]["xaxis"]  # each frame its own view
    at.toggle(key="true_scale").set_value(True).run()
    assert not at.exception
    fixed = animation_spec(at)
    assert all("xaxis" not in frame["layout"] for frame in fixed["frames"])
    x_range = fixed["layout"]["xaxis"]["range"]
    assert x_range == fixed["layout"]["yaxis"]["range"] and x_range[0] == -x_range[1]


def test_default_animation_is_under_one_megabyte():
    at = _transform({})
    (chart,) = [e for e in at.get("bidi_component") if "animation_chart" in e.proto.component_name]
    spec = json.loads(chart.proto.json)["figure"]
    assert len(spec) <= 1_000_000, len(spec)
    assert len(json.loads(spec)["frames"]) >= 40  # still every stage, a few frames each


def _shading(spec: dict) -> list[dict]:
    return [t for t in spec["data"] if t.get("name", "").startswith(("area ", "folds"))]


def test_shade_area_toggle_adds_the_cells_and_off_removes_them(animation_spec):
    at = _transform({"layers": "2,2", "act": "relu", "data": "circles"})
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


def test_shade_area_says_why_a_wide_net_has_no_cells(animation_spec):
    at = _transform({"layers": "3"})
    at.toggle(key="shade_area").set_value(True).run()
    assert not at.exception
    assert not _shading(animation_spec(at))
    assert any("Nothing to shade here" in c.value for c in at.caption)

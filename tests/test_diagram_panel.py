"""pages/_ui/diagram_panel.py through the Transform page (AppTest): the diagram's pictures are
the core's for the current weights, one per live picture, and what is kept between reruns is
what a fresh build gives."""

from __future__ import annotations

import numpy as np

# The diagram's data as sent: the sibling module's reader (tests/ is on sys.path); the
# ``transform`` fixture (the page, entered from home) is tests/conftest.py's.
from test_page_diagram import _diagram as _sent

from core.labs.network_diagram import (
    diagram_layout,
    links,
    map_samples,
    output_legend,
    unit_labels,
    unit_maps,
)
from core.render.diagram import bias_marks, diagram_atlas, link_rows, overlay_svg
from core.render.live_arrays import decode
from core.render.png import png_data_uri
from pages._ui.diagram_panel import PICTURE_KEY, diagram_overlay
from pages._ui.state import EXPERIMENT


def _fresh(experiment, selected=None) -> dict:
    """The diagram picture of the experiment's current weights, built from the core alone."""
    model = experiment.view_model
    layout = diagram_layout(model.layer_sizes)
    maps = unit_maps(model, experiment.extent, map_samples(layout.map_size))
    found = links(model.weights, model.biases)
    return {
        "epoch": experiment.epoch,
        "atlas": png_data_uri(diagram_atlas(maps, model.output)),
        "lines": link_rows(layout, found, selected).tolist(),
        "biases": bias_marks(layout, found),
        "limit": maps.limit,
    }


def _as_built(picture: dict) -> dict:
    """A sent picture with its lines read back from base64 (float32, 7 a line)."""
    lines = decode(picture["lines"], np.float32).reshape(-1, 7)
    return {key: picture[key] for key in ("epoch", "atlas", "biases", "limit")} | {"lines": lines}


def _assert_same(picture: dict, fresh: dict) -> None:
    shown = _as_built(picture)
    assert {k: shown[k] for k in ("epoch", "atlas", "biases", "limit")} == {
        k: fresh[k] for k in ("epoch", "atlas", "biases", "limit")
    }
    np.testing.assert_allclose(shown["lines"], np.array(fresh["lines"]), atol=1e-4)


def test_the_kept_picture_is_reused_while_the_weights_stay_and_rebuilt_when_they_change(
    transform,
):
    kept = transform.session_state[PICTURE_KEY]
    transform.run()  # a rerun with the same weights: nothing built again
    assert transform.session_state[PICTURE_KEY] is kept
    experiment = transform.session_state[EXPERIMENT]
    _assert_same(_sent(transform), _fresh(experiment))
    before = _sent(transform)["atlas"]
    transform.button(key="step").click().run()  # one epoch: new weights
    assert transform.session_state[PICTURE_KEY] is not kept
    _assert_same(_sent(transform), _fresh(experiment))
    assert _sent(transform)["atlas"] != before


def test_a_selection_changes_the_kept_picture_to_the_fresh_one(transform):
    transform.selectbox(key="inspect_unit").set_value("2:3").run()
    assert not transform.exception
    experiment = transform.session_state[EXPERIMENT]
    _assert_same(_sent(transform), _fresh(experiment, (2, 3)))


def test_a_playing_tick_sends_one_diagram_picture_per_live_picture(transform, live_view):
    transform.session_state["playing"] = True
    transform.run()
    assert not transform.exception
    live, diagram = live_view(transform), _sent(transform)
    epochs = [frame["epoch"] for frame in live["frames"]]
    assert len(epochs) >= 2 and diagram["playing"]
    assert [p["epoch"] for p in diagram["frames"]] + [diagram["epoch"]] == epochs
    assert len({p["atlas"] for p in diagram["frames"]} | {diagram["atlas"]}) == len(epochs)
    _assert_same(diagram, _fresh(transform.session_state[EXPERIMENT]))  # the last: now


def test_the_overlay_is_built_once_per_scale_and_equals_a_fresh_build(transform):
    model = transform.session_state[EXPERIMENT].view_model
    layout, labels = diagram_layout(model.layer_sizes), unit_labels(model)
    first = diagram_overlay(model, 1.0, None)
    assert diagram_overlay(model, 1.0, None) is first
    assert first == overlay_svg(layout, labels, 1.0, output_legend(model), None)
    other = diagram_overlay(model, 2.5, (1, 0))
    assert other == overlay_svg(layout, labels, 2.5, output_legend(model), (1, 0))
    assert "+2.5" in other and other != first

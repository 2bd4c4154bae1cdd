"""A fresh server's first visit to Transform does not wait for scikit-learn: its first script
run imports none of it and draws the live view at once, with the probe bars "measuring…"; the
run the browser asks for once it has drawn that picture imports it and measures them
(pages/_ui/live_canvas.py)."""

from __future__ import annotations

import sys
import types
from importlib.machinery import ModuleSpec

import pytest
from test_ui import fresh_interpreter_json

import pages._ui as ui
import pages._ui.live_canvas as live_canvas
from pages._ui.live_canvas import PROBE_WAIT
from pages._ui.live_plane import layer_probe, probe_row
from pages._ui.state import EXPERIMENT

TRANSFORM = "pages/1_Transform.py"
NAMES = ["input", "layer 1", "layer 2", "layer 3"]

pytestmark = pytest.mark.usefixtures("clear_streamlit_caches")

# A fresh interpreter (no warm-up thread) opens Transform from the home page, as a first
# visitor of a fresh server does; prints what its first run imported and showed, then reruns
# as the browser's "drawn" trigger does (its callback sets PROBE_WAIT).
FIRST_RUN = """
import json, sys
import pages._ui
pages._ui.warm_up_process = lambda: None  # the pages look it up when they run
from streamlit.testing.v1 import AppTest
at = AppTest.from_file("app.py", default_timeout=120)
at.run()
at.switch_page("pages/1_Transform.py").run()
def shown():
    (live,) = [e for e in at.get("bidi_component")
               if e.proto.component_name == "spacewarp.live_canvas"]
    data = json.loads(live.proto.json)
    return {"panels": len(data["frames"][-1]["panels"]),
            "probes": [row[0] for row in data["probes"]["rows"]]}
first = {"exception": bool(at.exception), "sklearn": "sklearn" in sys.modules, **shown()}
at.session_state["live_probe_wait"] = True
at.run()
later = {"exception": bool(at.exception), "sklearn": "sklearn" in sys.modules, **shown()}
print(json.dumps({"first": first, "later": later}))
"""


def test_a_fresh_servers_first_run_draws_without_scikit_learn_and_a_later_run_measures():
    shown = fresh_interpreter_json(FIRST_RUN, "", timeout=300)
    first, later = shown["first"], shown["later"]
    assert not first["exception"] and not first["sklearn"]
    assert first["panels"] == 4  # the picture: the input and every layer
    assert first["probes"] == [f"{name}: measuring…" for name in NAMES]
    assert not later["exception"] and later["sklearn"] and later["panels"] == 4
    assert all("measuring" not in row and row.endswith("%") for row in later["probes"])


@pytest.fixture
def no_sklearn_yet(monkeypatch):
    """The Transform page as if scikit-learn were not imported yet; ``waits`` counts the runs
    that waited for it. No warm-up thread is started."""
    waits = []
    monkeypatch.setattr(live_canvas, "sklearn_ready", lambda: False)
    monkeypatch.setattr(live_canvas, "wait_for_sklearn", lambda: waits.append(1))
    monkeypatch.setattr(ui, "warm_up_process", lambda: None)
    return waits


def _measured_rows(at) -> list:
    experiment = at.session_state[EXPERIMENT]
    scores = layer_probe(experiment)
    return [[probe_row(experiment, n, s, experiment.first_separable.get(i)), s]
            for i, (n, s) in enumerate(zip(NAMES, scores, strict=True))]  # fmt: skip


def test_the_probes_wait_until_the_browser_has_drawn_the_picture(
    open_page, live_view, no_sklearn_yet
):
    at = open_page(TRANSFORM)
    shown = live_view(at)
    assert len(shown["frames"][-1]["panels"]) == 4 and shown["probes_pending"]
    assert shown["probes"]["rows"] == [[f"{name}: measuring…", 0.0] for name in NAMES]
    assert "separability" not in at.session_state and not no_sklearn_yet  # nothing measured
    at.run()  # any other rerun before the browser drew it waits for nothing either
    assert live_view(at)["probes_pending"] and not no_sklearn_yet
    at.session_state[PROBE_WAIT] = True  # what the component's "drawn" trigger sets
    at.run()
    assert not at.exception and no_sklearn_yet == [1]
    shown = live_view(at)
    assert not shown["probes_pending"] and shown["probes"]["rows"] == _measured_rows(at)
    assert PROBE_WAIT not in at.session_state


def test_playing_measures_the_probes_without_waiting_for_the_browser(
    open_page, live_view, no_sklearn_yet
):
    at = open_page(TRANSFORM)
    at.button(key="play").click().run()  # a full run while playing (AppTest never ticks)
    assert not at.exception and no_sklearn_yet == [1]
    assert live_view(at)["probes"]["rows"] == _measured_rows(at)


def test_a_warm_server_measures_the_probes_in_the_first_run(open_page, live_view):
    at = open_page(TRANSFORM)  # scikit-learn is imported (tests/conftest.py)
    shown = live_view(at)
    assert not shown["probes_pending"] and shown["probes"]["rows"] == _measured_rows(at)


def test_imported_is_false_while_a_module_is_still_being_imported(monkeypatch):
    module = types.ModuleType("spacewarp_half_imported")
    module.__spec__ = ModuleSpec(module.__name__, None)
    monkeypatch.setitem(sys.modules, module.__name__, module)
    module.__spec__._initializing = True  # what importlib sets while the module's code runs
    assert not ui.imported(module.__name__)
    module.__spec__._initializing = False
    assert ui.imported(module.__name__)
    assert not ui.imported("spacewarp_never_imported")


def test_the_warm_up_imports_scikit_learn_a_while_after_every_page_module(monkeypatch):
    calls, late_seconds = [], ui.LATE_SECONDS
    monkeypatch.setattr(ui, "page_imports", lambda: ["colorsys", "wave"])
    monkeypatch.setattr(ui, "_import_all", calls.append)
    monkeypatch.setattr(ui, "imported", lambda name: False)
    monkeypatch.setattr(ui, "LATE_SECONDS", 0.0)
    ui.warm_up_process.cache_clear()
    try:
        ui.warm_up_process().join(timeout=60)
    finally:
        ui.warm_up_process.cache_clear()
    assert calls == [["colorsys", "wave"], list(ui.LATE_IMPORTS)]
    assert "sklearn.linear_model" in ui.LATE_IMPORTS and late_seconds > 0

"""A fresh server's first visit to Transform does not wait for scikit-learn: its first script
run imports none of it and draws the live view at once, with the probe bars "measuring…" until
the background import is done; a later run measures them (pages/_ui/live_canvas.py)."""

from __future__ import annotations

import sys
import types
from importlib.machinery import ModuleSpec

import pytest
from test_ui import fresh_interpreter_json

import pages._ui as ui
import pages._ui.live_canvas as live_canvas
from pages._ui.live_canvas import PROBE_RETRY, PROBE_WAIT, live_every
from pages._ui.live_plane import layer_probe, probe_row
from pages._ui.state import EXPERIMENT

TRANSFORM = "pages/1_Transform.py"
NAMES = ["input", "layer 1", "layer 2", "layer 3"]

pytestmark = pytest.mark.usefixtures("clear_streamlit_caches")

# A fresh interpreter (no warm-up thread) opens Transform from the home page, as a first
# visitor of a fresh server does; prints what its first run imported and showed, then imports
# scikit-learn (as the warm-up thread would) and reruns.
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
import sklearn.linear_model
at.run()
print(json.dumps({"first": first, "later": {"exception": bool(at.exception), **shown()}}))
"""


def test_a_fresh_servers_first_run_draws_without_scikit_learn_and_a_later_run_measures():
    shown = fresh_interpreter_json(FIRST_RUN, "", timeout=300)
    first, later = shown["first"], shown["later"]
    assert not first["exception"] and not first["sklearn"]
    assert first["panels"] == 4  # the picture: the input and every layer
    assert first["probes"] == [f"{name}: measuring…" for name in NAMES]
    assert not later["exception"] and later["panels"] == 4
    assert all("measuring" not in row and row.endswith("%") for row in later["probes"])


@pytest.fixture
def no_sklearn_yet(monkeypatch):
    """The Transform page as if scikit-learn were still being imported: ``ready[0] = True``
    ends the wait. No warm-up thread is started."""
    ready = [False]
    monkeypatch.setattr(live_canvas, "sklearn_ready", lambda: ready[0])
    monkeypatch.setattr(ui, "warm_up_process", lambda: None)
    return ready


def test_the_probes_wait_then_the_run_after_the_import_measures_them(
    open_page, live_view, no_sklearn_yet
):
    at = open_page(TRANSFORM)
    shown = live_view(at)
    assert len(shown["frames"][-1]["panels"]) == 4
    assert shown["probes"]["rows"] == [[f"{name}: measuring…", 0.0] for name in NAMES]
    assert at.session_state[PROBE_WAIT]  # the paused fragment's timer looks again
    assert "separability" not in at.session_state  # nothing measured, nothing kept
    no_sklearn_yet[0] = True
    at.run()
    assert not at.exception
    experiment = at.session_state[EXPERIMENT]
    scores = layer_probe(experiment)
    rows = [[probe_row(experiment, n, s, experiment.first_separable.get(i)), s]
            for i, (n, s) in enumerate(zip(NAMES, scores, strict=True))]  # fmt: skip
    assert live_view(at)["probes"]["rows"] == rows
    assert PROBE_WAIT not in at.session_state  # the timer is off again


class _Session(dict):
    """Just enough of ``st.session_state`` for ``live_every``."""


@pytest.mark.parametrize(
    ("playing", "ready", "every"),
    [(True, False, 0.8), (True, True, 0.8), (False, False, PROBE_RETRY), (False, True, None)],
)
def test_the_fragments_timer_runs_while_playing_or_while_the_probes_wait(
    monkeypatch, playing, ready, every
):
    session = _Session(playing=playing)
    monkeypatch.setattr(live_canvas.st, "session_state", session)
    monkeypatch.setattr(live_canvas, "sklearn_ready", lambda: ready)
    experiment = types.SimpleNamespace(regression=False)
    assert live_every(experiment, 0.8) == every
    regression = types.SimpleNamespace(regression=True)  # its probe is least squares: no wait
    assert live_every(regression, 0.8) == (0.8 if playing else None)


def test_imported_is_false_while_a_module_is_still_being_imported(monkeypatch):
    module = types.ModuleType("spacewarp_half_imported")
    module.__spec__ = ModuleSpec(module.__name__, None)
    monkeypatch.setitem(sys.modules, module.__name__, module)
    module.__spec__._initializing = True  # what importlib sets while the module's code runs
    assert not ui.imported(module.__name__)
    module.__spec__._initializing = False
    assert ui.imported(module.__name__)
    assert not ui.imported("spacewarp_never_imported")


def test_the_warm_up_imports_scikit_learn_after_every_page_module(monkeypatch):
    seen = []
    monkeypatch.setattr(ui, "page_imports", lambda: ["colorsys", "wave"])
    monkeypatch.setattr(ui, "_import_all", seen.extend)
    ui.warm_up_process.cache_clear()
    try:
        ui.warm_up_process().join(timeout=60)
    finally:
        ui.warm_up_process.cache_clear()
    assert seen == ["colorsys", "wave", *ui.LATE_IMPORTS]
    assert "sklearn.linear_model" in ui.LATE_IMPORTS

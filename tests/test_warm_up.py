"""The home page of a fresh server imports neither the engine nor scikit-learn (a first visitor
waits for neither), and ``pages._ui.warm_up_process`` imports what the pages import, once, in
the background."""

from __future__ import annotations

import sys

from test_ui import fresh_interpreter_json

import pages._ui as ui
from pages._ui import PAGES_DIR, page_imports

# A fresh interpreter opens the home page (AppTest) with the warm-up switched off, optionally
# with a shared link's query, and prints which heavy modules that imported.
HOME = """
import json, sys
import pages._ui
pages._ui.warm_up_process = lambda: None  # app.py looks it up when it runs
from streamlit.testing.v1 import AppTest
at = AppTest.from_file("app.py", default_timeout=120)
if sys.argv[1]:
    at.query_params["seed"] = sys.argv[1]
at.run()
heavy = ("core.experiment", "core.settings", "sklearn", "scipy.stats")
print(json.dumps({"exception": bool(at.exception), "title": at.title[0].value,
                  "imported": [name for name in heavy if name in sys.modules]}))
"""


def _home(seed: str) -> dict:
    return fresh_interpreter_json(HOME, seed, timeout=300)


def test_a_first_visitors_home_page_imports_no_engine_and_a_link_still_builds_its_run():
    plain, linked = _home(""), _home("7")
    assert not plain["exception"] and plain["title"] == "Spacewarp"
    assert plain["imported"] == []
    # A shared link to the home page still builds its run (so the engine is there).
    assert not linked["exception"] and "core.experiment" in linked["imported"]


def test_page_imports_reads_each_pages_top_level_imports_in_page_order(tmp_path):
    (tmp_path / "2_Two.py").write_text(
        '"""Two."""\nimport json\nfrom os import path\nfrom . import sibling\n'
        "def late():\n    import csv\n"
    )
    (tmp_path / "1_One.py").write_text('"""One."""\nimport os.path, json\n')
    (tmp_path / "3_Broken.py").write_text("import (\n")
    # In order, once each; relative imports and imports inside functions are not read.
    assert page_imports(tmp_path) == ["os.path", "json", "os"]


def test_page_imports_names_what_the_real_pages_need():
    modules = page_imports(PAGES_DIR)
    for name in ("streamlit", "core.experiment", "pages._ui.settings_panel"):
        assert name in modules
    assert modules.index("pages._ui.live_canvas") < modules.index("core.figures.landscape")


def test_the_warm_up_imports_every_page_module_once_past_one_that_fails(monkeypatch):
    modules = ["colorsys", "no.such.module", "wave"]  # small, and imported by nothing else here
    monkeypatch.setattr(ui, "page_imports", lambda: modules)
    for name in ("colorsys", "wave"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    ui.warm_up_process.cache_clear()
    try:
        first = ui.warm_up_process()
        first.join(timeout=60)
        assert ui.warm_up_process() is first  # once per process
    finally:
        ui.warm_up_process.cache_clear()
    assert not first.is_alive() and first.daemon
    assert "colorsys" in sys.modules and "wave" in sys.modules

"""Tests of `pages/_ui`: page labels and discovery follow Streamlit's own `pages/` rules."""

import ctypes
import gc
from pathlib import Path

from streamlit.testing.v1 import AppTest

from pages._ui import PAGES_DIR, discover_pages, page_label, tune_server_process


def test_page_label_strips_number_and_underscores():
    assert page_label(Path("1_Transform.py")) == "Transform"
    assert page_label(Path("2_Layer_by_layer.py")) == "Layer by layer"
    assert page_label(Path("10 - Loss landscape.py")) == "Loss landscape"
    assert page_label(Path("Playground.py")) == "Playground"


def test_discover_pages_follows_streamlit_rules(tmp_path):
    for name in ["10_Ten.py", "2_Two.py", "Zeta.py", "_under.py", ".hidden.py", "__init__.py"]:
        (tmp_path / name).write_text(f'"""Page {name}."""\n')
    (tmp_path / "notes.txt").write_text("not a page")
    (tmp_path / "_helpers").mkdir()
    (tmp_path / "_helpers" / "__init__.py").write_text("")

    pages = discover_pages(tmp_path)

    # Numbered pages by number, then the rest by name; a leading "_" does not hide a page.
    assert [page.path.name for page in pages] == ["2_Two.py", "10_Ten.py", "_under.py", "Zeta.py"]
    assert pages[0].summary == "Page 2_Two.py."
    assert pages[0].link_target == "pages/2_Two.py"


def test_discover_pages_skips_missing_folder(tmp_path):
    assert discover_pages(tmp_path / "nowhere") == []


def test_ui_package_is_not_a_page():
    assert "_ui" not in {page.path.stem for page in discover_pages(PAGES_DIR)}


def test_the_process_is_tuned_once_garbage_first(monkeypatch):
    calls = []
    monkeypatch.setattr(gc, "collect", lambda *a: calls.append("collect") or 0)
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))

    class Libc:
        def mallopt(self, parameter, value):
            calls.append(("mallopt", parameter, value))
            return 1

    monkeypatch.setattr(ctypes, "CDLL", lambda name: Libc())
    tune_server_process.cache_clear()
    tune_server_process()
    tune_server_process()  # every page calls it; only the first call in a process counts
    # Dead objects are collected before the freeze; glibc's M_ARENA_MAX (-8) is set to 2 and
    # M_MMAP_THRESHOLD (-3) to 1 MB.
    assert calls == ["collect", "freeze", ("mallopt", -8, 2), ("mallopt", -3, 1 << 20)]
    tune_server_process.cache_clear()


def test_without_glibc_nothing_breaks(monkeypatch):
    def missing(name):
        raise OSError(f"{name}: cannot open shared object file")

    monkeypatch.setattr(ctypes, "CDLL", missing)
    tune_server_process.cache_clear()
    tune_server_process()
    tune_server_process.cache_clear()


def test_a_run_of_the_app_freezes_the_imported_modules():
    tune_server_process.cache_clear()
    gc.unfreeze()
    at = AppTest.from_file(str(PAGES_DIR.parent / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert gc.get_freeze_count() > 10_000  # NumPy, Plotly, Streamlit, ...

"""AppTest checks of the home page (`app.py`): it runs cleanly and lists the pages it finds."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

ROOT_DIR = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def clear_streamlit_caches():
    """Empty Streamlit caches around each test: `cache_resource` outlives AppTest runs."""
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


def run_home(app_dir: Path = ROOT_DIR) -> AppTest:
    at = AppTest.from_file(str(app_dir / "app.py"), default_timeout=30)
    return at.run()


def test_home_runs_without_exception():
    at = run_home()
    assert not at.exception


def test_home_shows_title_and_pitch():
    at = run_home()
    assert [title.value for title in at.title] == ["Spacewarp"]
    markdown = "\n".join(block.value for block in at.markdown)
    assert "rotates and stretches the plane" in markdown
    assert "W = UΣVᵀ" in markdown
    assert [header.value for header in at.subheader] == ["How to read it", "Pages"]


def test_home_links_every_page(tmp_path, monkeypatch):
    # A copy of the app with two extra pages, imported instead of the repo's own `pages`.
    shutil.copy(ROOT_DIR / "app.py", tmp_path / "app.py")
    shutil.copytree(ROOT_DIR / "pages" / "_ui", tmp_path / "pages" / "_ui")
    pages_dir = tmp_path / "pages"
    (pages_dir / "2_Layer_by_layer.py").write_text('"""Every layer, one move at a time."""\n')
    (pages_dir / "1_Transform.py").write_text('"""One layer: W, then b, then sigma."""\n')
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "pages", raising=False)
    monkeypatch.delitem(sys.modules, "pages._ui", raising=False)

    at = run_home(tmp_path)

    assert not at.exception
    links = at.get("page_link")
    assert [link.proto.label for link in links] == ["Transform", "Layer by layer"]
    # Each link resolved to a registered page: its URL path and script hash are known.
    assert [link.proto.page for link in links] == ["Transform", "Layer_by_layer"]
    assert all(link.proto.page_script_hash for link in links)
    captions = [caption.value for caption in at.caption]
    assert "One layer: W, then b, then sigma." in captions

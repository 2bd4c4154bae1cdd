"""The Transform page's per-unit maps (AppTest through app.py): numbered, counted in words,
with their colour key; and every alert icon on the pages is a Material icon."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from pages._ui.text import plural

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def clear_streamlit_caches():
    st.cache_data.clear()
    st.cache_resource.clear()


def _transform(**params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page("pages/1_Transform.py")
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _unit_maps(at: AppTest) -> tuple[list[str], str]:
    expander = next(e for e in at.expander if e.label == "What each hidden unit responds to")
    captions = [caption.value for caption in expander.caption]
    html = " ".join(block.proto.body for block in expander.get("html"))
    return captions, html


@pytest.mark.parametrize(("activation", "key"), [("tanh", "orange"), ("relu", "white")])
def test_every_unit_map_is_numbered_and_counted(activation, key):
    at = _transform(layers="1,3", act=activation)
    captions, html = _unit_maps(at)
    assert "Layer 1: 1 unit" in captions and "Layer 2: 3 units" in captions  # never "1 units"
    assert captions[0].split(";")[1].strip().startswith(key)  # what the colours mean
    labels = re.findall(r"<figcaption[^>]*>([^<]*)</figcaption>", html)
    assert labels == ["unit 1", "unit 1", "unit 2", "unit 3"]


def test_plural_says_one_unit_and_many_units():
    assert [plural(n, "unit") for n in (0, 1, 2, 1000)] == [
        "0 units",
        "1 unit",
        "2 units",
        "1,000 units",
    ]


def test_alert_icons_are_material_icons():
    """An emoji icon (🔗, ℹ️, ⚠️) drew as an empty box in Debian's Chromium; Streamlit ships
    the Material icons."""
    sources = [*ROOT.glob("pages/*.py"), *ROOT.glob("pages/_ui/*.py"), ROOT / "app.py"]
    icons = [
        (path.name, icon)
        for path in sources
        for icon in re.findall(r"\bicon=\"([^\"]*)\"", path.read_text())
    ]
    assert icons and [pair for pair in icons if not pair[1].startswith(":material/")] == []

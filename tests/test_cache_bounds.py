"""Every Streamlit cache in the app is bounded: a public server must not grow without limit.

``st.cache_data`` and ``st.cache_resource`` are shared by every session of the process and keep
every distinct argument tuple by default, so each one must say ``max_entries``. The check reads
the source with ``ast``: it catches ``@st.cache_data`` bare, ``@st.cache_data(...)`` without the
argument, and the call form ``st.cache_data(func)``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted([ROOT / "app.py", *(ROOT / "pages").rglob("*.py")])
CACHES = {"cache_data", "cache_resource"}


def _cache_name(node: ast.AST) -> str | None:
    """``cache_data`` for ``st.cache_data``, ``streamlit.cache_data`` or a bare imported name."""
    if isinstance(node, ast.Attribute) and node.attr in CACHES:
        return node.attr
    if isinstance(node, ast.Name) and node.id in CACHES:
        return node.id
    return None


def unbounded_caches(source: str) -> list[int]:
    """Line numbers of cache decorators or calls that do not pass ``max_entries``."""
    tree = ast.parse(source)
    lines, calls = [], set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _cache_name(node.func):
            calls.add(id(node.func))
            if not any(keyword.arg == "max_entries" for keyword in node.keywords):
                lines.append(node.lineno)
    for node in ast.walk(tree):
        decorators = getattr(node, "decorator_list", [])
        for decorator in decorators:  # bare: @st.cache_data
            if _cache_name(decorator) and id(decorator) not in calls:
                lines.append(decorator.lineno)
    return sorted(lines)


@pytest.mark.parametrize(
    "source, expected",
    [
        ("@st.cache_data\ndef f(): pass", [1]),
        ("@st.cache_resource()\ndef f(): pass", [1]),
        ("@st.cache_data(show_spinner=False, ttl=60)\ndef f(): pass", [1]),
        ("from streamlit import cache_data\n@cache_data\ndef f(): pass", [2]),
        ("g = st.cache_data(f)", [1]),
        ("g = st.cache_data(max_entries=8)(f)", []),
        ("@st.cache_data(show_spinner=False, max_entries=32)\ndef f(): pass", []),
        ("@functools.cache\ndef f(): pass", []),
    ],
)
def test_the_check_finds_every_unbounded_form(source, expected):
    assert unbounded_caches(source) == expected


def test_the_app_has_caches_to_check():
    assert sum("cache_data" in path.read_text() for path in SOURCES) >= 3


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_streamlit_cache_has_max_entries(path):
    lines = unbounded_caches(path.read_text(encoding="utf-8"))
    assert not lines, f"{path.relative_to(ROOT)}: st.cache_* without max_entries at {lines}"

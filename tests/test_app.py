"""AppTest checks of the home page (`app.py`): it runs cleanly and lists the pages it finds; every
page runs from it, and every package the code imports is declared in the requirements."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import shutil
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pages._ui import discover_pages

ROOT_DIR = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.usefixtures("clear_streamlit_caches")


def run_home(app_dir: Path = ROOT_DIR) -> AppTest:
    at = AppTest.from_file(str(app_dir / "app.py"), default_timeout=60)
    return at.run()


def test_home_runs_without_exception():
    at = run_home()
    assert not at.exception


def test_home_shows_title_and_pitch():
    at = run_home()
    assert [title.value for title in at.title] == ["Spacewarp"]
    markdown = "\n".join(block.value for block in at.markdown)
    assert "rotates and stretches the plane" in markdown
    captions = "\n".join(caption.value for caption in at.caption)
    assert "W = UΣVᵀ" in captions
    assert [header.value for header in at.subheader] == ["What you will see", "Pages"]
    moves = [block.value for block in at.markdown if "·" in block.value]
    assert [move.split("]")[0] for move in moves] == [
        "**:primary[W",
        "**:primary[b",
        "**:primary[σ",
    ]


def test_the_start_button_opens_the_transform_page():
    at = run_home()
    assert at.button(key="start").proto.type == "primary"
    at.button(key="start").click().run()
    assert not at.exception
    assert [title.value for title in at.title] == ["Transform"]


def test_every_page_lists_home_and_the_pages_in_its_sidebar():
    at = run_home()
    expected = ["Home"] + [page.label for page in discover_pages()]
    for page in [None, *discover_pages()]:
        if page is not None:
            at.switch_page(page.link_target).run()
        assert not at.exception
        labels = [link.proto.label for link in at.sidebar.get("page_link")]
        assert labels == expected, page


def test_home_links_every_page(tmp_path, monkeypatch):
    # A copy of the app with two extra pages, imported instead of the repo's own `pages`.
    shutil.copy(ROOT_DIR / "app.py", tmp_path / "app.py")
    shutil.copytree(ROOT_DIR / "pages" / "_ui", tmp_path / "pages" / "_ui")
    pages_dir = tmp_path / "pages"
    (pages_dir / "2_Layer_by_layer.py").write_text('"""Every layer, one move at a time."""\n')
    (pages_dir / "1_Transform.py").write_text('"""One layer: W, then b, then sigma."""\n')
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in [name for name in sys.modules if name == "pages" or name.startswith("pages.")]:
        monkeypatch.delitem(sys.modules, name)  # pages._ui and its modules, from the copy

    at = run_home(tmp_path)

    assert not at.exception
    links = at.main.get("page_link")
    assert [link.proto.label for link in links] == ["Transform", "Layer by layer"]
    # Each link resolved to a registered page: its URL path and script hash are known.
    assert [link.proto.page for link in links] == ["Transform", "Layer_by_layer"]
    assert all(link.proto.page_script_hash for link in links)
    captions = [caption.value for caption in at.caption]
    assert "One layer: W, then b, then sigma." in captions


def test_every_page_runs_from_home():
    # Each page at its defaults, entered as a user does: every module the app needs imports.
    at = run_home()
    pages = discover_pages()
    assert len(pages) >= 4
    for page in pages:
        at.switch_page(page.link_target).run()
        assert not at.exception, (page.label, [e.value for e in at.exception])
        assert at.title, page.label


def _imported_top_level(paths: list[Path]) -> set[str]:
    names = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
    # Test modules import each other's tables (tests/ is on sys.path under pytest).
    local = {path.stem for path in (ROOT_DIR / "tests").glob("*.py")}
    return names - set(sys.stdlib_module_names) - {"core", "pages", "bench", "__future__"} - local


def _declared(requirements: Path) -> set[str]:
    """Distribution names in a requirements file and the files it includes with ``-r``."""
    names = set()
    for line in requirements.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line.startswith("-r "):
            names |= _declared(requirements.parent / line[3:].strip())
        elif line:
            names.add(re.split(r"[\[<>=!~; ]", line)[0].lower().replace("_", "-"))
    return names


@pytest.mark.parametrize(
    ("folders", "requirements"),
    [
        (["app.py", "core", "pages"], "requirements.txt"),
        (["tests", "bench"], "requirements-dev.txt"),
    ],
)
def test_every_imported_package_is_declared(folders, requirements):
    # Installed is not declared: pandas came with Streamlit, undeclared, until this test.
    paths = []
    for folder in folders:
        path = ROOT_DIR / folder
        paths += [path] if path.is_file() else sorted(path.rglob("*.py"))
    distributions = importlib.metadata.packages_distributions()
    declared = _declared(ROOT_DIR / requirements)
    for module in sorted(_imported_top_level(paths)):
        providers = {name.lower().replace("_", "-") for name in distributions.get(module, [])}
        assert providers & declared, (
            f"{module} (from {providers or 'nowhere'}) not in {requirements}"
        )

"""Tests of `pages/_ui`: page labels and discovery follow Streamlit's own `pages/` rules."""

from pathlib import Path

from pages._ui import PAGES_DIR, discover_pages, page_label


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

"""The sidebar's page list: "Home" and every page, drawn by each page itself.

Streamlit's own list names the entry script after its file ("app"). Its fix, ``st.navigation``,
misbehaved together with a ``pages/`` folder on the first request to a fresh server (what a
shared link meets when a hosted app wakes up: a deep link ran its page without the entry
script, or a false "Page not found" dialog blocked clicks). So the plain ``pages/`` layout
stays, ``client.showSidebarNavigation = false`` in ``.streamlit/config.toml`` hides the default
list, and ``app.py`` and every page call ``sidebar_navigation()`` once, right after
``apply_style()`` (both at once: ``style_and_navigation()``): ``st.page_link`` entries in the
same order, the home page named "Home".
tests/test_browser_navigation.py checks deep links on a freshly started server.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from pages._ui import ROOT_DIR, apply_style, discover_pages

__all__ = ["HOME_LABEL", "PAGE_ICONS", "sidebar_navigation", "style_and_navigation"]

HOME_LABEL = "Home"
HOME = "app.py"
# Material icons ship with Streamlit; emoji can draw as empty boxes (Debian's Chromium).
PAGE_ICONS = {
    "Transform": ":material/transform:",
    "Activations": ":material/show_chart:",
    "Loss surface": ":material/landscape:",
    "Compare": ":material/compare_arrows:",
    "Tour": ":material/school:",
}


def sidebar_navigation() -> None:
    """Links to the home page and every page at the top of the sidebar.

    Drawn only when ``app.py`` is the entry script, as it always is under ``streamlit run``:
    a page file run on its own (an AppTest of that one file) knows no other pages, and
    ``st.page_link`` would raise for each of them.
    """
    ctx = get_script_run_ctx()
    if ctx is None or Path(ctx.main_script_path).resolve() != ROOT_DIR / HOME:
        return
    with st.sidebar:
        st.page_link(HOME, label=HOME_LABEL, icon=":material/home:")
        for page in discover_pages():
            icon = PAGE_ICONS.get(page.label, ":material/arrow_forward:")
            st.page_link(page.link_target, label=page.label, icon=icon)
        st.divider()


def style_and_navigation() -> None:
    """What every page does right after ``st.set_page_config``: the stylesheet, then the
    sidebar's page list."""
    apply_style()
    sidebar_navigation()

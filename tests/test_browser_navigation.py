"""The sidebar's own page list on a freshly started server: deep links work, "Home" not "app".

Streamlit's default list is hidden (``client.showSidebarNavigation = false``) and every page
draws ``pages/_ui/navigation.py``'s links. ``st.navigation`` broke exactly this case (the first
request to a fresh server is a deep link), so each link here gets a server of its own.
"""

from __future__ import annotations

import pytest

from bench.harness import serve

pytestmark = pytest.mark.browser

SIDEBAR = '[data-testid="stSidebar"]'
LINKS = ["Home", "Transform", "Activations", "Loss surface", "Compare", "Tour"]


def _sidebar_links(page) -> list[str]:
    page.locator(f'{SIDEBAR} [data-testid="stPageLink"]').nth(len(LINKS) - 1).wait_for()
    return [
        text.strip()
        for text in page.locator(f"{SIDEBAR} [data-testid='stPageLink'] p").all_inner_texts()
    ]


@pytest.mark.parametrize(
    ("path", "heading", "text"),
    [
        ("/Transform", "Transform", "Layer by layer"),
        ("/Activations?act=relu&layers=6,5", "Activations", "(relu, hidden layers 6-5"),
    ],
)
def test_a_deep_link_to_a_fresh_server_opens_its_page(browser, path, heading, text):
    with serve(timeout=120) as (_, url):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        try:
            page = context.new_page()
            page.set_default_timeout(90_000)
            page.goto(url + path)
            page.get_by_role("heading", name=heading).first.wait_for()
            page.get_by_text(text).first.wait_for()
            assert _sidebar_links(page) == LINKS
            assert page.get_by_text("Page not found").count() == 0
            assert page.locator('[data-testid="stSidebarNav"]').count() == 0  # default list
            assert page.locator('[data-testid="stException"]').count() == 0
            page.locator(SIDEBAR).get_by_text("Home", exact=True).click()
            page.get_by_role("heading", name="Spacewarp").first.wait_for()
            page.get_by_text("What you will see").wait_for()
        finally:
            context.close()

"""The Tour in real headless Chromium: every chapter drawn once (screenshot), walked with Next."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.labs.tour import read_chapter
from core.settings import TOUR_CHAPTERS

pytestmark = pytest.mark.browser
TOUR_DIR = Path(__file__).resolve().parents[1] / "assets" / "tour"


def _picture(page):
    """The chapter's picture: a Plotly chart or a rendered image, whichever it shows."""
    return page.locator('.js-plotly-plot .main-svg, [data-testid="live-images"] img').first


def test_every_chapter_draws_and_next_walks_the_tour(page, streamlit_server, screenshot):
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(f"{streamlit_server}/Tour")
    page.get_by_role("heading", name="Tour").first.wait_for(state="visible")
    for number, slug in enumerate(TOUR_CHAPTERS, start=1):
        title = read_chapter(TOUR_DIR / f"{slug}.md").title
        page.get_by_role("heading", name=title).wait_for(state="visible")
        page.get_by_text(f"Chapter {number} of {len(TOUR_CHAPTERS)}").wait_for(state="visible")
        _picture(page).wait_for(state="visible")
        page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')")
        assert page.locator('[data-testid="stException"]').count() == 0
        assert f"chapter={number}" in page.url or number == 1
        screenshot(f"tour_{number}_{slug}", full_page=False)
        if slug == "moves":  # the shading, once: cells filled, a colour bar, the sentence
            page.get_by_text("Shade area change and folds").click()
            page.get_by_text("log |det J|").wait_for(state="visible")
            page.locator(".js-plotly-plot .colorbar").first.wait_for(state="visible")
            assert "area=on" in page.url
            screenshot("tour_4_moves_shaded", full_page=False)
        if number < len(TOUR_CHAPTERS):
            page.get_by_role("button", name="Next").click()

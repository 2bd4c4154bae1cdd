"""The home page in real headless Chromium: it renders, raises nothing, and looks right.

Screenshots go to tests/screenshots/ (gitignored). With SPACEWARP_UPDATE_SCREENSHOTS=1 the
README screenshot assets/screenshot_home.png is refreshed from this run.
"""

import os
import shutil
from pathlib import Path

import pytest

ROOT_DIR = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.browser


def test_home_renders_in_browser(page, streamlit_server, screenshot):
    page.goto(streamlit_server)
    page.get_by_role("heading", name="Spacewarp").first.wait_for(state="visible")
    page.get_by_text("What you will see").wait_for(state="visible")
    # The app is idle once the script has finished and the status widget is gone.
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for()

    assert page.locator('[data-testid="stException"]').count() == 0
    path = screenshot("home")

    if os.environ.get("SPACEWARP_UPDATE_SCREENSHOTS") == "1":
        shutil.copy(path, ROOT_DIR / "assets" / "screenshot_home.png")


# Where the home page's parts sit: the start button, the picture, the "Pages" heading and
# the page links' boxes (CSS pixels of the viewport).
LAYOUT_JS = """() => {
  const box = el => { const r = el.getBoundingClientRect();
                      return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; };
  const heading = text => [...document.querySelectorAll('h1, h3')]
    .find(h => h.innerText.trim() === text);
  const main = document.querySelector('[data-testid="stMain"]');
  return {start: box([...main.querySelectorAll('button')]
                     .find(b => b.innerText.includes('Start: train a network'))),
          hero: box(main.querySelector('[data-testid="stImage"] img')),
          title: box(heading('Spacewarp')), pages: box(heading('Pages')),
          links: [...main.querySelectorAll('[data-testid="stPageLink"]')]
            .filter(l => !l.innerText.includes('guided tour')).map(box)};
}"""


def test_the_first_screen_starts_well_and_the_pages_span_the_width(page, streamlit_server):
    """At 1400 × 900 the first screen holds the title, the start button and the picture side
    by side; the page links sit in one row under a "Pages" heading as wide as the page, not
    in a narrow column beside an empty one."""
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(streamlit_server)
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for()
    page.locator('[data-testid="stMain"] [data-testid="stImage"] img').wait_for(state="visible")
    seen = page.evaluate(LAYOUT_JS)
    assert seen["start"]["bottom"] < 900 and seen["hero"]["top"] < seen["start"]["top"], seen
    assert seen["hero"]["left"] > seen["start"]["right"], seen  # side by side
    assert abs(seen["pages"]["left"] - seen["title"]["left"]) < 2, seen  # full width
    links = seen["links"]
    assert len(links) >= 4 and len({round(link["top"]) for link in links}) == 1, links
    assert links[-1]["right"] > seen["hero"]["left"], links  # the row spans the page

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

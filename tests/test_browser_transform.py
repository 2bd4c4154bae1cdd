"""The Transform page in real headless Chromium: Play trains live and the charts render."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips these tests (fails them under CI)
    expect = None

pytestmark = pytest.mark.browser

# The layer-by-layer animation (the last chart): its frames' data, to see it rebuilt.
ANIMATION_JS = """() => {
  const gd = [...document.querySelectorAll('.js-plotly-plot')].pop();
  const frames = (gd && gd._transitionData && gd._transitionData._frames) || [];
  return {count: frames.length,
          last: frames.length ? JSON.stringify(frames[frames.length - 1].data) : ''};
}"""


def test_play_trains_live_and_draws(page, app, streamlit_server, screenshot):
    # Streamlit scrolls inside its own container, so a tall window shows the whole page.
    page.set_viewport_size({"width": 1400, "height": 2600})
    page.goto(f"{streamlit_server}/Transform")
    page.get_by_role("heading", name="Transform").first.wait_for(state="visible")
    page.locator(".js-plotly-plot").first.wait_for(state="visible")
    page.locator('[data-testid="live-canvas"][data-frame]').wait_for(state="visible")
    assert app.metric("Epoch") == 0
    screenshot("transform_start")

    app.click(page.get_by_role("button", name="Play"))
    app.wait_for_metric("Epoch", "v >= 300")  # training advances while playing
    assert page.locator('[data-testid="stException"]').count() == 0
    path = screenshot("transform_playing")
    if os.environ.get("SPACEWARP_UPDATE_SCREENSHOTS") == "1":
        readme_picture = Path(__file__).resolve().parents[1] / "assets" / "screenshot_transform.png"
        page.screenshot(
            path=str(readme_picture), clip={"x": 0, "y": 0, "width": 1400, "height": 1000}
        )
    assert path.exists()

    # After pausing, the animation is rebuilt for the trained weights; it has frames to play.
    before = page.evaluate(ANIMATION_JS)["last"]
    app.pause()
    page.wait_for_function(
        f"before => {{ const a = ({ANIMATION_JS})(); return a.count > 40 && a.last !== before; }}",
        arg=before,
        polling=250,
    )
    assert page.locator('[data-testid="stException"]').count() == 0
    screenshot("transform_paused")

    # Jump to the last frame (the last layer after σ): the typed-array frame data must reach
    # the drawn traces, and the decision plane appears.
    shown = page.evaluate(
        """async () => {
          const gd = [...document.querySelectorAll('.js-plotly-plot')].pop();
          const first = Array.from(gd._fullData[1].x.slice(0, 3));
          const names = gd._transitionData._frames.map(f => f.name);
          await Plotly.animate(gd, [names[names.length - 1]],
            {frame: {duration: 0, redraw: true}, mode: 'immediate', transition: {duration: 0}});
          const last = Array.from(gd._fullData[1].x.slice(0, 3));
          return {first, last, title: gd.layout.title.text,
                  plane: gd._fullData[gd._fullData.length - 1].visible};
        }"""
    )
    assert shown["first"] != shown["last"], shown
    assert shown["title"].startswith("Layer 3 of 3") and shown["plane"] is True, shown
    screenshot("transform_last_frame")


def test_shared_link_restores_the_widgets(page, streamlit_server, screenshot):
    page.set_viewport_size({"width": 1400, "height": 1400})
    page.goto(f"{streamlit_server}/Transform?data=circles&layers=3,2&act=relu&seed=7")
    page.get_by_role("heading", name="Transform").first.wait_for(state="visible")
    page.locator('[data-testid="live-canvas"][data-frame]').wait_for(state="visible")
    sidebar = page.locator('[data-testid="stSidebar"]')
    # The selectboxes show their choice as the value of their combobox (text matching would
    # also find the share link's "data=circles", which is not a widget).
    expect(sidebar.get_by_role("combobox", name="Dataset")).to_have_value("Circles")
    expect(sidebar.get_by_role("combobox", name="Activation")).to_have_value("ReLU")
    expect(sidebar.get_by_text("Width of layer 2", exact=True)).to_be_visible()
    expect(sidebar.get_by_text("Width of layer 3")).to_have_count(0)
    expect(sidebar.get_by_role("spinbutton", name="Seed", exact=True)).to_have_value("7")
    expect(sidebar.get_by_role("spinbutton", name="Data sample")).to_have_value("0")
    # The address bar keeps describing what is on screen.
    expect(page).to_have_url(re.compile(r"(?=.*data=circles)(?=.*layers=3(%2C|,)2)"))
    assert page.locator('[data-testid="stException"]').count() == 0
    screenshot("transform_shared_link")

"""The Transform page in real headless Chromium: Play trains live and the charts render."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser


def _epoch(page) -> int:
    metric = page.locator('[data-testid="stMetric"]').filter(has_text="Epoch").first
    value = metric.locator('[data-testid="stMetricValue"]').inner_text()
    return int(re.sub(r"[^0-9]", "", value) or 0)


def test_play_trains_live_and_draws(page, streamlit_server, screenshot):
    # Streamlit scrolls inside its own container, so a tall window shows the whole page.
    page.set_viewport_size({"width": 1400, "height": 2600})
    page.goto(f"{streamlit_server}/Transform")
    page.get_by_role("heading", name="Transform").first.wait_for(state="visible")
    page.locator(".js-plotly-plot").first.wait_for(state="visible", timeout=60_000)
    page.locator('[data-testid="live-images"] img').first.wait_for(state="visible")
    assert _epoch(page) == 0
    screenshot("transform_start")

    page.get_by_role("button", name="Play").click()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and _epoch(page) < 300:
        time.sleep(0.25)
    assert _epoch(page) >= 300, "training did not advance while playing"
    assert page.locator('[data-testid="stException"]').count() == 0
    path = screenshot("transform_playing")
    if os.environ.get("SPACEWARP_UPDATE_SCREENSHOTS") == "1":
        readme_picture = Path(__file__).resolve().parents[1] / "assets" / "screenshot_transform.png"
        page.screenshot(
            path=str(readme_picture), clip={"x": 0, "y": 0, "width": 1400, "height": 1000}
        )
    assert path.exists()

    # A click can land while the ticking fragment swaps elements: retry until it took.
    for _ in range(5):
        page.get_by_role("button", name="Pause").click()
        try:
            page.get_by_role("button", name="Play").wait_for(state="visible", timeout=5_000)
            break
        except Exception:  # noqa: BLE001 - playwright's TimeoutError; try the click again
            continue
    # After pausing, the animation is rebuilt for the trained weights; it has frames to play.
    time.sleep(2)
    frames = page.evaluate(
        "() => { const gd = document.querySelectorAll('.js-plotly-plot');"
        " return gd[gd.length - 1]._transitionData._frames.length; }"
    )
    assert frames > 60
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
    assert shown["title"].startswith("Layer 3/3") and shown["plane"] is True, shown
    screenshot("transform_last_frame")


def test_shared_link_restores_the_widgets(page, streamlit_server, screenshot):
    page.set_viewport_size({"width": 1400, "height": 1400})
    page.goto(f"{streamlit_server}/Transform?data=circles&layers=3,2&act=relu&seed=7")
    page.get_by_role("heading", name="Transform").first.wait_for(state="visible")
    page.locator('[data-testid="live-images"] img').first.wait_for(state="visible")
    sidebar = page.locator('[data-testid="stSidebar"]')
    for text in ("Circles", "ReLU", "Width of layer 2"):
        sidebar.get_by_text(text).first.wait_for(state="visible", timeout=15_000)
    assert not sidebar.get_by_text("Width of layer 3").count()
    seed = sidebar.locator('[data-testid="stNumberInput"] input').input_value()
    assert seed == "7"
    # The address bar keeps describing what is on screen.
    assert "data=circles" in page.url
    assert "layers=3%2C2" in page.url or "layers=3,2" in page.url
    assert page.locator('[data-testid="stException"]').count() == 0
    screenshot("transform_shared_link")

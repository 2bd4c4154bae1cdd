"""The Activations page in real headless Chromium: charts render, the activation can be changed,
and the Transform page's network shows up (without the live chart remounting every second)."""

from __future__ import annotations

import re
import time

import pytest

pytestmark = pytest.mark.browser

N_CHARTS = 5


def _wait_for_charts(page) -> None:
    page.get_by_role("heading", name="Activations").first.wait_for(state="visible")
    page.locator(".js-plotly-plot").nth(N_CHARTS - 1).wait_for(state="visible", timeout=60_000)


def _bend_title(page) -> str:
    return page.locator(".js-plotly-plot").nth(1).locator(".gtitle").text_content()


def _choose_activation(page, label: str) -> None:
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.locator('[data-testid="stSelectbox"]').filter(has_text="Activation σ").click()
    page.get_by_role("option", name=label, exact=True).click()


def test_change_the_activation_and_look(page, streamlit_server, screenshot):
    # Streamlit scrolls inside its own container, so a window as tall as the page shows all of it.
    page.set_viewport_size({"width": 1400, "height": 3800})
    page.goto(f"{streamlit_server}/Activations")
    _wait_for_charts(page)
    assert _bend_title(page) == "Bend: σ = tanh"
    # ▶ plays every frame from the input plane and stops on σ(z), where the chart opened.
    first_point = (
        "() => { const gd = document.querySelectorAll('.js-plotly-plot')[1];"
        " return [gd._fullData[1].x[0], gd._fullData[1].y[0]]; }"
    )
    end = page.evaluate(first_point)
    page.locator(".js-plotly-plot").nth(1).get_by_text("▶ Play").click()
    time.sleep(0.3)
    assert page.evaluate(first_point) != end
    deadline = time.monotonic() + 15  # 25 frames of 80 ms, slower on a busy machine
    while time.monotonic() < deadline and page.evaluate(first_point) != end:
        time.sleep(0.2)
    assert page.evaluate(first_point) == end
    _choose_activation(page, "ReLU")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and _bend_title(page) != "Bend: σ = ReLU":
        time.sleep(0.2)
    assert _bend_title(page) == "Bend: σ = ReLU"
    assert page.locator(".js-plotly-plot").count() == N_CHARTS
    assert page.locator('[data-testid="stException"]').count() == 0
    time.sleep(1)  # let the last chart finish drawing before the picture
    assert screenshot("activations").exists()


def _epoch(page) -> int:
    metric = page.locator('[data-testid="stMetric"]').filter(has_text="Epoch").first
    value = metric.locator('[data-testid="stMetricValue"]').inner_text()
    return int(re.sub(r"[^0-9]", "", value) or 0)


def test_shows_the_transform_network_and_keeps_its_chart(page, streamlit_server, screenshot):
    page.set_viewport_size({"width": 1400, "height": 3800})
    page.goto(f"{streamlit_server}/Transform")
    page.locator(".js-plotly-plot").first.wait_for(state="visible", timeout=60_000)
    for expected in (1, 2, 3):
        page.get_by_role("button", name="Step").click()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and _epoch(page) != expected:
            time.sleep(0.2)
        assert _epoch(page) == expected
    # The sidebar link keeps the session (a fresh page load would start a new one).
    page.locator('[data-testid="stSidebarNav"] a').filter(has_text="Activations").click()
    _wait_for_charts(page)
    page.get_by_text("The network from the Transform page").wait_for()
    assert _epoch(page) == 3
    live = page.locator(".js-plotly-plot").nth(N_CHARTS - 1)
    live.evaluate("node => { node.dataset.seen = 'yes'; }")
    time.sleep(3.5)  # three ticks of the page's one-second fragment
    # The same DOM node still holds the chart: the ticks did not remount (flicker) it.
    assert page.locator('.js-plotly-plot[data-seen="yes"]').count() == 1
    assert page.locator('[data-testid="stException"]').count() == 0
    screenshot("activations_live")

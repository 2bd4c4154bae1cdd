"""'Shade area change' in Chromium: the toggle draws filled cells and fold outlines per stage."""

from __future__ import annotations

import pytest
from test_browser_layer_by_layer import READY_JS, SHOW_JS, screenshot_element

pytestmark = pytest.mark.browser

SHADED_JS = """() => { const gd = [...document.querySelectorAll('.js-plotly-plot')].pop();
  return gd && gd.data.some(t => t.name === 'folds') && gd._transitionData._frames.length > 20; }"""
# Drawn fills (one path per shade with cells in it) and the fold outline's drawn length.
DRAWN_JS = """() => { const gd = [...document.querySelectorAll('.js-plotly-plot')].pop();
  const fills = [...gd.querySelectorAll('.scatterlayer path.js-fill')]
    .filter(p => (p.getAttribute('d') || '').length > 20).length;
  const fold = [...gd.querySelectorAll('.scatterlayer path.js-line')]  // 2.2 px: the folds
    .filter(p => p.style.strokeWidth === '2.2px')
    .reduce((n, p) => n + (p.getAttribute('d') || '').length, 0);
  return {fills, fold}; }"""


def test_shading_a_relu_net_on_circles(page, streamlit_server):
    page.set_viewport_size({"width": 1400, "height": 1800})
    page.goto(f"{streamlit_server}/Transform?layers=2,2&act=relu&data=circles&epochs=300")
    page.wait_for_function(READY_JS, polling=250)
    page.get_by_text("Shade area change").click()
    page.wait_for_function(SHADED_JS, polling=250)
    chart = page.locator(".js-plotly-plot").last
    chart.scroll_into_view_if_needed()
    drawn = {}
    for name, stage in [
        ("stretch", "stretch by Σ"),
        ("shift", "translate by b"),
        ("bend", "bend by σ"),
    ]:
        title = page.evaluate(SHOW_JS, ["Layer 1 of 2", stage])
        assert stage in title, title
        drawn[name] = page.evaluate(DRAWN_JS)
        path = screenshot_element(chart, f"area_shading_relu_circles_{name}")
        assert path.stat().st_size > 10_000
    assert drawn["stretch"]["fills"] >= 1 and drawn["stretch"]["fold"] == 0, drawn
    assert drawn["bend"]["fills"] >= 2 and drawn["bend"]["fold"] > 0, drawn  # σ folds cells
    assert page.locator('[data-testid="stException"]').count() == 0

"""The layer-by-layer animation in Chromium: scrubbing the slider redraws each stage's title."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

# The drawn title of the animation (the page's last Plotly chart), as the user reads it.
TITLE_JS = """() => {
  const gd = [...document.querySelectorAll('.js-plotly-plot')].pop();
  const title = gd && gd.querySelector('.gtitle');
  return title ? title.textContent : '';
}"""
# The slider's step labels and where to click each (page coordinates).
STEPS_JS = """() => {
  const gd = [...document.querySelectorAll('.js-plotly-plot')].pop();
  const rail = gd.querySelector('.slider-rail-rect').getBoundingClientRect();
  return [...gd.querySelectorAll('.slider-label')].map(label => {
    const box = label.getBoundingClientRect();
    return {text: label.textContent, x: box.x + box.width / 2, y: rail.y + rail.height / 2};
  });
}"""


def test_scrubbing_a_two_unit_net_redraws_every_stage_title(page, streamlit_server, screenshot):
    page.set_viewport_size({"width": 1400, "height": 1800})
    page.goto(f"{streamlit_server}/Transform?layers=2,2&epochs=300")
    page.wait_for_function(
        """() => { const gd = [...document.querySelectorAll('.js-plotly-plot')].pop();
                   return gd && gd._transitionData && gd._transitionData._frames.length > 20
                          && gd.querySelector('.slider-label'); }""",
        polling=250,
    )
    chart = page.locator(".js-plotly-plot").last
    chart.scroll_into_view_if_needed()
    assert page.evaluate(TITLE_JS).startswith("The input plane")
    steps = page.evaluate(STEPS_JS)
    assert [s["text"] for s in steps][:2] == ["input", "L1"]
    seen = [page.evaluate(TITLE_JS)]
    for step in steps[1:]:
        page.mouse.click(step["x"], step["y"])
        page.wait_for_function(f"before => ({TITLE_JS})() !== before", arg=seen[-1], polling=50)
        seen.append(page.evaluate(TITLE_JS))
        if step["text"] == "Σ" and len(seen) < 6:
            screenshot("layer_by_layer_2_2_stretch", full_page=False)
    # Every stop names its layer; the stages read in playing order with their numbers.
    assert all(t.startswith(("Layer 1 of 2", "Layer 2 of 2")) for t in seen[1:]), seen
    assert any("stretch by Σ" in t and "s₁ = " in t for t in seen), seen
    assert any("translate by b" in t and "b = (" in t for t in seen), seen
    assert seen[-1].startswith("Layer 2 of 2") and "bend by σ" in seen[-1], seen
    assert page.locator('[data-testid="stException"]').count() == 0

"""The Loss-surface page in real headless Chromium: every surface draws, the race animates."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

TABS = ("Two weights, exact", "Whole network, random plane", "Training path, PCA plane")
NAMES = ("loss_surface_exact", "loss_surface_network", "loss_surface_path")


def _open_tab(page, app, label: str) -> None:
    page.get_by_role("tab", name=label).click()
    panel = page.get_by_role("tabpanel", name=label)
    panel.locator(".js-plotly-plot").first.wait_for(state="visible")
    # Plotly draws its main SVG layer once the data is laid out.
    panel.locator(".js-plotly-plot .main-svg").first.wait_for(state="visible")
    app.next_paint()  # WebGL draws the 3-D surface on the next frame


FRAMES_JS = (
    "() => Math.max(...[...document.querySelectorAll('.js-plotly-plot')]"
    ".map(gd => (gd._transitionData && gd._transitionData._frames.length) || 0))"
)
RACE_SLIDER_JS = (
    "() => [...document.querySelectorAll('.js-plotly-plot')]"
    ".find(gd => gd._transitionData && gd._transitionData._frames.length)"
    "._fullLayout.sliders[0].active"
)


# The race chart's ▶/❚❚ buttons and its slider's rail, as [left, top, right, bottom].
RACE_CONTROLS_JS = """() => {
  const gd = [...document.querySelectorAll('.js-plotly-plot')]
    .find(gd => gd._transitionData && gd._transitionData._frames.length);
  const box = el => { const r = el.getBoundingClientRect();
                      return [r.left, r.top, r.right, r.bottom]; };
  return {buttons: [...gd.querySelectorAll('.updatemenu-button')].map(box),
          rail: box(gd.querySelector('.slider-rail-rect'))};
}"""


def _frames(page) -> int:
    return page.evaluate(FRAMES_JS)


def test_switch_between_the_surfaces(page, app, streamlit_server, screenshot):
    # Streamlit scrolls inside its own container, so a tall window shows the whole page.
    page.set_viewport_size({"width": 1400, "height": 2600})
    page.goto(f"{streamlit_server}/Loss_surface")
    page.get_by_role("heading", name="Loss surface").first.wait_for(state="visible")
    _open_tab(page, app, TABS[0])
    page.locator('[data-testid="race-verdicts"] li').first.wait_for(state="visible")
    assert page.locator('[data-testid="race-verdicts"] li').count() == 6
    assert _frames(page) > 10
    controls = page.evaluate(RACE_CONTROLS_JS)  # the buttons never sit on the slider
    _, rail_top, _, _ = controls["rail"]
    assert all(bottom <= rail_top for _, _, _, bottom in controls["buttons"]), controls
    page.locator(".updatemenu-button").filter(has_text="Play").first.click()
    # Mid-race: the slider has left the last frame, where the chart opened.
    page.wait_for_function(f"() => ({RACE_SLIDER_JS})() < ({FRAMES_JS})() - 1")
    # The ground (a layout image) stays while frames play; a contour trace would vanish.
    assert page.locator(".layer-subplot .imagelayer image").count() == 1
    assert page.locator('[data-testid="stException"]').count() == 0
    screenshot(NAMES[0], full_page=False)
    for label, name in zip(TABS[1:], NAMES[1:], strict=True):
        _open_tab(page, app, label)
        assert page.locator('[data-testid="stException"]').count() == 0
        screenshot(name, full_page=False)

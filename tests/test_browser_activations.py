"""The Activations page in real headless Chromium: charts render, the activation can be changed,
and the Transform page's network shows up (without the live chart remounting every second)."""

from __future__ import annotations

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips these tests (fails them under CI)
    expect = None

pytestmark = pytest.mark.browser

N_CHARTS = 5
# The first point of the bending layer's picture (the second chart), as drawn now.
FIRST_POINT_JS = """() => {
  const gd = document.querySelectorAll('.js-plotly-plot')[1];
  return [gd._fullData[1].x[0], gd._fullData[1].y[0]];
}"""


def _wait_for_charts(page) -> None:
    page.get_by_role("heading", name="Activations").first.wait_for(state="visible")
    page.locator(".js-plotly-plot").nth(N_CHARTS - 1).wait_for(state="visible")


def _bend_title(page):
    return page.locator(".js-plotly-plot").nth(1).locator(".gtitle")


def test_change_the_activation_and_look(page, app, streamlit_server, screenshot):
    # Streamlit scrolls inside its own container, so a window as tall as the page shows all of it.
    page.set_viewport_size({"width": 1400, "height": 3800})
    page.goto(f"{streamlit_server}/Activations")
    _wait_for_charts(page)
    expect(_bend_title(page)).to_have_text("Bend: σ = tanh")
    # ▶ plays every frame from the input plane and stops on σ(z), where the chart opened.
    end = page.evaluate(FIRST_POINT_JS)
    page.locator(".js-plotly-plot").nth(1).get_by_text("▶ Play").click()
    same = (
        f"end => {{ const p = ({FIRST_POINT_JS})(); return p[0] === end[0] && p[1] === end[1]; }}"
    )
    page.wait_for_function(f"end => !({same})(end)", arg=end)  # it moved: the animation runs
    page.wait_for_function(same, arg=end)  # and came back to σ(z)
    sidebar = page.locator('[data-testid="stSidebar"]')
    app.choose(
        sidebar.locator('[data-testid="stSelectbox"]').filter(has_text="Activation σ"), "ReLU"
    )
    expect(_bend_title(page)).to_have_text("Bend: σ = ReLU")
    expect(page.locator(".js-plotly-plot")).to_have_count(N_CHARTS)
    assert page.locator('[data-testid="stException"]').count() == 0
    app.next_paint()
    assert screenshot("activations").exists()


def test_shows_the_transform_network_and_keeps_its_chart(page, app, streamlit_server, screenshot):
    page.set_viewport_size({"width": 1400, "height": 3800})
    page.goto(f"{streamlit_server}/Transform")
    page.locator(".js-plotly-plot").first.wait_for(state="visible")
    for expected in (1, 2, 3):
        app.click(page.get_by_role("button", name="Step"))
        app.wait_for_metric("Epoch", f"v === {expected}")
    # The sidebar link keeps the session (a fresh page load would start a new one).
    page.locator('[data-testid="stSidebar"] [data-testid="stPageLink"] a').filter(
        has_text="Activations"
    ).click()
    _wait_for_charts(page)
    page.get_by_text("The network from the Transform page").wait_for()
    assert app.metric("Epoch") == 3
    live = page.locator(".js-plotly-plot").nth(N_CHARTS - 1)
    live.evaluate("node => { node.dataset.seen = 'yes'; }")
    app.wait_for_fragment_runs(3)  # three ticks of the page's one-second fragment
    # The same DOM node still holds the chart: the ticks did not remount (flicker) it.
    assert page.locator('.js-plotly-plot[data-seen="yes"]').count() == 1
    assert page.locator('[data-testid="stException"]').count() == 0
    screenshot("activations_live")


def test_a_preview_holds_the_curves_place_until_plotly_has_drawn_them(page, streamlit_server):
    # plotly.js (Streamlit's PlotlyChart chunk) is held back until the preview has been seen,
    # so the test sees both states whatever the machine's speed.
    held, released = [], []

    def hold(route):
        if released:
            route.continue_()
        else:
            held.append(route)

    page.route("**/PlotlyChart*.js", hold)
    page.goto(f"{streamlit_server}/Activations")
    box = page.locator('[class*="st-key-chart_preview_act_curves"]')
    preview = box.locator('[data-testid="chart-preview"] img')
    expect(preview).to_be_visible()
    preview.evaluate("img => img.decode()")  # the SVG is a picture, not a broken image
    assert preview.evaluate("img => img.naturalWidth") > 500
    assert "σ(z) and σ′(z) of tanh" in preview.get_attribute("alt")
    expect(box.locator(".js-plotly-plot")).to_have_count(0)  # no chart without plotly.js
    released.append(True)
    for route in held:
        route.continue_()
    expect(box.locator(".js-plotly-plot .main-svg").first).to_be_attached()
    expect(preview).to_be_hidden()  # the chart took its place
    expect(box.locator(".js-plotly-plot")).to_be_visible()
    box_top = box.bounding_box()["y"]
    assert abs(box.locator(".js-plotly-plot").bounding_box()["y"] - box_top) < 2  # same place

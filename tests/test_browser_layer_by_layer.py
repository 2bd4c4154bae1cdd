"""The layer-by-layer animation in Chromium: scrubbing the slider redraws each stage's title."""

from __future__ import annotations

from pathlib import Path

import pytest

SCREENSHOT_DIR = Path(__file__).resolve().parent / "screenshots"
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
  const rail = gd.querySelectorAll('.slider-group')[0].querySelector('.slider-rail-rect')
    .getBoundingClientRect();
  const stages = gd.querySelectorAll('.slider-group')[0];  // the slider with a stop per stage
  return [...stages.querySelectorAll('.slider-label')].map(label => {
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


# Jump to the last frame whose title has every given piece; returns the drawn title.
SHOW_JS = """async pieces => {
  const gd = [...document.querySelectorAll('.js-plotly-plot')].pop();
  const frames = gd._transitionData._frames.filter(
    f => pieces.every(p => f.layout.title.text.includes(p)));
  const name = frames[frames.length - 1].name;
  await Plotly.animate(gd, [name], {frame: {duration: 0, redraw: true}, mode: 'immediate',
                                    transition: {duration: 0}});
  await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  return gd.querySelector('.gtitle').textContent;
}"""
READY_JS = """() => { const gd = [...document.querySelectorAll('.js-plotly-plot')].pop();
  return gd && gd._transitionData && gd._transitionData._frames.length > 20; }"""


@pytest.mark.parametrize(
    ("query", "stops"),
    [
        (
            "epochs=300",
            [
                ("trained_default_stretch", ["Layer 1 of 3", "stretch by Σ"]),
                ("trained_default_shift", ["Layer 1 of 3", "translate by b"]),
                ("trained_default_bend", ["Layer 1 of 3", "bend by σ"]),
            ],
        ),
        ("layers=3,3&epochs=300", [("width3_last_frame", ["Layer 2 of 2", "bend by σ"])]),
    ],
)
def test_stage_screenshots(page, streamlit_server, screenshot, query, stops):
    """Pictures to look at (tests/screenshots/): each stop is drawn with its own title."""
    page.set_viewport_size({"width": 1400, "height": 1800})
    page.goto(f"{streamlit_server}/Transform?{query}")
    page.wait_for_function(READY_JS, polling=250)
    chart = page.locator(".js-plotly-plot").last
    chart.scroll_into_view_if_needed()
    for name, pieces in stops:
        title = page.evaluate(SHOW_JS, pieces)
        assert all(p in title for p in pieces), title
        path = screenshot_element(chart, name)
        assert path.stat().st_size > 10_000
    assert page.locator('[data-testid="stException"]').count() == 0


def screenshot_element(locator, name):
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    locator.screenshot(path=str(path))
    return path


def test_phone_width_keeps_play_pause_off_the_slider(page, streamlit_server, screenshot):
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(f"{streamlit_server}/Transform?layers=8,8,8,8,8,8")
    page.wait_for_function(READY_JS, polling=250)
    chart = page.locator(".js-plotly-plot").last
    chart.scroll_into_view_if_needed()
    boxes = page.evaluate(
        """() => { const gd = [...document.querySelectorAll('.js-plotly-plot')].pop();
          const box = el => { const r = el.getBoundingClientRect();
                              return [r.left, r.top, r.right, r.bottom]; };
          return {buttons: [...gd.querySelectorAll('.updatemenu-button')].map(box),
                  slider: box(gd.querySelector('.slider-container')),
                  labels: [...gd.querySelectorAll('.slider-group')[1]
                           .querySelectorAll('.slider-label')].map(l => l.textContent)}; }"""
    )
    screenshot_element(chart, "layer_by_layer_phone")
    _, slider_top, _, _ = boxes["slider"]
    assert all(bottom <= slider_top for _, _, _, bottom in boxes["buttons"]), boxes
    assert boxes["labels"] == ["input"] + [f"L{i}" for i in range(1, 7)], boxes["labels"]


# A signature of the animation's last frame (the input plane, its first, is the same for any
# weights): new weights change it.
LAST_FRAME_JS = """() => { const gd = [...document.querySelectorAll('.js-plotly-plot')].pop();
  const frames = gd && gd._transitionData && gd._transitionData._frames;
  return frames && frames.length ? JSON.stringify(frames[frames.length - 1].data).slice(0, 400)
                                 : null; }"""
# Until stopped: the largest move of the chart's top and of the stage table's top in the window
# (polled every animation frame), and whether the graph was ever missing or replaced.
WATCH_JS = """() => {
  const graph = () => [...document.querySelectorAll('.js-plotly-plot')].pop();
  const tops = () => [graph(), [...document.querySelectorAll('[data-testid="stage-table"]')].pop()]
    .map(el => el ? el.getBoundingClientRect().top : null);
  const first = graph(), start = tops();
  const seen = window.__watch = {moved: 0, missing: false, replaced: false, running: true};
  const poll = () => {
    const now = tops(), gd = graph();
    if (!gd || now.includes(null)) seen.missing = true;
    if (gd && gd !== first) seen.replaced = true;
    now.forEach((top, i) => { if (top !== null) seen.moved = Math.max(seen.moved,
                                                                      Math.abs(top - start[i])); });
    if (seen.running) requestAnimationFrame(poll);
  };
  poll();
}"""


def test_pause_redraws_the_animation_in_place(page, streamlit_server, app):
    """After Pause the same graph shows the trained weights' frames; the chart and the stage
    table never leave or move."""
    page.set_viewport_size({"width": 1400, "height": 1000})
    # The default net (a narrow one on the spiral gets a training-health warning above the
    # chart at some epoch, which moves it while it plays: not what this test is about).
    page.goto(f"{streamlit_server}/Transform")
    page.wait_for_function(READY_JS, polling=100)
    page.locator(".js-plotly-plot").last.scroll_into_view_if_needed()
    before = page.evaluate(LAST_FRAME_JS)
    app.click(page.get_by_role("button", name="Play"))
    app.wait_for_metric("Epoch", "v >= 200")
    page.evaluate(WATCH_JS)
    app.pause()
    page.wait_for_function(
        f"before => {{ const now = ({LAST_FRAME_JS})(); return now !== null && now !== before; }}",
        arg=before,
        polling=50,
    )
    app.next_paint()
    seen = page.evaluate("() => { window.__watch.running = false; return window.__watch; }")
    assert not seen["missing"] and not seen["replaced"], seen
    assert seen["moved"] <= 3, seen
    epoch = app.metric("Epoch")
    assert epoch >= 200
    captions = page.locator('[data-testid="stCaptionContainer"]').all_inner_texts()
    assert any(f"weights at epoch {epoch:,.0f}" in text for text in captions), captions
    assert page.locator('[data-testid="stException"]').count() == 0


# The animation chart's sliders' active steps, and the stage slider's box.
SLIDERS_JS = """() => { const gd = [...document.querySelectorAll('.js-plotly-plot')].pop();
  const stage = gd.querySelectorAll('.slider-group')[0].getBoundingClientRect();
  return {active: gd._fullLayout.sliders.map(s => s.active),
          layers: gd._fullLayout.sliders[1].steps.map(s => s.args[0][0]),
          stages: gd._fullLayout.sliders[0].steps.map(s => s.args[0][0]),
          stage: [stage.left, stage.top, stage.width]}; }"""


def test_the_layer_slider_follows_the_stage_slider(page, streamlit_server):
    """Scrubbing the stage slider moves the layer slider above it to the layer of the stage
    shown (plotly.js alone moves a slider only to a frame among its own steps)."""
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(f"{streamlit_server}/Transform")
    page.wait_for_function(READY_JS, polling=100)
    page.locator(".js-plotly-plot").last.scroll_into_view_if_needed()
    seen = page.evaluate(SLIDERS_JS)
    assert seen["active"] == [0, 0] and seen["layers"] == ["input", "L1", "L2", "L3"], seen
    left, top, width = seen["stage"]
    for share in (0.62, 0.2, 0.95):  # later, earlier, the last layer
        page.mouse.click(left + 8 + (width - 16) * share, top + 10)
        page.wait_for_function(
            f"""() => {{ const d = ({SLIDERS_JS})();
                 const layer = d.stages[d.active[0]].split('.')[0];
                 return d.active[0] > 0 && d.layers[d.active[1]] === layer; }}"""
        )
    final = page.evaluate(SLIDERS_JS)
    assert final["active"][1] == 3, final  # near the end: layer 3

"""Pause → the layer-by-layer animation of the trained weights, timed in Chromium.

Run: ``python bench/animation_after_pause.py [runs]`` (Debian's Chromium at /usr/bin/chromium).
Starts the app on a free loopback port, opens the Transform page at its defaults (2-8-8-8-1 tanh
on the spiral), presses Play, lets it train for 3 s, presses Pause, and measures in the page
(polled every 10 ms from the moment of the click):
  - milliseconds until the animation's first frame is drawn from the new weights (the chart's
    data signature differs from the epoch-0 one; target ≤ 1,000 ms),
  - how far the chart moved on the page meanwhile (a page jump; target 0 px),
  - whether the stage table was ever missing meanwhile (target: never),
and prints one row per run and the median. Also prints the default figure's size.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import CHROMIUM, CHROMIUM_ARGS, serve  # noqa: E402

TRAIN_SECONDS = 3.0
# The animation's frames (the input plane, its first frame, is the same for any weights): a
# signature of its last frame's data, which the new weights change.
FRAMES_JS = """() => { const gd = [...document.querySelectorAll('.js-plotly-plot')].pop();
  const frames = gd && gd._transitionData && gd._transitionData._frames;
  return frames && frames.length ? JSON.stringify(frames[frames.length - 1].data).slice(0, 400)
                                 : null; }"""
# Resolves with {drawn: ms until the figure of the new weights is in the chart and painted (its
# first frame on screen), or null; moved: the largest shift of the chart's top on the page;
# tableGone: whether the stage table vanished meanwhile}.
WATCH_JS = (
    """async ([before, timeout]) => {
  const signature = """
    + FRAMES_JS
    + """;
  // The chart's place in the page: its top in the viewport plus how far every scrolling
  // ancestor is scrolled (Streamlit scrolls inside its own container).
  const top = () => { const gd = [...document.querySelectorAll('.js-plotly-plot')].pop();
    if (!gd) return null;
    let scrolled = 0;
    for (let el = gd.parentElement; el; el = el.parentElement) scrolled += el.scrollTop || 0;
    return gd.getBoundingClientRect().top + scrolled; };
  const table = () => document.querySelectorAll('[data-testid="stTable"]').length > 0;
  const start = performance.now(), top0 = top();
  let moved = 0, tableGone = false;
  window.__pauseClicked = start;
  while (performance.now() - start < timeout) {
    const t = top();
    if (t !== null && top0 !== null) moved = Math.max(moved, Math.abs(t - top0));
    if (!table()) tableGone = true;
    const now = signature();
    if (now !== null && now !== before) {
      await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));  // painted
      return {drawn: performance.now() - start, moved, tableGone};
    }
    await new Promise(r => setTimeout(r, 10));
  }
  return {drawn: null, moved, tableGone};
}"""
)


def one_run(browser, url: str) -> dict:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(f"{url}/Transform")
        page.wait_for_function(
            "() => { const gd = [...document.querySelectorAll('.js-plotly-plot')].pop();"
            " return gd && gd._fullData && gd._transitionData"
            " && gd._transitionData._frames.length > 20; }",
            timeout=120_000,
        )
        page.locator(".js-plotly-plot").last.scroll_into_view_if_needed()
        before = page.evaluate(FRAMES_JS)
        page.get_by_role("button", name="Play").click()
        page.get_by_role("button", name="Pause").wait_for(state="visible", timeout=60_000)
        time.sleep(TRAIN_SECONDS)  # a bench: "Pause after 3 s of training" is the scenario
        # Start polling in the page (not awaited), then click: the clock starts before the click.
        start_watch = f"({WATCH_JS})(args).then(r => window.__paused = r)"
        page.evaluate(f"args => {{ window.__paused = null; {start_watch}; }}", [before, 30_000])
        page.get_by_role("button", name="Pause").click()
        page.wait_for_function("() => window.__paused !== null", timeout=60_000)
        return page.evaluate("() => window.__paused")
    finally:
        page.close()


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    with serve() as (_, url), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            results = [one_run(browser, url) for _ in range(runs)]
        finally:
            browser.close()
    print(f"{'run':<6}{'Pause → first frame (ms)':>26}{'chart moved (px)':>18}{'table gone':>12}")
    for i, r in enumerate(results, start=1):
        drawn = "never" if r["drawn"] is None else f"{r['drawn']:.0f}"
        print(f"{i:<6}{drawn:>26}{r['moved']:>18.0f}{str(r['tableGone']):>12}")
    drawn = [r["drawn"] for r in results if r["drawn"] is not None]
    if drawn:
        print(f"{'median':<6}{statistics.median(drawn):>26.0f}{'':>18}{'':>12}  (target ≤ 1,000)")


if __name__ == "__main__":
    main()

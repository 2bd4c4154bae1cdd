"""Pause → the layer-by-layer animation of the trained weights, timed in Chromium.

Run: ``python bench/animation_after_pause.py [runs] [--root PATH]`` (Debian's Chromium at
/usr/bin/chromium). ``--root`` adds a second server on another checkout (e.g. ``/work/main``),
measured in turns with this one, so both see the same load. Each server: the Transform page at
its defaults (2-8-8-8-1 tanh on the spiral), Play, 3 s of training, Pause; measured in the page
(polled every 10 ms):
  - ms from the press on Pause (the mouse-down event's own time stamp) until the animation's
    first frame is drawn from the new weights (the graph's last-frame data differ from the
    epoch-0 ones; target ≤ 1,000 ms), split at the arrival of the websocket message that
    carries the figure (``server``: press → that message: the rerun and the transfer;
    ``browser``: that message → drawn: parsing and plotly.js). ``click call→`` counts from
    before Playwright's click instead (what this bench printed before: it includes Playwright
    waiting for the busy page to let it click);
  - ``blank``: ms during which the chart showed no graph; ``jump``: the largest move of the
    chart's or the stage table's top in the window (target 0 px); ``page``: the same on the
    page (scrolling undone), with the blocks whose height differed at the largest one;
  - whether the stage table was ever missing, and the figure message's size (MB);
one row per run, the median and the load averages. Then, in this process, the Pause rerun's
server time by part (AppTest; each part timed on every call).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import CHROMIUM, CHROMIUM_ARGS, ROOT, load_average, serve  # noqa: E402

TRAIN_SECONDS = 3.0
BIG_MESSAGE = 500_000  # bytes: the figure's delta (the live view's are 70-260 kB)
# Every websocket message's arrival (ms, performance.now()) and size, from the page's start.
WS_LOG_JS = """(() => { const Native = window.WebSocket; window.__ws = []; window.__sent = [];
  window.WebSocket = class extends Native {
    constructor(...args) { super(...args);
      this.addEventListener('message', e => window.__ws.push(
        [performance.now(), e.data.byteLength ?? e.data.size ?? e.data.length])); }
    send(data) { window.__sent.push([performance.now(), data.byteLength ?? data.length]);
                 return super.send(data); } };
  // When the mouse went down on a button (the event's own time stamp: a busy page handles
  // the event later, but the person pressed then).
  window.__pressed = [];
  addEventListener('mousedown', e => window.__pressed.push(e.timeStamp), true); })();"""
# The animation's frames (the input plane, its first frame, is the same for any weights): a
# signature of its last frame's data, which the new weights change.
FRAMES_JS = """() => { const gd = [...document.querySelectorAll('.js-plotly-plot')].pop();
  const frames = gd && gd._transitionData && gd._transitionData._frames;
  return frames && frames.length ? JSON.stringify(frames[frames.length - 1].data).slice(0, 400)
                                 : null; }"""
# Resolves with {drawn: ms until the figure of the new weights is in the chart and painted (its
# first frame on screen), or null; screen: the largest shift of the chart's or the stage table's
# top in the window (what the eye sees move); page: the same on the page (scrolling undone);
# changed: the page's blocks whose height differed at the largest page shift; blank: ms the
# chart showed nothing; tableGone: whether the stage table vanished; figure: [ms, bytes] of
# the figure's message; messages: [ms, bytes] of every message over 20 kB}.
WATCH_JS = (
    """async ([before, timeout, big]) => {
  const signature = """
    + FRAMES_JS
    + """;
  // Where the chart's block and the table below it are, in the window and on the page (the
  // window's top plus how far every scrolling ancestor is scrolled: Streamlit scrolls inside
  // its own container); null while one is missing or not laid out.
  const anchors = () => {
    const chart = [...document.querySelectorAll(
      '[data-testid="stPlotlyChart"], [data-testid="animation-chart"]')].pop();
    const table = [...document.querySelectorAll('[data-testid="stTable"]')].pop();
    return [chart && chart.closest('[data-testid="stElementContainer"]'), table].map(el => {
      if (!el) return null;
      const box = el.getBoundingClientRect();
      if (!box.height) return null;
      let scrolled = 0;
      for (let up = el.parentElement; up; up = up.parentElement) scrolled += up.scrollTop || 0;
      return [box.top, box.top + scrolled];
    });
  };
  const drawnNow = () => { const gd = [...document.querySelectorAll('.js-plotly-plot')].pop();
    return !!gd && gd.getBoundingClientRect().height > 0 && !!gd.querySelector('.main-svg'); };
  // Each top-level block of the main column: what it holds and how tall it is.
  const blocks = () => [...document.querySelectorAll(
      '[data-testid="stMainBlockContainer"] > div > [data-testid="stVerticalBlock"] > *')]
    .map(el => [(el.querySelector('[data-testid]:not([data-testid="stElementContainer"])')
                 ?.dataset.testid || el.dataset.testid || el.tagName) + ' '
                + (el.innerText || '').trim().slice(0, 30).replace(/\\s+/g, ' '),
                Math.round(el.getBoundingClientRect().height)]);
  const start = performance.now(), anchors0 = anchors(), blocks0 = blocks();
  let screen = 0, page = 0, changed = [], tableGone = false, blank = 0, last = start;
  while (performance.now() - start < timeout) {
    const now = anchors(), t = performance.now();
    if (!drawnNow()) blank += t - last;
    last = t;
    if (!now[1]) tableGone = true;
    now.forEach((place, i) => {
      if (!place || !anchors0[i]) return;
      screen = Math.max(screen, Math.abs(place[0] - anchors0[i][0]));
      const shift = Math.abs(place[1] - anchors0[i][1]);
      if (shift > page) {
        page = shift;
        const same = (b, j) => blocks0[j] && blocks0[j][0] === b[0] && blocks0[j][1] === b[1];
        changed = blocks().filter((b, j) => !same(b, j)).map(b => `${b[0]}: ${b[1]} px`)
          .slice(0, 6);
      }
    });
    const signed = signature();
    if (signed !== null && signed !== before) {
      await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));  // painted
      const drawn = performance.now() - start;
      const after = window.__ws.filter(m => m[0] >= start);
      const figure = after.find(m => m[1] >= big);
      const sent = window.__sent.filter(m => m[0] >= start && m[1] > 1000);
      return {drawn, screen, page, changed, blank, tableGone,
              sent: sent.map(m => Math.round(m[0] - start)),
              pressed: window.__pressed.filter(t => t >= start).map(t => t - start)[0] ?? null,
              figure: figure ? [figure[0] - start, figure[1]] : null,
              messages: after.filter(m => m[1] > 20000).map(m => [Math.round(m[0] - start), m[1]])};
    }
    await new Promise(r => setTimeout(r, 10));
  }
  return {drawn: null, screen, page, changed, blank, tableGone, figure: null, messages: [],
          sent: window.__sent.filter(m => m[0] >= start && m[1] > 1000)
            .map(m => Math.round(m[0] - start)),
          button: [...document.querySelectorAll('button')].map(b => b.innerText)
            .filter(t => /Play|Pause/.test(t)).join(',')};
}"""
)


def one_run(browser, url: str) -> dict:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.add_init_script(WS_LOG_JS)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
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
        page.evaluate(
            f"args => {{ window.__paused = null; {start_watch}; }}", [before, 30_000, BIG_MESSAGE]
        )
        page.get_by_role("button", name="Pause").click()
        page.wait_for_function("() => window.__paused !== null", timeout=60_000)
        return page.evaluate("() => window.__paused") | {"errors": errors[-3:]}
    finally:
        page.close()


def from_press(r: dict) -> float | None:
    """Ms from the mouse press on Pause to the new animation drawn (None if never)."""
    if r["drawn"] is None:
        return None
    return r["drawn"] - (r.get("pressed") or 0.0)


def print_runs(name: str, results: list[dict]) -> None:
    print(f"\n{name}")
    head = f"{'run':<4}{'press→frame ms':>15}{'click call→':>12}{'server ms':>10}{'browser ms':>11}"
    print(f"{head}{'blank ms':>9}{'jump px':>8}{'page px':>8}{'table gone':>11}{'figure MB':>10}")
    for i, r in enumerate(results, start=1):
        pressed = from_press(r)
        drawn = "never" if pressed is None else f"{pressed:.0f}"
        since_call = "-" if r["drawn"] is None else f"{r['drawn']:.0f}"
        server = browser = size = "-"
        if r["figure"] and r["drawn"] is not None:
            server = f"{r['figure'][0] - (r.get('pressed') or 0.0):.0f}"
            size = f"{r['figure'][1] / 1e6:.2f}"
            browser = f"{r['drawn'] - r['figure'][0]:.0f}"
        row = f"{i:<4}{drawn:>15}{since_call:>12}{server:>10}{browser:>11}{r['blank']:>9.0f}"
        print(f"{row}{r['screen']:>8.0f}{r['page']:>8.0f}{str(r['tableGone']):>11}{size:>10}")
        if r["changed"]:
            print(f"    blocks changed at the largest page shift: {'; '.join(r['changed'])}")
        print(f"    messages over 20 kB [ms, bytes]: {r['messages']}; reruns sent: {r['sent']}")
        if r["drawn"] is None:
            print(f"    never drawn; buttons then: {r.get('button')}; errors: {r.get('errors')}")
    drawn = [from_press(r) for r in results if r["drawn"] is not None]
    if drawn:
        median = statistics.median(drawn)
        jump = max(r["screen"] for r in results)
        print(f"median {median:.0f} ms (target ≤ 1,000), largest jump {jump:.0f} px (target 0)")


def browser_runs(runs: int, roots: list[Path]) -> dict[Path, list[dict]]:
    """``runs`` Pauses on each checkout's server, in turns."""
    results: dict[Path, list[dict]] = {root: [] for root in roots}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            servers = [serve(root=root) for root in roots]
            urls = [server.__enter__()[1] for server in servers]
            try:
                for _ in range(runs):
                    for root, url in zip(roots, urls, strict=True):
                        results[root].append(one_run(browser, url))
            finally:
                for server in reversed(servers):
                    server.__exit__(None, None, None)
        finally:
            browser.close()
    return results


# The parts of the Pause rerun: (module, function) timed on every call in the script thread.
PARTS = {
    "live canvas (frame, probes)": ("pages._ui.live_canvas", "live_canvas"),
    "network diagram": ("pages._ui.diagram_panel", "diagram_panel"),
    "layer by layer": ("pages._ui.layer_by_layer", "layer_by_layer"),
    "  figure build (stages, frames)": ("pages._ui.layer_by_layer", "animation_figure"),
    "  figure JSON for the graph": ("pages._ui.animation_chart", "session_payload"),
}


def _timed(spent: dict[str, float], name: str, function):
    def timed(*args, **kwargs):
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[name] = spent.get(name, 0.0) + time.perf_counter() - start

    return timed


def server_split(epochs: int = 1500, rounds: int = 3) -> None:
    """The Pause rerun in AppTest after ``epochs`` of training: ms per part (median)."""
    import importlib

    from streamlit.testing.v1 import AppTest

    rows: dict[str, list[float]] = {name: [] for name in ["whole rerun", *PARTS]}
    for _ in range(rounds):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.run()
        at.switch_page("pages/1_Transform.py").run()
        at.session_state["transform"].trainer.run(epochs)
        at.session_state["playing"] = True
        at.run()  # as the last full run before a Pause: playing, the old figure kept
        spent: dict[str, float] = {}
        originals = []
        for name, (module_name, attribute) in PARTS.items():
            module = importlib.import_module(module_name)
            originals.append((module, attribute, getattr(module, attribute)))
            setattr(module, attribute, _timed(spent, name, getattr(module, attribute)))
        try:
            start = time.perf_counter()
            at.button(key="play").click().run()  # Pause
            spent["whole rerun"] = time.perf_counter() - start
        finally:
            for module, attribute, original in originals:
                setattr(module, attribute, original)
        assert not at.exception and not at.session_state["playing"]
        for name in rows:
            rows[name].append(1000 * spent.get(name, 0.0))
    where = f"AppTest; median of {rounds}, load {load_average()}"
    print(f"\nPause rerun on the server ({where})")
    for name, values in rows.items():
        print(f"  {name:<42}{statistics.median(values):>8.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", type=int, nargs="?", default=3)
    parser.add_argument("--root", type=Path, help="another checkout, measured in turns")
    parser.add_argument("--no-server-split", action="store_true")
    args = parser.parse_args()
    roots = [ROOT] + ([args.root] if args.root else [])
    print(f"load average before: {load_average()}")
    results = browser_runs(args.runs, roots)
    for root, runs in results.items():
        print_runs(str(root), runs)
    print(f"load average after: {load_average()}")
    if not args.no_server_split:
        server_split()


if __name__ == "__main__":
    main()

"""A new user's first visit, timed in Chromium on a freshly started server; prints a table.

Run: ``python bench/first_visit.py [--reference DIR] [--rounds N]`` (about a minute a round on
a loaded 2-core machine). One fresh server a round; each row is a new browser context, so a new
Streamlit session, as a first visitor is:

- every page at its defaults: milliseconds from navigation to the **first useful picture**
  (a Plotly chart drawn, or a live image, picture or chart preview shown) and to the **whole
  page** (the script finished, no spinner or skeleton left, every Plotly chart in the page
  drawn, no probe bar still "measuring…");
- a share link to Transform with ``epochs=2000`` (the run is retrained to 2,000 epochs);
- a dataset switch on Transform: from choosing a new dataset until the rerun finished and the
  decision-boundary picture changed.

The rows run in order on one process, so the first one also pays the process warm-up (imports,
first plotly.js load of the browser's cache is per context, so every row pays that).
Targets (issue 16): first picture ≤ 2 s, whole page ≤ 4 s, share link ≤ 3 s, switch ≤ 1.5 s.

``--reference DIR`` measures another checkout (``git archive main | tar -x -C DIR``) alike, in
turns with this one (this, reference, this, ...), and prints both side by side: the machine is
shared, so the two columns of one run compare better than either does with another run. With
``--rounds N`` each figure is the median of N rounds.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import CHROMIUM, CHROMIUM_ARGS, ROOT, load_average, serve  # noqa: E402

PAGES = {"Home": "/", "Transform": "/Transform", "Activations": "/Activations"}
PAGES |= {"Loss surface": "/Loss_surface", "Compare": "/Compare"}
SHARE_LINK = "/Transform?epochs=2000"
TIMEOUT_MS = 120_000
PICTURE_JS = """() => document.querySelector(
  '.js-plotly-plot .main-svg, [data-testid="live-images"] img, [data-testid="stImage"] img,' +
  '[data-testid="live-canvas"][data-frame], [data-testid="chart-preview"] img')"""
DONE_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-testid="stSpinner"]')) return false;
  // Transform's probe bars wait for scikit-learn on a fresh server: not whole until measured.
  const probes = [...document.querySelectorAll('[data-testid="live-probes"] .lc-probe-text')];
  if (probes.some(row => row.textContent.includes('measuring'))) return false;
  // A chart whose plotly.js has not loaded yet is Streamlit's skeleton, not a .js-plotly-plot.
  if (document.querySelector('[data-testid="stMain"] [data-testid="stSkeleton"]')) return false;
  const charts = [...document.querySelectorAll('.js-plotly-plot')];
  const shown = document.querySelectorAll('[data-testid="stMain"] .stElementContainer');
  return charts.every(c => c.querySelector('.main-svg')) && shown.length > 2;
}"""
# The decision-boundary picture: the live canvas's count of drawings (a redraw for new data).
BOUNDARY_JS = """() => document.querySelector('[data-testid="live-canvas"]')?.dataset.frame"""


def _timed_visit(browser, url: str) -> tuple[float, float]:
    """(ms to the first picture, ms to the whole page) of a new session opening ``url``."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        start = time.perf_counter()
        page.goto(url, timeout=TIMEOUT_MS)
        page.wait_for_function(PICTURE_JS, timeout=TIMEOUT_MS, polling=20)
        picture = time.perf_counter() - start
        page.wait_for_function(DONE_JS, timeout=TIMEOUT_MS, polling=20)
        return 1000 * picture, 1000 * (time.perf_counter() - start)
    finally:
        context.close()


def _dataset_switch(browser, url: str) -> float:
    """Ms from choosing "Circles" on Transform until the rerun finished with a new boundary."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(url + "/Transform", timeout=TIMEOUT_MS)
        page.wait_for_function(DONE_JS, timeout=TIMEOUT_MS, polling=20)
        before = page.evaluate(BOUNDARY_JS)
        box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first
        box.click()
        option = page.get_by_role("option", name="Circles", exact=True)
        start = time.perf_counter()
        option.click()
        changed = f"() => ({DONE_JS})() && ({BOUNDARY_JS})() !== {json.dumps(before)}"
        page.wait_for_function(changed, timeout=TIMEOUT_MS, polling=20)
        return 1000 * (time.perf_counter() - start)
    finally:
        context.close()


Row = tuple[str, float | None, float]  # (what, first picture ms or None, whole ms)


def measure(root: Path = ROOT) -> list[Row]:
    """Every row of the table, for the checkout at ``root``, on a freshly started server."""
    from playwright.sync_api import sync_playwright

    rows = []
    with serve(timeout=120, root=root) as (_, url), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for name, path in PAGES.items():
                rows.append((f"first visit, {name}", *_timed_visit(browser, url + path)))
            rows.append(
                ("share link, Transform epochs=2000", *_timed_visit(browser, url + SHARE_LINK))
            )
            rows.append(
                ("dataset switch on Transform (to Circles)", None, _dataset_switch(browser, url))
            )
        finally:
            browser.close()
    return rows


def _median(values: list[float | None]) -> float | None:
    return None if values[0] is None else statistics.median(values)


def _cell(ms: float | None) -> str:
    return "" if ms is None else f"{ms / 1000:.1f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, help="another checkout, measured alike")
    parser.add_argument("--rounds", type=int, default=1, help="median of this many rounds")
    args = parser.parse_args()
    versions = {"this": ROOT} | ({"reference": args.reference} if args.reference else {})
    runs: dict[str, list[list[Row]]] = {name: [] for name in versions}
    loads = [load_average()]
    for _ in range(max(args.rounds, 1)):
        for name, root in versions.items():
            runs[name].append(measure(root))
            loads.append(load_average())
    print(f"load average (1/5/15 min) at the start and after each run: {' · '.join(loads)}")
    head = " | ".join(f"{name}: first picture | {name}: whole page" for name in versions)
    print(f"| what | {head} |")
    print("| --- |" + " ---: | ---: |" * len(versions))
    for i, (what, *_) in enumerate(runs["this"][0]):
        cells = []
        for name in versions:
            rows = [run[i] for run in runs[name]]
            cells += [_cell(_median([r[1] for r in rows])), _cell(_median([r[2] for r in rows]))]
        print(f"| {what} | {' | '.join(cells)} |")


if __name__ == "__main__":
    main()

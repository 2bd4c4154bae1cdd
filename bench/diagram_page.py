"""The network diagram's cost: server time per live tick, and the live page in a real browser.

Run: ``OPENBLAS_NUM_THREADS=1 python bench/diagram_page.py [--no-browser]``.

1. In process, per network shape (2-8-8-8-1 at the defaults, 2-16×8-1, a 3-class 2-8-8-3):
   CPU milliseconds (this thread's, so other processes on a busy machine do not count) to
   build what the live view sends for the diagram on each tick (unit maps, atlas PNG, link
   lines, bias marks, SVG overlay), beside the decision-boundary picture the live view
   already draws (the ratio says how many boundary pictures the diagram costs), median of 30.
2. In headless Chromium (``bench/live_page.py``'s measurement, with the diagram on the page at
   the defaults): refreshes/s of the live view (target ≥ 4), how often the diagram itself was
   repainted per second, and the share of browser frames in which the diagram had no picture
   (a blank or remounted canvas: target 0 %).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import CHROMIUM, CHROMIUM_ARGS, cpu_seconds, load_average, serve  # noqa: E402
from core.experiment import Experiment, Settings  # noqa: E402
from core.labs.network_diagram import (  # noqa: E402
    diagram_layout,
    links,
    output_legend,
    unit_labels,
    unit_maps,
)
from core.render.diagram import bias_marks, diagram_atlas, link_lines, overlay_svg  # noqa: E402
from core.render.raster import png_data_uri  # noqa: E402
from pages._ui.live_plane import plane_picture  # noqa: E402

SHAPES = {
    "2-8-8-8-1 (defaults)": Settings(),
    "2-16×8-1 ReLU": Settings(hidden=(16,) * 8, activation="relu", init="he_uniform"),
    "2-8-8-3 (blobs3)": Settings(dataset="blobs3", hidden=(8, 8)),
}
# Per animation frame: diagram repaints (its canvas's epoch changed) and frames with no
# painted diagram (no canvas, or one not painted yet).
DIAGRAM_FRAMES_JS = """async (ms) => {
  let frames = 0, blank = 0, repaints = 0, last = null;
  const end = performance.now() + ms;
  while (performance.now() < end) {
    await new Promise(r => requestAnimationFrame(r));
    frames += 1;
    const canvas = document.querySelector('[data-testid="network-diagram"] canvas');
    const svg = document.querySelector('[data-testid="network-diagram"] svg');
    if (!canvas || !canvas.getAttribute('data-units') || !svg) { blank += 1; continue; }
    const epoch = canvas.getAttribute('data-epoch');
    if (epoch !== last) { repaints += 1; last = epoch; }
  }
  return [frames, blank, repaints / (ms / 1000)];
}"""


def _median_ms(work, rounds: int = 30) -> float:
    times = []
    for _ in range(rounds):
        start = time.thread_time()
        work()
        times.append(time.thread_time() - start)
    return 1000 * statistics.median(times)


def server_table() -> None:
    print(f"{'network':<24}{'diagram ms':>12}{'boundary ms':>13}{'ratio':>8}{'KB sent':>9}")
    print(f"{'':<24}{'(CPU)':>12}{'(CPU)':>13}")
    for name, settings in SHAPES.items():
        experiment = Experiment.build(settings)
        experiment.trainer.run(50)
        model = experiment.view_model

        def diagram(model=model, experiment=experiment):
            layout = diagram_layout(model.layer_sizes)
            maps = unit_maps(model, experiment.extent, layout.map_size)
            atlas = png_data_uri(diagram_atlas(maps, model.output))
            found = links(model.weights, model.biases)
            lines, marks = link_lines(layout, found, (2, 0)), bias_marks(layout, found)
            svg = overlay_svg(layout, unit_labels(model), maps.limit, output_legend(model), (2, 0))
            return len(atlas) + len(json.dumps([lines, marks])) + len(svg)

        size = diagram() / 1000
        ms = _median_ms(diagram)
        boundary = _median_ms(lambda experiment=experiment: plane_picture(experiment, 360))
        print(f"{name:<24}{ms:>12.1f}{boundary:>13.1f}{ms / boundary:>8.2f}{size:>9.0f}")


def browser_table(seconds: float = 8.0) -> None:
    from playwright.sync_api import sync_playwright

    with serve() as (pid, url), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1800})
            page.goto(f"{url}/Transform")
            page.locator('[data-testid="live-images"] img').first.wait_for(timeout=90_000)
            page.get_by_role("button", name="Play").click()
            page.wait_for_timeout(2000)  # past the first ticks
            cpu_before = cpu_seconds(pid)
            refreshes = page.evaluate(
                """async (ms) => { let last = null, changes = 0; const end = performance.now() + ms;
                  while (performance.now() < end) {
                    await new Promise(r => requestAnimationFrame(r));
                    const e = document.querySelector('[data-testid="stMetricValue"]')?.innerText;
                    if (e !== last) { changes += 1; last = e; } }
                  return changes / (ms / 1000); }""",
                seconds * 500,
            )
            cpu_per_refresh = 1000 * (cpu_seconds(pid) - cpu_before) / (refreshes * seconds / 2)
            frames, blank, repaints = page.evaluate(DIAGRAM_FRAMES_JS, seconds * 500)
        finally:
            browser.close()
    print(f"{'measure (live page at defaults, diagram shown)':<52}{'value':>8}{'target':>9}")
    print(f"load average {load_average()} on {os.cpu_count()} cores")
    print(f"{'live view refreshes/s (epoch counter)':<52}{refreshes:>8.1f}{'>= 4':>9}")
    print(f"{'server CPU ms per live refresh (load-independent)':<52}{cpu_per_refresh:>8.0f}")
    print(f"{'diagram repaints/s':<52}{repaints:>8.1f}{'>= 4':>9}")
    print(f"{'browser frames without a painted diagram':<52}{blank / frames:>8.1%}{'0 %':>9}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-browser", action="store_true", help="only the in-process table")
    args = parser.parse_args()
    server_table()
    if not args.no_browser:
        print()
        browser_table()


if __name__ == "__main__":
    main()

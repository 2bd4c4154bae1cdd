"""The network diagram's cost: server time per live tick, and the live page in a real browser.

Run: ``OPENBLAS_NUM_THREADS=1 python bench/diagram_page.py [--no-browser] [--reference DIR]``
(``DIR``: another checkout, e.g. ``git archive main | tar -x -C DIR``, measured alike in the
same run: on a shared machine the ratio says more than either figure).

1. In process, per network shape (2-8-8-8-1 at the defaults, 2-16×8-1, a 3-class 2-8-8-3):
   CPU milliseconds (this thread's, so other processes on a busy machine do not count) to
   build what the live view sends for the diagram with each live picture (unit maps, atlas
   PNG, link lines, bias marks; the SVG overlay is built once per shape and scale), beside the
   live view's own picture of the same weights (``pages/_ui/live_canvas.frame``: the input
   plane and every layer; the ratio says what share the diagram adds), median of 30.
2. In headless Chromium (``bench/live_page.py``'s measurement, with the diagram on the page at
   the defaults): picture refreshes/s of the live view (its canvas; target ≥ 4), how often the
   diagram itself was repainted per second, the share of browser frames in which the diagram
   showed the same epoch as the live picture (it follows it picture by picture), and the share
   in which the diagram had no picture (a blank or remounted canvas: target 0 %).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    cpu_seconds,
    load_average,
    serve,
)
from core.experiment import Experiment, Settings  # noqa: E402
from core.labs.network_diagram import diagram_layout, links, map_samples, unit_maps  # noqa: E402
from core.render.diagram import bias_marks, diagram_atlas, link_rows  # noqa: E402
from core.render.live_arrays import b64_array  # noqa: E402
from core.render.png import png_data_uri  # noqa: E402
from pages._ui.live_canvas import frame  # noqa: E402

SHAPES = {
    "2-8-8-8-1 (defaults)": Settings(),
    "2-16×8-1 ReLU": Settings(hidden=(16,) * 8, activation="relu", init="he_uniform"),
    "2-8-8-3 (blobs3)": Settings(dataset="blobs3", hidden=(8, 8)),
}
# Per animation frame: live picture refreshes (its canvas's frame counter changed), diagram
# repaints (its canvas's epoch changed), frames whose diagram shows the live picture's epoch,
# and frames with no painted diagram (no canvas, or one not painted yet).
DIAGRAM_FRAMES_JS = """async (ms) => {
  let frames = 0, blank = 0, repaints = 0, refreshes = 0, same = 0, last = null, shown = null;
  const end = performance.now() + ms;
  while (performance.now() < end) {
    await new Promise(r => requestAnimationFrame(r));
    frames += 1;
    const live = document.querySelector('[data-testid="live-canvas"]');
    if (live && live.dataset.frame !== shown) { refreshes += 1; shown = live.dataset.frame; }
    const canvas = document.querySelector('[data-testid="network-diagram"] canvas');
    const svg = document.querySelector('[data-testid="network-diagram"] svg');
    if (!canvas || !canvas.getAttribute('data-units') || !svg) { blank += 1; continue; }
    const epoch = canvas.getAttribute('data-epoch');
    if (epoch !== last) { repaints += 1; last = epoch; }
    if (live && live.dataset.epoch === epoch) same += 1;
  }
  return [frames, blank, repaints / (ms / 1000), refreshes / (ms / 1000), same];
}"""


def _median_ms(work, rounds: int = 30) -> float:
    times = []
    for _ in range(rounds):
        start = time.thread_time()
        work()
        times.append(time.thread_time() - start)
    return 1000 * statistics.median(times)


def server_table() -> None:
    print("per live picture:")
    print(f"{'network':<24}{'diagram ms':>12}{'picture ms':>13}{'ratio':>8}{'KB sent':>9}")
    print(f"{'':<24}{'(CPU)':>12}{'(CPU)':>13}")
    for name, settings in SHAPES.items():
        experiment = Experiment.build(settings)
        experiment.trainer.run(50)
        model = experiment.view_model

        def diagram(model=model, experiment=experiment):
            layout = diagram_layout(model.layer_sizes)
            maps = unit_maps(model, experiment.extent, map_samples(layout.map_size))
            atlas = png_data_uri(diagram_atlas(maps, model.output))
            found = links(model.weights, model.biases)
            # as the page sends them (pages/_ui/diagram_panel.diagram_picture)
            lines = b64_array(link_rows(layout, found, (2, 0)).astype(np.float32))
            marks = bias_marks(layout, found)
            return len(atlas) + len(lines) + len(json.dumps(marks))

        size = diagram() / 1000
        ms = _median_ms(diagram)
        live = _median_ms(lambda experiment=experiment: frame(experiment))
        print(f"{name:<24}{ms:>12.1f}{live:>13.1f}{ms / live:>8.2f}{size:>9.0f}")


def browser_row(root: Path, seconds: float = 8.0) -> tuple[float, ...]:
    """(refreshes/s, server CPU ms per refresh, diagram repaints/s, share of frames with the
    diagram at the live picture's epoch, share of frames without a painted diagram) of the
    checkout at ``root``, playing at the defaults."""
    from playwright.sync_api import sync_playwright

    with serve(root=root) as (pid, url), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1800})
            page.goto(f"{url}/Transform")
            page.locator('[data-testid="live-canvas"][data-frame]').wait_for(timeout=90_000)
            page.locator('[data-testid="network-diagram"] canvas[data-units]').wait_for()
            page.get_by_role("button", name="Play").click()
            page.wait_for_timeout(3000)  # past the first ticks
            cpu_before = cpu_seconds(pid)
            frames, blank, repaints, refreshes, same = page.evaluate(
                DIAGRAM_FRAMES_JS, seconds * 1000
            )
            cpu_per_refresh = 1000 * (cpu_seconds(pid) - cpu_before) / (refreshes * seconds)
        finally:
            browser.close()
    return refreshes, cpu_per_refresh, repaints, same / frames, blank / frames


def browser_table(reference: Path | None) -> None:
    """The browser measures for this checkout (and ``reference``, measured alike just before)."""
    versions = ([("reference", reference)] if reference else []) + [("this", ROOT)]
    rows = {name: browser_row(root) for name, root in versions}
    print(f"load average {load_average()} on {os.cpu_count()} cores")
    head = f"{'measure (live page at defaults, diagram shown)':<48}"
    print(head + "".join(f"{name:>11}" for name in rows) + f"{'target':>9}")
    measures = [
        ("live picture refreshes/s (its canvas)", "{:.1f}", ">= 4"),
        ("server CPU ms per live refresh", "{:.0f}", ""),
        ("diagram repaints/s", "{:.1f}", ">= 4"),
        ("frames with the diagram at the live epoch", "{:.1%}", ""),
        ("browser frames without a painted diagram", "{:.1%}", "0 %"),
    ]
    for k, (label, form, target) in enumerate(measures):
        cells = "".join(f"{form.format(row[k]):>11}" for row in rows.values())
        print(f"{label:<48}{cells}{target:>9}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-browser", action="store_true", help="only the in-process table")
    parser.add_argument("--reference", type=Path, help="another checkout, measured alike")
    args = parser.parse_args()
    server_table()
    if not args.no_browser:
        print()
        browser_table(args.reference.resolve() if args.reference else None)


if __name__ == "__main__":
    main()

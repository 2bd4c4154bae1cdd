"""Live Transform page in a real browser: training speed, refresh rate, flicker, time to separate.

Run: ``python bench/live_page.py [streamlit flags]`` (needs Debian's Chromium at
/usr/bin/chromium; flags such as ``--runner.postScriptGC false`` try a configuration). Starts the
app on a free loopback port, opens the Transform page at its defaults (2-8-8-8-1 tanh on the
spiral), presses Play and samples the page for ``SECONDS`` (10 s):
  - epochs/s shown on screen (target ≥ 300; TensorFlow Playground shows at most 60),
  - refreshes/s of the live pictures (target ≥ 4),
  - seconds from Play until the train accuracy on screen reaches 99 % (target ≤ 5 s),
  - share of animation frames in which a live image was missing or not yet decoded (flicker).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import CHROMIUM, CHROMIUM_ARGS, METRICS_JS, number, serve  # noqa: E402

SECONDS = 10.0
FLICKER_JS = """async (ms) => {
  let frames = 0, missing = 0, changes = 0, last = null;
  const end = performance.now() + ms;
  while (performance.now() < end) {
    await new Promise(r => requestAnimationFrame(r));
    frames += 1;
    // The live canvas, drawn at least once (data-frame counts its drawings), with every layer.
    const canvas = document.querySelector('[data-testid="live-canvas"]');
    const panels = document.querySelectorAll('[data-testid="live-panels"] canvas').length;
    if (!canvas || !canvas.dataset.frame || panels < Number(canvas.dataset.panels)) missing += 1;
    const frame = canvas?.dataset.frame;
    if (frame !== last) { changes += 1; last = frame; }
  }
  return [frames, missing, changes / (ms / 1000)];
}"""


def _sample(page, seconds: float) -> dict:
    samples, separated_at, start = [], None, time.monotonic()
    page.get_by_role("button", name="Play").click()
    flicker = None
    while time.monotonic() - start < seconds:
        metrics = page.evaluate(METRICS_JS)  # one round trip reads every counter at once
        epoch = number(metrics.get("Epoch", "0"))
        accuracy = number(metrics.get("Train accuracy", "0"))
        now = time.monotonic() - start
        samples.append((now, epoch))
        if separated_at is None and accuracy >= 99.0:
            separated_at = now
        if flicker is None and now > 3:
            flicker = page.evaluate(FLICKER_JS, 4000)
        time.sleep(0.02)
    return {"samples": samples, "separated_at": separated_at, "flicker": flicker}


def measure(seconds: float = SECONDS, options: tuple[str, ...] = ()) -> dict:
    """One run on its own server: epochs/s, refreshes/s, seconds to 99 %, flicker share.

    ``options`` are extra ``streamlit run`` flags (``harness.serve``), to try a configuration.
    """
    with serve(options=options) as (_, url), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{url}/Transform")
            page.locator(".js-plotly-plot").first.wait_for(state="visible", timeout=90_000)
            page.locator('[data-testid="live-canvas"][data-frame]').wait_for(timeout=90_000)
            result = _sample(page, seconds)
        finally:
            browser.close()
    (t0, e0), (t1, e1) = result["samples"][0], result["samples"][-1]
    # Refreshes are counted in the page, once per animation frame, so none is missed.
    frames, missing, refreshes = result["flicker"] or (0, 0, 0.0)
    return {
        "epochs_per_s": (e1 - e0) / (t1 - t0),
        "refreshes_per_s": refreshes,
        "separated_at": result["separated_at"],
        "missing_share": missing / frames if frames else float("nan"),
    }


def main() -> None:
    result = measure(options=tuple(sys.argv[1:]))  # e.g. --runner.postScriptGC false
    print(f"{'measure':<44}{'value':>10}{'target':>12}")
    print(f"{'epochs/s on screen':<44}{result['epochs_per_s']:>10.0f}{'>= 300':>12}")
    print(f"{'picture refreshes/s':<44}{result['refreshes_per_s']:>10.1f}{'>= 4':>12}")
    separated = result["separated_at"]
    shown = f"{separated:.1f}" if separated is not None else "never"
    print(f"{'seconds from Play to 99 % train accuracy':<44}{shown:>10}{'<= 5':>12}")
    share = result["missing_share"]
    print(f"{'browser frames with a live image missing':<44}{share:>10.1%}{'0 %':>12}")


if __name__ == "__main__":
    main()

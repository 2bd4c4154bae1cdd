"""Live Transform page in a real browser: training speed, refresh rate, flicker, time to separate.

Run: ``python bench/live_page.py`` (needs Debian's Chromium at /usr/bin/chromium). Starts the
app on a free loopback port, opens the Transform page at its defaults (2-8-8-8-1 tanh on the
spiral), presses Play and samples the page for ``SECONDS``:
  - epochs/s shown on screen (target ≥ 300; TensorFlow Playground shows at most 60),
  - refreshes/s of the live pictures (target ≥ 4),
  - seconds from Play until the train accuracy on screen reaches 99 % (target ≤ 5 s),
  - share of animation frames in which a live image was missing or not yet decoded (flicker).
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
SECONDS = 10.0
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
FLICKER_JS = """async (ms) => {
  let frames = 0, missing = 0, changes = 0, last = null;
  const end = performance.now() + ms;
  while (performance.now() < end) {
    await new Promise(r => requestAnimationFrame(r));
    frames += 1;
    const imgs = [...document.querySelectorAll('[data-testid="live-images"] img')];
    // A pending new src keeps painting the old picture; only an empty element is a blank.
    if (imgs.length === 0 || imgs.some(i => i.naturalWidth === 0)) missing += 1;
    const epoch = document.querySelector('[data-testid="stMetricValue"]')?.innerText;
    if (epoch !== last) { changes += 1; last = epoch; }
  }
  return [frames, missing, changes / (ms / 1000)];
}"""


METRICS_JS = """() => Object.fromEntries([...document.querySelectorAll('[data-testid="stMetric"]')]
  .map(m => [m.querySelector('[data-testid="stMetricLabel"]')?.innerText.trim(),
             m.querySelector('[data-testid="stMetricValue"]')?.innerText.trim()]))"""


def _number(text: str) -> float:
    return float(re.sub(r"[^0-9.]", "", text) or 0)


def _server() -> tuple[subprocess.Popen, str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
            return process, url
        except OSError:
            time.sleep(0.25)
    process.kill()
    raise RuntimeError("streamlit did not start")


def _sample(page) -> dict:
    samples, separated_at, start = [], None, time.monotonic()
    page.get_by_role("button", name="Play").click()
    flicker = None
    while time.monotonic() - start < SECONDS:
        metrics = page.evaluate(METRICS_JS)  # one round trip reads every counter at once
        epoch = _number(metrics.get("Epoch", "0"))
        accuracy = _number(metrics.get("Train accuracy", "0"))
        now = time.monotonic() - start
        samples.append((now, epoch))
        if separated_at is None and accuracy >= 99.0:
            separated_at = now
        if flicker is None and now > 3:
            flicker = page.evaluate(FLICKER_JS, 4000)
        time.sleep(0.02)
    return {"samples": samples, "separated_at": separated_at, "flicker": flicker}


def main() -> None:
    process, url = _server()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{url}/Transform")
            page.locator(".js-plotly-plot").first.wait_for(state="visible", timeout=90_000)
            result = _sample(page)
            browser.close()
    finally:
        process.terminate()
    samples = result["samples"]
    (t0, e0), (t1, e1) = samples[0], samples[-1]
    # Refreshes are counted in the page, once per animation frame, so none is missed.
    frames, missing, refreshes = result["flicker"] or (0, 0, 0.0)
    print(f"{'measure':<44}{'value':>10}{'target':>12}")
    print(f"{'epochs/s on screen':<44}{(e1 - e0) / (t1 - t0):>10.0f}{'>= 300':>12}")
    print(f"{'picture refreshes/s':<44}{refreshes:>10.1f}{'>= 4':>12}")
    separated = result["separated_at"]
    shown = f"{separated:.1f}" if separated is not None else "never"
    print(f"{'seconds from Play to 99 % train accuracy':<44}{shown:>10}{'<= 5':>12}")
    share = missing / frames if frames else float("nan")
    print(f"{'browser frames with a live image missing':<44}{share:>10.1%}{'0 %':>12}")


if __name__ == "__main__":
    main()

"""Server cost of live training: CPU per live Transform session, for a classroom on one link.

Run: ``python bench/server_cost.py [--sessions 1 4 8] [--seconds 15] [--reference DIR]`` (needs
Debian's Chromium at /usr/bin/chromium). For each N, a fresh server on a free loopback port and
N Chromium pages (separate contexts, so separate Streamlit sessions) open the Transform page at
its defaults with different seeds (``?seed=100+i``) and press Play. After a warm-up, over
``--seconds``:

- the server process's CPU (user + system, process and children, from /proc), in cores, in all
  and per live session;
- per session, picture refreshes/s (counted in the page once per animation frame: the live
  picture changed) and epochs/s on screen (the epoch the picture shows);
- a new visitor's time from opening the page to its first live picture, while the N train;
- the idle cost: every session pauses, and the server's CPU is measured again.

- the engine's speed on the machine meanwhile: CPU ms for 1,000 epochs of the default network
  by the live trainer (a fresh run, every epoch logged), and in brackets its ratio to the bare
  training step measured right after (``bench/epoch_cost.py`` has the full comparison).

``--reference DIR`` measures another checkout of the app (e.g. ``git archive main | tar -x -C
DIR``) the same way in the same run, right before each N: the machine is shared, so the ratio
of the two in one run says more than either figure alone.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from playwright.async_api import TimeoutError as PlaywrightTimeout
from playwright.async_api import async_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.epoch_cost import bare_steps  # noqa: E402
from bench.harness import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    cpu_seconds,
    load_average,
    machine_jiffies,
    serve,
)
from core.experiment import Experiment, Settings  # noqa: E402

WARM_UP = 4.0  # seconds of playing before the measurement starts
IDLE_SECONDS = 5.0
# The live picture as a signature and the epoch it shows: the canvas's own attributes, or
# (the image version of the live view) the first live image and the Epoch metric.
PICTURE_JS = """() => {
  const canvas = document.querySelector('[data-testid="live-canvas"]');
  if (canvas && canvas.dataset.frame) return [canvas.dataset.frame, Number(canvas.dataset.epoch)];
  const img = document.querySelector('[data-testid="live-images"] img');
  if (!img || !img.naturalWidth) return null;
  const metric = document.querySelector('[data-testid="stMetricValue"]')?.innerText || '0';
  return [img.src.length + img.src.slice(-48), Number(metric.replace(/[^0-9]/g, ''))];
}"""
# Counts, once per animation frame, how often the picture changed and when its epoch did.
COUNT_JS = (
    """() => {
  const picture = """
    + PICTURE_JS
    + """;
  const live = {frames: 0, changes: 0, missing: 0, first: null, last: null, stop: false};
  let before = null;
  const step = () => {
    if (live.stop) return;
    const now = picture();
    live.frames += 1;
    if (now === null) live.missing += 1;
    else {
      if (before !== null && now[0] !== before) live.changes += 1;
      before = now[0];
      const t = performance.now() / 1000;
      if (live.first === null) live.first = [t, now[1]];
      live.last = [t, now[1]];
    }
    requestAnimationFrame(step);
  };
  window.__live = live;
  live.started = performance.now() / 1000;
  requestAnimationFrame(step);
}"""
)
IDLE_JS = """() => document.querySelector('[data-testid="stApp"]')
  ?.getAttribute('data-test-script-state') === 'notRunning'"""
READ_JS = """() => { const l = window.__live; l.stop = true;
  return {frames: l.frames, changes: l.changes, missing: l.missing, first: l.first,
          last: l.last, seconds: performance.now() / 1000 - l.started}; }"""


@dataclass
class Row:
    version: str
    sessions: int
    server_cores: float
    machine_busy: float
    refreshes: list[float]
    epochs: list[float]
    missing: float
    first_picture: float
    idle_cores: float
    engine_ms: float
    engine_ratio: float  # live trainer / bare step, both measured in this process meanwhile

    @property
    def per_session(self) -> float:
        return self.server_cores / self.sessions

    @property
    def ms_per_refresh(self) -> float:
        """Server CPU per picture refresh: the work, whatever the machine's load let through."""
        return 1000 * self.server_cores / max(sum(self.refreshes), 1e-9)


async def open_session(browser, url: str, seed: int):
    """A new visitor on Transform with its own seed; returns (context, page, seconds to the
    first live picture)."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    page.set_default_timeout(180_000)  # a busy shared machine: every wait only bounds a hang
    start = time.monotonic()
    await page.goto(f"{url}/Transform?seed={seed}", timeout=120_000)
    await page.wait_for_function(PICTURE_JS, timeout=300_000, polling=50)
    return context, page, time.monotonic() - start


def engine_ms() -> tuple[float, float]:
    """CPU ms for 1,000 epochs of the default network, here and now: how fast this shared
    machine runs the engine at the moment (the busier the machine, the more), by the live
    trainer; and that over the bare training step's (nothing logged) measured right after."""
    live, bare = Experiment.build(Settings()).trainer, Experiment.build(Settings()).trainer
    start = time.process_time()
    live.run(1000)
    live_seconds = time.process_time() - start
    start = time.process_time()
    bare_steps(bare, 1000)
    return 1000 * live_seconds, live_seconds / (time.process_time() - start)


async def settled(page) -> bool:
    """Until the rerun after Pause (it redraws the layer-by-layer animation) has finished;
    False if it did not within 5 minutes (a swamped machine)."""
    try:
        await page.get_by_role("button", name="Play").wait_for(timeout=300_000)
        await page.wait_for_function(IDLE_JS, timeout=300_000, polling=250)
    except PlaywrightTimeout:
        return False
    await asyncio.sleep(1.0)
    return True


async def measure(browser, root: Path, version: str, n: int, seconds: float) -> Row:
    with serve(root=root) as (pid, url):
        warm = await open_session(browser, url, 99)  # the server's first run pays the imports
        await warm[0].close()
        # One after another, as a class arriving on the link (and a swamped machine copes).
        opened = [await open_session(browser, url, 100 + i) for i in range(n)]
        pages = [page for _, page, _ in opened]
        for page in pages:
            await page.get_by_role("button", name="Play").click()
        await asyncio.sleep(WARM_UP)
        await asyncio.gather(*(page.evaluate(COUNT_JS) for page in pages))
        cpu, jiffies, start = cpu_seconds(pid), machine_jiffies(), time.monotonic()
        await asyncio.sleep(seconds)
        server = (cpu_seconds(pid) - cpu) / (time.monotonic() - start)
        busy, total = machine_jiffies()
        machine = (busy - jiffies[0]) / max(total - jiffies[1], 1)
        counts = await asyncio.gather(*(page.evaluate(READ_JS) for page in pages))
        engine, ratio = engine_ms()  # while the N still train: the machine as the server saw it
        visitor = await open_session(browser, url, 999)  # while the N still train
        await visitor[0].close()
        for page in pages:
            await page.get_by_role("button", name="Pause").click()
        paused = await asyncio.gather(*(settled(page) for page in pages))
        cpu, start = cpu_seconds(pid), time.monotonic()
        await asyncio.sleep(IDLE_SECONDS)
        idle = (cpu_seconds(pid) - cpu) / (time.monotonic() - start)
        idle = idle if all(paused) else float("nan")
        for context, _, _ in opened:
            await context.close()
    refreshes = [c["changes"] / c["seconds"] for c in counts]
    epochs = [(c["last"][1] - c["first"][1]) / (c["last"][0] - c["first"][0]) for c in counts]
    missing = sum(c["missing"] for c in counts) / max(sum(c["frames"] for c in counts), 1)
    return Row(
        version, n, server, machine, refreshes, epochs, missing, visitor[2], idle, engine, ratio
    )


def print_rows(rows: list[Row]) -> None:
    print(f"\nload average {load_average()}; median over sessions (min–max)")
    head = "| version | sessions | server cores | per session | idle (paused) | machine busy |"
    head += " refreshes/s | epochs/s | server ms per refresh | frames missing |"
    head += " new visitor: first picture | engine ms / 1,000 epochs (× bare step) |"
    print(head)
    print("| --- |" + " ---: |" * 11)

    def spread(values: list[float], digits: int) -> str:
        low, mid, high = min(values), statistics.median(values), max(values)
        return f"{mid:,.{digits}f} ({low:,.{digits}f}–{high:,.{digits}f})"

    for r in rows:
        print(
            f"| {r.version} | {r.sessions} | {r.server_cores:.2f} | {r.per_session:.3f} |"
            f" {r.idle_cores:.3f} | {r.machine_busy:.0%} | {spread(r.refreshes, 1)} |"
            f" {spread(r.epochs, 0)} | {r.ms_per_refresh:.0f} | {r.missing:.1%} |"
            f" {r.first_picture:.1f} s | {r.engine_ms:.0f} ({r.engine_ratio:.2f}×) |"
        )
    versions = sorted({r.version for r in rows})
    if len(versions) == 2:
        for n in sorted({r.sessions for r in rows}):
            pair = {r.version: r for r in rows if r.sessions == n}
            if len(pair) == 2:
                after, before = pair["this"], pair["reference"]
                ratio = after.per_session / before.per_session
                work = after.ms_per_refresh / before.ms_per_refresh
                print(
                    f"N = {n}: this / reference: server CPU per session {ratio:.2f},"
                    f" per refresh {work:.2f}"
                )


async def run(args) -> None:
    versions = [("this", ROOT)]
    if args.reference:
        versions.insert(0, ("reference", Path(args.reference).resolve()))
    rows = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for n in args.sessions:
            for version, root in versions:
                rows.append(await measure(browser, root, version, n, args.seconds))
                print_rows(rows[-1:])
        await browser.close()
    print_rows(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 4, 8])
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--reference", help="another checkout of the app, measured alike")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()

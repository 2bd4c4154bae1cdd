"""Soak: one browser session training live for a long time; the server's memory must stay flat.

Run: ``python bench/soak.py [--minutes 30] [--interval 10] [--warmup 60] [--tolerance 40]``
(needs Debian's Chromium at /usr/bin/chromium). Starts the app on a free loopback port, opens
the Transform page at its defaults (2-8-8-8-1 tanh on the spiral), presses Play and, every
``interval`` s, reads the server's RSS (process and children, from /proc) and the Epoch metric
on screen. Prints the curve (time, RSS, epoch, epochs/s) and, after the warm-up, the growth
(highest RSS minus the first RSS after warm-up) and the least-squares slope in MB/min. The
training history and parameter trajectory are bounded (``core.nn.training.ThinnedLog``), so the
curve should be flat once the first snapshots, caches and allocator pools exist.

``--option FLAG VALUE`` passes a ``streamlit run`` flag (to soak a configuration change).
Exit status 1 if the growth after warm-up exceeds ``--tolerance`` MB, if the Epoch counter
stopped advancing, or if the page showed an exception. ``tests/test_soak.py`` runs the same
measurement for 2 minutes.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    METRICS_JS,
    load_average,
    number,
    rss_mb,
    serve,
)


@dataclass
class Sample:
    seconds: float  # since Play was pressed
    rss_mb: float
    epoch: float
    exceptions: int


@dataclass
class Verdict:
    growth_mb: float  # highest RSS after warm-up minus the first RSS after warm-up
    slope_mb_per_min: float  # least-squares slope of RSS after warm-up
    stalled: list[float]  # times at which the Epoch counter had not advanced since last sample
    exceptions: int


def open_and_play(page, base_url: str, query: str = "") -> None:
    """Open the Transform page, wait for its charts, press Play until the button says Pause."""
    page.goto(f"{base_url}/Transform{query}", timeout=120_000)
    page.locator(".js-plotly-plot").first.wait_for(state="visible", timeout=120_000)
    for _ in range(5):  # a click can land while the ticking fragment swaps elements
        try:
            page.get_by_role("button", name="Play").click(timeout=15_000)
            page.get_by_role("button", name="Pause").wait_for(timeout=15_000)
            return
        except Exception:  # noqa: BLE001 - playwright's TimeoutError; try again
            continue
    raise RuntimeError("Play never took")


def sample(page, pid: int, seconds: float, interval: float, echo=None) -> list[Sample]:
    """Every ``interval`` s for ``seconds``: the server's RSS and the Epoch shown on screen."""
    samples: list[Sample] = []
    start = time.monotonic()
    while True:
        now = time.monotonic() - start
        metrics = page.evaluate(METRICS_JS)
        failures = page.locator('[data-testid="stException"]').count()
        samples.append(Sample(now, rss_mb(pid), number(metrics.get("Epoch")), failures))
        if echo:
            echo(samples)
        if now >= seconds:
            return samples
        time.sleep(max(0.0, start + len(samples) * interval - time.monotonic()))


def judge(samples: list[Sample], warmup: float) -> Verdict:
    """Growth and slope of RSS after ``warmup`` s; where the Epoch counter stood still."""
    after = [s for s in samples if s.seconds >= warmup] or samples[-1:]
    rss = np.array([s.rss_mb for s in after])
    minutes = np.array([s.seconds for s in after]) / 60
    slope = float(np.polyfit(minutes, rss, 1)[0]) if len(after) > 2 else 0.0
    stalled = [b.seconds for a, b in zip(samples, samples[1:], strict=False) if b.epoch <= a.epoch]
    return Verdict(
        growth_mb=float(rss.max() - rss[0]),
        slope_mb_per_min=slope,
        stalled=stalled,
        exceptions=max(s.exceptions for s in samples),
    )


def _echo(samples: list[Sample]) -> None:
    current = samples[-1]
    rate = 0.0
    if len(samples) > 1:
        previous = samples[-2]
        rate = (current.epoch - previous.epoch) / max(current.seconds - previous.seconds, 1e-9)
    print(
        f"{current.seconds:>8.0f}{current.rss_mb:>10.1f}{current.epoch:>12,.0f}{rate:>10.0f}",
        flush=True,
    )


def run(
    minutes: float, interval: float, log_path: Path, options: tuple[str, ...] = ()
) -> tuple[list[Sample], float]:
    """The whole soak on its own server and browser; returns the samples and the idle RSS."""
    from playwright.sync_api import sync_playwright

    with serve(log_path, options=options) as (pid, url), sync_playwright() as playwright:
        idle = rss_mb(pid)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            open_and_play(page, url)
            print(f"{'seconds':>8}{'RSS MB':>10}{'epoch':>12}{'epochs/s':>10}")
            samples = sample(page, pid, minutes * 60, interval, echo=_echo)
        finally:
            browser.close()
    return samples, idle


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--interval", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=60.0, help="seconds not judged")
    parser.add_argument("--tolerance", type=float, default=40.0, help="MB growth allowed")
    parser.add_argument("--log", type=Path, default=Path("/tmp/spacewarp_soak.log"))
    flag = ("FLAG", "VALUE")  # e.g. --option runner.postScriptGC false
    parser.add_argument("--option", nargs=2, action="extend", default=[], metavar=flag)
    args = parser.parse_args()
    options = tuple(f"--{f}" if i % 2 == 0 else f for i, f in enumerate(args.option))
    print(f"load average at start: {load_average()}")
    samples, idle = run(args.minutes, args.interval, args.log, options)
    verdict = judge(samples, args.warmup)
    print(f"server RSS before any session: {idle:.1f} MB; load average now: {load_average()}")
    print(
        f"after {args.warmup:.0f} s warm-up: growth {verdict.growth_mb:.1f} MB "
        f"(tolerance {args.tolerance:.0f} MB), slope {verdict.slope_mb_per_min:+.2f} MB/min, "
        f"epoch stalled at {verdict.stalled or 'no sample'}, exceptions {verdict.exceptions}"
    )
    failed = verdict.growth_mb > args.tolerance or verdict.stalled or verdict.exceptions
    print("FAIL" if failed else "PASS")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Load and isolation: N concurrent real browser sessions training live on one server.

Run: ``python bench/load_test.py [--sessions 1 5 10] [--seconds 60]`` (needs Debian's Chromium
at /usr/bin/chromium; run on demand, not in CI). One server on a free loopback port, one
Chromium process; for each session count N, N Playwright contexts (separate cookies, so
separate Streamlit sessions) run concurrently on asyncio. Session i opens
``/Transform?data=..&seed=..&layers=..&act=..&noise=..`` (every session different), presses
Play and trains live; every ``CHANGE_EVERY`` s it moves the Noise slider one step (focus its
range input, press ArrowRight), then presses Play again (new data means a new model). Measured:

- latency: milliseconds from the key press until the **updated chart**, defined as the
  Layer-by-layer Plotly figure (the page's last ``.js-plotly-plot``) holding different data
  (its trace types, lengths and first decoded coordinates changed: the points moved with the
  noise). Also until the address bar changed (the rerun got as far as writing the URL). It
  includes Streamlit's slider debounce, the full rerun, the transfer and Plotly's draw.
- epochs/s per session while playing, from the Epoch metric sampled every 0.5 s.
- isolation: the Epoch counter never goes down while the session plays (only its own noise
  change resets it); after each change the URL and the sidebar (dataset, activation, seed,
  noise, number of hidden layers and each width) still show this session's own settings; no
  exception box in the page; the exceptions in the server log are listed.
- memory: the server's RSS (process and children) every second; peak per phase against the
  bound ``RSS after warm-up + FIRST_SESSION_MB + PER_SESSION_MB × N``; also the server's CPU
  (in cores: one Python process, one GIL) and the whole machine's busy share.
- cost: the server's CPU seconds (its own process, from /proc, apart from Chromium and the
  driver) per live session-minute (a minute of one session open: training, sampled every
  0.5 s, its slider moved every ``CHANGE_EVERY`` s), and from it how many such sessions one
  core carries when CPU is all that limits them.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import numpy as np
from playwright.async_api import TimeoutError as PlaywrightTimeout
from playwright.async_api import async_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import (  # noqa: E402
    CHART_SIGNATURE_JS,
    CHROMIUM,
    CHROMIUM_ARGS,
    METRICS_JS,
    SIDEBAR_JS,
    WAIT_CHART_JS,
    RssSampler,
    load_average,
    log_errors,
    number,
    serve,
)
from core.data.datasets import DATASETS as DATASET_REGISTRY  # noqa: E402
from core.nn.activations import ACTIVATIONS as ACTIVATION_REGISTRY  # noqa: E402

CHANGE_EVERY = 8.0  # seconds of live training between two slider changes
# Proposed memory bound: RSS after warm-up + FIRST_SESSION_MB + PER_SESSION_MB × sessions. The
# first live session allocates the most (caches, allocator pools); each further one holds its
# experiment, its layer-by-layer figure and Streamlit's session state.
FIRST_SESSION_MB = 40.0
PER_SESSION_MB = 20.0
NOISE_STEP = 0.01
URL_DEFAULTS = {"data": "spiral", "seed": "0", "act": "tanh", "layers": "8,8,8", "noise": "0"}


@dataclass(frozen=True)
class Spec:
    """One session's own settings; every session in a run gets different ones."""

    dataset: str
    seed: int
    layers: tuple[int, ...]
    activation: str
    noise: float

    def query(self) -> str:
        layers = ",".join(map(str, self.layers))
        head = f"data={self.dataset}&seed={self.seed}&layers={layers}"
        return f"{head}&act={self.activation}&noise={self.noise:g}"


DATASETS = ["spiral", "circles", "moons", "xor", "checkerboard", "gaussians", "linear"]
SHAPES = [(8, 8, 8), (4, 4), (6,), (5, 3), (8, 4, 2), (3, 3, 3), (7, 5)]
ACTIVATIONS = ["tanh", "relu", "sigmoid", "elu"]
SPECS = [
    Spec(DATASETS[i % 7], 10 + i, SHAPES[(i * 3) % 7], ACTIVATIONS[i % 4], 0.02 + 0.01 * i)
    for i in range(12)
]


@dataclass
class Result:
    spec: Spec
    chart_ms: list[float] = field(default_factory=list)  # inf: the chart never changed
    url_ms: list[float] = field(default_factory=list)
    epochs: float = 0.0
    play_seconds: float = 0.0
    open_seconds: float = 0.0  # from opening the link to closing the page
    exceptions: int = 0
    problems: list[str] = field(default_factory=list)


def same(shown: str, wanted: str) -> bool:
    """Equal as text, or as numbers ("0.1" and "0.10")."""
    try:
        return shown == wanted or float(shown) == float(wanted)
    except ValueError:
        return False


def settings_problems(state: dict, spec: Spec, noise: float) -> list[str]:
    """What on this page is not this session's own (URL and sidebar widgets)."""
    query = {k: v[0] for k, v in parse_qs(urlsplit(state["url"]).query).items()}
    want = {"data": spec.dataset, "seed": str(spec.seed), "act": spec.activation}
    want |= {"layers": ",".join(map(str, spec.layers)), "noise": f"{noise:g}"}
    shown = {**state["sliders"], **state["selects"], "Seed": state["seed"]}
    expected = {
        "Dataset": DATASET_REGISTRY[spec.dataset].label,  # what the selectbox shows
        "Activation": ACTIVATION_REGISTRY[spec.activation].label,
        "Seed": str(spec.seed),
        "Noise": f"{noise:g}",
        "Hidden layers": str(len(spec.layers)),
    }
    expected |= {f"Width of layer {i + 1}": str(w) for i, w in enumerate(spec.layers)}
    # Streamlit leaves a value equal to the default out of the URL.
    got = {k: query.get(k, URL_DEFAULTS[k]) for k in want}
    bad = [f"URL {k}={got[k]} != {v}" for k, v in want.items() if not same(got[k], v)]
    bad += [
        f"{k} shows {shown.get(k)} != {v}"
        for k, v in expected.items()
        if shown.get(k) is None or not same(shown[k], v)
    ]
    return bad


async def check(page, result: Result, noise: float, when: str) -> None:
    """Compare the page with this session's settings. A widget not on the page (yet: the
    sidebar renders in steps) is waited for; one still missing after 30 s is a problem (a
    screenshot goes to /tmp). A widget showing another value is reported at once."""
    deadline = time.monotonic() + 30
    while True:
        state = await page.evaluate(SIDEBAR_JS)
        problems = [] if state is None else settings_problems(state, result.spec, noise)
        rendering = state is None or any("shows None" in p for p in problems)
        if not rendering or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.25)
    if rendering:
        shot = f"/tmp/spacewarp_load_{result.spec.seed}_{int(time.time())}.png"
        await page.screenshot(path=shot)
        result.problems.append(f"{when}: sidebar incomplete for 30 s (screenshot {shot})")
    if state is not None:
        result.exceptions = max(result.exceptions, state["exceptions"])
        result.problems += [f"{when}: {p}" for p in problems]


async def play(page) -> None:
    """Press Play; a click can land while the page swaps elements, so retry until it took."""
    for _ in range(5):
        try:
            await page.get_by_role("button", name="Play").click(timeout=15_000)
            await page.get_by_role("button", name="Pause").wait_for(timeout=15_000)
            return
        except Exception:  # noqa: BLE001 - playwright's TimeoutError; try again
            continue
    raise RuntimeError("Play never took")


async def train(page, seconds: float, result: Result) -> None:
    """Sample the Epoch metric every 0.5 s while playing; a decrease is cross-talk."""
    samples, end = [], time.monotonic() + seconds
    while time.monotonic() < end:
        metrics = await page.evaluate(METRICS_JS)
        samples.append((time.monotonic(), number(metrics.get("Epoch"))))
        await asyncio.sleep(0.5)
    epochs = [e for _, e in samples]
    if any(b < a for a, b in zip(epochs, epochs[1:], strict=False)):
        result.problems.append(f"Epoch went down while playing: {epochs}")
    if len(samples) > 1:
        result.epochs += samples[-1][1] - samples[0][1]
        result.play_seconds += samples[-1][0] - samples[0][0]


async def change_noise(page, result: Result) -> None:
    """One ArrowRight on the Noise slider; time until the URL and the chart show it."""
    before = await page.evaluate(CHART_SIGNATURE_JS)
    side = page.locator('[data-testid="stSidebar"] [data-testid="stSlider"]')
    handle = side.filter(has_text="Noise").locator('input[type="range"]')
    await handle.focus()
    start = await page.evaluate("() => performance.now()")
    await page.keyboard.press("ArrowRight")
    timing = await page.evaluate(WAIT_CHART_JS, [before, start, 60_000])
    result.chart_ms.append(timing["chart"] if timing["chart"] is not None else float("inf"))
    result.url_ms.append(timing["url"] if timing["url"] is not None else float("inf"))


async def run_session(browser, url: str, spec: Spec, seconds: float, delay: float) -> Result:
    """Open the session's own link, then play / change noise until ``seconds`` are over."""
    result, noise = Result(spec), spec.noise
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    opened = time.monotonic()
    try:
        page = await context.new_page()
        await page.goto(f"{url}/Transform?{spec.query()}", timeout=120_000)
        await page.locator(".js-plotly-plot").first.wait_for(state="visible", timeout=120_000)
        await check(page, result, noise, "opened")
        end = time.monotonic() + seconds
        first = True
        while time.monotonic() < end - 2:
            await play(page)
            interval = CHANGE_EVERY + (delay if first else 0.0)
            await train(page, min(interval, end - time.monotonic()), result)
            first = False
            if time.monotonic() >= end - 2:
                break
            await change_noise(page, result)
            noise = round(noise + NOISE_STEP, 2)
            await check(page, result, noise, f"after noise {noise:g}")
        await check(page, result, noise, "end")
    finally:
        await context.close()
        result.open_seconds = time.monotonic() - opened
    return result


async def run_phase(browser, url: str, n_sessions: int, seconds: float) -> list[Result]:
    # Staggered first changes, so the sessions do not all press a key at the same instant.
    delays = [i * CHANGE_EVERY / max(n_sessions, 1) for i in range(n_sessions)]
    tasks = [run_session(browser, url, SPECS[i], seconds, delays[i]) for i in range(n_sessions)]
    return await asyncio.gather(*tasks)


async def warm_up(browser, url: str) -> None:
    """Open the page once so imports and caches are in the server before measuring."""
    context = await browser.new_context()
    page = await context.new_page()
    await page.goto(f"{url}/Transform", timeout=120_000)
    await page.locator(".js-plotly-plot").first.wait_for(state="visible", timeout=120_000)
    await context.close()


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def phase_row(n: int, results: list[Result], sampler: RssSampler, base: float) -> dict:
    charts = [ms for r in results for ms in r.chart_ms]
    urls = [ms for r in results for ms in r.url_ms]
    rates = [r.epochs / r.play_seconds for r in results if r.play_seconds]
    rss = sampler.labelled(f"phase {n}")
    peak = max(rss) if rss else float("nan")
    server_cpu, client_cpu, machine_busy = sampler.cpu(f"phase {n}")
    session_minutes = sum(r.open_seconds for r in results) / 60
    per_minute = sampler.server_cpu_seconds(f"phase {n}") / session_minutes
    return {
        "sessions": n,
        "changes": len(charts),
        "p50": percentile(charts, 50),
        "p95": percentile(charts, 95),
        "url_p50": percentile(urls, 50),
        "rate_median": statistics.median(rates) if rates else 0.0,
        "rate_min": min(rates) if rates else 0.0,
        "peak": peak,
        "after": sampler.latest(),
        "server_cpu": server_cpu,
        "client_cpu": client_cpu,
        "machine_busy": machine_busy,
        "cpu_per_session_minute": per_minute,
        "bound": base + FIRST_SESSION_MB + PER_SESSION_MB * n,
        "exceptions": sum(r.exceptions for r in results),
        "problems": [f"session {i}: {p}" for i, r in enumerate(results) for p in r.problems],
    }


def print_table(rows: list[dict], base: float, errors: list[str]) -> None:
    print(
        f"\nserver RSS after warm-up: {base:.0f} MB; bound: that + {FIRST_SESSION_MB:.0f} MB",
        end="",
    )
    print(f" + {PER_SESSION_MB:.0f} MB per session (peaks are cumulative over the phases)")
    head = f"{'sessions':>8}{'changes':>8}{'p50 ms':>8}{'p95 ms':>8}{'URL p50':>8}"
    head += f"{'ep/s med':>9}{'ep/s min':>9}{'peak MB':>8}{'bound':>7}{'held':>5}{'after':>7}"
    head += f"{'srv CPU':>8}{'browser':>8}{'busy':>6}{'s/s-min':>8}{'per core':>9}"
    head += f"{'exc':>4}{'x-talk':>7}"
    print(head)
    for row in rows:
        held = "yes" if row["peak"] <= row["bound"] else "NO"
        print(
            f"{row['sessions']:>8}{row['changes']:>8}{row['p50']:>8.0f}{row['p95']:>8.0f}"
            f"{row['url_p50']:>8.0f}{row['rate_median']:>9.0f}{row['rate_min']:>9.0f}"
            f"{row['peak']:>8.0f}{row['bound']:>7.0f}{held:>5}{row['after']:>7.0f}"
            f"{row['server_cpu']:>8.2f}{row['client_cpu']:>8.2f}{row['machine_busy']:>6.0%}"
            f"{row['cpu_per_session_minute']:>8.1f}{60 / row['cpu_per_session_minute']:>9.1f}"
            f"{row['exceptions']:>4}{len(row['problems']):>7}"
        )
    for row in rows:
        for problem in row["problems"][:10]:
            print(f"  cross-talk? {row['sessions']} sessions, {problem}")
    print("srv CPU / browser: CPU in cores of the server / of Chromium and its driver;")
    print("busy: the whole 2-core machine, other users' work included")
    print("s/s-min: the server's CPU seconds per live session-minute (its process only);")
    print("per core: live sessions one core carries at that cost (60 / s/s-min), CPU alone")
    print(f"exceptions in the server log: {errors or 'none'}; load average now: {load_average()}")


async def run(sessions: list[int], seconds: float, log_path: Path, options: tuple) -> None:
    with serve(log_path, options=options) as (pid, url), RssSampler(pid) as sampler:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            await warm_up(browser, url)
            await asyncio.sleep(3)
            base, rows = sampler.latest(), []
            for n in sessions:
                print(f"{n} session(s) for {seconds:.0f} s; load average {load_average()}")
                sampler.label = f"phase {n}"
                try:
                    results = await run_phase(browser, url, n, seconds)
                except PlaywrightTimeout as error:  # an overloaded machine: keep the phases done
                    print(f"{n} session(s): gave up ({type(error).__name__}); stopping here")
                    break
                sampler.label = f"after {n}"
                await asyncio.sleep(10)  # closed sessions should give their memory back
                rows.append(phase_row(n, results, sampler, base))
            await browser.close()
    print_table(rows, base, log_errors(log_path.read_text()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 5, 10])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--log", type=Path, default=Path("/tmp/spacewarp_load_test.log"))
    flag = ("FLAG", "VALUE")  # e.g. --option runner.postScriptGC false
    parser.add_argument("--option", nargs=2, action="extend", default=[], metavar=flag)
    args = parser.parse_args()
    options = tuple(f"--{f}" if i % 2 == 0 else f for i, f in enumerate(args.option))
    if max(args.sessions) > len(SPECS):
        parser.error(f"at most {len(SPECS)} sessions")
    asyncio.run(run(args.sessions, args.seconds, args.log, options))


if __name__ == "__main__":
    main()

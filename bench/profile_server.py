"""Where the server's time goes while browser sessions train live: py-spy on the running app.

Run: ``python bench/profile_server.py [--sessions 1] [--seconds 20] [--change-noise]`` (needs
Debian's Chromium and ``py-spy``: ``pip install py-spy``, or ``--py-spy PATH``). Starts the app,
opens ``--sessions`` Transform pages (the load test's distinct settings) and presses Play; with
``--change-noise`` each session also moves the Noise slider every 4 s (a full rerun: new data,
model and animation). Meanwhile ``py-spy record`` samples the server at 100 Hz for
``--seconds``, counting only the thread that holds the GIL (``--gil``): all sessions' script
runs share one interpreter, so GIL time is what serialises them. Prints:

- CPU in cores over the recording: the server, and the client side (Chromium and drivers);
- inclusive share of GIL samples per function (line numbers dropped): the project's own
  (core/, pages/), then the libraries' (Streamlit, Plotly, PIL, websockets, gc);
- the top functions by self time.

``--option FLAG VALUE`` passes a ``streamlit run`` flag, to profile a configuration change
(e.g. ``--option runner.postScriptGC false``).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from playwright.async_api import async_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import CHROMIUM, CHROMIUM_ARGS, ROOT, cpu_seconds, serve  # noqa: E402
from bench.load_test import SPECS, Result, change_noise, play  # noqa: E402

PROJECT = ("core/", "pages/", str(ROOT / "core"), str(ROOT / "pages"))
FUNCTION = re.compile(r":\d+\)$")  # "name (file.py:123)" -> "name (file.py)"


async def drive(browser, url: str, index: int, seconds: float, change: bool) -> None:
    """One session: open its own link, play, and (optionally) move the noise every 4 s."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    await page.goto(f"{url}/Transform?{SPECS[index].query()}", timeout=120_000)
    await page.locator(".js-plotly-plot").first.wait_for(state="visible", timeout=120_000)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        await play(page)
        await asyncio.sleep(4.0 if change else max(0.0, end - time.monotonic()))
        if change and time.monotonic() < end:
            await change_noise(page, Result(SPECS[index]))
    await context.close()


def parse(raw: Path) -> tuple[int, collections.Counter, collections.Counter]:
    """(samples, inclusive counts per function, self counts per function) from py-spy raw."""
    inclusive, own, total = collections.Counter(), collections.Counter(), 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = [FUNCTION.sub(")", f.strip()) for f in stack.split(";") if f.strip()]
        if not frames:
            continue
        total += int(count)
        for frame in set(frames):
            inclusive[frame] += int(count)
        own[frames[-1]] += int(count)
    return total, inclusive, own


def _top(counter: collections.Counter, total: int, keep, top: int) -> None:
    rows = [(f, n) for f, n in counter.items() if keep(f)]
    for frame, count in sorted(rows, key=lambda item: -item[1])[:top]:
        print(f"{count / total:>7.1%}  {frame.replace(sys.prefix + '/lib/python3.11/', '')}")


def report(raw: Path, cpu: tuple[float, float] | None, top: int) -> None:
    """Print the shares of GIL time from py-spy's raw output (``cpu``: cores used, if known)."""
    total, inclusive, own = parse(raw)
    if cpu is not None:
        print(f"CPU in cores: server {cpu[0]:.2f}, browser + driver + py-spy {cpu[1]:.2f}")
    print(f"{total} samples with the GIL held ({total / 100:.1f} s)")
    print("\ninclusive share of GIL time, project functions (core/, pages/):")
    _top(inclusive, total, lambda f: any(f"({p}" in f for p in PROJECT), top)
    print("\ninclusive share of GIL time, library functions:")
    _top(inclusive, total, lambda f: not any(f"({p}" in f for p in PROJECT), top)
    print("\nself time, top functions:")
    _top(own, total, lambda f: True, top)


async def record(args) -> None:
    raw = Path(args.out)
    options = tuple(f"--{flag}" if i % 2 == 0 else flag for i, flag in enumerate(args.option))
    with serve(options=options) as (pid, url):
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            sessions = [
                drive(browser, url, i, args.seconds + 15, args.change_noise)
                for i in range(args.sessions)
            ]
            tasks = [asyncio.ensure_future(s) for s in sessions]
            await asyncio.sleep(12)  # pages loaded, training started
            command = [args.py_spy, "record", "--pid", str(pid), "--gil", "--rate", "100"]
            command += ["--format"]
            command += ["raw", "--duration", str(int(args.seconds)), "--output", str(raw)]
            before, everything, start = cpu_seconds(pid), cpu_seconds(os.getpid()), time.monotonic()
            spy = await asyncio.create_subprocess_exec(*command, stdout=subprocess.DEVNULL)
            await spy.wait()
            seconds, server = time.monotonic() - start, cpu_seconds(pid) - before
            client = cpu_seconds(os.getpid()) - everything - server  # Chromium, driver, py-spy
            share = (server / seconds, client / seconds)
            await asyncio.gather(*tasks)
            await browser.close()
    report(raw, share, args.top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--change-noise", action="store_true")
    parser.add_argument("--top", type=int, default=18)
    parser.add_argument("--out", default="/tmp/spacewarp_profile.txt")
    parser.add_argument("--option", nargs=2, action="extend", default=[], metavar=("FLAG", "VALUE"))
    parser.add_argument("--py-spy", default=shutil.which("py-spy") or "py-spy")
    asyncio.run(record(parser.parse_args()))


if __name__ == "__main__":
    main()

"""Where one page's rerun spends its time: py-spy over repeated AppTest reruns.

Run: ``python bench/profile_page.py pages/3_Loss_surface.py [--reruns 30] [--noise]`` (needs
``py-spy``: ``pip install py-spy``, or ``--py-spy PATH``). Opens the page from ``app.py`` with
AppTest (as ``bench/run_all.py`` measures it) and does a warm-up run; only then does
``py-spy record --gil`` attach to this process (100 Hz), while the page reruns ``--reruns``
times (with ``--noise``: each rerun moves the Noise slider, so the Transform page rebuilds data,
model and animation). Prints the mean ms per rerun, then (``bench/profile_server.report``) the
inclusive share of GIL time per function of the project and of the libraries, and the top
self times.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import ROOT  # noqa: E402
from bench.profile_server import report  # noqa: E402


def open_page(page: str):
    """AppTest on ``page`` reached from app.py, after one warm-up rerun."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page(page).run()
    at.run()
    return at


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", help="e.g. pages/3_Loss_surface.py")
    parser.add_argument("--reruns", type=int, default=30)
    parser.add_argument("--noise", action="store_true", help="move the Noise slider each rerun")
    parser.add_argument("--top", type=int, default=18)
    parser.add_argument("--out", default="/tmp/spacewarp_page_profile.txt")
    parser.add_argument("--py-spy", default=shutil.which("py-spy") or "py-spy")
    args = parser.parse_args()
    at = open_page(args.page)
    command = [args.py_spy, "record", "--pid", str(os.getpid()), "--gil", "--rate", "100"]
    command += ["--format", "raw", "--output", args.out]
    spy = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0)  # py-spy attached
    start = time.perf_counter()
    for i in range(args.reruns):
        if args.noise:
            at.slider(key="noise").set_value(round(0.01 * (i % 25 + 1), 2))
        at.run()
    seconds = time.perf_counter() - start
    spy.send_signal(signal.SIGINT)  # py-spy writes its output when interrupted
    spy.wait()
    print(f"{args.page}: {1000 * seconds / args.reruns:.0f} ms per rerun (mean)")
    report(Path(args.out), None, args.top)


if __name__ == "__main__":
    main()

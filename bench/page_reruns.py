"""Server time of the Plotly pages' script runs at defaults: a first visit's run, a plain rerun,
and a rerun after one widget change; prints a table.

Run: ``python bench/page_reruns.py [--reference DIR] [--rounds 5]``. Each page is opened with
AppTest from ``app.py`` (as a visitor enters) in a fresh process per version and page, so the
first run pays what a new server's first visitor pays there (caches empty; imports already
done by the home page's warm-up, as on a server). Each widget change moves one control to a
value not seen before (a cache miss, as for a visitor trying the control); the figure is the
median over ``--rounds`` changes. Target (issue 16): every rerun ≤ 300 ms.

``--reference DIR`` measures another checkout alike, in turns, and prints both side by side.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# page: (widget kind, key, values tried in turn; each one new to the page's caches)
CHANGES = {
    "pages/2_Activations.py": ("slider", "act_angle", [35, 40, 45, 50, 55, 60, 65, 70]),
    "pages/3_Loss_surface.py": ("slider", "ls_steps", [70, 80, 90, 100, 110, 120, 130, 140]),
    "pages/4_Compare.py": ("slider", "cmp_lnoise", [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4]),
}


def _timed(at) -> float:
    start = time.perf_counter()
    at.run()
    if at.exception:
        raise RuntimeError([e.value for e in at.exception])
    return 1000 * (time.perf_counter() - start)


def measure_page(root: Path, page: str, rounds: int) -> dict[str, float]:
    """In this process, of the checkout at ``root``: the first run, the median plain rerun and
    the median widget-change rerun, in ms."""
    sys.path.insert(0, str(root))
    from streamlit.testing.v1 import AppTest

    from pages._ui import page_imports

    for name in page_imports():  # what the home page's warm-up imports on a server
        __import__(name)
    at = AppTest.from_file(str(root / "app.py"), default_timeout=120)
    at.run()
    at.switch_page(page)
    first = _timed(at)
    plain = [_timed(at) for _ in range(rounds)]
    kind, key, values = CHANGES[page]
    changes = []
    for value in values[:rounds]:
        getattr(at, kind)(key=key).set_value(value)
        changes.append(_timed(at))
    return {"first": first, "rerun": statistics.median(plain), "change": statistics.median(changes)}


def _in_fresh_process(root: Path, page: str, rounds: int) -> dict[str, float]:
    command = [sys.executable, __file__, "--child", str(root), page, str(rounds)]
    done = subprocess.run(command, cwd=root, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    if sys.argv[1:2] == ["--child"]:  # one page of one checkout, in this fresh process
        root, page, rounds = sys.argv[2:5]
        print(json.dumps(measure_page(Path(root), page, int(rounds))))
        return
    sys.path.insert(0, str(ROOT))
    from bench.harness import load_average

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, help="another checkout, measured alike")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    versions = {"this": ROOT} | ({"reference": args.reference} if args.reference else {})
    loads = [load_average()]
    results = {}
    for page in CHANGES:
        for name, root in versions.items():
            results[name, page] = _in_fresh_process(root, page, args.rounds)
            loads.append(load_average())
    print(f"load average (1/5/15 min) at the start and after each page: {' · '.join(loads)}")
    head = " | ".join(f"{n}: first run | {n}: rerun | {n}: widget change" for n in versions)
    print(f"| page (widget changed) | {head} |")
    print("| --- |" + " ---: | ---: | ---: |" * len(versions))
    for page, (_, key, _) in CHANGES.items():
        cells = [
            f"{results[name, page][what]:.0f} ms"
            for name in versions
            for what in ("first", "rerun", "change")
        ]
        print(f"| {Path(page).stem} ({key}) | {' | '.join(cells)} |")


if __name__ == "__main__":
    main()

"""Every benchmark behind one command, printed as one table: value, reference, ratio, target.

Run: ``python bench/run_all.py [--browser] [--rounds 5]``. In one process, so a busy machine
slows the measured code and its reference alike:

- training engine (``bench/train_speed.py``): full-batch and batch-10 epochs/s of Spacewarp
  against scikit-learn's ``MLPClassifier`` on the same work, and seconds to 99 % train accuracy;
- live epoch (``bench/epoch_cost.py``): the Transform page's trainer per epoch (every epoch
  logged, and a long run that logs every 16th) against the bare training step, and a share
  link's 2,000-epoch replay;
- loss surface (``bench/surface_speed.py``): one batched 51×51 surface against a per-point loop;
- page rerun server time, per page, with ``AppTest`` at default settings: the median of
  ``--rounds`` plain reruns after a first (cold, caches cleared) run, which is shown for
  information; pages are reached from ``app.py`` with ``switch_page`` as in the running app.
  The Transform page also gets a rerun after a setting change (Noise +0.01: new data, new
  model, new layer-by-layer animation), the work behind every slider move;
- figure JSON size per page: the largest Plotly spec on each page (``len(proto.spec)``);
- with ``--browser``: ``bench/live_page.py`` in headless Chromium (median of 3 runs).

Targets come from the issues: rerun ≤ 300 ms, default Transform animation ≤ 1 MB, live page
≥ 4 refreshes/s, engine ≥ 10× / ≥ 2× scikit-learn, surface ≤ 0.3 s. Exit status 1 when a
target is missed or a benchmark failed to run (a failing group is reported, the rest still run).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.harness import load_average  # noqa: E402

APP = str(ROOT / "app.py")
MB = 1e6  # figure sizes in 10^6 bytes, as the README states them


@dataclass
class Row:
    """One measured value; ``reference`` is the same work done by the reference code (the ratio
    is reference-time / our-time, > 1 when we are faster); ``target`` applies to the ratio when
    ``on_ratio``, else to the value (``at_least``: the value must be ≥ target, else ≤)."""

    measure: str
    value: float
    unit: str
    reference: float | None = None
    target: float | None = None
    at_least: bool = True
    on_ratio: bool = False

    @property
    def ratio(self) -> float | None:
        if self.reference is None:
            return None
        # Rates (higher is better) divide ours by theirs; times divide theirs by ours.
        return self.value / self.reference if self.at_least else self.reference / self.value

    def verdict(self) -> str:
        if self.target is None:
            return ""
        measured = self.ratio if self.on_ratio else self.value
        ok = measured >= self.target if self.at_least else measured <= self.target
        return "ok" if ok else "MISSED"

    def line(self) -> str:
        reference = "" if self.reference is None else f"{self.reference:.4g}"
        ratio = "" if self.ratio is None else f"{self.ratio:.1f}x"
        target = ""
        if self.target is not None:
            sign = ">=" if self.at_least or self.on_ratio else "<="
            target = f"{sign}{self.target:g}{'x' if self.on_ratio else ''}"
        value = f"{self.value:.4g} {self.unit}"
        return (
            f"{self.measure:<44}{value:>14}{reference:>10}{ratio:>8}{target:>9}  {self.verdict()}"
        )


def training_rows() -> list[Row]:
    """Engine against scikit-learn (ratios) and seconds to 99 %, from bench/train_speed.py."""
    from sklearn.exceptions import ConvergenceWarning

    from bench import train_speed

    X_train, X_test, y_train, y_test = train_speed._data()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        full = train_speed._compare(X_train, y_train, len(X_train), 1000, 100)
        small = train_speed._compare(X_train, y_train, 10, 60, 20)
    seconds, _ = min(
        train_speed._time_to_separate(X_train, y_train, X_test, y_test) for _ in range(3)
    )
    ratio = {"unit": "ep/s", "on_ratio": True}
    return [
        Row(
            "engine: full-batch epochs/s vs sklearn", full[0], reference=full[1], target=10, **ratio
        ),
        Row(
            "engine: batch-10 epochs/s vs sklearn", small[0], reference=small[1], target=2, **ratio
        ),
        Row("engine: seconds to 99 % train acc (Adam)", seconds, "s", None, 0.3, False),
    ]


def epoch_rows(rounds: int) -> list[Row]:
    """The live trainer's CPU per epoch against the bare step, from bench/epoch_cost.py."""
    from bench import epoch_cost as ec

    long_run = ec.long_run_trainer(ROOT)
    measured = [ec.measure_round(ROOT, long_run) for _ in range(rounds)]

    def median(key: str) -> float:
        return statistics.median(m[key] for m in measured)

    against_bare = {"unit": "µs", "reference": median("bare step"), "at_least": False}
    return [
        Row("epoch: live trainer vs bare step", median(ec.MEASURES[1]), **against_bare),
        Row("  long run (every 16th logged) vs bare", median(ec.MEASURES[2]), **against_bare),
        Row("epoch: link replay of 2,000 epochs", median("link replay"), "ms"),
    ]


def surface_rows(rounds: int) -> list[Row]:
    """Batched 51×51 loss surface against the per-point loop, from bench/surface_speed.py."""
    import numpy as np

    from bench import surface_speed as ss

    model, X, targets = ss._trained_model()
    plane = ss.random_plane(model, seed=0)
    axis = np.linspace(-1.0, 1.0, ss.RESOLUTION)
    ss._batched(model, X, targets, plane, axis)  # warm-up
    batched, looped = [], []
    for _ in range(rounds):
        batched.append(ss._batched(model, X, targets, plane, axis)[0])
        looped.append(ss._loop(model, X, targets, plane, axis)[0])
    ours, theirs = statistics.median(batched), statistics.median(looped)
    return [Row("surface: 51x51 batched vs per-point loop", ours, "s", theirs, 0.3, False)]


def _pages() -> list[str]:
    return [""] + [f"pages/{p.name}" for p in sorted((ROOT / "pages").glob("[0-9]*_*.py"))]


def _timed(at) -> float:
    start = time.perf_counter()
    at.run()
    return time.perf_counter() - start


def _open(page: str):
    """A fresh AppTest on ``page`` (reached from app.py); returns (AppTest, cold seconds)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    cold = _timed(at)
    if page:
        at.switch_page(page)
        cold = _timed(at)
    if at.exception:
        raise RuntimeError(f"{page or 'app.py'} raised: {[e.value for e in at.exception]}")
    return at, cold


def page_rows(rounds: int) -> list[Row]:
    """Rerun server time (median of ``rounds`` after the cold run) and largest figure JSON."""
    rows = []
    for page in _pages():
        name = Path(page).stem if page else "app (home)"
        at, cold = _open(page)
        reruns = [_timed(at) for _ in range(rounds)]
        rows.append(Row(f"rerun: {name}", 1000 * statistics.median(reruns), "ms", None, 300, False))
        rows.append(Row(f"  first (cold) run: {name}", 1000 * cold, "ms"))
        sizes = [len(chart.proto.spec) for chart in at.get("plotly_chart")]
        target = 1.0 if "Transform" in name else None
        largest = max(sizes, default=0) / MB
        rows.append(Row(f"  largest figure: {name}", largest, "MB", None, target, False))
        if "Transform" in name:
            rows.append(_setting_change_row(at, rounds))
    return rows


def _setting_change_row(at, rounds: int) -> Row:
    """Transform rerun after Noise +0.01: data, model and animation are all rebuilt."""
    times = []
    for i in range(rounds):
        at.slider(key="noise").set_value(round(0.01 * (i + 1), 2))
        times.append(_timed(at))
    median = 1000 * statistics.median(times)
    return Row("rerun: Transform after a noise change", median, "ms", None, 300, False)


def browser_rows() -> list[Row]:
    """bench/live_page.py three times; medians."""
    from bench import live_page

    runs = [live_page.measure() for _ in range(3)]
    for run in runs:  # never separated counts as infinitely slow
        run["separated_at"] = float("inf") if run["separated_at"] is None else run["separated_at"]
    median = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
    return [
        Row("live page: refreshes/s", median["refreshes_per_s"], "/s", None, 4.0),
        Row("live page: epochs/s on screen", median["epochs_per_s"], "ep/s", None, 300),
        Row("live page: seconds Play to 99 %", median["separated_at"], "s", None, 5.0, False),
        Row(
            "live page: frames with a live image missing",
            median["missing_share"],
            "",
            None,
            0.0,
            False,
        ),
    ]


def print_table(rows: list[Row]) -> None:
    print(f"{'measure':<44}{'value':>14}{'reference':>10}{'ratio':>8}{'target':>9}  verdict")
    for row in rows:
        print(row.line())


def _group(name: str, measure, failures: list[str]) -> list[Row]:
    """Run one benchmark group; a failure (e.g. a changed helper) is reported, not fatal."""
    print(f"running: {name}", flush=True)
    try:
        return measure()
    except Exception as error:  # noqa: BLE001 - report every failure, keep measuring the rest
        failures.append(f"{name}: {type(error).__name__}: {error}")
        return []


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--browser", action="store_true", help="also the live page in Chromium")
    parser.add_argument("--rounds", type=int, default=5, help="reruns per page (median)")
    args = parser.parse_args()
    from streamlit import logger

    logger.set_log_level("error")  # AppTest's "no runtime" warnings are expected here
    print(f"load average at start: {load_average()}", flush=True)
    failures: list[str] = []
    rows = _group("training engine", training_rows, failures)
    rows += _group("live epoch", lambda: epoch_rows(args.rounds), failures)
    rows += _group("loss surface", lambda: surface_rows(args.rounds), failures)
    rows += _group("pages (AppTest)", lambda: page_rows(args.rounds), failures)
    if args.browser:
        rows += _group("live page (Chromium)", browser_rows, failures)
    print_table(rows)
    for failure in failures:
        print(f"FAILED {failure}")
    print(f"load average at end: {load_average()}")
    missed = [row.measure for row in rows if row.verdict() == "MISSED"]
    return 1 if failures or missed else 0


if __name__ == "__main__":
    sys.exit(main())

"""What one live epoch costs: the Transform page's trainer against the bare training step.

Run: ``python bench/epoch_cost.py [--rounds 7] [--reference DIR]``. At the Transform page's
defaults (spiral, 500 points, 250 train, full batch, 2-8-8-8-1 tanh, Adam) it measures, in CPU
microseconds per epoch (``time.process_time``, medians of alternating rounds):

- bare step: ``loss_and_gradient`` + ``optimizer.step`` in a loop, nothing logged (the engine's
  floor with its public API);
- live, first epochs: ``Trainer.run`` on a fresh experiment, 2,000 epochs (the history keeps
  every epoch's row: train and test loss and accuracy);
- live, long run: 1,000 epochs of a run past epoch 20,000 (the history logs every 16th or 32nd
  epoch), as a session that has been playing for half a minute;
- link replay: a share link's ``?epochs=2000`` in process, ``Experiment.build`` then 2,000 epochs
  within the request budget (``core.nn.budget.REPLAY``); milliseconds.

Each live figure is also printed as a ratio to the bare step measured in the same round.
``--reference DIR`` measures another checkout (e.g. ``git archive main | tar -x -C DIR``) the
same way, in a subprocess that alternates with this one's rounds: the machine is shared, so the
ratio of the two says more than either figure.
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
FIRST_EPOCHS = 2000
LONG_RUN_START = 20_000
LONG_RUN_EPOCHS = 1000
MEASURES = ("bare step", "live, first epochs", "live, long run", "link replay")


def _import_core(root: Path):
    """The engine of the checkout at ``root`` (this one, or ``--reference``'s)."""
    sys.path.insert(0, str(root))
    from core.experiment import Experiment, Settings
    from core.nn.budget import REPLAY, train_within

    return Experiment, Settings, REPLAY, train_within


def _cpu_us(work, n_epochs: int) -> float:
    start = time.process_time()
    work()
    return 1e6 * (time.process_time() - start) / n_epochs


def bare_steps(trainer, n_epochs: int) -> None:
    """``n_epochs`` full-batch steps of ``trainer``'s model and optimizer, nothing logged."""
    model, optimizer = trainer.model, trainer.optimizer
    X, targets, loss = trainer.X_train, trainer.targets, trainer.loss
    for _ in range(n_epochs):
        _, grad, _ = model.loss_and_gradient(X, targets, loss)
        optimizer.step(model.params, grad)


def measure_round(root: Path, long_run) -> dict[str, float]:
    """One round of every measure: µs per epoch (the replay in ms); ``long_run`` is a trainer
    past ``LONG_RUN_START`` kept between rounds."""
    Experiment, Settings, REPLAY, train_within = _import_core(root)
    bare = Experiment.build(Settings()).trainer
    fresh = Experiment.build(Settings()).trainer
    result = {
        "bare step": _cpu_us(lambda: bare_steps(bare, FIRST_EPOCHS), FIRST_EPOCHS),
        "live, first epochs": _cpu_us(lambda: fresh.run(FIRST_EPOCHS), FIRST_EPOCHS),
        "live, long run": _cpu_us(lambda: long_run.run(LONG_RUN_EPOCHS), LONG_RUN_EPOCHS),
    }

    def replay() -> None:
        experiment = Experiment.build(Settings())
        train_within(experiment.trainer.run, FIRST_EPOCHS, REPLAY)

    result["link replay"] = _cpu_us(replay, 1000)  # ms for the whole replay
    return result


def long_run_trainer(root: Path):
    Experiment, Settings, _, _ = _import_core(root)
    trainer = Experiment.build(Settings()).trainer
    trainer.run(LONG_RUN_START)
    return trainer


def worker(root: Path, rounds: int) -> None:
    """Reference subprocess: one JSON line of measures per line read on stdin."""
    trainer = long_run_trainer(root)
    for _ in range(rounds):
        sys.stdin.readline()
        print(json.dumps(measure_round(root, trainer)), flush=True)


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--reference", help="another checkout, measured alike in a subprocess")
    parser.add_argument("--worker", help=argparse.SUPPRESS)  # the reference subprocess's root
    args = parser.parse_args()
    if args.worker:
        worker(Path(args.worker), args.rounds)
        return
    print(f"load average at start: {_load()}", flush=True)
    reference = None
    if args.reference:
        command = [sys.executable, __file__, "--worker", args.reference, "--rounds"]
        reference = subprocess.Popen(
            [*command, str(args.rounds)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
    long_run = long_run_trainer(ROOT)
    ours, theirs = [], []
    for _ in range(args.rounds):
        if reference is not None:
            reference.stdin.write("\n")
            reference.stdin.flush()
            theirs.append(json.loads(reference.stdout.readline()))
        ours.append(measure_round(ROOT, long_run))
    if reference is not None:
        reference.wait()
    print_table(ours, theirs)
    print(f"load average at end: {_load()}")


def _median(rounds: list[dict[str, float]], key: str) -> float:
    return statistics.median(r[key] for r in rounds)


def _per_bare(rounds: list[dict[str, float]], key: str) -> float:
    """The measure over the bare step of the same round (the replay: per epoch)."""
    scale = 1000 / FIRST_EPOCHS if key == "link replay" else 1.0
    return statistics.median(r[key] * scale / r["bare step"] for r in rounds)


def print_table(ours: list[dict[str, float]], theirs: list[dict[str, float]]) -> None:
    print("defaults: spiral 500 (250 train), full batch, 2-8-8-8-1 tanh, Adam; CPU medians")
    head = f"{'measure':<24}{'this':>10}{'/ bare':>8}"
    if theirs:
        head += f"{'reference':>11}{'/ bare':>8}{'this / ref':>12}"
    print(head)
    for key in MEASURES:
        unit = "ms" if key == "link replay" else "µs/ep"
        line = f"{key:<24}{_median(ours, key):>10.1f}{_per_bare(ours, key):>7.2f}x"
        if theirs:
            ratio = statistics.median(o[key] / t[key] for o, t in zip(ours, theirs, strict=True))
            line += f"{_median(theirs, key):>11.1f}{_per_bare(theirs, key):>7.2f}x{ratio:>12.2f}"
        print(f"{line}   {unit}")


if __name__ == "__main__":
    main()

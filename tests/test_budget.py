"""``core.nn.budget``: training stops within its budget, finishes when it fits, and chunks
change nothing about the weights."""

from __future__ import annotations

import dataclasses
import time

import numpy as np
import pytest

from core.experiment import Experiment, Race, Settings
from core.nn.budget import REPLAY, Budget, Progress, train_within
from core.settings import CompareSettings


class FakeRun:
    """Epochs that cost ``seconds(epoch)`` each on a hand-driven clock."""

    def __init__(self, seconds, stop_at: int | None = None) -> None:
        self.now, self.epoch, self.calls = 0.0, 0, []
        self.seconds, self.stop_at = seconds, stop_at

    def clock(self) -> float:
        return self.now

    def budget(self, cpu: float, wall: float | None = None) -> Budget:
        return Budget(cpu, wall or cpu, cpu_clock=self.clock, wall_clock=self.clock)

    def __call__(self, n_epochs: int) -> int:
        self.calls.append(n_epochs)
        done = 0
        while done < n_epochs and self.epoch != self.stop_at:
            self.now += self.seconds(self.epoch)
            self.epoch += 1
            done += 1
        return done


@pytest.mark.parametrize("cost", [0.0005, 0.013, 0.17, 0.9])
def test_it_stops_within_the_budget_and_uses_most_of_it(cost):
    run = FakeRun(lambda _: cost)
    progress = train_within(run, 20_000, run.budget(3.0))
    assert progress.out_of_budget and progress.epochs == run.epoch < 20_000
    assert 3.0 - cost <= run.now <= 3.0  # the next epoch would not have fitted
    assert len(run.calls) <= 4 + np.log2(3.0 / cost)  # few chunks: each takes half of what is left


def test_what_fits_runs_to_the_end_and_says_so():
    run = FakeRun(lambda _: 0.001)
    progress = train_within(run, 500, run.budget(3.0))
    assert (progress.epochs, progress.out_of_budget, run.epoch) == (500, False, 500)


def test_a_run_that_stops_by_itself_is_not_out_of_budget():
    run = FakeRun(lambda _: 0.001, stop_at=37)  # diverged in epoch 38
    progress = train_within(run, 500, run.budget(3.0))
    assert (progress.epochs, progress.out_of_budget) == (37, False)


def test_a_busy_clock_ends_it_too():
    cpu = FakeRun(lambda _: 0.01)
    wall = {"now": 0.0}

    def slow_wall() -> float:  # a server where each CPU second takes four of waiting
        wall["now"] = 4 * cpu.now
        return wall["now"]

    budget = Budget(3.0, 10.0, cpu_clock=cpu.clock, wall_clock=slow_wall)
    progress = train_within(cpu, None, budget)
    assert progress.out_of_budget and 2.4 <= cpu.now <= 2.5  # 10 s of waiting, 2.5 s of CPU


def test_one_epoch_always_runs_and_a_costlier_one_overruns_by_that_epoch_only():
    run = FakeRun(lambda epoch: 0.1 if epoch < 10 else 0.2)  # epochs get costlier halfway
    progress = train_within(run, None, run.budget(1.5))
    assert progress.epochs >= 10 and run.now <= 1.5 + 0.2
    single = FakeRun(lambda _: 5.0)
    assert train_within(single, 100, single.budget(3.0)).epochs == 1


def test_nothing_asked_nothing_run():
    run = FakeRun(lambda _: 0.01)
    assert train_within(run, 0, run.budget(3.0)).epochs == 0 and run.calls == []


def test_a_budget_needs_positive_limits():
    with pytest.raises(ValueError, match="positive"):
        Budget(0.0, 1.0)


def test_chunked_training_gives_the_same_weights_as_one_run():
    settings = Settings(dataset="moons", hidden=(5, 4), seed=3, batch_size=25)
    chunked, whole = Experiment.build(settings), Experiment.build(settings)
    progress = train_within(chunked.trainer.run, 300, REPLAY)
    assert progress.epochs == 300 and not progress.out_of_budget
    whole.trainer.run(300)
    np.testing.assert_array_equal(chunked.model.params, whole.model.params)


def test_the_costliest_link_is_cut_at_the_real_budget():
    # The link: 1,000 points at batch 1 through 8 × 16 units on 8 features.
    settings = Settings(
        n_samples=1000,
        train_share=0.9,
        batch_size=1,
        hidden=(16,) * 8,
        features=("x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2", "r2"),
    )
    experiment = Experiment.build(settings)
    budget = Budget(0.5, 0.5 * REPLAY.wall_seconds / REPLAY.cpu_seconds)  # the same, shorter
    started = time.thread_time()
    progress = train_within(experiment.trainer.run, 20_000, budget)
    spent = time.thread_time() - started
    assert progress.out_of_budget and experiment.epoch == progress.epochs < 100
    assert spent <= 0.5 + 0.2  # at most one epoch (≤ 0.17 s) over


def test_live_steps_are_bounded_for_one_net_and_for_a_race():
    # The thread's CPU time, which a busy machine does not inflate as it does wall time (a
    # budget bounds both; the wall side is driven by hand in the tests above). The slack is
    # one chunk of epochs past the budget.
    experiment = Experiment.build(Settings())
    race = Race.build(CompareSettings())
    for live in (experiment, race):
        started = time.thread_time()
        assert live.advance(0.05) >= 1
        assert time.thread_time() - started < 0.05 + 0.1


def test_a_plain_budget_reads_the_wall_clock_alone():
    # A thread never uses more CPU than the time that passes: Budget.of skips the CPU clock
    # (a system call the live tick would make after every chunk).
    wall = {"now": 100.0}
    budget = dataclasses.replace(Budget.of(2.0), wall_clock=lambda: wall["now"])
    assert budget.cpu_clock is None
    spent = budget.meter()
    assert spent() == 0.0
    wall["now"] += 1.0
    assert spent() == 0.5
    run = FakeRun(lambda epoch: 0.5)
    budget = dataclasses.replace(Budget.of(2.0), wall_clock=run.clock)
    assert train_within(run, None, budget) == Progress(3, out_of_budget=True)

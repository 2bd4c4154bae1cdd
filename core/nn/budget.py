"""Training within a time budget: a script run trains for a bounded time, whatever it asked for.

A shared link may ask for 20,000 epochs of the costliest network the pages offer (1,000
points at batch 1 through eight layers of 16 units on eight input features): 0.1–0.17 s of
CPU an epoch, about 50 minutes in one script run, and nothing stops that when the tab closes
(Streamlit stops a script only at its next Streamlit call). ``train_within`` trains in chunks
and measures as it goes, so it never runs past its ``Budget``.

A budget counts two clocks, and is spent when either is: the calling thread's CPU time
(``time.thread_time``: every session's script runs on its own thread, so other visitors' work
is not counted against this one) and the wall time (however busy the server is, a visitor
waits at most that long). A thread never uses more CPU than the time that passes, so a budget
with equal limits is a plain wall-clock one: ``Budget.of`` reads only the wall clock
(``time.thread_time`` is a system call, about 3 µs here, and the live tick meters every chunk).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["REPLAY", "Budget", "Progress", "train_within"]


@dataclass(frozen=True)
class Budget:
    """At most ``cpu_seconds`` of the calling thread's CPU time and ``wall_seconds`` of wall
    time. The clocks can be replaced (tests drive them by hand); ``cpu_clock=None`` counts
    the wall time alone."""

    cpu_seconds: float
    wall_seconds: float
    cpu_clock: Callable[[], float] | None = field(default=time.thread_time, compare=False)
    wall_clock: Callable[[], float] = field(default=time.perf_counter, compare=False)

    def __post_init__(self) -> None:
        if not (self.cpu_seconds > 0 and self.wall_seconds > 0):
            raise ValueError(
                f"a budget needs positive limits, got {self.cpu_seconds} s of CPU and "
                f"{self.wall_seconds} s of wall time"
            )

    @classmethod
    def of(cls, seconds: float) -> Budget:
        """A plain wall-clock budget (it bounds the thread's CPU time too)."""
        return cls(seconds, seconds, cpu_clock=None)

    def meter(self) -> Callable[[], float]:
        """Start the clocks; the function returned gives the share of the budget spent since
        (0 at the start, 1 or more when spent)."""
        wall, wall_clock, wall_seconds = self.wall_clock(), self.wall_clock, self.wall_seconds
        if self.cpu_clock is None:
            return lambda: (wall_clock() - wall) / wall_seconds
        cpu = self.cpu_clock()
        return lambda: max(
            (self.cpu_clock() - cpu) / self.cpu_seconds,
            (self.wall_clock() - wall) / self.wall_seconds,
        )


# A link's replay, and any other training a script run does before it shows anything: 3 s of
# CPU covers 20,000 full-batch epochs at the default settings (about 1.2 s) and a little over
# 20 epochs of the costliest network; a busy server gives up after 10 s of waiting.
REPLAY = Budget(cpu_seconds=3.0, wall_seconds=10.0)


@dataclass(frozen=True)
class Progress:
    """What ``train_within`` did: epochs trained, and whether the budget ended it."""

    epochs: int
    out_of_budget: bool


def train_within(train: Callable[[int], int], n_epochs: int | None, budget: Budget) -> Progress:
    """Train up to ``n_epochs`` epochs (None: as many as fit) within ``budget``.

    ``train(k)`` trains ``k`` more epochs and returns how many it trained; fewer means it has
    stopped (a diverged run) and nothing more is asked of it. The first chunk is one epoch;
    each later chunk is sized from the cost per epoch so far to use at most half of what is
    left, and no chunk starts once the next epoch would probably not fit. So the budget is
    overrun only if an epoch costs twice as much as those before it, and never by more than
    that one chunk; at least one epoch is always trained (one epoch of the costliest network
    is 0.17 s).

    Parameters
    ----------
    train : callable (int) -> int
        Trains the given number of epochs, e.g. ``Trainer.run``.
    n_epochs : int or None
        How many to train at most; None trains until the budget is spent.
    budget : Budget

    Returns
    -------
    Progress
        Epochs trained; ``out_of_budget`` is True when the budget stopped it short of
        ``n_epochs`` (False when all ran, or ``train`` stopped by itself).
    """
    spent = budget.meter()
    done, chunk = 0, 1
    while n_epochs is None or done < n_epochs:
        asked = chunk if n_epochs is None else min(chunk, n_epochs - done)
        ran = train(asked)
        done += ran
        if ran < asked:
            return Progress(done, out_of_budget=False)
        used = spent()
        per_epoch, left = used / done, 1.0 - used
        if per_epoch >= left:
            return Progress(done, out_of_budget=n_epochs is None or done < n_epochs)
        # A clock too coarse to see the chunk (per_epoch 0) says only that it was cheap.
        chunk = max(1, int(left / per_epoch / 2)) if per_epoch > 0 else 2 * chunk
    return Progress(done, out_of_budget=False)

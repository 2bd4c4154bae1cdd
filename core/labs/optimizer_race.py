"""Optimizer race: the registry's optimizers walking one two-parameter loss from one start.

Each optimizer of ``core.nn.optimizers`` runs on a function ``f(w) -> (loss, gradient)`` of a
2-vector (for the page, ``slice_objective``: the exact loss over two weights of a network).
The path is stopped at the first sign of divergence (a non-finite value, or a loss or weight
beyond ``core.nn.training.EXPLODED``, the trainer's own threshold) and each run gets a verdict in
plain words: it settles, is still on its way, oscillates (most successive steps reverse
direction: the learning rate overshoots the valley floor), escapes the plotted window, or
diverges (the loss explodes, or ends higher than it started).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from core.nn.network import MLP
from core.nn.optimizers import OPTIMIZERS, make_optimizer
from core.nn.training import EXPLODED

__all__ = [
    "RacePath",
    "oscillation_share",
    "point_in",
    "race",
    "run_optimizer",
    "slice_objective",
    "window_around",
]

Array = np.ndarray
Objective = Callable[[Array], tuple[float, Array]]
# A run oscillates when more than this share of its successive steps reverse direction
# (negative dot product). Gradient descent past 1/curvature reverses on every step (share ≈ 1);
# heavy-ball momentum circling into a minimum reverses about once per turn (share ≪ 0.5).
OSCILLATING = 0.5
# Steps shorter than this fraction of the longest one are noise around a minimum, not bounces.
NEGLIGIBLE_STEP = 1e-3
# A path has settled when its loss over the last SETTLE_STEPS steps varies by less than this
# share of everything it has gained; a momentum path still circling the minimum has not.
SETTLE_STEPS, SETTLED = 10, 0.01


@dataclass(frozen=True)
class RacePath:
    """One optimizer's walk: ``points`` (n_points, 2) and their ``losses`` (n_points,).

    ``n_points`` is ``n_steps + 1`` unless the run diverged; then the path ends at the last
    finite point and ``diverged_at`` is the step that blew up. ``verdict`` is "settles",
    "moving" (still on its way), "oscillates", "escapes" or "diverges"; ``message`` says what
    happened, to follow the optimizer's name (``sentence`` is the whole sentence).
    """

    optimizer: str
    learning_rate: float
    points: Array
    losses: Array
    verdict: str
    message: str
    diverged_at: int | None = None

    @property
    def label(self) -> str:
        return OPTIMIZERS[self.optimizer].label

    @property
    def sentence(self) -> str:
        return f"{self.label} (learning rate {self.learning_rate:g}) {self.message}"


def _exploded(loss: float, w: Array) -> bool:
    return not (loss < EXPLODED and np.all(np.abs(w) < EXPLODED))  # also catches NaN


def oscillation_share(points: Array) -> float:
    """Share of successive step pairs that reverse direction (negative dot product), 0..1.

    Pairs where either step is negligible (shorter than 1e-3 of the longest) are left out.
    """
    steps = np.diff(points, axis=0)
    if len(steps) < 2:
        return 0.0
    lengths = np.linalg.norm(steps, axis=1)
    moving = lengths > NEGLIGIBLE_STEP * max(lengths.max(), 1e-300)
    pairs = moving[:-1] & moving[1:]
    if not pairs.any():
        return 0.0
    reversals = np.einsum("ij,ij->i", steps[:-1], steps[1:]) < 0
    return float(np.count_nonzero(reversals & pairs) / np.count_nonzero(pairs))


def _verdict(path: RacePath, window: tuple[Array, Array] | None) -> tuple[str, str]:
    losses, points = path.losses, path.points
    change = f"loss {losses[0]:.3g} → {losses[-1]:.3g}"
    if path.diverged_at is not None:
        return "diverges", (
            f"diverges at step {path.diverged_at}: each step overshoots further than "
            "the last and the loss explodes. The learning rate is too large for this curvature."
        )
    outside = _outside(points, window)
    if outside.size and outside[-1] == len(points) - 1:
        return "escapes", (
            f"ends outside the plotted window ({change}): its steps are large compared "
            "with the landscape shown."
        )
    if losses[-1] > losses[0]:
        return "diverges", (
            f"ends higher than it started ({change}): its steps overshoot the valley. "
            "The learning rate is too large."
        )
    share = oscillation_share(points)
    if share > OSCILLATING:
        return "oscillates", (
            f"oscillates: {share:.0%} of its steps reverse direction, bouncing across "
            f"the valley instead of following it ({change}). A smaller learning rate is smoother."
        )
    detour = f"; it left the window at step {outside[0]} and came back" if outside.size else ""
    if _still_moving(losses):
        return "moving", f"is still on its way after {len(losses) - 1} steps ({change}){detour}."
    return "settles", f"settles: {change} in {len(losses) - 1} steps{detour}."


def _still_moving(losses: Array) -> bool:
    """Whether the loss still changes over the last steps by more than 1 % of its whole drop."""
    recent = losses[-SETTLE_STEPS:]
    drop = max(losses[0] - losses.min(), 1e-12)
    return len(losses) <= SETTLE_STEPS or float(np.ptp(recent)) > SETTLED * drop


def _outside(points: Array, window: tuple[Array, Array] | None) -> Array:
    """Indices of the points outside the box ``window`` = (low (2,), high (2,))."""
    if window is None:
        return np.zeros(0, dtype=int)
    return np.flatnonzero(np.any((points < window[0]) | (points > window[1]), axis=1))


def run_optimizer(
    name: str,
    learning_rate: float,
    objective: Objective,
    start: Array,
    n_steps: int,
    window: tuple[Array, Array] | None = None,
) -> RacePath:
    """Run one registry optimizer for ``n_steps`` from ``start`` (2,) on ``objective``.

    The optimizer is ``make_optimizer(name, 2, learning_rate)`` stepping a 2-vector in place,
    exactly as the trainer steps a network's parameters. ``window`` (low (2,), high (2,)) is
    the plotted box: a path that leaves it is reported as escaping.
    """
    if n_steps < 1:
        raise ValueError(f"n_steps must be at least 1, got {n_steps}")
    optimizer = make_optimizer(name, 2, learning_rate)
    w = np.array(start, dtype=float)
    points, losses, diverged_at = [w.copy()], [], None
    for step in range(1, n_steps + 1):
        loss, grad = objective(w)
        losses.append(loss)
        if _exploded(loss, w) or not np.all(np.isfinite(grad)):
            diverged_at = step - 1
            break
        optimizer.step(w, np.asarray(grad, dtype=float))
        points.append(w.copy())
    else:
        losses.append(objective(w)[0])
    if diverged_at is not None or _exploded(losses[-1], w):
        diverged_at = len(points) - 1 if diverged_at is None else diverged_at
        points, losses = _last_finite(points, losses)
    path = RacePath(
        name, float(learning_rate), np.array(points), np.array(losses), "", "", diverged_at
    )
    verdict, message = _verdict(path, window)
    return replace(path, verdict=verdict, message=message)


def _last_finite(points: list, losses: list) -> tuple[list, list]:
    """Cut a diverged path after its last point with a finite, unexploded loss (keep ≥ 1)."""
    n = len(points)
    while n > 1 and _exploded(losses[n - 1], points[n - 1]):
        n -= 1
    return points[:n], losses[:n]


def race(
    objective: Objective,
    start: Array,
    learning_rates: dict[str, float],
    n_steps: int,
    window: tuple[Array, Array] | None = None,
) -> list[RacePath]:
    """Every optimizer in ``learning_rates`` (registry key → rate) from the same start."""
    return [
        run_optimizer(name, rate, objective, start, n_steps, window)
        for name, rate in learning_rates.items()
    ]


def window_around(centre: Array, radius: float) -> tuple[Array, Array]:
    """The square box centre ± radius around a 2-vector, as (low (2,), high (2,))."""
    centre = np.asarray(centre, dtype=float)
    return centre - radius, centre + radius


def point_in(window: tuple[Array, Array], fractions: Array) -> Array:
    """The point (2,) at ``fractions`` of the box: −1 is its low edge, 0 its centre, 1 its high."""
    low, high = (np.asarray(edge, dtype=float) for edge in window)
    return low + (np.asarray(fractions, dtype=float) + 1.0) / 2.0 * (high - low)


def slice_objective(
    model: MLP, X: Array, targets: Array, loss: str, centre: Array, indices: tuple[int, int]
) -> Callable[[Array], tuple[float, Array]]:
    """The loss as a function of two parameters, the rest held at ``centre``.

    Returns ``f(w) -> (loss, gradient (2,))`` for w (2,), from the model's own forward pass and
    backprop (``MLP.loss_and_gradient``), reading the flat gradient at ``indices``.
    """
    probe = model.copy()
    probe.set_parameters(centre)
    picked = list(indices)

    def objective(w: Array) -> tuple[float, Array]:
        probe.params[picked] = w
        value, grad, _ = probe.loss_and_gradient(X, targets, loss)
        return value, grad[picked]

    return objective

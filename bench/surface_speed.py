"""Loss-surface speed: one batched evaluation of a 51×51 grid against a per-point loop.

Run: ``python bench/surface_speed.py``. Network 2-8-8-8-1 tanh trained 200 epochs on the
500-point spiral (all 500 points are evaluated). The surface is L(θ* + αδ + βη) on a 51×51
grid over [−1, 1]² for two filter-normalised directions (the "whole network" picture). The
loop evaluates the same 2,601 parameter vectors one at a time with the model's own forward
pass and loss, the cheapest honest per-point code (no gradient, no input validation). Rounds
alternate between the two so machine load hits both alike; medians are compared. Prints:
  (a) seconds per 51×51 surface, batched (target ≤ 0.3 s), per-point loop, and the ratio,
  (b) the largest difference between the two (they must agree to 1e-9),
  (c) a two-weight surface in the last layer, where the batch recomputes only that layer.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.data.datasets import make_dataset  # noqa: E402
from core.labs.landscape import (  # noqa: E402
    axis_plane,
    plane_losses,
    random_plane,
    two_weight_surface,
)
from core.nn.losses import get_loss, one_hot_targets  # noqa: E402
from core.nn.network import MLP  # noqa: E402
from core.nn.training import Trainer  # noqa: E402

HIDDEN = (8, 8, 8)
RESOLUTION = 51
ROUNDS = 7
LOSS = "binary_cross_entropy"


def _trained_model() -> tuple[MLP, np.ndarray, np.ndarray]:
    X, y = make_dataset("spiral", 500, noise=0.0, seed=0)
    model = MLP([2, *HIDDEN, 1], "tanh", seed=0)
    Trainer(model, X, y).run(200)
    return model, X, one_hot_targets(y, 1)


def _batched(model, X, targets, plane, axis) -> tuple[float, np.ndarray]:
    start = time.perf_counter()
    values = plane_losses(model, X, targets, LOSS, model.params, plane, axis, axis)
    return time.perf_counter() - start, values


def _loop(model, X, targets, plane, axis) -> tuple[float, np.ndarray]:
    probe, loss = model.copy(), get_loss(LOSS)
    values = np.empty((len(axis), len(axis)))
    start = time.perf_counter()
    for i, beta in enumerate(axis):
        for j, alpha in enumerate(axis):
            probe.set_parameters(model.params + alpha * plane[0] + beta * plane[1])
            values[i, j] = loss.value(probe._trace(X)[-1].z, targets)
    return time.perf_counter() - start, values


def _last_layer_pair(model, X, targets) -> tuple[float, float]:
    """Seconds for a two-weight surface in the last layer: batched, then per-point loop."""
    last = model.unflatten(np.arange(model.n_parameters))[0][-1]
    indices = (int(last[0, 0]), int(last[1, 0]))
    start = time.perf_counter()
    two_weight_surface(model, X, targets, LOSS, indices, 2.0, RESOLUTION)
    batched = time.perf_counter() - start
    offsets = np.linspace(-2.0, 2.0, RESOLUTION)
    return batched, _loop(model, X, targets, axis_plane(model.n_parameters, *indices), offsets)[0]


def main() -> None:
    model, X, targets = _trained_model()
    plane = random_plane(model, seed=0)
    axis = np.linspace(-1.0, 1.0, RESOLUTION)
    _batched(model, X, targets, plane, axis)  # warm-up
    batched, looped, gap = [], [], 0.0
    for _ in range(ROUNDS):
        seconds, fast = _batched(model, X, targets, plane, axis)
        batched.append(seconds)
        seconds, slow = _loop(model, X, targets, plane, axis)
        looped.append(seconds)
        gap = max(gap, float(np.max(np.abs(fast - slow))))
    ours, theirs = statistics.median(batched), statistics.median(looped)
    pairs = [_last_layer_pair(model, X, targets) for _ in range(ROUNDS)]
    pair, pair_loop = (statistics.median(column) for column in zip(*pairs, strict=True))
    print(f"2-8-8-8-1 tanh, spiral 500 points, {RESOLUTION}×{RESOLUTION} grid, medians of {ROUNDS}")
    print(f"{'measure':<48}{'seconds':>10}{'target':>10}")
    print(f"{'(a) batched surface (filter-normalised plane)':<48}{ours:>10.3f}{'<= 0.3':>10}")
    print(f"{'    per-point loop (model forward + loss)':<48}{theirs:>10.3f}")
    print(f"{'    ratio loop / batched':<48}{theirs / ours:>9.1f}x")
    print(f"{'(b) largest |batched − loop|':<48}{gap:>10.1e}{'<= 1e-9':>10}")
    print(f"{'(c) two weights of the last layer, batched':<48}{pair:>10.3f}")
    print(f"{'    per-point loop':<48}{pair_loop:>10.3f}")
    print(f"{'    ratio loop / batched':<48}{pair_loop / pair:>9.1f}x")


if __name__ == "__main__":
    main()

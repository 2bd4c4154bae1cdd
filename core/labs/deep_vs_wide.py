"""Deep vs wide at one parameter budget: the two shapes, and their two training logs side by side.

``deep_and_wide`` proposes a deep, narrow net and a shallow, wide one of (nearly) the same size.
The rule: the deep net has ``depth`` hidden layers of one width h ≥ 2, the h whose parameter
count is nearest the budget; the wide net has one hidden layer, the width whose count is nearest
the *deep net's* (ties: nearer the budget). Its counts are ``n_inputs + n_outputs + 1`` apart, so
the two differ only in shape and by at most half that (unless the width cap ``MAX_WIDTH`` binds).
``joint_history`` puts the two nets' logs on one epoch axis. The Compare page's settings are in
``core.settings`` and its side-by-side run (``Race``) in ``core.experiment``.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import pairwise

import numpy as np

from core.nn.network import MAX_HIDDEN_LAYERS, MAX_WIDTH
from core.nn.training import Trainer

__all__ = ["BUDGETS", "budget_choices", "count_parameters", "deep_and_wide", "joint_history"]

Array = np.ndarray
BUDGETS = (50, 75, 100, 150, 200, 250, 300, 400, 500, 750, 1000, 1500, 2000)
MIN_DEEP_WIDTH = 2


def count_parameters(layer_sizes: tuple[int, ...] | list[int]) -> int:
    """Weights and biases of a dense net ``[n_in, *hidden, n_out]``: Σ (fan_in + 1)·fan_out."""
    return sum((fan_in + 1) * fan_out for fan_in, fan_out in pairwise(layer_sizes))


def max_budget(n_inputs: int = 2, n_outputs: int = 1) -> int:
    """The largest budget a one-hidden-layer net can match (its width is capped at MAX_WIDTH)."""
    return count_parameters([n_inputs, MAX_WIDTH, n_outputs])


def budget_choices(n_inputs: int = 2, n_outputs: int = 1) -> tuple[int, ...]:
    """The offered ``BUDGETS`` both shapes can meet (binary output is the tightest case)."""
    return tuple(b for b in BUDGETS if b <= max_budget(n_inputs, n_outputs))


def deep_and_wide(
    budget: int, n_inputs: int = 2, n_outputs: int = 1, depth: int = 4
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Hidden widths of a deep, narrow net and a shallow, wide net of about ``budget`` parameters.

    Parameters
    ----------
    budget : int
        Target number of weights and biases, 1..``max_budget``; below the smallest deep net
        (width 2) that net is the nearest.
    n_inputs, n_outputs : int
        Shared by both nets.
    depth : int
        Hidden layers of the deep net, 2..MAX_HIDDEN_LAYERS.

    Returns
    -------
    (deep_hidden, wide_hidden) : ``(h,) * depth`` and ``(w,)``, by the rule above.
    """
    if not 2 <= depth <= MAX_HIDDEN_LAYERS:
        raise ValueError(f"depth must be 2..{MAX_HIDDEN_LAYERS}, got {depth}")
    high = max_budget(n_inputs, n_outputs)
    if not 1 <= budget <= high:  # below the smallest deep net, that net is the nearest
        raise ValueError(
            f"budget must be 1..{high} for {n_inputs} inputs and {n_outputs} outputs, got {budget}"
        )

    def deep(h: int) -> int:
        return count_parameters([n_inputs, *[h] * depth, n_outputs])

    h = min(range(MIN_DEEP_WIDTH, MAX_WIDTH + 1), key=lambda h: (abs(deep(h) - budget), h))
    target = deep(h)

    def wide(w: int) -> int:
        return count_parameters([n_inputs, w, n_outputs])

    w = min(range(1, MAX_WIDTH + 1), key=lambda w: (abs(wide(w) - target), abs(wide(w) - budget)))
    return (h,) * depth, (w,)


def joint_history(trainers: Mapping[str, Trainer]) -> tuple[Array, dict[str, Array]]:
    """Both logs on one epoch axis: (epochs (m,), {name: rows (m, len(METRICS))}), NaN where one
    has none.

    The logs thin themselves independently only once one net stops early; otherwise their
    epochs are equal and nothing is NaN.
    """
    epochs = np.unique(np.concatenate([t.history.epochs for t in trainers.values()]))
    rows = {}
    for name, trainer in trainers.items():
        aligned = np.full((len(epochs), trainer.history.rows.shape[1]), np.nan)
        aligned[np.searchsorted(epochs, trainer.history.epochs)] = trainer.history.rows
        rows[name] = aligned
    return epochs, rows

"""What a training history records: its columns, and the scores an epoch is measured by.

Classification: accuracy (the most probable class against the label); regression: R² and RMSE
of the fitted values. Each takes a single output (n_samples, n_outputs) or a stack of them
(n_stack, n_samples, n_outputs), so the trainer scores many logged epochs in one pass.
"""

from __future__ import annotations

import numpy as np

__all__ = ["METRICS", "REGRESSION_METRICS", "accuracy", "r_squared", "r_squared_of_sse", "rmse"]

Array = np.ndarray
# train_loss and test_loss are both the plain data loss; the L1/L2 penalty the optimizer also
# minimises is logged on its own (0 without regularisation), so the two losses compare.
METRICS = ("train_loss", "train_accuracy", "test_loss", "test_accuracy", "penalty")
# A regression network's history has the same columns with R² in place of accuracy; with the
# squared loss, a test loss is the test MSE, so the test RMSE is its square root.
REGRESSION_METRICS = tuple(name.replace("accuracy", "r2") for name in METRICS)


def accuracy(probabilities: Array, y: Array) -> float | Array:
    """Share of samples whose most probable class is the label (binary: p > 0.5 means 1). A
    stack of probabilities (n_stack, n_samples, n_outputs) gives one share per slice."""
    if probabilities.shape[-1] == 1:
        hits = (probabilities[..., 0] > 0.5) == (y == 1)
    else:
        hits = np.argmax(probabilities, axis=-1) == y
    if hits.ndim == 1:
        return np.count_nonzero(hits) / len(y)
    return np.count_nonzero(hits, axis=-1) / len(y)


def r_squared(values: Array, y: Array) -> float | Array:
    """Coefficient of determination of fitted ``values`` (n_samples, 1) for targets y (n,):
    1 − SSE/SST; 1 is a perfect fit, 0 no better than the mean (nan for constant targets). A
    stack of values (n_stack, n_samples, 1) gives one R² per slice."""
    sse = np.sum((values[..., 0] - y) ** 2, axis=-1)
    return r_squared_of_sse(sse if sse.ndim else float(sse), y)


def r_squared_of_sse(sse: float | Array, y: Array) -> float | Array:
    """R² from a sum of squared errors (one, or one per slice of a stack) for targets y."""
    sst = float(np.sum((y - y.mean()) ** 2))
    if sst > 0:
        return 1.0 - sse / sst
    return np.full(np.shape(sse), np.nan) if np.ndim(sse) else float("nan")


def rmse(values: Array, y: Array) -> float:
    """Root mean squared error of fitted ``values`` (n_samples, 1) for targets y (n,)."""
    return float(np.sqrt(np.mean((values[:, 0] - y) ** 2)))

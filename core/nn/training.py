"""Training loop: mini-batch gradient descent with bounded history and parameter trajectory.

Metrics follow the Keras convention: an epoch's train loss and accuracy are averaged over the
batches as they were trained (for full batch: the parameters at the start of the epoch), and the
test metrics are evaluated after the epoch. Both losses are the data loss alone; the L1/L2
penalty is its own column, so train and test losses mean the same thing. Both logs thin
themselves (keep every other row and double the stride when full), so a run of 100,000 epochs
uses the same memory as one of 2,000.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from core.nn.losses import default_loss, get_loss, one_hot_targets, regression_targets
from core.nn.network import MLP, validate_inputs
from core.nn.optimizers import make_optimizer

__all__ = [
    "METRICS",
    "REGRESSION_METRICS",
    "ThinnedLog",
    "Trainer",
    "accuracy",
    "r_squared",
    "rmse",
]

Array = np.ndarray
# train_loss and test_loss are both the plain data loss; the L1/L2 penalty the optimizer also
# minimises is logged on its own (0 without regularisation), so the two losses compare.
METRICS = ("train_loss", "train_accuracy", "test_loss", "test_accuracy", "penalty")
# A regression network's history has the same columns with R² in place of accuracy; with the
# squared loss, a test loss is the test MSE, so the test RMSE is its square root.
REGRESSION_METRICS = tuple(name.replace("accuracy", "r2") for name in METRICS)
# A loss or weight beyond this is treated as divergence: a cross-entropy of 1e6 nats needs
# logits of 1e6, which only exploding weights produce, and float64 overflow is then near.
EXPLODED = 1e6


class ThinnedLog:
    """At most ``capacity`` rows of ``width`` floats, one per recorded epoch.

    Records epochs that are multiples of ``stride``; when full it drops every other row and
    doubles the stride, so the log always spans the whole run at an even spacing.
    """

    def __init__(self, capacity: int, width: int) -> None:
        self.capacity = max(4, capacity - capacity % 2)
        self.stride = 1
        self.size = 0
        self._epochs = np.zeros(self.capacity, dtype=np.int64)
        self._rows = np.zeros((self.capacity, width))

    def wants(self, epoch: int) -> bool:
        return epoch % self.stride == 0

    def append(self, epoch: int, row: Array) -> None:
        if self.size == self.capacity:
            keep = np.flatnonzero(self._epochs % (2 * self.stride) == 0)
            self._epochs[: keep.size] = self._epochs[keep]
            self._rows[: keep.size] = self._rows[keep]
            self.size, self.stride = keep.size, 2 * self.stride
            if not self.wants(epoch):
                return
        self._epochs[self.size] = epoch
        self._rows[self.size] = row
        self.size += 1

    def record(self, epoch: int, row: Array) -> None:
        """Log ``row`` for ``epoch``: replaces the last row if it is that epoch's, else appends."""
        if self.size and self._epochs[self.size - 1] == epoch:
            self._rows[self.size - 1] = row
        else:
            self.append(epoch, row)

    @property
    def epochs(self) -> Array:
        return self._epochs[: self.size].copy()

    @property
    def rows(self) -> Array:
        return self._rows[: self.size].copy()

    @property
    def nbytes(self) -> int:
        return self._epochs.nbytes + self._rows.nbytes


def accuracy(probabilities: Array, y: Array) -> float:
    """Share of samples whose most probable class is the label (binary: p > 0.5 means 1)."""
    if probabilities.shape[1] == 1:
        correct = np.count_nonzero((probabilities[:, 0] > 0.5) == (y == 1))
    else:
        correct = np.count_nonzero(np.argmax(probabilities, axis=1) == y)
    return correct / len(y)


def r_squared(values: Array, y: Array) -> float:
    """Coefficient of determination of fitted ``values`` (n_samples, 1) for targets y (n,):
    1 − SSE/SST; 1 is a perfect fit, 0 no better than the mean (nan for constant targets)."""
    return _r_squared(float(np.sum((values[:, 0] - y) ** 2)), y)


def _r_squared(sse: float, y: Array) -> float:
    sst = float(np.sum((y - y.mean()) ** 2))
    return 1.0 - sse / sst if sst > 0 else float("nan")


def rmse(values: Array, y: Array) -> float:
    """Root mean squared error of fitted ``values`` (n_samples, 1) for targets y (n,)."""
    return float(np.sqrt(np.mean((values[:, 0] - y) ** 2)))


def _values(y: Any, n_rows: int, _n_classes: int) -> Array:
    y = np.asarray(y, dtype=float)
    if y.shape != (n_rows,) or not np.all(np.isfinite(y)):
        raise ValueError(f"y must be {n_rows} finite target values, got shape {y.shape}")
    return y


def _targets(model: MLP, y: Array) -> Array:
    return regression_targets(y) if model.regression else one_hot_targets(y, model.n_outputs)


def _labels(y: Any, n_rows: int, n_classes: int) -> Array:
    y = np.asarray(y)
    if y.shape != (n_rows,) or not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"y must be {n_rows} integer labels, got shape {y.shape} {y.dtype}")
    if y.size and (y.min() < 0 or y.max() >= n_classes):
        raise ValueError(f"labels must be 0..{n_classes - 1}, got {y.min()}..{y.max()}")
    return y


class Trainer:
    """Trains one ``MLP`` on one dataset, epoch by epoch.

    ``batch_size=None`` means full batch. ``learning_rate`` may be changed at any time; the
    optimizer state is kept. If the loss becomes NaN/inf, training stops, the parameters go
    back to the last epoch whose losses were finite (``kept_epoch``) and ``diverged`` says what
    happened and what to try. A loss or weight above ``EXPLODED`` counts as divergence too: it
    is NaN a few steps later.
    """

    def __init__(
        self,
        model: MLP,
        X_train: Any,
        y_train: Any,
        X_test: Any = None,
        y_test: Any = None,
        *,
        optimizer: str = "adam",
        learning_rate: float | None = None,
        loss: str | None = None,
        batch_size: int | None = None,
        l1: float = 0.0,
        l2: float = 0.0,
        dropout: float = 0.0,
        seed: int = 0,
        history_capacity: int = 2000,
        trajectory_budget: int = 2_000_000,
    ) -> None:
        if not model.activation.trainable:
            name = model.activation.name
            raise ValueError(f"activation {name!r} has no gradient; it can be shown, not trained")
        self.model = model
        self._store_data(X_train, y_train, X_test, y_test)
        self.loss = loss or default_loss(model.n_outputs, model.output)
        if not get_loss(self.loss).n_outputs_allowed(model.n_outputs):
            raise ValueError(f"loss {self.loss!r} does not fit {model.n_outputs} output units")
        n_train = len(self.X_train)
        if batch_size is not None and not 1 <= int(batch_size) <= max(n_train, 1):
            raise ValueError(f"batch_size must be 1..{n_train}, got {batch_size}")
        self.batch_size = n_train if batch_size is None else int(batch_size)
        for name, value, upper in (("l1", l1, 1.0), ("l2", l2, 1.0), ("dropout", dropout, 0.9)):
            if not (np.isfinite(value) and 0.0 <= value <= upper):
                raise ValueError(f"{name} must be 0..{upper}, got {value}")
        self.l1, self.l2, self.dropout = float(l1), float(l2), float(dropout)
        self.optimizer = make_optimizer(optimizer, model.n_parameters, learning_rate)
        self.rng = np.random.default_rng(seed)
        self.epoch = 0
        self.diverged: str | None = None
        # The latest weights whose loss was measured below EXPLODED, restored on divergence when
        # the weights before the failing epoch have already exploded (a full-batch epoch fails
        # on its first step, so those are the very weights whose loss was too large).
        self.finite_epoch = 0
        self._finite_params = model.params.copy()
        self.kept_epoch: int | None = None  # after divergence: the epoch of the weights kept
        self.history = ThinnedLog(history_capacity, len(METRICS))
        rows = max(8, min(512, trajectory_budget // model.n_parameters))
        self.trajectory = ThinnedLog(rows, model.n_parameters)
        self.trajectory.append(0, model.params)

    def _store_data(self, X_train: Any, y_train: Any, X_test: Any, y_test: Any) -> None:
        model = self.model
        n_in, check = model.layer_sizes[0], _values if model.regression else _labels
        self.X_train = validate_inputs(X_train, n_in)
        self.y_train = check(y_train, len(self.X_train), model.n_classes)
        has_test = X_test is not None and len(X_test) > 0
        self.X_test = validate_inputs(X_test, n_in) if has_test else self.X_train[:0]
        self.y_test = check(y_test, len(self.X_test), model.n_classes) if has_test else None
        if self.y_test is None:
            self.y_test = self.y_train[:0]
        self.targets = _targets(model, self.y_train)

    def set_data(self, X_train: Any, y_train: Any, X_test: Any = None, y_test: Any = None) -> None:
        """Train on new data from the next epoch on; the model, optimizer state, epoch count
        and history are kept (a new sample of the same problem: "Regenerate")."""
        self._store_data(X_train, y_train, X_test, y_test)
        self.batch_size = min(self.batch_size, len(self.X_train))

    @property
    def metrics(self) -> tuple[str, ...]:
        """The names of ``history``'s columns: ``METRICS``, or for a regression network
        ``REGRESSION_METRICS`` (R² where a classifier has its accuracy)."""
        return REGRESSION_METRICS if self.model.regression else METRICS

    @property
    def learning_rate(self) -> float:
        return self.optimizer.learning_rate

    @learning_rate.setter
    def learning_rate(self, value: float) -> None:
        self.optimizer.learning_rate = value

    def evaluate(self, X: Array, y: Array) -> tuple[float, float]:
        """(mean data loss, accuracy or R²) of the current model on X, y; (nan, nan) when
        empty."""
        if len(X) == 0:
            return float("nan"), float("nan")
        trace = self.model.forward(X, return_trace=True)
        value = get_loss(self.loss).value(trace[-1].z, _targets(self.model, y))
        score = r_squared if self.model.regression else accuracy
        return value, score(trace[-1].a, y)

    def remeasure(self) -> None:
        """After the weights were set by hand: measure them and log that as this epoch's row
        (training's own row for the epoch, if any, is replaced), so the losses shown are the
        edited network's."""
        train, test = (
            self.evaluate(self.X_train, self.y_train),
            self.evaluate(self.X_test, self.y_test),
        )
        weights = self.model.params * self.model._weight_mask
        penalty = 0.5 * self.l2 * float(weights @ weights) + self.l1 * float(np.abs(weights).sum())
        self.history.record(self.epoch, np.array([*train, *test, penalty]))

    def _train_epoch(self) -> tuple[float, float, float] | None:
        """One pass over the training set; returns (mean data loss, accuracy or R², mean
        penalty) or None if diverged."""
        n_train, model = len(self.X_train), self.model
        order = None if self.batch_size >= n_train else self.rng.permutation(n_train)
        # Classes: correct answers; values: squared errors (R² needs the whole epoch's SSE).
        total_loss, total_correct, total_penalty = 0.0, 0.0, 0.0
        regression = model.regression
        for start in range(0, n_train, self.batch_size):
            if order is None:
                X, targets, y = self.X_train, self.targets, self.y_train
            else:
                rows = order[start : start + self.batch_size]
                X, targets, y = self.X_train[rows], self.targets[rows], self.y_train[rows]
            value, grad, trace = model.loss_and_gradient(
                X, targets, self.loss, l1=self.l1, l2=self.l2, dropout=self.dropout, rng=self.rng
            )
            if not value < EXPLODED:  # also catches NaN
                return None
            data = value
            if self.l1 or self.l2:  # the objective includes the penalty: log the two apart
                data = get_loss(self.loss).value(trace[-1].z, targets)
            total_loss += data * len(X)
            total_penalty += (value - data) * len(X)
            if regression:
                total_correct += float(np.sum((trace[-1].a[:, 0] - y) ** 2))
            else:
                total_correct += accuracy(trace[-1].a, y) * len(X)
            self.optimizer.step(model.params, grad)
        score = _r_squared(total_correct, self.y_train) if regression else total_correct / n_train
        return total_loss / n_train, score, total_penalty / n_train

    def run(self, n_epochs: int = 1) -> int:
        """Train up to ``n_epochs`` more epochs; returns how many ran (fewer if it diverged)."""
        done = 0
        while done < n_epochs and self.diverged is None:
            last_good = self.model.params.copy()
            metrics = self._train_epoch()
            if metrics is None or not np.max(np.abs(self.model.params)) < EXPLODED:
                self._diverge(last_good)
                break
            self.epoch += 1
            done += 1
            if self.history.wants(self.epoch):
                test = self.evaluate(self.X_test, self.y_test)
                train_loss, train_accuracy, penalty = metrics
                row = [train_loss, train_accuracy, *test, penalty]
                self.history.append(self.epoch, np.array(row))
                self._remember_finite(last_good, test[0])
            if self.trajectory.wants(self.epoch):
                self.trajectory.append(self.epoch, self.model.params)
        return done

    def _remember_finite(self, last_good: Array, test_loss: float) -> None:
        """Copy weights whose loss was just measured below ``EXPLODED``: the current ones (test
        loss) or, without a test set, the ones this epoch started from (train loss)."""
        if test_loss < EXPLODED:
            self.finite_epoch, params = self.epoch, self.model.params
        elif len(self.X_test) == 0:
            self.finite_epoch, params = self.epoch - 1, last_good
        else:
            return
        self._finite_params[...] = params

    def _bounded(self) -> bool:
        """Whether the current weights' train and test losses are below ``EXPLODED``."""
        losses = [self.evaluate(self.X_train, self.y_train)[0]]
        if len(self.X_test):
            losses.append(self.evaluate(self.X_test, self.y_test)[0])
        return all(loss < EXPLODED for loss in losses)

    def _diverge(self, last_good: Array) -> None:
        self.model.params[...] = last_good
        self.kept_epoch = self.epoch
        with np.errstate(all="ignore"):  # measuring exploded weights overflows
            bounded = self._bounded()
        if not bounded:
            self.model.params[...] = self._finite_params
            self.kept_epoch = self.finite_epoch
        rate = self.learning_rate
        self.diverged = (
            f"Training diverged in epoch {self.epoch + 1}: the loss or the weights exploded with "
            f"learning rate {rate:g}. The weights are kept from epoch {self.kept_epoch}, the "
            f"last with a finite loss. Try a smaller learning rate (e.g. {rate / 10:g}), a "
            "smaller initial scale, or an adaptive optimizer such as Adam, then press Reset."
        )

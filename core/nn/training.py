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

from core.nn.history import PendingRows, ThinnedLog
from core.nn.losses import default_loss, get_loss, one_hot_targets, regression_targets
from core.nn.metrics import METRICS, REGRESSION_METRICS, accuracy, r_squared, r_squared_of_sse
from core.nn.network import MLP, validate_inputs
from core.nn.optimizers import make_optimizer

__all__ = ["EXPLODED", "ThinnedLog", "Trainer"]

Array = np.ndarray
# A loss or weight beyond this is treated as divergence: a cross-entropy of 1e6 nats needs
# logits of 1e6, which only exploding weights produce, and float64 overflow is then near.
EXPLODED = 1e6
# Logged epochs whose test metrics wait to be measured together (one stacked forward pass):
# at most MAX_PENDING, and at most STACK_FLOATS activations at once (epochs × test samples ×
# widest layer; 256 kB of float64 stays in the CPU cache). At the defaults 16 epochs at once
# cost about half as much each as one at a time; 32 cost more (bench/epoch_cost.py).
STACK_FLOATS = 32_000
MAX_PENDING = 16
_largest = np.maximum.reduce  # the ufunc's own: ndarray.max's Python wrapper costs as much again


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
        self._last_good = model.params.copy()  # the weights an epoch started from
        self._size = np.zeros_like(model.params)  # scratch for |params|, checked every epoch
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
        self._test_targets = _targets(model, self.y_test)
        activations = len(self.X_test) * max(model.layer_sizes)
        pending = min(MAX_PENDING, STACK_FLOATS // max(activations, 1))
        self._pending = PendingRows(pending, model.n_parameters)

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
        X = validate_inputs(X, self.model.layer_sizes[0])
        return self._measure(X, _targets(self.model, y), y)

    def measure_now(self) -> tuple[float, float, float, float]:
        """(train loss, train score, test loss, test score) of the current weights, measured
        now on the data the trainer holds: a history row's first four columns for an epoch
        the thinned history skipped."""
        return (
            *self._measure(self.X_train, self.targets, self.y_train),
            *self._measure(self.X_test, self._test_targets, self.y_test),
        )

    def _measure(self, X: Array, targets: Array, y: Array) -> tuple[float, float]:
        """``evaluate`` on data the trainer holds (validated once, targets made once)."""
        if len(X) == 0:
            return float("nan"), float("nan")
        output = self.model._trace(X)[-1]
        value = get_loss(self.loss).value(output.z, targets)
        score = r_squared if self.model.regression else accuracy
        return value, score(output.a, y)

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

    def _train_epoch(self, logged: bool) -> tuple[float, ...] | None:
        """One pass over the training set; returns None if diverged, else (mean data loss,
        accuracy or R², mean penalty) if the epoch is ``logged`` (else (): an epoch the history
        skips needs no metrics)."""
        n_train, model, loss = len(self.X_train), self.model, get_loss(self.loss)
        order = None if self.batch_size >= n_train else self.rng.permutation(n_train)
        # Classes: correct answers; values: squared errors (R² needs the whole epoch's SSE).
        total_loss, total_correct, total_penalty = 0.0, 0.0, 0.0
        regression = model.regression
        # An epoch the history skips needs its loss only to be below EXPLODED: a cheap bound
        # from the logits' range proves it (the exact loss is computed when the bound does not,
        # so the same epoch diverges). The penalty is added to the loss: it must be exact then.
        below = None if logged or self.l1 or self.l2 else EXPLODED
        for start in range(0, n_train, self.batch_size):
            if order is None:
                X, targets, y = self.X_train, self.targets, self.y_train
            else:
                rows = order[start : start + self.batch_size]
                X, targets, y = self.X_train[rows], self.targets[rows], self.y_train[rows]
            value, grad, trace = model.loss_and_gradient(
                X,
                targets,
                self.loss,
                l1=self.l1,
                l2=self.l2,
                dropout=self.dropout,
                rng=self.rng,
                below=below,
            )
            if not value < EXPLODED:  # also catches NaN
                return None
            if logged:
                data, output = value, trace[-1]
                if self.l1 or self.l2:  # the objective includes the penalty: log the two apart
                    data = loss.value(output.z, targets)
                total_loss += data * len(X)
                total_penalty += (value - data) * len(X)
                if regression:
                    total_correct += float(np.sum((output.a[:, 0] - y) ** 2))
                else:
                    total_correct += accuracy(output.a, y) * len(X)
            self.optimizer.step(model.params, grad)
        if not logged:
            return ()
        score = (
            r_squared_of_sse(total_correct, self.y_train) if regression else total_correct / n_train
        )
        return total_loss / n_train, score, total_penalty / n_train

    def run(self, n_epochs: int = 1) -> int:
        """Train up to ``n_epochs`` more epochs; returns how many ran (fewer if it diverged)."""
        done, last_good, size = 0, self._last_good, self._size
        while done < n_epochs and self.diverged is None:
            logged = self.history.wants(self.epoch + 1)
            last_good[...] = self.model.params
            metrics = self._train_epoch(logged)
            if metrics is None or not _largest(np.abs(self.model.params, out=size)) < EXPLODED:
                self._log_pending()  # the last finite weights may be among them
                self._diverge(last_good)
                break
            self.epoch += 1
            done += 1
            if logged:
                self._log(metrics, last_good)
            if self.trajectory.wants(self.epoch):
                self.trajectory.append(self.epoch, self.model.params)
        self._log_pending()
        return done

    def _log(self, metrics: tuple[float, ...], last_good: Array) -> None:
        """Log this epoch's row. Its test metrics wait in ``_pending`` with the weights, to be
        measured with the next ones (``_log_pending``: before ``run`` returns, or when full)."""
        if not len(self.X_test):
            train_loss, train_score, penalty = metrics
            nan = float("nan")
            self.history.append(self.epoch, (train_loss, train_score, nan, nan, penalty))
            self._remember_finite(last_good, nan)
            return
        self._pending.add(self.epoch, self.model.params, metrics)
        if self._pending.full:
            self._log_pending()

    def _log_pending(self) -> None:
        """Measure the test set at every pending epoch's weights in one stacked forward pass
        (each slice bit for bit a pass of its own) and log their rows, in order."""
        if not self._pending.epochs:
            return
        epochs, params, train = self._pending.take()
        output = self.model._trace(self.X_test, params=params)[-1]
        losses = get_loss(self.loss).value(output.z, self._test_targets)
        scores = (r_squared if self.model.regression else accuracy)(output.a, self.y_test)
        for k, (train_loss, train_score, penalty) in enumerate(train):
            # Offered in order, as if each was logged at once: an epoch the log's stride has
            # since passed over (it doubled while this one waited) is left out, as it would be.
            if self.history.wants(epochs[k]):
                row = (train_loss, train_score, losses[k], scores[k], penalty)
                self.history.append(epochs[k], row)
        finite = np.flatnonzero(losses < EXPLODED)  # the weights _diverge may fall back to
        if finite.size:
            self.finite_epoch = epochs[finite[-1]]
            self._finite_params[...] = params[finite[-1]]

    def _remember_finite(self, last_good: Array, test_loss: float) -> None:
        """Copy weights whose loss was just measured below ``EXPLODED``: the current ones (test
        loss) or, without a test set, the ones this epoch started from (train loss). With a
        test set, ``_log_pending`` does this for the epochs it measures."""
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

"""The trainer's hand-tuned step (buffers reused, ``out=`` arguments, the loss's value skipped
on epochs nobody reads) against a plain forward pass, backprop and optimizer update written
out here: the same weights bit for bit, for every optimizer and every trainable activation.

Share links replay training from the seed, so a faster step must not change one rounding:
the reference does the same float operations in the same order, without any of the tricks.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from core.data.datasets import make_dataset
from core.data.splits import train_test_split
from core.nn.activations import ACTIVATIONS, sigmoid, softmax
from core.nn.losses import LOSSES, one_hot_targets
from core.nn.network import MLP
from core.nn.optimizers import OPTIMIZERS
from core.nn.training import Trainer

EPSILON = 1e-8


class ReferenceOptimizer:
    """The textbook updates, one new array per operation."""

    def __init__(self, name: str, n_params: int, learning_rate: float) -> None:
        self.name, self.rate, self.t = name, learning_rate, 0
        self.first, self.second = np.zeros(n_params), np.zeros(n_params)

    def step(self, params: np.ndarray, grad: np.ndarray) -> np.ndarray:
        self.t, rate = self.t + 1, self.rate
        if self.name == "sgd":
            return params - rate * grad
        if self.name == "momentum":
            self.first = self.first * 0.9 - rate * grad
            return params + self.first
        if self.name == "nesterov":
            self.first = self.first * 0.9 - rate * grad
            return params + (0.9 * self.first - rate * grad)
        if self.name == "adagrad":
            self.second = self.second + grad * grad
            return params - rate * grad / (np.sqrt(self.second) + EPSILON)
        if self.name == "rmsprop":
            self.second = self.second * 0.9 + (1.0 - 0.9) * grad * grad
            return params - rate * grad / (np.sqrt(self.second) + EPSILON)
        assert self.name == "adam"
        self.first = self.first * 0.9 + (1.0 - 0.9) * grad
        self.second = self.second * 0.999 + (1.0 - 0.999) * grad * grad
        first = self.first / (1.0 - 0.9**self.t)
        second = self.second / (1.0 - 0.999**self.t)
        return params - rate * first / (np.sqrt(second) + EPSILON)


def reference_gradient(model, params, X, targets, *, l1=0.0, l2=0.0, dropout=0.0, rng=None):
    """Forward pass, loss gradient and backprop from scratch, for ``params``."""
    weights, biases = model.unflatten(params)
    activation, inputs, layers = model.activation, X, []
    for i, (W, b) in enumerate(zip(weights, biases, strict=True)):
        z = np.dot(inputs, W) + b
        if i == len(weights) - 1:
            break
        a = activation.fn(z)
        keep = None
        if dropout > 0.0:
            keep = (rng.random(a.shape) >= dropout) / (1.0 - dropout)
        layers.append((inputs, z, a, keep))
        inputs = a if keep is None else a * keep
    n_samples = len(X)
    if z.shape[1] == 1:  # binary cross-entropy on a sigmoid unit
        delta = (sigmoid(z) - targets) / n_samples
    else:  # categorical cross-entropy on softmax, through the log-probabilities
        shifted = z - z.max(axis=1, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        assert np.allclose(np.exp(log_probs), softmax(z))
        delta = (np.exp(log_probs) - targets) / n_samples
    grads = []
    for i in range(len(weights) - 1, -1, -1):
        below_inputs = inputs if i == len(weights) - 1 else layers[i][0]
        grads.append((np.dot(below_inputs.T, delta), np.dot(np.ones(n_samples), delta)))
        if i == 0:
            break
        _, z_below, a_below, keep = layers[i - 1]
        delta = np.dot(delta, weights[i].T)
        if keep is not None:
            delta = delta * keep
        delta = delta * activation.derivative(z_below, a_below)
    grad = np.concatenate([part.ravel() for pair in reversed(grads) for part in pair])
    mask = np.concatenate(
        [
            np.concatenate([np.ones(W.size), np.zeros(b.size)])
            for W, b in zip(weights, biases, strict=True)
        ]
    )
    if l2 > 0.0:
        grad = grad + l2 * (params * mask)
    if l1 > 0.0:
        grad = grad + l1 * np.sign(params) * mask
    return grad


def _data(dataset: str, n_samples: int):
    X, y = make_dataset(dataset, n_samples, noise=0.1, seed=3)
    return train_test_split(X, y, 0.5, seed=3)


def _reference_run(trainer: Trainer, params, n_epochs: int, settings: dict) -> np.ndarray:
    """``n_epochs`` of the reference from ``params``, drawing from a generator seeded as the
    trainer's (mini-batch order, then each batch's dropout masks)."""
    model, n_train = trainer.model, len(trainer.X_train)
    optimizer = ReferenceOptimizer(
        trainer.optimizer.name, model.n_parameters, trainer.learning_rate
    )
    rng = np.random.default_rng(settings.get("seed", 0))
    batch = settings.get("batch_size") or n_train
    for _ in range(n_epochs):
        order = rng.permutation(n_train) if batch < n_train else np.arange(n_train)
        for start in range(0, n_train, batch):
            rows = order[start : start + batch]
            X, targets = trainer.X_train[rows], trainer.targets[rows]
            penalties = {k: settings.get(k, 0.0) for k in ("l1", "l2", "dropout")}
            grad = reference_gradient(model, params, X, targets, rng=rng, **penalties)
            params = optimizer.step(params, grad)
    return params


TRAINABLE = [name for name, activation in ACTIVATIONS.items() if activation.trainable]


@pytest.mark.parametrize("activation", TRAINABLE)
@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
def test_the_trainer_steps_as_the_reference_bit_for_bit(optimizer, activation):
    X_train, X_test, y_train, y_test = _data("spiral", 120)
    model = MLP([2, 6, 5, 1], activation, seed=1)
    start = model.params.copy()
    # A short log: after 8 epochs only every 2nd, 4th, ... is logged, so most epochs take
    # the path that skips the loss's value.
    trainer = Trainer(
        model, X_train, y_train, X_test, y_test, optimizer=optimizer, history_capacity=8
    )
    for chunk in (1, 2, 30, 7):  # uneven chunks, as a live tick asks for them
        assert trainer.run(chunk) == chunk
    assert trainer.history.stride >= 4
    expected = _reference_run(trainer, start, 40, {})
    np.testing.assert_array_equal(trainer.model.params, expected)


@pytest.mark.parametrize(
    "settings",
    [
        {"batch_size": 16, "dropout": 0.2, "seed": 5},
        {"batch_size": 25, "l1": 0.001, "l2": 0.01, "seed": 2},
        {"l2": 0.003},
    ],
    ids=["minibatch-dropout", "minibatch-l1-l2", "full-batch-l2"],
)
def test_three_classes_with_batches_dropout_and_penalties_step_as_the_reference(settings):
    X_train, X_test, y_train, y_test = _data("blobs3", 150)
    model = MLP([2, 7, 6, 3], "tanh", seed=4)
    start = model.params.copy()
    trainer = Trainer(
        model, X_train, y_train, X_test, y_test, optimizer="adam", history_capacity=8, **settings
    )
    trainer.run(3)
    trainer.run(22)
    expected = _reference_run(trainer, start, 25, settings)
    np.testing.assert_array_equal(trainer.model.params, expected)


@pytest.mark.parametrize(
    ("dataset", "layers", "activation", "optimizer", "rate"),
    [
        ("spiral", [2, 8, 8, 1], "identity", "momentum", 30.0),
        ("blobs3", [2, 6, 3], "elu", "sgd", 300.0),
        ("blobs3", [2, 6, 3], "identity", "momentum", 30.0),
    ],
)
def test_a_run_diverges_in_the_same_epoch_with_the_same_weights_without_the_bound(
    monkeypatch, dataset, layers, activation, optimizer, rate
):
    """Epochs the history skips check a cheap bound on the loss instead of the loss itself;
    with the bound switched off (the exact loss on every epoch) the run diverges alike."""
    X_train, X_test, y_train, y_test = _data(dataset, 300)

    def diverged_run() -> Trainer:
        model = MLP(layers, activation, seed=0)
        trainer = Trainer(
            model, X_train, y_train, X_test, y_test, optimizer=optimizer, history_capacity=4
        )
        trainer.run(37)
        trainer.learning_rate = rate  # a jump that explodes the weights a few epochs later
        with np.errstate(all="ignore"):
            trainer.run(3000)
        return trainer

    bounded = diverged_run()
    for name, loss in LOSSES.items():
        monkeypatch.setitem(LOSSES, name, dataclasses.replace(loss, bound=None))
    exact = diverged_run()
    assert bounded.diverged is not None and bounded.diverged == exact.diverged
    assert not bounded.history.wants(bounded.epoch + 1)  # it failed on an epoch not logged
    assert (bounded.epoch, bounded.kept_epoch) == (exact.epoch, exact.kept_epoch)
    np.testing.assert_array_equal(bounded.model.params, exact.model.params)
    np.testing.assert_array_equal(bounded.history.rows, exact.history.rows)


@pytest.mark.parametrize("name", [name for name, loss in LOSSES.items() if loss.bound])
@pytest.mark.parametrize("n_outputs", [1, 4])
def test_a_loss_bound_is_above_the_loss_and_the_gradient_alone_is_the_same(name, n_outputs):
    loss, rng = LOSSES[name], np.random.default_rng(n_outputs)
    if not loss.n_outputs_allowed(n_outputs):
        pytest.skip(f"{name} takes no {n_outputs} outputs")
    labels = rng.integers(0, max(n_outputs, 2), 50)
    targets = one_hot_targets(labels, n_outputs)
    for scale in (0.1, 3.0, 1e3, 1e8):
        logits = scale * rng.normal(size=(50, n_outputs))
        with np.errstate(over="ignore"):
            value, grad = loss.value_and_grad(logits, targets)
            assert loss.bound(logits, targets) >= value
            np.testing.assert_array_equal(loss.gradient(logits, targets), grad)
    logits[3, 0] = np.nan  # no bound proves a NaN loss small
    assert np.isnan(loss.bound(logits, targets))
    logits[3, 0] = np.inf
    assert not loss.bound(logits, targets) < 1e6


def test_an_unproven_bound_falls_back_to_the_exact_loss():
    X_train, _, y_train, _ = _data("spiral", 120)
    model = MLP([2, 6, 1], "tanh", seed=0)
    targets = one_hot_targets(y_train, 1)
    exact, grad, _ = model.loss_and_gradient(X_train, targets)
    loose, same_grad, _ = model.loss_and_gradient(X_train, targets, below=1e6)
    kept, kept_grad, _ = model.loss_and_gradient(X_train, targets, below=1.0)  # not proven
    assert exact < 1.0 < loose < 1e6 and kept == exact
    np.testing.assert_array_equal(same_grad, grad)
    np.testing.assert_array_equal(kept_grad, grad)

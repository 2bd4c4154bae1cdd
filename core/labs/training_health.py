"""Training health: read a trainer's history and the model's trace, and say when training fails.

NaN/inf is caught by the trainer itself (``Trainer.diverged``). This module finds the failures
that stay finite and silent: a loss far above where it started or climbing for many epochs,
accuracy stuck at chance, every unit of a layer dead (ReLU) or saturated (tanh, sigmoid), and a
loss that swings up and down. Each ``Finding`` says what happened in plain words, what to try,
and whether continuing is pointless (``stop``: the page then pauses).

The thresholds are deliberately loose: the default run of every dataset must raise nothing
(tests/test_training_health.py checks it every 50 epochs), so a finding means a real failure.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.nn.network import MLP
from core.nn.training import Trainer

__all__ = ["Finding", "layer_findings", "loss_findings", "training_health"]

Array = np.ndarray
MIN_EPOCHS = 100  # before this, a loss curve says little: early bumps are normal
CHANCE_EPOCHS = 300  # accuracy may sit at chance for a while on hard data (spiral, checkerboard)
CHANCE_MARGIN = 0.05  # within 5 points of always guessing the most common class
FAR_ABOVE_START = 2.0  # recent loss at least this many times the first logged loss
RISING = 1.5  # recent loss this many times the best so far, the best long ago
RISE_OF_START = 0.01  # ... and risen by at least this share of the starting loss
FLAT_SHARE = 0.99  # a unit is flat when its σ′ is tiny on this share of the training samples
FLAT_GRADIENT = 0.01  # "tiny": under 1 % of the activation's steepest slope
SWING = 0.1  # oscillation: typical step-to-step change above 10 % of the starting loss
_SLOPE_PROBE = np.linspace(-6.0, 6.0, 241)
SMALLER_RATE = "Try a learning rate 10 times smaller (the slider works while training runs)"


@dataclass(frozen=True)
class Finding:
    """One problem with a training run: ``kind`` (a short key), ``message`` (what happened and
    what to try, in plain words) and ``stop`` (whether more epochs cannot help)."""

    kind: str
    message: str
    stop: bool = False


def _recent(epochs: Array, values: Array) -> Array:
    """The values of the last tenth of the run (at least 5 logged rows)."""
    since = epochs[-1] - max(10, (epochs[-1] - epochs[0]) // 10)
    window = values[epochs >= since]
    return window if len(window) >= 5 else values[-5:]


def loss_findings(
    epochs: Array, train_loss: Array, train_accuracy: Array, chance: float, learning_rate: float
) -> list[Finding]:
    """Findings from the logged training curves alone.

    Parameters
    ----------
    epochs : (n_rows,) int, increasing; the epoch of each logged row.
    train_loss, train_accuracy : (n_rows,) the logged training metrics.
    chance : accuracy of always guessing the most common class.
    learning_rate : the current rate, quoted in the advice.
    """
    epochs, loss = np.asarray(epochs), np.asarray(train_loss, dtype=float)
    if len(epochs) < 5 or epochs[-1] < MIN_EPOCHS or not np.all(np.isfinite(loss)):
        return []
    start, recent = loss[0], _recent(epochs, loss)
    level, best = float(np.median(recent)), int(np.argmin(loss))
    found = []
    if level > FAR_ABOVE_START * start:
        found.append(_far_above(level, start, learning_rate))
    # Rising compares the recent *lowest* loss: a loss swinging back to its best is not rising.
    # A rise of a loss already near zero (1e-5 → 9e-5 on a noiseless plane) is no failure: it
    # must also be a visible share of where training started.
    elif (
        recent.min() > RISING * loss[best]
        and recent.min() - loss[best] > RISE_OF_START * start
        and epochs[-1] - epochs[best] >= MIN_EPOCHS
    ):
        found.append(_rising(level, loss[best], int(epochs[best]), learning_rate))
    swing = float(np.median(np.abs(np.diff(recent))))
    flips = np.mean(np.diff(np.sign(np.diff(recent))) != 0) if len(recent) > 2 else 0.0
    if swing > SWING * start and flips >= 0.5:
        found.append(_oscillating(swing, learning_rate))
    accuracy = float(np.median(_recent(epochs, np.asarray(train_accuracy, dtype=float))))
    if epochs[-1] >= CHANCE_EPOCHS and accuracy <= chance + CHANCE_MARGIN:
        # A flat loss at chance has stopped learning: more epochs only repeat it.
        flat = float(np.ptp(recent)) < 0.01 * start
        found.append(_at_chance(accuracy, chance, int(epochs[-1]), flat, learning_rate))
    return found


def _far_above(level: float, start: float, rate: float) -> Finding:
    return Finding(
        "loss_far_above_start",
        f"The training loss is {level:.3g}, {level / start:.1f} times its start ({start:.3g}): "
        f"each step overshoots the minimum. {SMALLER_RATE}, e.g. {rate / 10:g}.",
    )


def _rising(level: float, best: float, best_epoch: int, rate: float) -> Finding:
    return Finding(
        "loss_rising",
        f"The training loss has risen to {level:.3g} from its best, {best:.3g} at epoch "
        f"{best_epoch:,}. The steps have become too large for where the weights are now. "
        f"{SMALLER_RATE}, e.g. {rate / 10:g}.",
    )


def _oscillating(swing: float, rate: float) -> Finding:
    return Finding(
        "loss_oscillating",
        f"The training loss jumps up and down (by about {swing:.3g} per logged epoch) instead "
        f"of settling: the steps bounce across a valley. {SMALLER_RATE}, e.g. {rate / 10:g}, "
        "or full-batch training.",
    )


def _at_chance(accuracy: float, chance: float, epoch: int, flat: bool, rate: float) -> Finding:
    still = " and the loss has stopped moving, so more epochs will not help" if flat else ""
    return Finding(
        "accuracy_at_chance",
        f"After {epoch:,} epochs the training accuracy is {accuracy:.0%}, no better than always "
        f"guessing the most common class ({chance:.0%}){still}. {SMALLER_RATE}, e.g. "
        f"{rate / 10:g}, then press Reset.",
        stop=bool(flat),
    )


def layer_findings(model: MLP, X: Array) -> list[Finding]:
    """Findings for hidden layers whose every unit is dead (outputs 0 and σ′ = 0 on every
    sample, as a ReLU with only negative inputs) or saturated (σ′ under 1 % of its peak on
    ≥ 99 % of the samples, as a tanh stuck at ±1): one finding per kind, naming the layers.

    ``X`` (n_samples, n_features) are the training inputs. Such a layer passes (almost) no
    gradient back, so the layers below it stop learning; with σ′ exactly 0 it never recovers.
    """
    activation = model.activation
    if activation.grad is None or len(X) == 0:
        return []
    peak = float(np.max(np.abs(activation.derivative(_SLOPE_PROBE))))
    dead, saturated, frozen = [], [], True
    for index, layer in enumerate(model.forward(X, return_trace=True)[:-1], start=1):
        slope = np.abs(activation.derivative(layer.z, layer.a))
        if np.all(slope == 0) and np.all(layer.a == 0):
            dead.append(index)
        elif np.all(np.mean(slope < FLAT_GRADIENT * peak, axis=0) >= FLAT_SHARE):
            saturated.append(index)
            frozen = frozen and bool(np.all(slope == 0))
    found = [_dead(dead, activation.name)] if dead else []
    return found + ([_saturated(saturated, activation.name, frozen)] if saturated else [])


def _layers(layers: list[int]) -> str:
    names = ", ".join(str(layer) for layer in layers)
    return f"hidden layer {names}" if len(layers) == 1 else f"hidden layers {names}"


def _dead(layers: list[int], name: str) -> Finding:
    return Finding(
        "layer_dead",
        f"Every unit of {_layers(layers)} is dead: its {name} input is negative for every "
        "sample, so it outputs 0 and passes no gradient back. It cannot recover by training. "
        "Press Reset and use a smaller learning rate, or try leaky ReLU.",
        stop=True,
    )


def _saturated(layers: list[int], name: str, frozen: bool) -> Finding:
    never = " (its slope is exactly 0: it cannot recover)" if frozen else ""
    return Finding(
        "layer_saturated",
        f"Every unit of {_layers(layers)} is saturated: its {name} sits on a flat end for "
        f"almost every sample, so almost no gradient flows back through it{never}. Press Reset "
        "and use a smaller learning rate or a smaller initial scale.",
        stop=frozen,
    )


def training_health(trainer: Trainer) -> list[Finding]:
    """Every finding for a trainer's run so far (nothing once it diverged: the trainer's own
    message says it all), the ones that stop training first."""
    if trainer.diverged is not None or trainer.history.size == 0:
        return []
    rows, epochs = trainer.history.rows, trainer.history.epochs
    if trainer.model.regression:
        # No class to guess: the column is R², and the loss checks cover a fit that fails.
        chance = -np.inf
    else:
        counts = np.bincount(trainer.y_train, minlength=trainer.model.n_classes)
        chance = float(counts.max() / max(counts.sum(), 1))
    found = loss_findings(epochs, rows[:, 0], rows[:, 1], chance, trainer.learning_rate)
    if epochs[-1] >= MIN_EPOCHS:
        found += layer_findings(trainer.model, trainer.X_train)
    return sorted(found, key=lambda finding: not finding.stop)

"""Gradient-descent optimizers over one flat parameter vector.

Each optimizer keeps its state (velocity, squared-gradient averages) as arrays aligned with the
flat parameters, like scikit-learn's ``_stochastic_optimizers`` keeps lists aligned with its
parameter list. ``learning_rate`` is a plain attribute: changing it mid-run keeps the state.
The update rules are the textbook ones written out in each ``_update``; the tests recompute the
first steps by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["OPTIMIZERS", "Optimizer", "OptimizerSpec", "make_optimizer"]

Array = np.ndarray
EPSILON = 1e-8


class Optimizer:
    """Base class: ``step(params, grad)`` updates ``params`` (n_params,) in place."""

    name = "sgd"

    def __init__(self, n_params: int, learning_rate: float) -> None:
        self.learning_rate = learning_rate
        self.n_steps = 0
        self._init_state(n_params)

    @property
    def learning_rate(self) -> float:
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value: float) -> None:
        value = float(value)
        if not (np.isfinite(value) and value > 0):
            raise ValueError(f"learning_rate must be a positive number, got {value}")
        self._learning_rate = value

    def _init_state(self, n_params: int) -> None:
        pass

    def step(self, params: Array, grad: Array) -> None:
        self.n_steps += 1
        self._update(params, grad)

    def _update(self, params: Array, grad: Array) -> None:
        params -= self.learning_rate * grad


class Momentum(Optimizer):
    """Heavy ball: v ← μv − η g; θ ← θ + v."""

    name = "momentum"

    def __init__(self, n_params: int, learning_rate: float, momentum: float = 0.9) -> None:
        self.momentum = momentum
        super().__init__(n_params, learning_rate)

    def _init_state(self, n_params: int) -> None:
        self.velocity = np.zeros(n_params)

    def _update(self, params: Array, grad: Array) -> None:
        self.velocity *= self.momentum
        self.velocity -= self.learning_rate * grad
        params += self.velocity


class Nesterov(Momentum):
    """Nesterov momentum in scikit-learn's form: v ← μv − η g; θ ← θ + μv − η g."""

    name = "nesterov"

    def _update(self, params: Array, grad: Array) -> None:
        step = self.learning_rate * grad
        self.velocity *= self.momentum
        self.velocity -= step
        params += self.momentum * self.velocity - step


class AdaGrad(Optimizer):
    """G ← G + g²; θ ← θ − η g / (√G + ε)."""

    name = "adagrad"

    def _init_state(self, n_params: int) -> None:
        self.sum_squares = np.zeros(n_params)

    def _update(self, params: Array, grad: Array) -> None:
        self.sum_squares += grad * grad
        params -= self.learning_rate * grad / (np.sqrt(self.sum_squares) + EPSILON)


class RMSProp(Optimizer):
    """s ← ρs + (1−ρ) g²; θ ← θ − η g / (√s + ε)."""

    name = "rmsprop"

    def __init__(self, n_params: int, learning_rate: float, decay: float = 0.9) -> None:
        self.decay = decay
        super().__init__(n_params, learning_rate)

    def _init_state(self, n_params: int) -> None:
        self.mean_squares = np.zeros(n_params)

    def _update(self, params: Array, grad: Array) -> None:
        self.mean_squares *= self.decay
        self.mean_squares += (1.0 - self.decay) * grad * grad
        params -= self.learning_rate * grad / (np.sqrt(self.mean_squares) + EPSILON)


class Adam(Optimizer):
    """m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; θ ← θ − η m̂ / (√v̂ + ε), bias-corrected."""

    name = "adam"

    def __init__(
        self, n_params: int, learning_rate: float, beta1: float = 0.9, beta2: float = 0.999
    ) -> None:
        self.beta1, self.beta2 = beta1, beta2
        super().__init__(n_params, learning_rate)

    def _init_state(self, n_params: int) -> None:
        self.first_moment = np.zeros(n_params)
        self.second_moment = np.zeros(n_params)
        # Scratch for the update's intermediate vectors: a tiny network's step is all per-call
        # overhead, and allocating each intermediate cost a sixth of it.
        self._step, self._scale = np.zeros(n_params), np.zeros(n_params)

    def _update(self, params: Array, grad: Array) -> None:
        m, v, step, scale = self.first_moment, self.second_moment, self._step, self._scale
        t = self.n_steps
        m *= self.beta1
        m += np.multiply(1.0 - self.beta1, grad, out=step)  # m ← β₁m + (1−β₁)g
        v *= self.beta2
        np.multiply(1.0 - self.beta2, grad, out=step)
        v += np.multiply(step, grad, out=step)  # v ← β₂v + (1−β₂)g²
        first_unbiased = np.divide(m, 1.0 - self.beta1**t, out=step)  # m̂
        second_unbiased = np.divide(v, 1.0 - self.beta2**t, out=scale)  # v̂
        denominator = np.add(np.sqrt(second_unbiased, out=scale), EPSILON, out=scale)
        step = np.multiply(self.learning_rate, first_unbiased, out=step)
        params -= np.divide(step, denominator, out=step)  # θ ← θ − η m̂ / (√v̂ + ε)


@dataclass(frozen=True)
class OptimizerSpec:
    """Registry entry: the class and a learning rate that works on the built-in datasets."""

    name: str
    label: str
    cls: type[Optimizer]
    default_learning_rate: float


OPTIMIZERS: dict[str, OptimizerSpec] = {
    s.name: s
    for s in [
        OptimizerSpec("sgd", "SGD", Optimizer, 0.3),
        OptimizerSpec("momentum", "momentum", Momentum, 0.1),
        OptimizerSpec("nesterov", "Nesterov", Nesterov, 0.1),
        OptimizerSpec("adagrad", "AdaGrad", AdaGrad, 0.1),
        OptimizerSpec("rmsprop", "RMSProp", RMSProp, 0.01),
        OptimizerSpec("adam", "Adam", Adam, 0.03),
    ]
}


def make_optimizer(name: str, n_params: int, learning_rate: float | None = None) -> Optimizer:
    """Build an optimizer by registry key; ``learning_rate`` defaults to the spec's."""
    spec = OPTIMIZERS.get(name) if isinstance(name, str) else None
    if spec is None:
        raise ValueError(f"unknown optimizer {name!r}; choose one of: {', '.join(OPTIMIZERS)}")
    rate = spec.default_learning_rate if learning_rate is None else learning_rate
    return spec.cls(n_params, rate)

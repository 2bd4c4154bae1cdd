"""Activation functions: a registry of value/derivative pairs keyed by name.

The same keys serve the engine, the UI labels and the URL (as in TensorFlow Playground's
``nn.ts``). Derivatives are functions of the pre-activation ``z``; hot paths may pass the
already computed output ``a`` to ``derivative`` so tanh/sigmoid need not be evaluated twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.special import erf

__all__ = [
    "ACTIVATIONS",
    "Activation",
    "get_activation",
    "output_activation",
    "sigmoid",
    "softmax",
    "softplus",
]

Array = np.ndarray
_SQRT_2 = np.sqrt(2.0)
_INV_SQRT_2PI = 1.0 / np.sqrt(2.0 * np.pi)
LEAKY_SLOPE = 0.01
ELU_ALPHA = 1.0


@dataclass(frozen=True)
class Activation:
    """One activation function.

    ``fn(z)`` is σ(z); ``grad(z)`` is σ′(z) (``None`` where no useful gradient exists, as for
    ``step``); ``grad_from_output(z, a)`` is the same derivative allowed to reuse a = σ(z).
    ``output_range`` and ``zero_centred`` feed the Activations page.
    """

    name: str
    label: str
    fn: Callable[[Array], Array]
    grad: Callable[[Array], Array] | None
    output_range: tuple[float, float]
    zero_centred: bool
    formula: str
    grad_from_output: Callable[[Array, Array], Array] | None = None

    @property
    def trainable(self) -> bool:
        """Whether gradient descent can train a network using this activation."""
        return self.grad is not None

    def derivative(self, z: Array, a: Array | None = None) -> Array:
        """σ′(z), reusing ``a = σ(z)`` when given and the activation knows how."""
        if self.grad is None:
            raise ValueError(f"activation {self.name!r} has no gradient; it cannot be trained")
        if a is not None and self.grad_from_output is not None:
            return self.grad_from_output(z, a)
        return self.grad(z)

    def __call__(self, z: Array) -> Array:
        return self.fn(z)


def sigmoid(z: Array) -> Array:
    """Logistic function, overflow-free: σ(z) = (1 + tanh(z/2)) / 2."""
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=float)))


def softplus(z: Array) -> Array:
    """ln(1 + e^z) as max(z, 0) + log1p(e^−|z|): overflow-free, and several times faster than
    ``np.logaddexp(0, z)`` on the small arrays this app uses."""
    z = np.asarray(z, dtype=float)
    return np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))


def softmax(z: Array) -> Array:
    """Row-wise softmax of logits ``z`` (n_samples, n_classes); shifted, so never overflows."""
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def output_activation(n_outputs: int, output: str = "classes") -> str:
    """Name of the output nonlinearity: one unit → sigmoid (binary), K ≥ 2 → softmax; for a
    regression network (``output="values"``) the identity: the output is the fitted value."""
    if output == "values":
        return "identity"
    return "sigmoid" if n_outputs == 1 else "softmax"


def _relu(z: Array) -> Array:
    return np.maximum(z, 0.0)


def _leaky_relu(z: Array) -> Array:
    return np.where(z > 0, z, LEAKY_SLOPE * z)


def _elu(z: Array) -> Array:
    # expm1 on the clipped value avoids overflow warnings in the branch np.where discards.
    return np.where(z > 0, z, ELU_ALPHA * np.expm1(np.minimum(z, 0.0)))


def _gelu(z: Array) -> Array:
    return 0.5 * z * (1.0 + erf(z / _SQRT_2))


def _gelu_grad(z: Array) -> Array:
    return 0.5 * (1.0 + erf(z / _SQRT_2)) + z * _INV_SQRT_2PI * np.exp(-0.5 * z * z)


def _swish_grad(z: Array) -> Array:
    s = sigmoid(z)
    return s + z * s * (1.0 - s)


_INF = float("inf")

ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in [
        Activation(
            "identity",
            "identity",
            lambda z: np.array(z, dtype=float, copy=True),
            np.ones_like,
            (-_INF, _INF),
            True,
            "σ(z) = z",
        ),
        Activation(
            "step",
            "step",
            lambda z: (np.asarray(z) > 0).astype(float),
            None,
            (0.0, 1.0),
            False,
            "σ(z) = 1 if z > 0 else 0",
        ),
        Activation(
            "sigmoid",
            "sigmoid",
            sigmoid,
            lambda z: sigmoid(z) * (1.0 - sigmoid(z)),
            (0.0, 1.0),
            False,
            "σ(z) = 1 / (1 + e^(−z))",
            grad_from_output=lambda z, a: a * (1.0 - a),
        ),
        Activation(
            "tanh",
            "tanh",
            np.tanh,
            lambda z: 1.0 - np.tanh(z) ** 2,
            (-1.0, 1.0),
            True,
            "σ(z) = tanh z",
            grad_from_output=lambda z, a: 1.0 - a * a,
        ),
        Activation(
            "relu",
            "ReLU",
            _relu,
            lambda z: (z > 0).astype(float),
            (0.0, _INF),
            False,
            "σ(z) = max(0, z)",
            grad_from_output=lambda z, a: (z > 0).astype(float),
        ),
        Activation(
            "leaky_relu",
            "leaky ReLU",
            _leaky_relu,
            lambda z: np.where(z > 0, 1.0, LEAKY_SLOPE),
            (-_INF, _INF),
            False,
            f"σ(z) = z if z > 0 else {LEAKY_SLOPE}·z",
        ),
        Activation(
            "elu",
            "ELU",
            _elu,
            lambda z: np.where(z > 0, 1.0, ELU_ALPHA * np.exp(np.minimum(z, 0))),
            (-ELU_ALPHA, _INF),
            False,
            "σ(z) = z if z > 0 else e^z − 1",
        ),
        Activation(
            "softplus",
            "softplus",
            softplus,
            sigmoid,
            (0.0, _INF),
            False,
            "σ(z) = ln(1 + e^z)",
        ),
        Activation(
            "gelu",
            "GELU",
            _gelu,
            _gelu_grad,
            (-0.17, _INF),
            False,
            "σ(z) = z · Φ(z)",
        ),
        Activation(
            "swish",
            "swish (SiLU)",
            lambda z: z * sigmoid(z),
            _swish_grad,
            (-0.28, _INF),
            False,
            "σ(z) = z · sigmoid(z)",
        ),
        Activation(
            "sin",
            "sine",
            np.sin,
            np.cos,
            (-1.0, 1.0),
            True,
            "σ(z) = sin z",
        ),
    ]
}


def get_activation(name: str) -> Activation:
    """Look up an activation by registry key, with an error that lists the valid keys."""
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        known = ", ".join(ACTIVATIONS)
        raise ValueError(f"unknown activation {name!r}; choose one of: {known}") from None

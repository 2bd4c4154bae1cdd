"""Weight initialisers: a registry keyed by name; every one draws from an explicit Generator.

``init(rng, fan_in, fan_out, scale)`` returns W of shape (fan_in, fan_out). ``scale`` is the
σ of ``normal`` and the half-width a of ``uniform``; the fan-based schemes ignore it. Biases
start at zero for every scheme (scikit-learn draws them like the weights; zero is the common
choice and keeps the first picture centred).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = ["INITIALIZERS", "Initializer", "get_initializer"]

Array = np.ndarray


@dataclass(frozen=True)
class Initializer:
    """A weight initialiser: ``init(rng, fan_in, fan_out, scale) -> W (fan_in, fan_out)``."""

    name: str
    label: str
    init: Callable[[np.random.Generator, int, int, float], Array]
    default_scale: float | None
    description: str


INITIALIZERS: dict[str, Initializer] = {
    i.name: i
    for i in [
        Initializer(
            "normal",
            "normal(0, σ)",
            lambda rng, fan_in, fan_out, scale: rng.normal(0.0, scale, (fan_in, fan_out)),
            1.0,
            "W ~ N(0, σ²), σ chosen by hand; ignores layer width",
        ),
        Initializer(
            "uniform",
            "uniform(−a, a)",
            lambda rng, fan_in, fan_out, scale: rng.uniform(-scale, scale, (fan_in, fan_out)),
            0.5,
            "W ~ U(−a, a); TensorFlow Playground uses a = 0.5",
        ),
        Initializer(
            "xavier_normal",
            "Glorot/Xavier normal",
            lambda rng, fan_in, fan_out, scale: rng.normal(
                0.0, np.sqrt(2.0 / (fan_in + fan_out)), (fan_in, fan_out)
            ),
            None,
            "W ~ N(0, 2/(fan_in + fan_out)); keeps variance for tanh/sigmoid",
        ),
        Initializer(
            "xavier_uniform",
            "Glorot/Xavier uniform",
            lambda rng, fan_in, fan_out, scale: rng.uniform(
                -np.sqrt(6.0 / (fan_in + fan_out)),
                np.sqrt(6.0 / (fan_in + fan_out)),
                (fan_in, fan_out),
            ),
            None,
            "W ~ U(±√(6/(fan_in + fan_out)))",
        ),
        Initializer(
            "he_normal",
            "He/Kaiming normal",
            lambda rng, fan_in, fan_out, scale: rng.normal(
                0.0, np.sqrt(2.0 / fan_in), (fan_in, fan_out)
            ),
            None,
            "W ~ N(0, 2/fan_in); keeps variance for ReLU",
        ),
        Initializer(
            "he_uniform",
            "He/Kaiming uniform",
            lambda rng, fan_in, fan_out, scale: rng.uniform(
                -np.sqrt(6.0 / fan_in), np.sqrt(6.0 / fan_in), (fan_in, fan_out)
            ),
            None,
            "W ~ U(±√(6/fan_in))",
        ),
    ]
}


def get_initializer(name: str) -> Initializer:
    """Look up an initialiser by registry key, with an error that lists the valid keys."""
    try:
        return INITIALIZERS[name]
    except (KeyError, TypeError):
        known = ", ".join(INITIALIZERS)
        raise ValueError(f"unknown initializer {name!r}; choose one of: {known}") from None

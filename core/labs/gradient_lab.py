"""Gradients and unit statistics of the Activations page: arrays and small dataclasses.

The gradient norm per layer of a deep narrow net at initialisation (by the network's own
backprop, for every activation × initialiser), and per-layer statistics of a live network's
pre-activations: which units are saturated or dead. The curves and the bend, which need no
network, live in ``core.labs.activation_lab``.

Definitions used throughout:

* σ′ is *saturated* at z when |σ′(z)| < ``SATURATION_THRESHOLD`` (0.01).
* A hidden unit is *saturated* over a dataset when its σ′ is saturated for at least
  ``SATURATED_SHARE`` (95 %) of the samples: gradient descent barely moves its incoming weights.
* A hidden unit is *dead* when its activation is exactly 0 for every sample (a ReLU whose
  pre-activation is never positive): no gradient flows through it at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core.nn.activations import ACTIVATIONS, Activation, get_activation
from core.nn.initializers import get_initializer
from core.nn.losses import get_loss
from core.nn.network import MAX_WIDTH, MLP

__all__ = [
    "GRADIENT_INITS",
    "MAX_DEPTH",
    "SATURATED_SHARE",
    "SATURATION_THRESHOLD",
    "GradientGrid",
    "LayerStatistics",
    "gradient_norm_grid",
    "gradient_norms_per_layer",
    "layer_statistics",
    "pre_activation_histogram",
]

Array = np.ndarray
SATURATION_THRESHOLD = 0.01
SATURATED_SHARE = 0.95
MAX_DEPTH = 20
MAX_SAMPLES = 10_000
GRADIENT_INITS = ("normal", "xavier_normal", "he_normal")


def _check_net(depth: int, width: int, n_samples: int) -> None:
    limits = (("depth", depth, MAX_DEPTH), ("width", width, MAX_WIDTH))
    for name, value, upper in (*limits, ("n_samples", n_samples, MAX_SAMPLES)):
        if not 1 <= value <= upper:
            raise ValueError(f"{name} must be 1..{upper}, got {value}")


def gradient_norms_per_layer(
    depth: int,
    width: int,
    activation: str,
    init: str,
    seed: int = 0,
    n_samples: int = 256,
    init_scale: float | None = None,
) -> Array:
    """‖∂L/∂W‖ (Frobenius) of every weight layer of a fresh 2-width×depth-1 net, (depth + 1,).

    One forward trace and ``MLP.backward`` on a seeded batch: x ~ N(0, I₂), random 0/1
    labels, binary cross-entropy. Entry 0 is the first layer, entry ``depth`` the output layer.
    """
    _check_net(depth, width, n_samples)
    if not get_activation(activation).trainable:
        raise ValueError(f"activation {activation!r} has no gradient; choose a trainable one")
    get_initializer(init)
    model = MLP([2, *[width] * depth, 1], activation, init=init, init_scale=init_scale, seed=seed)
    rng = np.random.default_rng([seed, 1])  # the batch does not depend on the weights' draws
    X = rng.normal(size=(n_samples, 2))
    targets = rng.integers(0, 2, size=(n_samples, 1)).astype(float)
    trace = model.forward(X, return_trace=True)
    _, grad_logits = get_loss("binary_cross_entropy").value_and_grad(trace[-1].z, targets)
    grad_weights, _ = model.unflatten(model.backward(trace, grad_logits))
    return np.array([np.linalg.norm(W) for W in grad_weights])


@dataclass(frozen=True)
class GradientGrid:
    """Gradient norms for every activation × initialiser: ``norms`` (n_act, n_init, depth+1)."""

    activations: tuple[str, ...]
    inits: tuple[str, ...]
    norms: Array

    @property
    def first_to_last(self) -> Array:
        """First layer's norm over the output layer's, (n_act, n_init): ≪ 1 means vanishing."""
        return self.norms[..., 0] / self.norms[..., -1]


def gradient_norm_grid(
    depth: int,
    width: int,
    activations: Sequence[str] | None = None,
    inits: Sequence[str] = GRADIENT_INITS,
    seed: int = 0,
    n_samples: int = 256,
    init_scale: float = 1.0,
) -> GradientGrid:
    """``gradient_norms_per_layer`` for each pair; every trainable activation by default.

    ``init_scale`` is σ of the ``normal`` initialiser (the fan-based ones ignore it). The same
    seed gives every pair the same batch.
    """
    names = tuple(activations or [n for n, a in ACTIVATIONS.items() if a.trainable])
    inits = tuple(inits)
    norms = np.array(
        [
            [
                gradient_norms_per_layer(depth, width, name, init, seed, n_samples, init_scale)
                for init in inits
            ]
            for name in names
        ]
    )
    return GradientGrid(names, inits, norms)


@dataclass(frozen=True)
class LayerStatistics:
    """One hidden layer over a dataset.

    ``z`` (n_samples, width) are the pre-activations; ``saturated`` (width,) marks units with
    |σ′| < 0.01 on ≥ 95 % of samples (None when σ has no gradient); ``dead`` (width,) marks
    units whose activation is exactly 0 for every sample.
    """

    layer: int  # 1-based hidden layer index
    z: Array
    saturated: Array | None
    dead: Array

    @property
    def n_units(self) -> int:
        return self.z.shape[1]

    @property
    def n_saturated(self) -> int | None:
        return None if self.saturated is None else int(self.saturated.sum())

    @property
    def n_dead(self) -> int:
        return int(self.dead.sum())


def _saturated_units(activation: Activation, z: Array, a: Array) -> Array | None:
    if not activation.trainable:
        return None
    flat = np.abs(activation.derivative(z, a)) < SATURATION_THRESHOLD
    return flat.mean(axis=0) >= SATURATED_SHARE


def layer_statistics(model: MLP, X: Array) -> list[LayerStatistics]:
    """Statistics of every hidden layer of ``model`` on X (n_samples, n_inputs), one trace."""
    trace = model.forward(X, return_trace=True)
    return [
        LayerStatistics(
            index + 1,
            layer.z,
            _saturated_units(model.activation, layer.z, layer.a),
            np.all(layer.a == 0.0, axis=0),
        )
        for index, layer in enumerate(trace[:-1])
    ]


def pre_activation_histogram(z: Array, n_bins: int = 40) -> tuple[Array, Array]:
    """Histogram of every value in ``z`` over a symmetric range, as (edges (n_bins+1,),
    shares (n_bins,)) with shares summing to 1.

    The range is ±max(3, 99.5th percentile of |z|) so σ's bend is always in view; values beyond
    it are counted in the outermost bins rather than dropped.
    """
    values = np.asarray(z, dtype=float).ravel()
    if values.size == 0 or not np.all(np.isfinite(values)):
        raise ValueError(f"z must be non-empty and finite, got {values.size} values")
    if not 1 <= n_bins <= 500:
        raise ValueError(f"n_bins must be 1..500, got {n_bins}")
    span = max(3.0, float(np.percentile(np.abs(values), 99.5)))
    counts, edges = np.histogram(np.clip(values, -span, span), bins=n_bins, range=(-span, span))
    return edges, counts / values.size

"""The multilayer perceptron: one forward pass (with its trace) and backprop.

Shapes follow scikit-learn: X (n_samples, n_features), W (fan_in, fan_out), b (fan_out,), and a
layer computes z = a_prev @ W + b, a = σ(z). All parameters live in one flat vector ``params``;
``weights[i]`` and ``biases[i]`` are views into it, so optimizers update every parameter with a
handful of vector operations instead of a Python loop over layers (the speed of a tiny net is
all per-call overhead). Backprop, the boundary heatmaps, per-neuron maps and the geometry stages
all read the trace of ``forward``. The one other evaluation of the same layer maths is
``core.labs.landscape.batched_losses``: a loss surface is thousands of parameter vectors, so it
runs z = a @ W + b, a = σ(z) batched over them (about twice as fast as a loop of ``forward``),
and its tests hold it to ``loss_and_gradient`` within 1e-9. Saving and loading a model is
``core.exchange.model_io``.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from core.nn.activations import Activation, get_activation, output_activation
from core.nn.initializers import get_initializer
from core.nn.losses import OUTPUTS, get_loss, output_probabilities

__all__ = ["MAX_HIDDEN_LAYERS", "MAX_WIDTH", "MLP", "LayerTrace", "validate_inputs"]

Array = np.ndarray
MAX_WIDTH = 1024  # the Compare page's wide net needs ~500 units for a 2,000-weight budget
MAX_INPUTS = 16
MAX_OUTPUTS = 10
MAX_HIDDEN_LAYERS = 32


class LayerTrace(NamedTuple):
    """What one layer saw and made: ``z = inputs @ W + b``, ``a = σ(z)``.

    For the output layer ``a`` holds the probabilities (sigmoid or softmax of z), or for a
    regression network the fitted values (``a`` is ``z``: a linear unit). With dropout,
    ``keep`` is the scaled mask the next layer's inputs were multiplied by (``None`` otherwise).
    A named tuple, not a frozen dataclass: a training epoch makes eight of them, and a frozen
    dataclass's constructor cost a tenth of a tiny network's forward pass.
    """

    inputs: Array
    z: Array
    a: Array
    keep: Array | None = None


def _as_rng(seed: int | np.random.Generator | None) -> np.random.Generator:
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


def _validate_layer_sizes(layer_sizes: Any) -> tuple[int, ...]:
    try:
        sizes = tuple(int(s) for s in layer_sizes)
        if any(int(s) != s for s in layer_sizes):
            raise TypeError
    except (TypeError, ValueError):
        raise ValueError(
            f"layer_sizes must be a list of whole numbers, got {layer_sizes!r}"
        ) from None
    if len(sizes) < 2:
        raise ValueError(f"layer_sizes needs an input and an output size, got {list(sizes)}")
    if len(sizes) - 2 > MAX_HIDDEN_LAYERS:
        raise ValueError(f"at most {MAX_HIDDEN_LAYERS} hidden layers, got {len(sizes) - 2}")
    if not 1 <= sizes[0] <= MAX_INPUTS:
        raise ValueError(f"input size must be 1..{MAX_INPUTS}, got {sizes[0]}")
    if not 1 <= sizes[-1] <= MAX_OUTPUTS:
        raise ValueError(f"output size must be 1..{MAX_OUTPUTS}, got {sizes[-1]}")
    for width in sizes[1:-1]:
        if not 1 <= width <= MAX_WIDTH:
            raise ValueError(f"width must be 1..{MAX_WIDTH}, got {width}")
    return sizes


def validate_inputs(X: Any, n_features: int) -> Array:
    """Check X is a finite (n_samples, n_features) array and return it as float64."""
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != n_features:
        raise ValueError(f"X must have shape (n_samples, {n_features}), got {X.shape}")
    if not np.all(np.isfinite(X)):
        bad = np.argwhere(~np.isfinite(X))[0]
        raise ValueError(
            f"X has a non-finite value {X[tuple(bad)]} at row {bad[0]}, column {bad[1]}"
        )
    return X


class MLP:
    """A fully connected network with one hidden activation and a sigmoid/softmax output
    (or a linear one, for regression).

    Parameters
    ----------
    layer_sizes : sequence of int
        ``[n_inputs, *hidden_widths, n_outputs]``; one output unit means binary (sigmoid),
        K ≥ 2 output units mean K classes (softmax).
    activation : str
        Hidden activation, a key of ``core.nn.activations.ACTIVATIONS``.
    init : str
        Weight initialiser, a key of ``core.nn.initializers.INITIALIZERS``.
    init_scale : float, optional
        σ for ``normal``, a for ``uniform``; defaults to the initialiser's own.
    seed : int or np.random.Generator
        Source of the initial weights: the same seed gives the same weights.
    output : {"classes", "values"}
        What the output layer predicts: class probabilities (sigmoid/softmax), or values
        through linear units (regression; trained with the ``squared`` loss).
    """

    def __init__(
        self,
        layer_sizes: Any,
        activation: str = "tanh",
        *,
        init: str = "xavier_uniform",
        init_scale: float | None = None,
        seed: int | np.random.Generator | None = 0,
        output: str = "classes",
    ) -> None:
        if output not in OUTPUTS:
            raise ValueError(f"output must be one of {OUTPUTS}, got {output!r}")
        self.output = output
        self.layer_sizes = _validate_layer_sizes(layer_sizes)
        self.activation: Activation = get_activation(activation)
        self._allocate()
        initializer = get_initializer(init)
        scale = initializer.default_scale if init_scale is None else float(init_scale)
        if scale is not None and not (np.isfinite(scale) and scale > 0):
            raise ValueError(f"init_scale must be a positive number, got {init_scale}")
        rng = _as_rng(seed)
        for W in self.weights:
            W[...] = initializer.init(rng, W.shape[0], W.shape[1], scale)

    def _allocate(self) -> None:
        pairs = list(zip(self.layer_sizes[:-1], self.layer_sizes[1:], strict=True))
        self.params = np.zeros(sum(fan_in * fan_out + fan_out for fan_in, fan_out in pairs))
        self.weights, self.biases = self.unflatten(self.params)
        self._weight_mask = np.zeros_like(self.params)
        for W in self.unflatten(self._weight_mask)[0]:
            W[...] = 1.0
        # Backprop writes into this buffer through prebuilt views and returns a copy: building
        # the views on every call cost as much as a layer's arithmetic.
        self._grad = np.zeros_like(self.params)
        self._grad_weights, self._grad_biases = self.unflatten(self._grad)
        self._ones = np.ones(0)  # backprop sums over samples as ones @ delta; kept per size
        self._weights_transposed = [W.T for W in self.weights]  # views, as the weights are

    def unflatten(self, flat: Array) -> tuple[list[Array], list[Array]]:
        """Views of a flat (n_params,) vector as per-layer (W, b) lists; no copies. A stack
        (n_stack, n_params) gives W (n_stack, fan_in, fan_out) and b (n_stack, fan_out)."""
        weights, biases, start, stack = [], [], 0, flat.shape[:-1]
        for fan_in, fan_out in zip(self.layer_sizes[:-1], self.layer_sizes[1:], strict=True):
            W = flat[..., start : start + fan_in * fan_out]
            weights.append(W.reshape(*stack, fan_in, fan_out))
            start += fan_in * fan_out
            biases.append(flat[..., start : start + fan_out])
            start += fan_out
        return weights, biases

    # -- introspection ---------------------------------------------------------------------
    @property
    def n_layers(self) -> int:
        """Number of weight layers (hidden layers + the output layer)."""
        return len(self.layer_sizes) - 1

    @property
    def n_outputs(self) -> int:
        return self.layer_sizes[-1]

    @property
    def regression(self) -> bool:
        """Whether the outputs are fitted values (linear units) rather than class probabilities."""
        return self.output == "values"

    @property
    def n_classes(self) -> int:
        """Classes predicted: 2 for a single sigmoid unit, else the number of outputs."""
        return 2 if self.n_outputs == 1 else self.n_outputs

    @property
    def n_parameters(self) -> int:
        return self.params.size

    def parameters(self) -> list[Array]:
        """Every parameter as views ``[W0, b0, W1, b1, …]``; writing to them updates the model."""
        return [p for pair in zip(self.weights, self.biases, strict=True) for p in pair]

    def set_parameters(self, flat: Array) -> None:
        """Copy a flat (n_params,) vector into the model (keeps the views valid)."""
        flat = np.asarray(flat, dtype=float)
        if flat.shape != self.params.shape:
            raise ValueError(f"expected {self.params.size} parameters, got shape {flat.shape}")
        self.params[...] = flat

    def copy(self) -> MLP:
        """An independent model with the same architecture and parameters."""
        clone = MLP.__new__(MLP)
        clone.layer_sizes, clone.activation = self.layer_sizes, self.activation
        clone.output = self.output
        clone._allocate()
        clone.params[...] = self.params
        return clone

    def __repr__(self) -> str:
        shape = "-".join(map(str, self.layer_sizes))
        out = output_activation(self.n_outputs, self.output)
        return f"MLP({shape}, {self.activation.name}, output={out}, {self.n_parameters} params)"

    # -- the forward pass ------------------------------------------------------------------
    def _trace(
        self,
        X: Array,
        dropout: float = 0.0,
        rng: np.random.Generator | None = None,
        params: Array | None = None,
    ) -> list[LayerTrace]:
        """The one forward pass. Trusts X; public callers go through ``forward``.

        ``params`` (n_stack, n_params) runs a stack of parameter vectors instead of the
        model's own, without dropout: every array of the trace gets a leading n_stack axis,
        and slice k is bit for bit the trace of ``params[k]`` (``np.matmul`` multiplies each
        slice as ``np.dot`` does one matrix; the trainer's deferred test metrics rely on it).
        """
        trace, inputs, last = [], X, self.n_layers - 1
        sigma, linear_output = self.activation.fn, self.regression
        weights, biases, product = self.weights, self.biases, np.dot
        if params is not None:
            weights, biases = self.unflatten(params)
            biases, product = [b[:, None, :] for b in biases], np.matmul
        for i, (W, b) in enumerate(zip(weights, biases, strict=True)):
            z = product(inputs, W)  # np.dot beats @ on tiny matrices (per-call overhead)
            z += b
            if i == last:
                trace.append(LayerTrace(inputs, z, z if linear_output else output_probabilities(z)))
                break
            a = sigma(z)
            keep = None
            if dropout > 0.0:
                # Inverted dropout: scale the survivors at train time so inference needs nothing.
                keep = (rng.random(a.shape) >= dropout) / (1.0 - dropout)
            trace.append(LayerTrace(inputs, z, a, keep))
            inputs = a if keep is None else a * keep
        return trace

    def forward(self, X: Any, *, return_trace: bool = False) -> Array | list[LayerTrace]:
        """Run the network on X (n_samples, n_inputs).

        Returns the output probabilities (n_samples, n_outputs) (fitted values for a regression
        network), or with ``return_trace`` the per-layer ``LayerTrace`` list (inputs, z, a)
        that everything else reads.
        """
        trace = self._trace(validate_inputs(X, self.layer_sizes[0]))
        return trace if return_trace else trace[-1].a

    def predict_proba(self, X: Any) -> Array:
        """Class probabilities (n_samples, n_classes), columns in label order (as scikit-learn)."""
        if self.regression:
            raise ValueError("a regression network predicts values, not class probabilities")
        probs = self.forward(X)
        return np.hstack([1.0 - probs, probs]) if self.n_outputs == 1 else probs

    def predict(self, X: Any) -> Array:
        """Predicted labels (n_samples,) as integers 0..n_classes-1; for a regression network
        the fitted values (n_samples,) of its first output."""
        if self.regression:
            return self.forward(X)[:, 0]
        return np.argmax(self.predict_proba(X), axis=1)

    # -- backprop --------------------------------------------------------------------------
    def backward(self, trace: list[LayerTrace], grad_logits: Array) -> Array:
        """Gradient of the loss w.r.t. every parameter, as a flat (n_params,) vector.

        ``grad_logits`` is dL/dz of the output layer (n_samples, n_outputs), as the losses
        return it. Use ``unflatten`` for per-layer views.
        """
        grad_weights, grad_biases = self._grad_weights, self._grad_biases
        delta, dot = grad_logits, np.dot
        if len(self._ones) != len(delta):  # summing over samples as a product beats .sum(0)
            self._ones = np.ones(len(delta))
        ones, transposed = self._ones, self._weights_transposed
        activation = self.activation
        derivative = activation.grad_from_output or (lambda z, _a: activation.derivative(z))
        for i in range(len(transposed) - 1, -1, -1):
            dot(trace[i].inputs.T, delta, out=grad_weights[i])
            dot(ones, delta, out=grad_biases[i])
            if i == 0:
                break
            below = trace[i - 1]
            delta = dot(delta, transposed[i])
            if below.keep is not None:
                delta *= below.keep
            delta *= derivative(below.z, below.a)
        return self._grad.copy()

    def loss_and_gradient(
        self,
        X: Array,
        targets: Array,
        loss: str = "binary_cross_entropy",
        *,
        l1: float = 0.0,
        l2: float = 0.0,
        dropout: float = 0.0,
        rng: np.random.Generator | None = None,
        below: float | None = None,
    ) -> tuple[float, Array, list[LayerTrace]]:
        """Objective = mean loss + l1·Σ|W| + l2/2·Σ W² (weights only) and its flat gradient.

        Trusts its inputs (the trainer validates once). Returns (objective, gradient, trace).
        With ``below``, the mean loss may be replaced by the loss's cheap upper bound
        (``Loss.bound``) when that bound is below ``below``: for a training epoch that only
        checks the loss against a threshold. The gradient is the same bit for bit.
        """
        trace = self._trace(X, dropout, rng)
        # The output layer's probabilities are in the trace: the loss's gradient reuses them.
        output, objective = trace[-1], get_loss(loss)
        probabilities = None if self.regression else output.a
        bound = None
        if below is not None and objective.bound is not None:
            bound = objective.bound(output.z, targets)
        if bound is not None and bound < below:  # a NaN bound is not below anything
            value = bound
            grad_logits = objective.gradient(output.z, targets, probabilities)
        else:
            value, grad_logits = objective.value_and_grad(output.z, targets, probabilities)
        grad = self.backward(trace, grad_logits)
        if l2 > 0.0:
            weights_only = self.params * self._weight_mask
            value += 0.5 * l2 * float(weights_only @ weights_only)
            grad += l2 * weights_only
        if l1 > 0.0:
            value += l1 * float(np.abs(self.params) @ self._weight_mask)
            grad += l1 * np.sign(self.params) * self._weight_mask
        return value, grad, trace

"""Loss landscapes: the data loss over a plane through parameter space, evaluated in batch.

A surface is L(θ* + α·d₁ + β·d₂) over a grid of (α, β). Three kinds of plane are built here:
two coordinate axes (the exact two-weight surface), two random filter-normalised directions
(Li et al. 2018, ``net_plotter.normalize_direction``), and the top two principal directions of
the training trajectory (built in ``core.labs.trajectory`` on top of this module). Parameters are
flat vectors as in ``MLP.params``; directions are flat vectors of the same length.

A 51×51 grid is 2,601 networks. Instead of 2,601 calls of the model's forward pass,
``batched_losses`` evaluates a whole batch of parameter vectors at once: the same layer maths as
``MLP.forward`` (z = a @ W + b, a = σ(z)) and the same formulas as ``core.nn.losses``, written
again with a leading axis over parameter vectors, because ``MLP`` holds one parameter vector
and its layer runs on one (fan_in, fan_out) matrix. ``bench/surface_speed.py``: 0.1 s for
2-8-8-8-1 on 500 points, about twice as fast as the loop, which is already vectorised over
samples; both spend most of their time in the 31 million σ evaluations. Layers the batch does
not vary are run once by the model's own forward pass, so a two-weight slice in the last layer
costs almost nothing. It is the one second evaluation of the layer maths in the code base, and
exists only for the grid batch: the tests compare it with ``MLP.loss_and_gradient`` at the
centre and at random grid points, to 1e-9, for every loss and several activations.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from core.nn.activations import sigmoid, softmax
from core.nn.losses import get_loss, one_hot_targets
from core.nn.network import MLP

__all__ = [
    "axis_plane",
    "batched_losses",
    "centred_axis",
    "filter_normalised_direction",
    "logistic_regression",
    "plane_losses",
    "random_plane",
    "random_plane_surface",
    "two_weight_surface",
    "weight_choices",
]

Array = np.ndarray
# Activations held at once per layer (batch × width × n_samples): ~1.6 MB of float64 stays in
# the CPU cache. Measured on a 51×51 grid, 2-8-8-8-1, 500 points: about 0.10 s at this size
# against 0.17 s with chunks ten times larger (big arrays spend their time on cache misses).
CHUNK_FLOATS = 200_000


def _batched_bce(logits: Array, targets: Array) -> Array:
    # softplus(z) − y·z, as core.nn.losses._binary_cross_entropy, per batch entry. softplus is
    # written max(z, 0) + log1p(e^−|z|): the same value to rounding, 7× faster than logaddexp.
    softplus = np.maximum(logits, 0.0) + np.log1p(np.exp(-np.abs(logits)))
    return np.sum(softplus - targets * logits, axis=(1, 2)) / logits.shape[1]


def _batched_cce(logits: Array, targets: Array) -> Array:
    if logits.shape[2] == 1:  # one unit is the two-class case, as in core.nn.losses
        return _batched_bce(logits, targets)
    shifted = logits - logits.max(axis=2, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=2, keepdims=True))
    return -np.sum(targets * log_probs, axis=(1, 2)) / logits.shape[1]


def _batched_mse(logits: Array, targets: Array) -> Array:
    probs = sigmoid(logits) if logits.shape[2] == 1 else softmax(logits)
    diff = probs - targets
    return np.sum(diff * diff, axis=(1, 2)) / logits.shape[1]


# The losses of core.nn.losses over logits (batch, n_samples, n_outputs) -> (batch,).
_BATCHED_LOSSES: dict[str, Callable[[Array, Array], Array]] = {
    "binary_cross_entropy": _batched_bce,
    "categorical_cross_entropy": _batched_cce,
    "mse": _batched_mse,
    # A regression network's linear output: the logits are the fitted values.
    "squared": lambda values, targets: np.mean(np.sum((values - targets) ** 2, axis=-1), axis=-1),
}


def batched_losses(model: MLP, params_batch: Array, X: Array, targets: Array, loss: str) -> Array:
    """Mean data loss (no regularisation) of ``model``'s architecture at many parameter vectors.

    Parameters
    ----------
    model : MLP
        Gives the architecture and activation; its own parameters are not used or changed.
    params_batch : ndarray of shape (n_points, n_params)
    X : ndarray of shape (n_samples, n_features)
    targets : ndarray of shape (n_samples, n_outputs)
    loss : str
        A key of ``core.nn.losses.LOSSES``.

    Returns
    -------
    ndarray of shape (n_points,)
        Equal (to rounding) to ``model.loss_and_gradient(X, targets, loss)[0]`` at each row.
    """
    get_loss(loss)  # a clear error for an unknown name
    params_batch = np.atleast_2d(np.asarray(params_batch, dtype=float))
    if params_batch.shape[1] != model.n_parameters:
        raise ValueError(
            f"expected rows of {model.n_parameters} parameters, got {params_batch.shape}"
        )
    start, inputs = _shared_prefix(model, params_batch, X)
    weight_index, bias_index = model.unflatten(np.arange(model.n_parameters))
    sigma, last = model.activation.fn, model.n_layers - 1
    chunk = max(1, CHUNK_FLOATS // (len(X) * max(model.layer_sizes)))
    out = np.empty(len(params_batch))
    for low in range(0, len(params_batch), chunk):
        rows = params_batch[low : low + chunk]
        # Units × samples layout: (batch, fan_out, fan_in) @ (fan_in, n) -> (batch, fan_out, n)
        # keeps the long sample axis innermost, where the bias add and σ run fastest.
        a = inputs.T
        for i in range(start, model.n_layers):
            z = np.matmul(rows[:, weight_index[i].T], a)
            z += rows[:, bias_index[i], None]
            a = z if i == last else sigma(z)
        out[low : low + chunk] = _BATCHED_LOSSES[loss](np.swapaxes(a, 1, 2), targets[None])
    return out


def _shared_prefix(model: MLP, params_batch: Array, X: Array) -> tuple[int, Array]:
    """First layer whose parameters vary over the batch, and that layer's (shared) inputs.

    Layers below it are the same for every row, so the model's own forward pass computes them
    once (for a two-weight slice in the last layer, almost all the work).
    """
    varying = np.any(params_batch != params_batch[0], axis=0)
    weight_index, bias_index = model.unflatten(np.arange(model.n_parameters))
    start = next(
        (
            i
            for i in range(model.n_layers)
            if varying[weight_index[i]].any() or varying[bias_index[i]].any()
        ),
        model.n_layers - 1,
    )
    probe = model.copy()
    probe.set_parameters(params_batch[0])
    return start, probe.forward(X, return_trace=True)[start].inputs


def plane_losses(
    model: MLP,
    X: Array,
    targets: Array,
    loss: str,
    centre: Array,
    directions: Array,
    alphas: Array,
    betas: Array,
) -> Array:
    """Loss surface L(centre + α·directions[0] + β·directions[1]) on the grid alphas × betas.

    ``centre`` (n_params,), ``directions`` (2, n_params), ``alphas`` (n_alpha,), ``betas``
    (n_beta,). Returns (n_beta, n_alpha): rows follow β, as Plotly's ``z`` expects.
    """
    alpha_grid, beta_grid = np.meshgrid(np.asarray(alphas, float), np.asarray(betas, float))
    coords = np.column_stack([alpha_grid.ravel(), beta_grid.ravel()])
    values = batched_losses(model, centre + coords @ directions, X, targets, loss)
    return values.reshape(alpha_grid.shape)


def two_weight_surface(
    model: MLP,
    X: Array,
    targets: Array,
    loss: str,
    indices: tuple[int, int],
    radius: float,
    resolution: int = 51,
) -> tuple[list[Array], Array]:
    """The exact loss over two parameters, each ± ``radius`` around its value, the rest fixed.

    Returns the two axes of absolute values, [(resolution,), (resolution,)], and the surface
    (resolution, resolution), rows following the second parameter. The middle point is the
    model's current parameters (``resolution`` is odd).
    """
    centre = model.params[list(indices)]
    axes = [centred_axis(value, radius, resolution) for value in centre]
    plane = axis_plane(model.n_parameters, *indices)
    offsets = [axis - value for axis, value in zip(axes, centre, strict=True)]
    return axes, plane_losses(model, X, targets, loss, model.params, plane, *offsets)


def centred_axis(centre: float, radius: float, resolution: int) -> Array:
    """``resolution`` (odd) evenly spaced values over centre ± radius, centre included exactly."""
    if resolution < 3 or resolution % 2 == 0:
        raise ValueError(f"resolution must be odd and at least 3, got {resolution}")
    half = resolution // 2
    return centre + radius * np.arange(-half, half + 1) / half


def filter_normalised_direction(
    model: MLP, rng: np.random.Generator, *, keep_biases: bool = False
) -> Array:
    """A random direction (n_params,) scaled filter by filter to the model's weights.

    Each weight matrix's direction ~ N(0, 1) has every column (the weights into one unit)
    rescaled to the norm of the matching column of W, so a step of 1 moves each unit by its
    own size (Li et al. 2018). Bias directions are zero, or with ``keep_biases`` rescaled as a
    whole to the norm of each layer's bias vector.
    """
    direction = rng.standard_normal(model.n_parameters)
    d_weights, d_biases = model.unflatten(direction)
    for d, W in zip(d_weights, model.weights, strict=True):
        d *= np.linalg.norm(W, axis=0) / (np.linalg.norm(d, axis=0) + 1e-300)
    for d, b in zip(d_biases, model.biases, strict=True):
        d *= np.linalg.norm(b) / (np.linalg.norm(d) + 1e-300) if keep_biases else 0.0
    return direction


def random_plane(model: MLP, seed: int, *, keep_biases: bool = False) -> Array:
    """Two filter-normalised directions (2, n_params) drawn from one seeded generator."""
    rng = np.random.default_rng(seed)
    return np.stack(
        [filter_normalised_direction(model, rng, keep_biases=keep_biases) for _ in range(2)]
    )


def random_plane_surface(
    model: MLP,
    X: Array,
    targets: Array,
    loss: str,
    seed: int,
    span: float,
    resolution: int,
    *,
    keep_biases: bool = False,
) -> tuple[Array, Array]:
    """Li et al.'s picture of the whole network: the loss on a seeded random plane.

    The plane is ``random_plane(model, seed)`` through the current parameters; α and β each
    run over ± ``span`` on the same ``resolution`` (odd) points.

    Returns
    -------
    axis : ndarray of shape (resolution,)
        The α (and β) values; the middle one is exactly 0, the current parameters.
    values : ndarray of shape (resolution, resolution)
        The data loss, rows following β.
    """
    plane = random_plane(model, seed, keep_biases=keep_biases)
    axis = centred_axis(0.0, span, resolution)
    return axis, plane_losses(model, X, targets, loss, model.params, plane, axis, axis)


def weight_choices(model: MLP) -> dict[int, str]:
    """Flat index of every weight → its name, ``"W2[3, 0]"`` (layer from 1, row = input unit)."""
    weight_index = model.unflatten(np.arange(model.n_parameters))[0]
    return {
        int(index[row, col]): f"W{layer + 1}[{row}, {col}]"
        for layer, index in enumerate(weight_index)
        for row in range(index.shape[0])
        for col in range(index.shape[1])
    }


def axis_plane(n_params: int, first: int, second: int) -> Array:
    """The plane of two coordinates: unit vectors (2, n_params) at flat indices first, second."""
    if first == second or not (0 <= first < n_params and 0 <= second < n_params):
        raise ValueError(f"need two different indices in 0..{n_params - 1}, got {first}, {second}")
    plane = np.zeros((2, n_params))
    plane[0, first] = plane[1, second] = 1.0
    return plane


def logistic_regression(X: Array, y: Array) -> tuple[MLP, Array, str]:
    """The two-weight model σ(x·w) without bias: (model with w = 0, targets, loss).

    More than two classes become "class 0 against the rest". The bias stays at 0 and is never
    varied, so the loss is an exact function of the two weights.
    """
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must have shape (n_samples, 2), got {X.shape}")
    labels = (np.asarray(y) == 1) if np.max(y) <= 1 else (np.asarray(y) == 0)
    model = MLP([2, 1], "identity", seed=0)
    model.set_parameters(np.zeros(model.n_parameters))
    return model, one_hot_targets(labels.astype(int), 1), "binary_cross_entropy"

"""The plane of a training path: PCA of the checkpoints, and the loss surface over it.

As Li et al.'s ``setup_PCA_directions``: the top two principal directions of θ_i − θ_final span
the plane through the final weights that the trajectory moved in most; the checkpoints are
projected onto it and the surface is evaluated by ``core.labs.landscape``'s batched evaluator over a
window covering the projected path. Comparing each checkpoint's true loss with the surface's
value at its projection shows how far the path leaves the plane. Parameters are flat vectors
as in ``MLP.params``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.labs.landscape import batched_losses, plane_losses
from core.nn.network import MLP

__all__ = [
    "PathSurface",
    "TrajectoryPlane",
    "checkpoints",
    "path_surface",
    "path_window",
    "trajectory_plane",
]

Array = np.ndarray


@dataclass(frozen=True)
class TrajectoryPlane:
    """The plane of a training path: θ = θ_final + coords @ directions.

    ``directions`` (2, n_params) orthonormal principal directions of θ_i − θ_final;
    ``explained`` (2,) their shares of the variance; ``coords`` (n_checkpoints, 2) the
    projected checkpoints (the last, θ_final, at the origin).
    """

    directions: Array
    explained: Array
    coords: Array


def trajectory_plane(rows: Array, final: Array) -> TrajectoryPlane:
    """PCA of a parameter trajectory ``rows`` (n_checkpoints, n_params) relative to ``final``.

    As Li et al.'s ``setup_PCA_directions``: principal components of the (centred) matrix of
    θ_i − θ_final; each checkpoint is then projected onto them. Signs are fixed so the path
    runs towards +α and +β (the first checkpoint has coordinates ≤ 0).
    """
    rows = np.asarray(rows, dtype=float)
    if rows.ndim != 2 or rows.shape[1] != final.size or len(rows) < 3:
        raise ValueError(
            f"need at least 3 checkpoints of {final.size} parameters, got {rows.shape}"
        )
    offsets = rows - final
    centred = offsets - offsets.mean(axis=0)
    _, singular, components = np.linalg.svd(centred, full_matrices=False)
    total = float(np.sum(singular**2))
    if total == 0.0 or singular.size < 2 or singular[1] == 0.0:
        raise ValueError("the trajectory does not span a plane: train for more epochs")
    directions = components[:2].copy()
    coords = offsets @ directions.T
    flip = np.where(coords[0] > 0, -1.0, 1.0)
    return TrajectoryPlane(directions * flip[:, None], singular[:2] ** 2 / total, coords * flip)


def checkpoints(epochs: Array, rows: Array, epoch: int, params: Array) -> tuple[Array, Array]:
    """A trajectory's (epochs (n,), rows (n, n_params)) ending at the current ``params``.

    A thinned log may not have recorded the current epoch; it is appended then.
    """
    if len(epochs) and epochs[-1] == epoch:
        return np.asarray(epochs), np.asarray(rows)
    return np.append(epochs, epoch), np.vstack([rows, params])


@dataclass(frozen=True)
class PathSurface:
    """The loss on a trajectory's PCA plane: ``values`` (n_beta, n_alpha) over ``alphas`` ×
    ``betas``, and per checkpoint its ``true`` loss and its loss ``on_plane`` (n_checkpoints,)
    at its projection."""

    plane: TrajectoryPlane
    alphas: Array
    betas: Array
    values: Array
    true: Array
    on_plane: Array


def path_surface(
    model: MLP, X: Array, targets: Array, loss: str, rows: Array, resolution: int = 51
) -> PathSurface:
    """Surface through the last of ``rows`` (n_checkpoints, n_params) on the path's PCA plane,
    over a window covering the projected path, with each checkpoint's exact loss."""
    final = rows[-1]
    plane = trajectory_plane(rows, final)
    alphas, betas = path_window(plane.coords, resolution)
    values = plane_losses(model, X, targets, loss, final, plane.directions, alphas, betas)
    true = batched_losses(model, rows, X, targets, loss)
    on_plane = batched_losses(model, final + plane.coords @ plane.directions, X, targets, loss)
    return PathSurface(plane, alphas, betas, values, true, on_plane)


def path_window(coords: Array, resolution: int, margin: float = 0.25) -> tuple[Array, Array]:
    """Grid axes (alphas, betas) covering projected points (n, 2) and the origin, with margin."""
    low = np.minimum(coords.min(axis=0), 0.0)
    high = np.maximum(coords.max(axis=0), 0.0)
    pad = margin * np.maximum(high - low, 1e-3)
    return tuple(np.linspace(low[i] - pad[i], high[i] + pad[i], resolution) for i in range(2))

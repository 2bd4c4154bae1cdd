"""The whole network as one staged animation: data and a warped grid carried layer by layer.

``network_animation`` runs the model's one traced forward pass on the data and the grid, then
stages every hidden layer from that layer's traced inputs (so each layer's last frame equals its
traced activations). It picks how each layer's space R^D is shown: as is when D ≤ 3, else by a
PCA projection fixed for all frames of the layer, with its explained variance. Arrays only: the
Plotly figure is built in ``core.figures.transform``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.labs.layer_stages import LayerStages, layer_stages
from core.labs.plane import join_lines
from core.labs.stage_notes import network_notes
from core.nn.network import MLP

__all__ = [
    "NetworkAnimation",
    "View",
    "frames_per_stage",
    "layer_snapshots",
    "network_animation",
    "pca_view",
    "project",
    "stage_summary",
    "STAGE_ORDER",
]

Array = np.ndarray


@dataclass(frozen=True)
class View:
    """Shows R^D in k ≤ 3 coordinates: y = (x − mean) @ basis, basis (D, k) orthonormal."""

    mean: Array
    basis: Array
    explained: float | None  # share of variance the projection keeps; None if nothing dropped


@dataclass(frozen=True)
class NetworkAnimation:
    """Staged hidden layers plus what the figure needs to draw them."""

    layers: list[LayerStages]
    views: list[View]
    figure_dim: int  # 2 (plain plane) or 3
    n_data: int  # the first n_data points are data; the rest are grid samples
    grid_shape: tuple[int, int]  # (n_lines, n_samples)
    input_points: Array  # (n_points, n_inputs)
    input_view: View
    output_weights: Array  # (h, n_outputs) of the output layer
    output_bias: Array  # (n_outputs,)
    activation: str = ""  # the hidden layers' σ, by registry name and label
    activation_label: str = ""


def _embedding(dim: int, k: int) -> View:
    basis = np.zeros((dim, k))
    basis[np.arange(min(dim, k)), np.arange(min(dim, k))] = 1.0
    return View(np.zeros(dim), basis, None)


def pca_view(points: Array, k: int) -> View:
    """The top ``k`` principal axes of the finite rows of ``points`` (n, D), D > k.

    Each axis's sign is fixed by its largest loading, so the picture does not flip between
    two nearly identical snapshots during training. ``explained`` is the share of variance
    the k axes keep.
    """
    finite = points[np.all(np.isfinite(points), axis=1)]
    mean = finite.mean(axis=0)
    _, singular, Vt = np.linalg.svd(finite - mean, full_matrices=False)
    axes = Vt[:k]
    axes = axes * np.sign(axes[np.arange(k), np.argmax(np.abs(axes), axis=1)])[:, None]
    variance = singular**2
    return View(mean, axes.T, float(variance[:k].sum() / max(variance.sum(), 1e-300)))


def project(points: Array, view: View) -> Array:
    """(n, D) → (n, k) in the view's coordinates."""
    return (points - view.mean) @ view.basis


def network_animation(model: MLP, X: Array, grid: Array, n_frames: int = 5) -> NetworkAnimation:
    """Stage every hidden layer of ``model`` on the data X (n, 2) and grid (L, S, 2).

    ``model`` may be a ``LiftedModel``: the animation then starts from the lifted inputs,
    in 3-D for three features and through a labelled PCA view for more.
    """
    points = np.concatenate([X, grid.reshape(-1, grid.shape[-1])])
    trace = model.forward(points, return_trace=True)
    layers = [
        layer_stages(trace[i].inputs, W, b, model.activation, n_frames, layer=i)
        for i, (W, b) in enumerate(zip(model.weights[:-1], model.biases[:-1], strict=True))
    ]
    n_inputs = model.layer_sizes[0]
    dims = [n_inputs] + [layer.dim for layer in layers]
    figure_dim = 2 if max(dims) <= 2 else 3
    views = [
        _embedding(layer.dim, figure_dim) if layer.dim <= 3 else _layer_view(layer)
        for layer in layers
    ]
    return NetworkAnimation(
        layers=layers,
        views=views,
        figure_dim=figure_dim,
        n_data=len(X),
        grid_shape=grid.shape[:2],
        input_points=trace[0].inputs,
        input_view=_embedding(n_inputs, figure_dim)
        if n_inputs <= 3
        else pca_view(trace[0].inputs, 3),
        output_weights=model.weights[-1].copy(),
        output_bias=model.biases[-1].copy(),
        activation=model.activation.name,
        activation_label=model.activation.label,
    )


def _layer_view(layer: LayerStages) -> View:
    """One PCA view for every frame of a layer: fitted to all of them at once."""
    frames = [layer.start] + [f for stage in layer.stages for f in stage.frames]
    return pca_view(np.concatenate(frames), 3)


def _in_plane(points: Array) -> tuple[Array, float | None]:
    """(n, d) → (n, 2): as is for d ≤ 2 (padded with zeros), else its top two principal axes."""
    if points.shape[1] <= 2:
        return np.hstack([points, np.zeros((len(points), 2 - points.shape[1]))]), None
    view = pca_view(points, 2)
    return project(points, view), view.explained


def layer_snapshots(model: MLP, X: Array, grid: Array) -> list[tuple[Array, Array, str]]:
    """Every representation (input, then each hidden layer's σ(z)) in 2-D, from one trace.

    Returns per representation: data (n, 2), grid polylines (m, 2) with NaN rows between
    lines, and a caption ("layer 2 · 8-D, PCA 91 %").
    """
    n_lines, n_samples = grid.shape[:2]
    points = np.concatenate([X, grid.reshape(-1, grid.shape[-1])])
    trace = model.forward(points, return_trace=True)
    spaces = [trace[0].inputs] + [layer.a for layer in trace[:-1]]
    snapshots = []
    for index, space in enumerate(spaces):
        flat, explained = _in_plane(space)
        lines = join_lines(flat[len(X) :].reshape(n_lines, n_samples, 2))
        name = "input" if index == 0 else f"layer {index}"
        note = f"{space.shape[1]}-D" + ("" if explained is None else f", PCA {explained:.0%}")
        snapshots.append((flat[: len(X)], lines, f"{name} · {note}"))
    return snapshots


def frames_per_stage(n_hidden_layers: int, budget: int = 100) -> int:
    """Frames for each stage so the whole animation stays near ``budget`` frames (2..5).

    Every hidden layer has about five stages; a deep net gets fewer in-between frames rather
    than a figure too heavy to send (each frame carries every point).
    """
    return int(np.clip(budget // max(5 * n_hidden_layers, 1), 2, 5))


STAGE_ORDER = (
    "reflect_in",
    "rotate_in",
    "stretch",
    "reflect_out",
    "rotate_out",
    "translate",
    "bend",
)


def stage_summary(anim: NetworkAnimation) -> list[dict[str, str]]:
    """One row per hidden layer: its shape and each stage's numbers (angles, s₁ s₂ …, b, …).

    Columns follow the playing order (a reflection comes before the turn it precedes), one per
    kind of stage any layer has; a layer without that stage shows "—".
    """
    titles: dict[str, str] = {}
    for layer in anim.layers:
        for stage in layer.stages:
            titles.setdefault(stage.kind, stage.title)
    kinds = [kind for kind in STAGE_ORDER if kind in titles]
    rows = []
    for layer in anim.layers:
        details = {stage.kind: stage.detail for stage in layer.stages}
        row = {"layer": f"{layer.layer + 1} ({layer.fan_in}→{layer.fan_out})"}
        rows.append(row | {titles[kind]: details.get(kind, "—") for kind in kinds})
    for row, note in zip(rows, network_notes(anim), strict=True):
        row["what the bend did"] = note
    return rows

"""The Activations page's experiments: arrays and small dataclasses, never figures.

Curves of σ and σ′ with their saturation regions, and one affine map followed by σ animated on the
plane. The gradient norms at initialisation and the live per-layer statistics, which need a
network, live in ``core.labs.gradient_lab`` (with the definitions of *saturated* and *dead*).
Everything reads the registry in ``core.nn.activations``; nothing here knows about the UI.

σ′ is *saturated* at z when |σ′(z)| < ``SATURATION_THRESHOLD`` (0.01).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core.labs.gradient_lab import SATURATION_THRESHOLD
from core.labs.plane import grid_lines
from core.nn.activations import get_activation

__all__ = [
    "Z_RANGE",
    "Bend",
    "affine_matrix",
    "bend_frames",
    "curve",
    "curve_grid",
    "derivative_max",
    "plane_points",
    "properties_table",
    "saturation_regions",
    "statistics_shown",
]

Array = np.ndarray
Z_RANGE = (-6.0, 6.0)  # the z-axis of the curve plots and of the saturation column
_SEARCH = np.linspace(-20.0, 20.0, 40_001)  # where derivative_max looks (step 0.001)


def curve(name: str, z: Array) -> tuple[Array, Array]:
    """σ(z) and σ′(z) on the points ``z`` (n,), both (n,) float64.

    ``step`` has no usable gradient: its derivative is returned as 0 everywhere except NaN
    (undefined: a spike) where z == 0 exactly.
    """
    activation = get_activation(name)
    z = np.asarray(z, dtype=float)
    if z.ndim != 1 or not np.all(np.isfinite(z)):
        raise ValueError(f"z must be a finite 1-D array, got shape {z.shape}")
    values = activation.fn(z)
    if activation.trainable:
        return values, activation.derivative(z)
    return values, np.where(z == 0.0, np.nan, 0.0)


def saturation_regions(
    name: str, z: Array, threshold: float = SATURATION_THRESHOLD
) -> list[tuple[float, float]]:
    """Intervals of the sorted grid ``z`` (n,) where |σ′| < ``threshold``, as (start, end).

    Each interval runs between grid points (a run of saturated points); NaN derivatives (the
    step's undefined point) split intervals.
    """
    if not (np.isfinite(threshold) and threshold > 0):
        raise ValueError(f"threshold must be a positive number, got {threshold}")
    z = np.asarray(z, dtype=float)
    if z.size > 1 and np.any(np.diff(z) <= 0):
        raise ValueError("z must be strictly increasing")
    _, derivative = curve(name, z)
    flat = np.abs(derivative) < threshold  # NaN compares False: it ends a run
    edges = np.diff(np.concatenate([[0], flat.astype(np.int8), [0]]))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) - 1
    return [(float(z[s]), float(z[e])) for s, e in zip(starts, ends, strict=True)]


def derivative_max(name: str) -> float | None:
    """Largest σ′(z) over z ∈ [−20, 20] (sigmoid: 0.25 at z = 0); None for ``step``.

    A supremum approached only as z → ∞ (softplus) shows as its value at z = 20.
    """
    activation = get_activation(name)
    if not activation.trainable:
        return None
    return float(np.max(activation.derivative(_SEARCH)))


def statistics_shown(name: str) -> tuple[bool, bool]:
    """(saturated units, dead units): which live statistic to show for this activation.

    Dead units for a σ that is exactly 0 for every negative z (ReLU, step): counting them as
    saturated too would show the same units twice. Saturation for every other trainable σ.
    """
    activation = get_activation(name)
    can_die = bool(np.all(activation.fn(np.linspace(-10.0, -1e-3, 50)) == 0.0))
    return activation.trainable and not can_die, can_die


def curve_grid(n_points: int = 1201) -> Array:
    """The z-axis of the curve plots: ``n_points`` evenly over ``Z_RANGE``, (n_points,)."""
    return np.linspace(*Z_RANGE, n_points)


def _number(value: float, digits: int = 1) -> str:
    if np.isinf(value):
        return "∞" if value > 0 else "−∞"
    return f"{value:.{digits}f}".rstrip("0").rstrip(".").replace("-", "−") or "0"


def _format_regions(regions: list[tuple[float, float]]) -> str:
    low, high = Z_RANGE

    def part(start: float, end: float) -> str:
        if end - start < 0.2:  # σ′ only crosses zero here (a turning point of σ)
            return f"z ≈ {_number((start + end) / 2)}"
        if start <= low:
            return f"z < {_number(end)}"
        return f"z > {_number(start)}" if end >= high else f"{_number(start)} < z < {_number(end)}"

    return ", ".join(part(s, e) for s, e in regions) or "nowhere"


def properties_table(names: Sequence[str]) -> list[dict[str, str]]:
    """One row of plain text per activation: formula, range, zero-centred, max σ′, saturation.

    Saturation lists where |σ′| < 0.01 on z ∈ ``Z_RANGE`` (grid step 0.01).
    """
    z = curve_grid()
    rows = []
    for name in names:
        activation = get_activation(name)
        peak = derivative_max(name)
        rows.append(
            {
                "activation": activation.label,
                "formula": activation.formula,
                "output range": " to ".join(_number(v, 2) for v in activation.output_range),
                "zero-centred": "yes" if activation.zero_centred else "no",
                "max σ′": "undefined (no gradient: cannot be trained)"
                if peak is None
                else f"{peak:.3g}",
                "|σ′| < 0.01 where": _format_regions(saturation_regions(name, z))
                if activation.trainable
                else "everywhere: σ′ = 0 except at 0",
            }
        )
    return rows


def plane_points(X: Array, n_lines: int = 11, n_samples: int = 41) -> tuple[Array, tuple]:
    """Data X (n, 2) followed by a grid centred on the origin (where M rotates about) that
    covers the data and at least [−1.2, 1.2]²: (n + 2·n_lines·n_samples, 2) and the grid's
    (2·n_lines, n_samples) shape, ready for ``bend_frames``."""
    half = max(1.2, float(np.abs(X).max(initial=0.0)))
    grid = grid_lines((-half, half, -half, half), n_lines, n_samples)
    return np.concatenate([X, grid.reshape(-1, 2)]), grid.shape[:2]


@dataclass(frozen=True)
class Bend:
    """One affine map then σ, animated: ``frames`` (n_frames_total, n_points, 2).

    Frame 0 is the input x; frames 1..n_frames move x to z = x Mᵀ + shift (angle, scales and
    shift grow together, so no frame is singular); the last n_frames move z to σ(z) along
    (1 − t)·z + t·σ(z). ``titles`` and ``labels`` (slider label or None) are per frame.
    """

    frames: Array
    titles: list[str]
    labels: list[str | None]
    z: Array
    a: Array


def affine_matrix(angle: float, scale_x: float, scale_y: float) -> Array:
    """M = diag(scale_x, scale_y) · R(angle): rotate by ``angle`` degrees, then stretch the
    axes σ acts on. Shape (2, 2), column convention (z = M x + shift)."""
    theta = np.radians(angle)
    rotation = np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
    return np.diag([scale_x, scale_y]) @ rotation


def _check_bend(points: Array, scales: tuple[float, float], shift: Array, n_frames: int) -> None:
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"points must have shape (n_points, 2), got {points.shape}")
    for label, scale in zip(("scale_x", "scale_y"), scales, strict=True):
        if not (np.isfinite(scale) and 0 < scale <= 10):
            raise ValueError(f"{label} must be in (0, 10], got {scale}")
    if shift.shape != (2,) or not np.all(np.isfinite(shift)):
        raise ValueError(f"shift must be two finite numbers, got {shift.tolist()}")
    if not 1 <= n_frames <= 60:
        raise ValueError(f"n_frames must be 1..60, got {n_frames}")


def bend_frames(
    points: Array,
    angle: float,
    scale_x: float,
    scale_y: float,
    shift: Sequence[float],
    activation: str,
    n_frames: int = 10,
) -> Bend:
    """Animate x → z = M x + shift → σ(z) on ``points`` (n_points, 2); NaN rows pass through.

    Returns a ``Bend`` with 2·n_frames + 1 frames; its last frame equals σ(z) exactly.
    """
    points, shift = np.asarray(points, dtype=float), np.asarray(shift, dtype=float)
    _check_bend(points, (scale_x, scale_y), shift, n_frames)
    if not np.isfinite(angle):
        raise ValueError(f"angle must be a finite number of degrees, got {angle}")
    sigma = get_activation(activation)
    ts = np.linspace(0.0, 1.0, n_frames + 1)[1:]
    moves = [
        points @ affine_matrix(t * angle, 1 + t * (scale_x - 1), 1 + t * (scale_y - 1)).T
        + t * shift
        for t in ts
    ]
    z = points @ affine_matrix(angle, scale_x, scale_y).T + shift
    a = sigma.fn(z)
    bends = [(1 - t) * z + t * a for t in ts]
    moves[-1], bends[-1] = z, a
    affine = f"Affine: rotate {angle:g}°, stretch, shift"
    titles = ["The input plane x"] + [affine] * n_frames + [f"Bend: σ = {sigma.label}"] * n_frames
    labels = ["x"] + [None] * (n_frames - 1) + ["z"] + [None] * (n_frames - 1) + ["σ(z)"]
    return Bend(np.stack([points, *moves, *bends]), titles, labels, z, a)

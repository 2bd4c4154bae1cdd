"""Geometry of one layer: W as rotate–stretch–rotate, then translate by b, then bend by σ.

For a layer z = x W + b with W of shape (fan_in, fan_out), the map on column vectors is
M = Wᵀ = U Σ Vᵀ: rotate by Vᵀ (in the input space), stretch by Σ (this is where the dimension
changes: a wider layer lifts the sheet into new dimensions, a narrower one flattens some away),
rotate by U (in the output space). Rotations are interpolated along their own angles (real
Schur form), scales linearly, so no intermediate frame is a straight blend from I to W (which
can pass through singular matrices). A reflection is split off and shown as its own flip.

Every frame lives in R^D with D = max(fan_in, fan_out); the input space is the first fan_in
coordinates and the output space the first fan_out. Stages return arrays, never figures.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.linalg import schur

from core.nn.activations import Activation

__all__ = [
    "LayerStages",
    "Stage",
    "interpolated_rotation",
    "layer_stages",
    "proper_svd",
    "rotation_angles",
]

Array = np.ndarray


@dataclass(frozen=True)
class Stage:
    """One animated step of a layer: positions of every point at each frame.

    ``frames`` has shape (n_frames, n_points, D); the last frame is the stage's result.
    """

    kind: str  # reflect_in | rotate_in | stretch | reflect_out | rotate_out | translate | bend
    title: str
    detail: str
    frames: Array


@dataclass(frozen=True)
class LayerStages:
    """All stages of one layer, starting from ``start`` (n_points, D)."""

    layer: int
    fan_in: int
    fan_out: int
    start: Array
    stages: list[Stage]

    @property
    def dim(self) -> int:
        return max(self.fan_in, self.fan_out)

    @property
    def end(self) -> Array:
        """Final positions (n_points, fan_out): the layer's activations."""
        return self.stages[-1].frames[-1][:, : self.fan_out]


def proper_svd(M: Array) -> tuple[Array, Array, Array]:
    """SVD M = U diag(S) Vᵀ[:k] with det U = det Vᵀ = +1 wherever the freedom allows.

    Singular pairs (uᵢ, vᵢ) can be negated together, and the columns of U (rows of Vᵀ) beyond
    k = min(m, n) are free. Only a square M with det M < 0 keeps one reflection, put in Vᵀ.
    """
    U, S, Vt = np.linalg.svd(M)
    n_out, n_in, k = M.shape[0], M.shape[1], S.size

    def flip_pair(i: int) -> None:
        U[:, i] *= -1
        Vt[i, :] *= -1

    if np.linalg.det(Vt) < 0:
        if n_in > k:
            Vt[-1, :] *= -1
        else:
            flip_pair(k - 1)
    if np.linalg.det(U) < 0:
        if n_out > k:
            U[:, -1] *= -1
        elif n_in > k:
            flip_pair(k - 1)
            Vt[-1, :] *= -1
        # else: square and det M < 0: flip the pair back so the reflection sits in Vᵀ.
        else:
            flip_pair(k - 1)
    return U, S, Vt


def _rotation_blocks(R: Array) -> tuple[Array, list[tuple[int, int, float]]]:
    """Real Schur form R = Q T Qᵀ of a rotation, as Q and the planes (i, i+1, angle)."""
    T, Q = schur(R, output="real")
    planes, diag, i = [], np.diag(T), 0
    lone_flips = []
    while i < len(T):
        if i + 1 < len(T) and abs(T[i + 1, i]) > 1e-12:
            planes.append((i, i + 1, float(np.arctan2(T[i + 1, i], T[i, i]))))
            i += 2
        else:
            if diag[i] < 0:
                lone_flips.append(i)
            i += 1
    # Eigenvalue −1 comes in pairs in a rotation (det = +1): each pair is a half-turn.
    # Orthogonal matrices are normal, so T is block diagonal and the plane (a, b) is free.
    for a, b in zip(lone_flips[::2], lone_flips[1::2], strict=True):
        planes.append((a, b, float(np.pi)))
    return Q, planes


def interpolated_rotation(R: Array, t: float) -> Array:
    """R(t) with R(0) = I and R(1) = R, turning every invariant plane by t times its angle.

    R must be orthogonal with det +1. Returns a rotation for every t.
    """
    if R.shape[0] == 1 or t == 1.0:
        return R.copy() if t == 1.0 else np.eye(R.shape[0])
    Q, planes = _rotation_blocks(R)
    T = np.eye(R.shape[0])
    for i, j, angle in planes:
        c, s = np.cos(t * angle), np.sin(t * angle)
        T[i, i], T[i, j], T[j, i], T[j, j] = c, -s, s, c
    return Q @ T @ Q.T


def rotation_angles(R: Array) -> list[float]:
    """The turning angles of a rotation in degrees, largest first (one per invariant plane)."""
    if R.shape[0] == 1:
        return []
    return sorted((abs(np.degrees(a)) for _, _, a in _rotation_blocks(R)[1]), reverse=True)


def _flip(dim: int, axis: int) -> Array:
    F = np.eye(dim)
    F[axis, axis] = -1.0
    return F


def _pad(points: Array, dim: int) -> Array:
    return np.hstack([points, np.zeros((len(points), dim - points.shape[1]))])


def _frames(ts: Array, positions_at) -> Array:
    return np.stack([positions_at(t) for t in ts])


def _rotation_stages(
    points: Array, R: Array, dim: int, ts: Array, side: str, name: str
) -> tuple[list[Stage], Array]:
    """Stages applying the orthogonal R (acting on the first R.shape[0] coordinates)."""
    n = R.shape[0]
    stages = []
    if np.linalg.det(R) < 0:
        F = _flip(n, n - 1)
        flip_scale = 1.0 - 2.0 * ts  # the flipped axis scales 1 → −1: a mirror, not a turn
        start = points

        def flipped(t_index: int) -> Array:
            out = start.copy()
            out[:, n - 1] *= flip_scale[t_index]
            return out

        frames = np.stack([flipped(i) for i in range(len(ts))])
        frames[-1] = _apply(start, F, dim)
        stages.append(
            Stage(
                f"reflect_{side}",
                f"reflect ({name} has det −1)",
                f"mirror axis {n} of {name}",
                frames,
            )
        )
        points, R = frames[-1], R @ F  # R = (R F) F and R F is a proper rotation
    angles = rotation_angles(R)
    if not any(a > 1e-9 for a in angles):
        return stages, points  # nothing turns (e.g. a 1-D space): no empty stage
    detail = ", ".join(f"{a:.1f}°" for a in angles)
    frames = _frames(ts, lambda t: _apply(points, interpolated_rotation(R, t), dim))
    frames[-1] = _apply(points, R, dim)
    stages.append(Stage(f"rotate_{side}", f"rotate by {name}", detail, frames))
    return stages, frames[-1]


def _apply(points: Array, R: Array, dim: int) -> Array:
    """Apply R (n × n, column convention) to the first n coordinates of points (p, dim)."""
    n = R.shape[0]
    out = points.copy()
    out[:, :n] = points[:, :n] @ R.T
    return out


def _stretch_stage(points: Array, S: Array, fan_in: int, fan_out: int, ts: Array) -> Stage:
    dim = max(fan_in, fan_out)
    target = np.zeros(dim)  # final scale per axis; axes beyond fan_out collapse to 0
    target[: S.size] = S
    scales = lambda t: (1.0 - t) + t * target  # noqa: E731 - linear in the scale, per axis
    frames = _frames(ts, lambda t: points * scales(t))
    if fan_out > fan_in:
        change = f"lifts {fan_in}-D into {fan_out}-D"
    elif fan_out < fan_in:
        change = f"flattens {fan_in}-D to {fan_out}-D"
    else:
        change = f"stays {fan_out}-D"
    # s₁ ≥ s₂ ≥ …: singular values (σ is kept for the activation).
    detail = ", ".join(f"s{_subscript(i + 1)} = {s:.2f}" for i, s in enumerate(S)) + f"; {change}"
    return Stage("stretch", "stretch by Σ", detail, frames)


def _subscript(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


def layer_stages(
    points: Array, W: Array, b: Array, activation: Activation, n_frames: int = 6, layer: int = 0
) -> LayerStages:
    """Animate one layer on ``points`` (n_points, fan_in); rows may be NaN (line breaks).

    Returns the stages rotate Vᵀ (with a reflection first if needed) → stretch Σ → rotate U
    → translate b → bend σ, each with ``n_frames`` frames at t = 1/n_frames … 1. The last frame
    of the last stage equals σ(points @ W + b) up to rounding (≤ 1e-12 relative).
    """
    fan_in, fan_out = W.shape
    dim = max(fan_in, fan_out)
    ts = np.linspace(0.0, 1.0, n_frames + 1)[1:]
    U, S, Vt = proper_svd(W.T)
    start = _pad(points, dim)
    stages, current = _rotation_stages(start, Vt, dim, ts, "in", "Vᵀ")
    stretch = _stretch_stage(current, S, fan_in, fan_out, ts)
    stages.append(stretch)
    out_stages, current = _rotation_stages(stretch.frames[-1], U, dim, ts, "out", "U")
    stages += out_stages
    shift = _pad(b[None, :], dim)[0]
    translate = _frames(ts, lambda t: current + t * shift)
    detail = "b = (" + ", ".join(f"{v:+.2f}" for v in b) + ")"
    stages.append(Stage("translate", "translate by b", detail, translate))
    z = translate[-1]
    bent = activation.fn(z[:, :fan_out])
    bend = _frames(ts, lambda t: np.hstack([(1 - t) * z[:, :fan_out] + t * bent, z[:, fan_out:]]))
    bend[-1][:, :fan_out] = bent
    stages.append(Stage("bend", f"bend by σ = {activation.label}", activation.formula, bend))
    return LayerStages(layer, fan_in, fan_out, start, stages)

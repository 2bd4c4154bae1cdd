"""Where a linear read-out changes its decision, inside a box: segments in 2-D, polygons in 3-D.

The output layer reads the last representation linearly: logits ``z(y) = y @ A + c`` for points
``y`` of shape (k,), k = 2 or 3, and K outputs. With one output (binary, sigmoid) the decision
boundary is the hyperplane ``z = 0``. With K ≥ 2 classes (softmax) the boundary between classes
i and j is the part of the hyperplane ``z_i = z_j`` where both beat every other class: a convex
piece, cut out of that hyperplane by the half-spaces ``z_i ≥ z_m`` (m ≠ i, j). Each piece is
computed exactly by clipping (Sutherland–Hodgman) the hyperplane's patch inside the box, so
every point drawn ties the two top logits.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np

__all__ = ["clip", "decision_pieces", "hyperplane_patch"]

Array = np.ndarray
EPS = 1e-12


def hyperplane_patch(normal: Array, offset: float, low: Array, high: Array) -> Array | None:
    """Vertices of ``{y : normal·y + offset = 0}`` inside the box ``[low, high]``.

    A segment (2, 2) in 2-D, a convex polygon (m, 3) with vertices in order in 3-D; None if the
    hyperplane misses the box or ``normal`` is zero.
    """
    k = normal.size
    axis = int(np.argmax(np.abs(normal)))
    if abs(normal[axis]) < EPS:
        return None
    others = [i for i in range(k) if i != axis]
    if k == 2:
        corners = np.array([[low[others[0]]], [high[others[0]]]])
    else:
        (a, b) = others
        corners = np.array(
            [[low[a], low[b]], [high[a], low[b]], [high[a], high[b]], [low[a], high[b]]]
        )
    points = np.zeros((len(corners), k))
    points[:, others] = corners
    points[:, axis] = -(offset + corners @ normal[others]) / normal[axis]
    # The dependent coordinate may leave the box: cut it back to [low, high] on that axis.
    unit = np.zeros(k)
    unit[axis] = 1.0
    points = clip(points, unit, -low[axis])
    points = clip(points, -unit, high[axis])
    return points if len(points) >= 2 else None


def clip(points: Array, normal: Array, offset: float) -> Array:
    """The part of a segment (2, k) or convex polygon (m ≥ 3, k) where ``normal·y + offset ≥ 0``.

    Returns the clipped vertices (possibly none); polygon vertices stay in order.
    """
    values = points @ normal + offset
    if len(points) == 2:
        (a, b), (fa, fb) = points, values
        if fa < -EPS and fb < -EPS:
            return points[:0]
        if fa < -EPS:
            a = a + fa / (fa - fb) * (b - a)
        elif fb < -EPS:
            b = b + fb / (fb - fa) * (a - b)
        return np.array([a, b])
    kept = []
    for index, (point, value) in enumerate(zip(points, values, strict=True)):
        following = (index + 1) % len(points)
        nxt, nxt_value = points[following], values[following]
        if value >= -EPS:
            kept.append(point)
        # A crossing strictly between the two (a vertex on the line is kept by itself).
        if (value > EPS and nxt_value < -EPS) or (value < -EPS and nxt_value > EPS):
            kept.append(point + value / (value - nxt_value) * (nxt - point))
    return np.array(kept).reshape(-1, points.shape[1])


def decision_pieces(A: Array, c: Array, low: Array, high: Array) -> list[Array]:
    """Every piece of the decision boundary of ``z(y) = y @ A + c`` inside ``[low, high]``.

    ``A`` (k, K), ``c`` (K,). One output: the hyperplane ``z = 0``. K ≥ 2: per pair of classes
    the convex piece where the two tie above all others. Segments (2, 2) in 2-D, polygons
    (m ≥ 3, 3) in 3-D; pieces that vanish are left out.
    """
    A, c = np.asarray(A, float), np.asarray(c, float)
    k, n_outputs = A.shape
    if n_outputs == 1:
        patch = hyperplane_patch(A[:, 0], float(c[0]), low, high)
        return [] if patch is None else [patch]
    pieces = []
    for i, j in combinations(range(n_outputs), 2):
        piece = hyperplane_patch(A[:, i] - A[:, j], float(c[i] - c[j]), low, high)
        for m in range(n_outputs):
            if piece is None or len(piece) < 2:
                break
            if m not in (i, j):
                piece = clip(piece, A[:, i] - A[:, m], float(c[i] - c[m]))
        if piece is not None and len(piece) >= (2 if k == 2 else 3):
            pieces.append(piece)
    return pieces

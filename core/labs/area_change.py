"""Area change and folds: how much each move of a layer stretches or squeezes each grid cell.

A layer z = x W + b, a = σ(z) is shown as the moves Vᵀ (rotate), Σ (stretch), U (rotate),
b (shift) and σ (bend), with W = U Σ Vᵀ as in ``core.labs.layer_stages``. Each move maps a small
cell of the carried grid to a new cell; its shade is log |det J|, the log of the factor by which
that move scales the cell's area (0: unchanged, > 0: stretched, < 0: squeezed, −∞: flattened).

- A linear move M (Vᵀ, Σ, U, or W as a whole) scales every cell alike: the shade is the exact
  log |det M| everywhere, computed as Σᵢ log sᵢ over its singular values. A move that changes
  the dimension (Σ and W of a layer whose width differs from its input's) has no determinant:
  its shade is the log of the product of its min(fan_in, fan_out) singular values, the factor
  by which it scales the area (or volume) of a sheet lying in its row space. That is exactly
  the area change of the input plane in a first layer; deeper, where the carried sheet is
  curved, it is the factor on the row space, not on the sheet. A zero singular value gives −∞.
- The translation b moves every cell rigidly: 0 everywhere.
- σ acts on each coordinate separately, so its Jacobian is diag(σ′(z)) and differs per cell.
  The shade is measured on the cells themselves: the area of the cell spanned by the mapped
  corners σ(z) over the area spanned by the corners z (each cell as two triangles, in any
  dimension), which is log |det diag(σ′(z))| to first order in the cell size when the layer
  is 2 units wide, and the sheet's own area change when it is wider.
- A kinked activation (ReLU, leaky ReLU, step) creases space along z = 0 of each unit; a cell
  is *folded* when some unit's pre-activation changes sign inside it. z is affine on the cell
  (the cell's corners span it), so it changes sign inside exactly when its corners hold values
  of both signs: min < 0 < max. A zero that only touches a corner or an edge is not a fold.
  With ReLU the side z < 0 is flattened onto the axis; a cell wholly on that side of a unit
  has area 0 after σ (shade −∞).

Corners are lattices (n_rows, n_cols, D): cell (i, j) has corners [i, j], [i, j + 1],
[i + 1, j + 1], [i + 1, j]. Arrays only; pictures are drawn in ``core.figures``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.labs.layer_stages import proper_svd
from core.labs.linear_regions import KINKED
from core.nn.activations import Activation

__all__ = [
    "MOVES",
    "StageArea",
    "bend_log_area",
    "cell_areas",
    "folded_cells",
    "layer_area_changes",
    "log_area_factor",
    "move_of_stage",
]

Array = np.ndarray
FLAT = 1e-12  # a cell smaller than this share of the picture's squared span has no area
MOVES = ("Vᵀ", "Σ", "U", "b", "σ")  # in the order the layer applies them
# layer_stages' stage kinds → the move they belong to (a reflection is part of its rotation).
_STAGE_MOVES = {
    "reflect_in": "Vᵀ",
    "rotate_in": "Vᵀ",
    "stretch": "Σ",
    "reflect_out": "U",
    "rotate_out": "U",
    "translate": "b",
    "bend": "σ",
}


@dataclass(frozen=True)
class StageArea:
    """One move's area change per grid cell.

    ``log_area`` (n_rows − 1, n_cols − 1): log of the area factor of each cell (−∞: flattened).
    ``folded`` (same shape, bool): σ's kink runs through the cell (always False but for σ).
    """

    move: str  # one of MOVES
    log_area: Array
    folded: Array

    @property
    def flattened(self) -> Array:
        """Cells whose area this move takes to zero."""
        return np.isneginf(self.log_area)


def move_of_stage(kind: str) -> str:
    """The move (one of ``MOVES``) a ``core.labs.layer_stages.Stage`` kind belongs to."""
    return _STAGE_MOVES[kind]


def log_area_factor(M: Array) -> float:
    """log of the product of the min(m, n) singular values of M (m, n): log |det M| if square.

    −∞ when a singular value is 0 (the move flattens space).
    """
    singular = np.linalg.svd(np.asarray(M, dtype=float), compute_uv=False)
    with np.errstate(divide="ignore"):
        return float(np.sum(np.log(singular)))


def _triangle_areas(first: Array, second: Array) -> Array:
    if first.shape[-1] == 2:
        # On the plane the cross product is exact: a triangle flattened onto an axis
        # (ReLU's zero side) has area 0, not the ~1e-9 the Gram determinant's cancellation left.
        return 0.5 * np.abs(first[..., 0] * second[..., 1] - first[..., 1] * second[..., 0])
    # ½ √(|u|²|v|² − (u·v)²): the Gram determinant works in any dimension.
    gram = (
        np.einsum("...k,...k", first, first) * np.einsum("...k,...k", second, second)
        - np.einsum("...k,...k", first, second) ** 2
    )
    return 0.5 * np.sqrt(np.maximum(gram, 0.0))


def cell_areas(corners: Array) -> Array:
    """Area of every cell of a lattice (n_rows, n_cols, D) → (n_rows − 1, n_cols − 1).

    Each cell is the two triangles on either side of its diagonal [i, j]–[i + 1, j + 1], so a
    cell that a map folds over itself counts both halves, and a flattened cell has area 0.
    """
    corners = np.asarray(corners, dtype=float)
    top_left, top_right = corners[:-1, :-1], corners[:-1, 1:]
    bottom_left, bottom_right = corners[1:, :-1], corners[1:, 1:]
    diagonal = bottom_right - top_left
    return _triangle_areas(top_right - top_left, diagonal) + _triangle_areas(
        diagonal, bottom_left - top_left
    )


def bend_log_area(z_corners: Array, activation: Activation) -> Array:
    """log(area of σ(cell) / area of the cell) for the pre-activation lattice (n_rows, n_cols, k).

    Returns (n_rows − 1, n_cols − 1); −∞ where σ flattens a cell (ReLU on its negative side),
    NaN where the cell had no area left to change (an earlier move flattened it).
    """
    z_corners = np.asarray(z_corners, dtype=float)
    before = cell_areas(z_corners)
    after = cell_areas(activation.fn(z_corners))
    # A cell flattened earlier and then moved linearly keeps a rounding-size area (~1e-17 of
    # the picture's): no area left, not one whose ratio means anything.
    finite = z_corners[np.isfinite(z_corners)]
    left = before > FLAT * (float(np.ptp(finite)) ** 2 if finite.size else 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(left, np.log(after) - np.log(before), np.nan)


def folded_cells(z_corners: Array) -> Array:
    """Cells inside which some unit's pre-activation changes sign, (n_rows − 1, n_cols − 1).

    ``z_corners`` (n_rows, n_cols, k) holds every unit's z at the lattice points; z is affine
    on a cell, so it changes sign inside exactly when its corners hold both signs.
    """
    z = np.asarray(z_corners, dtype=float)
    stacked = np.stack([z[:-1, :-1], z[:-1, 1:], z[1:, :-1], z[1:, 1:]])
    return np.any((stacked.min(axis=0) < 0) & (stacked.max(axis=0) > 0), axis=-1)


def layer_area_changes(
    corners: Array, W: Array, b: Array, activation: Activation
) -> dict[str, StageArea]:
    """Every move's area change on the cells of ``corners`` (n_rows, n_cols, fan_in).

    ``corners`` is the lattice at the layer's input (for a first layer, points of the input
    plane; deeper, the previous layer's traced activations at those points). W (fan_in,
    fan_out), b (fan_out,). Returns move → ``StageArea`` for ``MOVES`` in order, plus "W" (the
    three linear moves at once: their shades add up to its shade). Linear moves are the exact
    log-area factors of their matrices (see the module docstring), σ is measured per cell.
    """
    corners = np.asarray(corners, dtype=float)
    U, S, Vt = proper_svd(W.T)
    cells = (corners.shape[0] - 1, corners.shape[1] - 1)
    no_folds = np.zeros(cells, dtype=bool)

    def everywhere(move: str, value: float) -> StageArea:
        return StageArea(move, np.full(cells, value), no_folds)

    z = corners @ W + b
    folds = folded_cells(z) if activation.name in KINKED else no_folds
    return {
        "Vᵀ": everywhere("Vᵀ", log_area_factor(Vt)),
        "Σ": everywhere("Σ", log_area_factor(np.diag(S))),
        "U": everywhere("U", log_area_factor(U)),
        "b": everywhere("b", 0.0),
        "σ": StageArea("σ", bend_log_area(z, activation), folds),
        "W": everywhere("W", log_area_factor(W)),
    }

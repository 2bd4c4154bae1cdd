"""Area change per move and ReLU folds (core/labs/area_change.py), checked against geometry.

Linear moves: the shade is log |det| of the matrix in every cell, and it matches the areas of
the mapped cells measured from their corners. ReLU: the folded cells of a hand-made layer are
exactly those through which a unit's zero line passes, found by sampling inside each cell.
"""

from __future__ import annotations

import numpy as np
import pytest

from core.labs.area_change import (
    MOVES,
    bend_log_area,
    cell_areas,
    folded_cells,
    layer_area_changes,
    log_area_factor,
    move_of_stage,
)
from core.labs.layer_stages import layer_stages
from core.nn.activations import ACTIVATIONS


def lattice(n: int = 9, low: float = -1.0, high: float = 1.0) -> np.ndarray:
    """(n, n, 2) points; row i has y = ys[i] (ascending), column j has x = xs[j]."""
    xs = np.linspace(low, high, n)
    grid_x, grid_y = np.meshgrid(xs, xs)
    return np.stack([grid_x, grid_y], axis=-1)


def test_cell_areas_of_a_unit_lattice_and_of_a_folded_cell():
    np.testing.assert_allclose(cell_areas(lattice(3, 0.0, 2.0)), np.ones((2, 2)))
    # A cell folded over its diagonal (one corner moved onto another): its two halves lie on
    # top of each other, and both count.
    folded = np.array([[[0.0, 0.0], [1.0, 0.0]], [[1.0, 0.0], [1.0, 1.0]]])
    np.testing.assert_allclose(cell_areas(folded), [[0.5 + 0.5]])
    # In 3-D a tilted unit square keeps its area.
    tilted = np.concatenate([lattice(2, 0.0, 1.0), np.zeros((2, 2, 1))], axis=-1)
    tilted = tilted @ np.array([[1.0, 0, 0], [0, np.cos(0.7), np.sin(0.7)], [0, 0, 1.0]])
    np.testing.assert_allclose(cell_areas(tilted), [[1.0]])


@pytest.mark.parametrize("seed", range(6))
def test_linear_moves_shade_every_cell_with_log_abs_det(seed):
    rng = np.random.default_rng(seed)
    W, b = rng.normal(size=(2, 2)), rng.normal(size=2)
    corners = lattice()
    areas = layer_area_changes(corners, W, b, ACTIVATIONS["tanh"])
    log_det = np.log(abs(np.linalg.det(W)))
    assert list(areas)[: len(MOVES)] == list(MOVES)
    for move, expected in (("Vᵀ", 0.0), ("Σ", log_det), ("U", 0.0), ("b", 0.0), ("W", log_det)):
        assert areas[move].log_area.shape == (8, 8)
        np.testing.assert_allclose(areas[move].log_area, expected, rtol=0, atol=1e-9)
        assert not areas[move].folded.any()
    # The same number measured on the mapped cells themselves.
    measured = np.log(cell_areas(corners @ W + b) / cell_areas(corners))
    np.testing.assert_allclose(measured, areas["W"].log_area, rtol=0, atol=1e-9)


def test_a_lifting_layer_shades_with_the_area_factor_of_the_plane():
    rng = np.random.default_rng(3)
    W = rng.normal(size=(2, 3))  # 2-D → 3-D: no determinant; the plane's area factor instead
    corners = lattice()
    areas = layer_area_changes(corners, W, np.zeros(3), ACTIVATIONS["identity"])
    sheet_factor = 0.5 * np.log(np.linalg.det(W @ W.T))  # √det(W Wᵀ): Gram of the images
    np.testing.assert_allclose(areas["Σ"].log_area, sheet_factor, atol=1e-9)
    np.testing.assert_allclose(areas["W"].log_area, sheet_factor, atol=1e-9)
    measured = np.log(cell_areas(corners @ W) / cell_areas(corners))
    np.testing.assert_allclose(measured, sheet_factor, atol=1e-9)
    np.testing.assert_allclose(areas["σ"].log_area, 0.0, atol=1e-9)  # identity bends nothing


def test_a_singular_matrix_flattens_everything():
    assert log_area_factor(np.array([[1.0, 2.0], [2.0, 4.0]])) < -30  # rounding: not exactly 0
    assert log_area_factor(np.diag([1.0, 0.0])) == -np.inf


def _sign_changes_by_sampling(corners: np.ndarray, W: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Independent truth: sample 41 × 41 points inside each cell, look for both signs of z."""
    t = np.linspace(0.0, 1.0, 41)
    s, u = np.meshgrid(t, t)
    rows, cols = corners.shape[0] - 1, corners.shape[1] - 1
    found = np.zeros((rows, cols), dtype=bool)
    for i in range(rows):
        for j in range(cols):
            origin, right, up = corners[i, j], corners[i, j + 1], corners[i + 1, j]
            inside = origin + s[..., None] * (right - origin) + u[..., None] * (up - origin)
            z = inside.reshape(-1, 2) @ W + b
            found[i, j] = np.any((z.min(axis=0) < -1e-12) & (z.max(axis=0) > 1e-12))
    return found


def test_relu_folds_exactly_the_cells_a_zero_line_runs_through():
    # z₁ = x − 0.3 crosses the cells of column 5 (x ∈ [0.25, 0.5]); z₂ = y + 0.1 those of row 3
    # (y ∈ [−0.25, 0]). Lattice step 0.25 on [−1, 1].
    corners = lattice()
    W, b = np.eye(2), np.array([-0.3, 0.1])
    areas = layer_area_changes(corners, W, b, ACTIVATIONS["relu"])
    rows, cols = np.indices((8, 8))
    expected = (cols == 5) | (rows == 3)
    np.testing.assert_array_equal(areas["σ"].folded, expected)
    np.testing.assert_array_equal(expected, _sign_changes_by_sampling(corners, W, b))
    # Wholly on the negative side of a unit: flattened onto its axis, area 0.
    np.testing.assert_array_equal(areas["σ"].flattened, (cols < 5) | (rows < 3))
    # Wholly on the positive side of both: ReLU is the identity there.
    untouched = (cols > 5) & (rows > 3)
    np.testing.assert_allclose(areas["σ"].log_area[untouched], 0.0, atol=1e-12)


def test_a_zero_line_along_the_lattice_touches_cells_without_folding_them():
    corners = lattice()
    folds = layer_area_changes(corners, np.eye(2), np.array([-0.25, -2.0]), ACTIVATIONS["relu"])
    assert not folds["σ"].folded.any()  # z₁ = 0 lies exactly on the line x = 0.25


@pytest.mark.parametrize("seed", range(4))
def test_relu_folds_match_sampling_on_a_tilted_layer(seed):
    rng = np.random.default_rng(seed)
    corners = lattice(12)
    W, b = rng.normal(size=(2, 2)), rng.normal(scale=0.5, size=2)
    folds = layer_area_changes(corners, W, b, ACTIVATIONS["relu"])["σ"].folded
    assert folds.any()
    np.testing.assert_array_equal(folds, _sign_changes_by_sampling(corners, W, b))


def test_smooth_activations_never_fold_and_kinked_ones_do():
    corners, W, b = lattice(), np.eye(2), np.array([-0.3, 0.1])
    for name in ("tanh", "sigmoid", "softplus", "identity"):
        assert not layer_area_changes(corners, W, b, ACTIVATIONS[name])["σ"].folded.any()
    for name in ("relu", "leaky_relu", "step"):
        assert layer_area_changes(corners, W, b, ACTIVATIONS[name])["σ"].folded.any()


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "softplus"])
def test_a_smooth_bend_shades_with_the_jacobian_on_fine_cells(name):
    corners = lattice(81, -2.0, 2.0) * np.array([1.5, 0.8]) + np.array([0.3, -0.2])
    activation = ACTIVATIONS[name]
    centres = (corners[:-1, :-1] + corners[1:, 1:]) / 2
    jacobian = np.sum(np.log(np.abs(activation.grad(centres))), axis=-1)  # log |det diag σ′|
    np.testing.assert_allclose(bend_log_area(corners, activation), jacobian, atol=2e-3)


def test_folded_cells_take_any_number_of_units():
    z = np.zeros((3, 3, 4))
    z[1, 1, 3] = -1.0
    z[0, 0, 3] = 1.0  # unit 3 changes sign inside cell (0, 0) only
    np.testing.assert_array_equal(folded_cells(z), [[True, False], [False, False]])


def test_every_stage_of_layer_stages_has_a_move():
    W = np.array([[0.0, 1.0], [1.0, 0.0]]) * 1.5  # det < 0: a reflection stage appears
    X = lattice(3).reshape(-1, 2)
    stages = layer_stages(X, W, np.array([0.1, 0.2]), ACTIVATIONS["relu"], n_frames=2).stages
    kinds = [stage.kind for stage in stages]
    assert "reflect_in" in kinds
    assert [move_of_stage(kind) for kind in kinds if kind != "reflect_in"] == [
        m for m in MOVES if m in {move_of_stage(k) for k in kinds}
    ]

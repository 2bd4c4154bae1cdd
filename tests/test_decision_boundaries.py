"""Decision boundaries of a linear read-out: hand-computed cases and properties."""

from __future__ import annotations

import numpy as np
import pytest

from core.labs.decision_boundaries import clip, decision_pieces, hyperplane_patch

LOW, HIGH = np.array([-1.0, -1.0]), np.array([1.0, 1.0])


def _as_set(pieces):
    return sorted(tuple(sorted(map(tuple, np.round(piece, 9)))) for piece in pieces)


def test_three_classes_meet_at_the_origin_along_three_rays():
    # Logits (x, y, 0): class 0 wins where x is largest, 1 where y is, 2 where both are < 0.
    A = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    pieces = decision_pieces(A, np.zeros(3), LOW, HIGH)
    expected = [
        np.array([[0.0, 0.0], [1.0, 1.0]]),  # 0 | 1: x = y with x, y ≥ 0
        np.array([[0.0, -1.0], [0.0, 0.0]]),  # 0 | 2: x = 0 with y ≤ 0
        np.array([[-1.0, 0.0], [0.0, 0.0]]),  # 1 | 2: y = 0 with x ≤ 0
    ]
    assert _as_set(pieces) == _as_set(expected)


def test_one_output_is_the_zero_line_cut_to_the_box():
    # 2x + y - 1 = 0 leaves the box at y = ±1: from (0, 1) to (1, -1).
    [piece] = decision_pieces(np.array([[2.0], [1.0]]), np.array([-1.0]), LOW, HIGH)
    assert _as_set([piece]) == _as_set([np.array([[0.0, 1.0], [1.0, -1.0]])])


def test_a_class_that_never_wins_draws_nothing_and_a_boundary_outside_the_box_neither():
    A = np.array([[1.0, -1.0, 0.0], [0.0, 0.0, 0.0]])
    c = np.array([0.0, 0.0, -5.0])  # class 2 is always 5 below one of the others
    pieces = decision_pieces(A, c, LOW, HIGH)
    assert _as_set(pieces) == _as_set([np.array([[0.0, -1.0], [0.0, 1.0]])])
    assert decision_pieces(np.array([[1.0], [0.0]]), np.array([-3.0]), LOW, HIGH) == []
    assert hyperplane_patch(np.zeros(2), 1.0, LOW, HIGH) is None


def test_clipping_a_square_by_a_diagonal_keeps_the_triangle_in_order():
    square = np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]])
    kept = clip(square, np.array([-1.0, -1.0]), 1.0)  # x + y ≤ 1
    assert _as_set([kept]) == _as_set([np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])])
    assert len(clip(square, np.array([1.0, 0.0]), -2.0)) == 0  # x ≥ 2: nothing


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("dim", [2, 3])
def test_every_piece_ties_the_two_top_logits_inside_the_box(seed, dim):
    rng = np.random.default_rng(seed)
    n_classes = int(rng.integers(2, 6))
    A, c = rng.normal(size=(dim, n_classes)), rng.normal(scale=0.5, size=n_classes)
    low, high = -np.ones(dim), np.ones(dim)
    pieces = decision_pieces(A, c, low, high)
    for piece in pieces:
        assert len(piece) >= (2 if dim == 2 else 3)
        # Vertices and points inside each piece (convex combinations) are on the boundary.
        weights = rng.dirichlet(np.ones(len(piece)), size=20)
        for points in (piece, weights @ piece):
            assert np.all(points >= low - 1e-9) and np.all(points <= high + 1e-9)
            top = np.sort(points @ A + c, axis=1)
            np.testing.assert_allclose(top[:, -1], top[:, -2], atol=1e-9)
    # Where the winning class changes inside the box, a boundary was drawn.
    grid = np.stack(np.meshgrid(*[np.linspace(-1, 1, 25)] * dim), axis=-1).reshape(-1, dim)
    winners = np.unique(np.argmax(grid @ A + c, axis=1))
    assert (len(winners) > 1) <= (len(pieces) >= len(winners) - 1)

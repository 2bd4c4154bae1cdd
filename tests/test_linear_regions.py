"""Linear regions: counted on hand-built ReLU nets whose regions are known exactly."""

from __future__ import annotations

from math import comb

import numpy as np
import pytest

from core.data.features import LiftedModel
from core.labs.linear_regions import max_regions, region_map, why_not_counted
from core.nn.network import MLP

BOX = (-1.0, 1.0, -1.0, 1.0)


def _n_regions(model, extent, resolution):
    """How many regions ``region_map`` finds (None when it does not count them)."""
    found = region_map(model, extent, resolution)
    return None if found is None else len(found[1])


def _net(lines: list[tuple[float, float, float]], activation: str = "relu") -> MLP:
    """A 2-k-1 net whose hidden unit i is on where a·x1 + b·x2 + c > 0 (line i of ``lines``)."""
    model = MLP([2, len(lines), 1], activation)
    for i, (a, b, c) in enumerate(lines):
        model.weights[0][:, i] = a, b
        model.biases[0][i] = c
    model.weights[1][...] = 1.0
    return model


# Three lines in general position, all three crossings inside the box: x1 = 0.1, x2 = 0.2 and
# x1 + x2 = 0.9 meet at (0.1, 0.2), (0.1, 0.8), (0.7, 0.2): 1 + 3 + 3 = 7 regions.
TRIANGLE = [(1.0, 0.0, -0.1), (0.0, 1.0, -0.2), (1.0, 1.0, -0.9)]
# Two vertical and two horizontal lines: a 3 × 3 board of regions.
BOARD = [(1.0, 0.0, 0.5), (1.0, 0.0, -0.5), (0.0, 1.0, 0.3), (0.0, 1.0, -0.4)]


@pytest.mark.parametrize("resolution", [101, 256, 600])
def test_three_lines_in_general_position_make_seven_regions(resolution):
    assert _n_regions(_net(TRIANGLE), BOX, resolution) == 7


@pytest.mark.parametrize("resolution", [64, 301])
def test_axis_aligned_lines_make_a_board(resolution):
    assert _n_regions(_net(BOARD), BOX, resolution) == 9


def test_lines_outside_the_box_cut_nothing():
    assert _n_regions(_net([(1.0, 0.0, -5.0), *TRIANGLE]), BOX, 128) == 7


@pytest.mark.parametrize("activation", ["relu", "leaky_relu", "step"])
def test_every_kinked_activation_has_the_same_regions(activation):
    assert why_not_counted(activation) is None
    assert _n_regions(_net(TRIANGLE, activation), BOX, 128) == 7


def _tent_net(depth: int) -> MLP:
    """Each hidden layer folds [0, 1] in two (the tent map t ↦ 2t on [0, ½], 2 − 2t after),
    with two units: relu(t) and relu(t − ½); t = 2·u₁ − 4·u₂ feeds the next layer."""
    model = MLP([2, *[2] * depth, 1], "relu")
    model.weights[0][...] = [[1.0, 1.0], [0.0, 0.0]]  # reads x1 only
    model.biases[0][...] = [0.0, -0.5]
    for W, b in zip(model.weights[1:-1], model.biases[1:-1], strict=True):
        W[...] = [[2.0, 2.0], [-4.0, -4.0]]
        b[...] = [0.0, -0.5]
    model.weights[-1][...] = [[2.0], [-4.0]]
    return model


@pytest.mark.parametrize("depth", [1, 2, 3, 4])
def test_depth_doubles_the_regions_of_a_folding_net(depth):
    # L folds cut (0, 1) at the dyadic points k / 2^L: 2^L pieces from only 2·L units, where
    # one layer of 2·L units cuts a line into at most 2·L + 1 pieces.
    box = (0.013, 0.987, -1.0, 1.0)  # inside (0, 1), where every fold lands
    for resolution in (300, 512):
        assert _n_regions(_tent_net(depth), box, resolution) == 2**depth


def test_smooth_activations_are_not_counted_and_say_why():
    model = MLP([2, 4, 1], "tanh")
    assert _n_regions(model, BOX, 16) is None and region_map(model, BOX) is None
    assert "smooth" in why_not_counted("tanh") and "ReLU" in why_not_counted("gelu")


def test_linear_nets_have_one_region():
    assert _n_regions(MLP([2, 5, 1], "identity", seed=1), BOX, 32) == 1
    assert _n_regions(MLP([2, 1]), BOX, 32) == 1


def test_region_map_ids_match_the_patterns():
    ids, patterns = region_map(_net(BOARD), BOX, 40)
    assert ids.shape == (40, 40) and ids.min() == 0 and ids.max() == len(patterns) - 1 == 8
    # Row 0 is the top (x2 = 1): all four units' patterns differ between the corners.
    corners = {ids[0, 0], ids[0, -1], ids[-1, 0], ids[-1, -1]}
    assert len(corners) == 4
    top_left = np.unpackbits(patterns[ids[0, 0]])[:4]
    # x1 = -1, x2 = 1: x1 + 0.5 < 0, x1 - 0.5 < 0, x2 + 0.3 > 0, x2 - 0.4 > 0
    np.testing.assert_array_equal(top_left, [0, 0, 1, 1])


def test_regions_work_for_a_lifted_model():
    # On (x1, x2, r2) one unit on r2 cuts the plane along a circle: two regions.
    model = MLP([3, 1, 1], "relu")
    model.weights[0][...] = [[0.0], [0.0], [1.0]]
    model.biases[0][...] = -0.5
    assert _n_regions(LiftedModel(model, ("x1", "x2", "r2")), BOX, 64) == 2


def test_bad_extent_and_resolution_are_named():
    with pytest.raises(ValueError, match="extent"):
        _n_regions(_net(BOARD), (1.0, 0.0, 0.0, 1.0), 16)
    with pytest.raises(ValueError, match="resolution must be 2..1024, got 1"):
        _n_regions(_net(BOARD), BOX, 1)


@pytest.mark.parametrize("width", [1, 2, 7, 49])
def test_one_layer_bound_is_the_line_arrangement(width):
    assert max_regions([width]) == 1 + width + comb(width, 2)


def test_deep_bound_multiplies_per_layer():
    assert max_regions([2, 2]) == 4 * 4
    assert max_regions([7, 7, 7, 7]) == 29**4
    assert max_regions([1, 5]) == 2 * 6  # a 1-unit layer leaves a line: later layers cut it
    assert max_regions([]) == 1


def test_counts_never_exceed_the_bound():
    rng = np.random.default_rng(0)
    for hidden in [(3,), (6,), (3, 3), (4, 2, 3)]:
        model = MLP([2, *hidden, 1], "relu", init="normal", init_scale=1.0, seed=rng)
        for b in model.biases:
            b[...] = rng.normal(size=b.shape)
        assert _n_regions(model, (-3, 3, -3, 3), 200) <= max_regions(hidden)

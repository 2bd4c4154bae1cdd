"""Tests of core.render.regions: one colour per linear region, dark borders, stable colours."""

import numpy as np

from core.labs.linear_regions import region_map
from core.nn.network import MLP
from core.render.regions import regions_image

EXTENT = (-1.0, 1.0, -1.0, 1.0)


def _board_net():
    """A 2-4-1 ReLU net cutting the box along x1 = ±0.5, x2 = -0.3 and x2 = 0.4: 9 regions."""
    model = MLP([2, 4, 1], "relu")
    model.weights[0][...] = [[1.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 1.0]]
    model.biases[0][...] = [0.5, -0.5, 0.3, -0.4]
    return model


def test_regions_image_colours_regions_and_darkens_borders():
    ids, patterns = region_map(_board_net(), EXTENT, 60)
    image = regions_image(ids, patterns)
    assert image.shape == (60, 60, 3) and image.dtype == np.uint8
    inside = [tuple(image[r, c]) for r, c in ((2, 2), (2, 57), (57, 2), (57, 57))]
    assert len(set(inside)) == 4
    border_column = np.flatnonzero(np.diff(ids[30]) != 0)[0] + 1
    assert image[30, border_column].sum() < image[30, 2].sum()
    # The same pattern keeps its colour when the ids are renumbered.
    again = regions_image(ids[:, ::-1], patterns)
    assert tuple(again[2, 57]) == tuple(image[2, 2])

"""Area shading traces (core/figures/area_shading.py): one fill per shade, folds outlined."""

from __future__ import annotations

import numpy as np

from core.figures.area_shading import (
    AREA_LIMIT,
    area_color,
    area_color_bar,
    area_traces,
    cell_outlines,
)
from core.labs.area_change import layer_area_changes
from core.labs.tour import lattice
from core.nn.activations import ACTIVATIONS


def test_colours_run_from_green_through_white_to_magenta_and_saturate():
    assert area_color(0.0) == "rgb(255, 255, 255)"
    assert area_color(AREA_LIMIT) == area_color(10 * AREA_LIMIT) == "rgb(197, 27, 125)"
    assert area_color(-AREA_LIMIT) == area_color(-np.inf) == "rgb(77, 146, 33)"


def test_cell_outlines_close_each_chosen_cell():
    corners = lattice((0.0, 2.0, 0.0, 2.0), 2)
    mask = np.array([[False, True], [False, False]])  # row 0 (bottom), column 1 (right)
    outline = cell_outlines(corners, mask)
    assert outline.shape == (6, 2) and np.isnan(outline[-1]).all()
    np.testing.assert_allclose(outline[:5], [[1, 0], [2, 0], [2, 1], [1, 1], [1, 0]])


def test_relu_folds_are_outlined_and_every_cell_filled_once():
    corners = lattice((-1.0, 1.0, -1.0, 1.0), 8)
    areas = layer_area_changes(corners, np.eye(2), np.array([-0.3, 0.1]), ACTIVATIONS["relu"])
    sigma = areas["σ"]
    traces = area_traces(corners, sigma, outline_flattened=False)
    fills, lines = traces[:-1], traces[-1]
    assert all(t.fill == "toself" for t in fills) and lines.mode == "lines"
    n_cells = sum(sum(v is None for v in t.x) for t in fills)  # one null after each cell
    assert n_cells == sigma.log_area.size
    assert len(lines.x) == 6 * sigma.folded.sum()  # only the folds, here
    shown = area_traces(corners, sigma, outline_flattened=True)[-1]
    assert len(shown.x) == 6 * (sigma.folded | sigma.flattened).sum()
    # A linear move: one shade everywhere, nothing outlined.
    (single,) = area_traces(corners, areas["Σ"], outline_flattened=True)
    assert single.fillcolor == area_color(0.0)


def test_the_colour_bar_reads_area_factors():
    bar = area_color_bar().marker.colorbar
    assert list(bar.ticktext) == ["÷7 or flat", "÷3", "×1", "×3", "×7"]
    assert list(bar.tickvals) == [-2, -1, 0, 1, 2]

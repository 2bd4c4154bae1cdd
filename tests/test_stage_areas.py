"""Area change per stage of the layer-by-layer animation (core/labs/stage_areas.py) and its
shading in the Transform figure: checked against cell areas by the shoelace formula."""

from __future__ import annotations

import json

import numpy as np
import pytest
from plotly.utils import PlotlyJSONEncoder

from core.figures.area_shading import LEVELS
from core.figures.plotly_frames import checked_copy
from core.figures.transform import frame_positions, transform_figure
from core.labs.layer_stages import layer_stages
from core.labs.network_stages import network_animation
from core.labs.plane import grid_lines
from core.labs.stage_areas import shaded_layers, stage_cells
from core.nn.network import MLP

EXTENT = (-1.5, 1.5, -1.2, 1.8)
N_CELLS, N_FRAMES = 6, 3
SLOTS = len(LEVELS) + 1  # one fill per shade, then the fold outlines


def _relu_net() -> MLP:
    """A hand-made 2-2-2-1 ReLU net: both layers' kinks cross the grid; W₂ reflects."""
    model = MLP([2, 2, 2, 1], "relu", seed=0)
    model.weights[0][:] = [[1.5, 0.4], [-0.3, 0.8]]
    model.biases[0][:] = [0.2, -0.5]
    model.weights[1][:] = [[0.0, 1.6], [0.9, -0.7]]
    model.biases[1][:] = [-0.1, 0.3]
    return model


def _lattice(extent, n):
    xs = np.linspace(extent[0], extent[1], n + 1)
    ys = np.linspace(extent[2], extent[3], n + 1)
    return np.stack(np.meshgrid(xs, ys), axis=-1)


def _shoelace(*polygon):
    """|area| of a polygon from its vertices (each (..., 2)), by the shoelace formula."""
    x = np.stack([p[..., 0] for p in polygon])
    y = np.stack([p[..., 1] for p in polygon])
    return 0.5 * np.abs(np.sum(x * np.roll(y, -1, axis=0) - np.roll(x, -1, axis=0) * y, axis=0))


def _cell_areas(c):
    """Each cell as the two triangles either side of its diagonal [i, j]–[i + 1, j + 1]."""
    a, b, d, e = c[:-1, :-1], c[:-1, 1:], c[1:, 1:], c[1:, :-1]
    return _shoelace(a, b, d) + _shoelace(a, d, e)


def _quad_areas(c):
    return _shoelace(c[:-1, :-1], c[:-1, 1:], c[1:, 1:], c[1:, :-1])


def test_every_frame_shades_its_stage_by_the_cells_own_area_ratio():
    model = _relu_net()
    cells = stage_cells(model, EXTENT, N_CELLS, N_FRAMES)
    by_name = {cell.name: cell for cell in cells if cell is not None}
    corners = _lattice(EXTENT, N_CELLS)
    inputs = corners.reshape(-1, 2)
    checked = 0
    for i, (W, b) in enumerate(zip(model.weights[:-1], model.biases[:-1], strict=True)):
        layer = layer_stages(inputs, W, b, model.activation, N_FRAMES, layer=i)
        before = layer.start.reshape(corners.shape)
        for s, stage in enumerate(layer.stages):
            after = stage.frames[-1].reshape(corners.shape)
            area_before, area_after = _cell_areas(before), _cell_areas(after)
            live = area_before > 1e-9  # a cell an earlier ReLU flattened has nothing to change
            with np.errstate(divide="ignore"):
                expected = np.log(area_after[live]) - np.log(area_before[live])
            if stage.kind != "bend":
                # A linear move: its exact log |det| on every cell, also for the whole quads.
                quads = np.log(_quad_areas(after)[live] / _quad_areas(before)[live])
                np.testing.assert_allclose(quads, expected, atol=1e-9)
            for f, positions in enumerate(stage.frames):
                cell = by_name[f"L{i + 1}.{s}.{f}"]
                np.testing.assert_allclose(
                    cell.corners, positions.reshape(corners.shape), atol=1e-12
                )
                shade = cell.area.log_area[live]
                assert np.array_equal(np.isneginf(shade), np.isneginf(expected))
                finite = np.isfinite(expected)
                np.testing.assert_allclose(shade[finite], expected[finite], atol=1e-9)
                checked += 1
            before = after
        inputs = layer.end
    assert checked == sum(cell is not None for cell in cells) > 0
    # The stretch really changed areas, and the first ReLU flattened some cells.
    stretch = [c for c in cells if c and c.area.move == "Σ"]
    assert all(np.abs(c.area.log_area).min() > 0.1 for c in stretch)
    bend = [c for c in cells if c and c.name.startswith("L1.") and c.area.move == "σ"]
    assert bend and all(np.isneginf(c.area.log_area).any() for c in bend)


def test_relu_folds_are_the_cells_where_a_unit_changes_sign():
    model = _relu_net()
    cells = stage_cells(model, EXTENT, N_CELLS, N_FRAMES)
    corners = _lattice(EXTENT, N_CELLS)
    h = corners
    for i, (W, b) in enumerate(zip(model.weights[:-1], model.biases[:-1], strict=True)):
        z = h @ W + b
        signs = np.stack([z[:-1, :-1], z[:-1, 1:], z[1:, :-1], z[1:, 1:]])
        crossed = ((signs < 0).any(axis=0) & (signs > 0).any(axis=0)).any(axis=-1)
        bends = [c for c in cells if c and c.name.startswith(f"L{i + 1}.") and c.area.move == "σ"]
        assert bends and all(c.kink for c in bends)
        for cell in bends:
            assert np.array_equal(cell.area.folded, crossed)
        assert 0 < crossed.sum() < crossed.size  # some cells folded, not all
        others = [c for c in cells if c and c.name.startswith(f"L{i + 1}.") and c not in bends]
        assert not any(c.area.folded.any() or c.kink for c in others)
        h = np.maximum(z, 0.0)


def _figure(sizes, cells=True):
    model = _relu_net() if sizes == [2, 2, 2, 1] else MLP(sizes, "tanh", seed=1)
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (30, 2))
    y = (X[:, 0] > 0).astype(int)
    grid = grid_lines(EXTENT, n_lines=N_CELLS + 1, n_samples=9)
    anim = network_animation(model, X, grid, n_frames=N_FRAMES)
    shading = stage_cells(model, EXTENT, N_CELLS, N_FRAMES) if cells else None
    return anim, y, transform_figure(anim, y, cells=shading), shading


def test_the_figure_draws_each_frames_cells_under_the_grid():
    anim, y, figure, cells = _figure([2, 2, 2, 1])
    plain = checked_copy(transform_figure(anim, y))
    shaded = checked_copy(figure)
    n_plain = len(plain.data)
    assert len(shaded.data) == SLOTS + n_plain + 1  # shading, the plain traces, a colour bar
    assert [t.fill for t in shaded.data[: SLOTS - 1]] == ["toself"] * (SLOTS - 1)
    assert shaded.data[-1].marker.showscale and shaded.layout.margin.r > plain.layout.margin.r
    for frame, cell, spec in zip(shaded.frames, cells, frame_positions(anim), strict=True):
        assert frame.name == spec.name and len(frame.data) == SLOTS + n_plain
        fills = frame.data[: SLOTS - 1]
        n_filled = sum(sum(v is None for v in t.x) for t in fills)  # a null after each cell
        if cell is None:
            assert n_filled == 0 and len(frame.data[SLOTS - 1].x) == 0
            continue
        assert n_filled == N_CELLS**2  # every cell filled once
        # The fold outline: 5 points and a gap per folded (or, at σ, flattened) cell.
        edges = cell.area.folded | (cell.area.flattened & cell.kink)
        assert len(frame.data[SLOTS - 1].x) == 6 * edges.sum()

    # The plain traces are those of the unshaded figure, frame by frame.
    def text(traces):
        return json.dumps([t.to_plotly_json() for t in traces], cls=PlotlyJSONEncoder)

    for a, b in zip(shaded.frames, plain.frames, strict=True):
        assert text(a.data[SLOTS:]) == text(b.data)


@pytest.mark.parametrize(("sizes", "shaded"), [([2, 3, 1], []), ([2, 2, 1, 1], [0])])
def test_only_layers_from_the_plane_to_the_plane_are_shaded(sizes, shaded):
    model = MLP(sizes, "tanh", seed=1)
    assert [i for i, on in enumerate(shaded_layers(model)) if on] == shaded
    cells = stage_cells(model, EXTENT, N_CELLS, N_FRAMES)
    if not shaded:
        assert cells is None  # a 3-D picture: nothing is drawn as cells
        return
    _, _, figure, _ = _figure(sizes)
    assert {c.name.split(".")[0] for c in cells if c} == {"L1"}
    assert len(cells) == len(checked_copy(figure).frames)

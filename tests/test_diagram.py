"""The diagram's pictures: the atlas holds every unit's map, the lines every link, the overlay
every unit."""

from __future__ import annotations

import re

import numpy as np

from core.labs.network_diagram import diagram_layout, links, output_legend, unit_labels, unit_maps
from core.nn.network import MLP
from core.render.diagram import (
    ATLAS_ROW,
    NEGATIVE,
    POSITIVE,
    WIDTH_STEP,
    atlas_boxes,
    bias_marks,
    diagram_atlas,
    link_rows,
    overlay_svg,
    unit_map_colors,
    unit_picture,
    weights_svg,
)
from core.render.draw import PALETTE, WHITE, to_uint8
from core.render.raster import representation_image
from core.render.theme import PRIMARY, hex_to_rgb

EXTENT = (-1.0, 1.0, -1.0, 1.0)


def _drawn(model):
    layout = diagram_layout(model.layer_sizes)
    maps = unit_maps(model, EXTENT, layout.map_size)
    found = links(model.weights, model.biases)
    svg = overlay_svg(layout, unit_labels(model), maps.limit, output_legend(model), (2, 0))
    return layout, maps, found, svg


def test_atlas_tiles_are_the_unit_maps_in_order():
    model = MLP([2, 16, 5, 3], "tanh", seed=2)
    layout, maps, _, _ = _drawn(model)
    atlas = diagram_atlas(maps, "classes")
    size, n_units = layout.map_size, sum(model.layer_sizes)
    assert atlas.shape == (-(-n_units // ATLAS_ROW) * size, ATLAS_ROW * size, 3)
    assert len(atlas_boxes(layout)) == n_units
    k = 2 + 16 + 1  # layer 2, unit 1: the tile after the inputs and layer 1
    tile = atlas[(k // ATLAS_ROW) * size :][:size, (k % ATLAS_ROW) * size :][:, :size]
    np.testing.assert_array_equal(tile, to_uint8(unit_map_colors(maps, 2, 1, maps.maps[2][1], "")))
    last = atlas[-size:, ((n_units - 1) % ATLAS_ROW) * size :][:, :size]  # class 2's output
    sure = np.unravel_index(np.argmax(maps.maps[-1][2]), (size, size))
    p = maps.maps[-1][2][sure]
    expected = WHITE + 0.95 * p * (PALETTE[2] - WHITE)
    np.testing.assert_allclose(last[sure], expected, atol=1)


def test_shared_scale_is_diverging_and_clipped():
    model = MLP([2, 3, 1], "relu", seed=0)
    maps = unit_maps(model, EXTENT, 4)
    values = np.array([-10 * maps.limit, 0.0, maps.limit, 10 * maps.limit])
    colors = unit_map_colors(maps, 1, 0, values, "classes")
    np.testing.assert_allclose(colors[1], WHITE)
    np.testing.assert_allclose(colors[2], colors[3])  # beyond the limit: the end colour
    assert colors[0][0] > colors[0][2] and colors[2][2] > colors[2][0]  # orange −, blue +


def test_every_visible_link_is_a_line_with_its_width_and_sign():
    model = MLP([2, 4, 4, 1], "tanh", seed=5)
    model.weights[1][0, 0] = 0.0  # an invisible link
    layout, _, found, _ = _drawn(model)
    lines = link_rows(layout, found).tolist()
    visible = np.round(found.width / WIDTH_STEP) > 0
    assert len(lines) == visible.sum() > found.weight.size / 2
    assert not visible[(found.layer == 1) & (found.source == 0) & (found.target == 0)].any()
    size = layout.map_size
    drawn = {tuple(line[:4]): line[4:] for line in lines}
    for k in np.flatnonzero(visible):
        x1, y1 = layout.boxes[found.layer[k]][found.source[k]] + (size, size / 2)
        x2, y2 = layout.boxes[found.layer[k] + 1][found.target[k]] + (0, size / 2)
        width, positive, opacity = drawn[tuple(np.round([x1, y1, x2, y2], 2))]
        assert width == round(found.width[k] / WIDTH_STEP) * WIDTH_STEP
        assert positive == (found.weight[k] >= 0) and opacity == 0.7


def test_a_selected_units_incoming_links_are_drawn_last_and_full():
    model = MLP([2, 4, 3, 1], "tanh", seed=1)
    layout, _, found, _ = _drawn(model)
    lines = link_rows(layout, found, selected=(2, 1)).tolist()
    incoming = int(np.sum((found.layer == 1) & (found.target == 1) & (found.width > 0.125)))
    assert [line[6] for line in lines[-incoming:]] == [1.0] * incoming
    assert {line[6] for line in lines[:-incoming]} == {0.35}
    x = layout.boxes[2][1][0]
    assert all(line[2] == x for line in lines[-incoming:])  # they end at that unit


def test_bias_marks_follow_the_biases():
    model = MLP([2, 3, 1], "tanh", seed=0)
    model.biases[0][...] = [-2.0, 0.0, 0.5]
    model.biases[1][...] = [4.0]
    layout, _, found, _ = _drawn(model)
    marks = bias_marks(layout, found)
    assert len(marks) == 3 + 1
    reference = found.reference
    expected = [(0, min(2 / reference, 1)), (1, 0.0), (1, 0.5 / reference), (1, 1.0)]
    for (_, _, _, positive, opacity), (sign, strength) in zip(marks, expected, strict=True):
        assert positive == sign and opacity == round(0.15 + 0.85 * strength, 2)


def test_the_overlay_outlines_every_unit_and_the_selection():
    model = MLP([2, 4, 3, 3], "tanh", seed=5)
    _, maps, _, svg = _drawn(model)
    units = re.findall(r'<rect class="unit" data-column="(\d+)" data-unit="(\d+)"', svg)
    assert len(units) == sum(model.layer_sizes)
    selected = re.search(r'data-column="2" data-unit="0"[^>]*stroke-width="3"', svg)
    assert selected is not None
    assert f"orange −{maps.limit:g}" in svg and "class 2" in svg


def test_unit_picture_is_the_map_with_the_data():
    model = MLP([2, 3, 1], "tanh", seed=1)
    maps = unit_maps(model, EXTENT, 24)
    X, y = np.array([[0.0, 0.0]]), np.array([1])
    picture = unit_picture(maps, 1, 2, "classes", (X, y, None, None), size=96)
    plain = unit_picture(maps, 1, 2, "classes", (X[:0], y[:0], None, None), size=96)
    assert picture.shape == (96, 96, 3)
    changed = np.argwhere((picture != plain).any(axis=2))
    assert len(changed) and np.abs(changed - 47.5).max() < 6  # the point, at the centre only


def test_weights_svg_has_a_signed_bar_per_weight_and_the_bias():
    svg = weights_svg(["from x₁", "from x₂"], np.array([0.5, -2.0]), 1.0, reference=2.0)
    bars = re.findall(
        r'<rect x="([^"]+)" y="[^"]+" width="([^"]+)" height="[^"]+" fill="([^"]+)"', svg
    )
    assert [(float(w), color) for _, w, color in bars] == [
        (22.5, POSITIVE), (90.0, NEGATIVE), (45.0, POSITIVE)
    ]  # fmt: skip
    assert "+0.500" in svg and "-2.000" in svg and "+1.000" in svg and ">bias<" in svg


def test_a_highlighted_axis_is_drawn_over_the_representation():
    points, labels = np.array([[0.0, 0.0], [1.0, 1.0]]), np.array([0, 1])
    segment = np.array([[0.0, 1.0], [1.0, 0.0]])  # the other diagonal
    plain = representation_image(points, labels, size=60, extent=(-0.5, 1.5, -0.5, 1.5))
    marked = representation_image(points, labels, size=60, extent=(-0.5, 1.5, -0.5, 1.5),
                                  highlight=segment)  # fmt: skip
    changed = np.argwhere((plain != marked).any(axis=2))
    rows, cols = changed[:, 0], changed[:, 1]
    assert len(changed) > 40
    assert np.abs(rows - cols).max() <= 4 + 5  # along the row = column diagonal (and its dot)
    accent = np.array(hex_to_rgb(PRIMARY))
    assert np.abs(marked[30, 30].astype(int) - accent).max() < 60

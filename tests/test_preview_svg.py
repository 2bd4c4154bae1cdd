"""Tests of core.render.preview_svg: the still previews draw the arrays they are given, where
their axes say, and colour a value grid on the scale they are given."""

from __future__ import annotations

import base64
import io
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PIL import Image

from core.render.preview_svg import Line, Panel, colors_on_scale, heatmap_svg, line_panels_svg

SVG = "{http://www.w3.org/2000/svg}"
SCALE = [[0.0, "#000000"], [0.5, "#808080"], [1.0, "#ffffff"]]


def path_points(d: str) -> list[list[tuple[float, float]]]:
    """The pieces of an SVG path of M/L commands, as lists of (x, y) pixels."""
    pieces = []
    for command, x, y in re.findall(r"([ML])(-?[0-9.]+),(-?[0-9.]+)", d):
        if command == "M":
            pieces.append([])
        pieces[-1].append((float(x), float(y)))
    return pieces


def axis_map(root, x_range, y_range):
    """Pixel -> data maps of the (first) panel, read from its frame rectangle."""
    frame = next(r for r in root.iter(f"{SVG}rect") if r.get("fill") == "none")
    left, top = float(frame.get("x")), float(frame.get("y"))
    width, height = float(frame.get("width")), float(frame.get("height"))

    def to_x(px):
        return x_range[0] + (px - left) / width * (x_range[1] - x_range[0])

    def to_y(py):
        return y_range[0] + (1 - (py - top) / height) * (y_range[1] - y_range[0])

    return to_x, to_y, width, height


def test_line_panels_draw_each_line_where_its_values_are():
    x = np.linspace(-2, 2, 81)
    y = x**2 / 2
    y[40] = np.nan  # a gap splits the path
    panel = Panel("p", x, [Line(y, "#ff0000"), Line(-x, "#00ff00", 3.0, "2 3")], (-2, 2), (-2, 2))
    root = ET.fromstring(line_panels_svg([panel], [("a", "#ff0000")], width=500, height=300))
    to_x, to_y, width, height = axis_map(root, (-2, 2), (-2, 2))
    red, green = [p for p in root.iter(f"{SVG}path")]
    pieces = path_points(red.get("d"))
    assert [len(piece) for piece in pieces] == [40, 40]
    drawn = np.array(pieces[0] + pieces[1])
    kept = np.isfinite(y)
    pixel = 0.06  # one decimal of a pixel, in data units at most
    np.testing.assert_allclose([to_x(px) for px in drawn[:, 0]], x[kept], atol=pixel * 4 / width)
    np.testing.assert_allclose([to_y(py) for py in drawn[:, 1]], y[kept], atol=pixel * 4 / height)
    assert green.get("stroke") == "#00ff00" and green.get("stroke-dasharray") == "2 3"
    assert any(t.text == "a" for t in root.iter(f"{SVG}text"))  # the legend


def test_shaded_intervals_span_their_x_range():
    x = np.linspace(0, 10, 11)
    panel = Panel(
        "p", x, [Line(x, "#000000")], (0, 10), (0, 10), shaded=[(2, 4)], shade_color="red"
    )
    root = ET.fromstring(line_panels_svg([panel], width=400, height=300))
    to_x, *_ = axis_map(root, (0, 10), (0, 10))
    (shade,) = [r for r in root.iter(f"{SVG}rect") if r.get("fill") == "red"]
    start = float(shade.get("x"))
    assert to_x(start) == pytest.approx(2, abs=0.02)
    assert to_x(start + float(shade.get("width"))) == pytest.approx(4, abs=0.02)


def test_colors_on_scale_interpolate_between_the_stops_and_clip():
    colors = colors_on_scale(np.array([-1.0, 0.0, 0.25, 1.0, 2.0]), SCALE, 0.0, 1.0)
    np.testing.assert_allclose(colors[:, 0], [0, 0, 64, 255, 255])
    assert np.all(colors[:, 0] == colors[:, 2])


def decoded_image(root) -> np.ndarray:
    (image,) = list(root.iter(f"{SVG}image"))
    data = image.get("href").split(",", 1)[1]
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(data))))


def test_heatmap_colours_each_value_and_puts_low_y_at_the_bottom():
    x, y = np.linspace(0, 1, 5), np.linspace(10, 20, 5)
    z = np.tile(np.linspace(0, 1, 5)[:, None], (1, 5))  # grows with y, row 0 = y[0]
    svg = heatmap_svg(x, y, z, SCALE, colorbar=([0.0, 1.0], ["lo", "hi"]), marks=[(0.5, 15, "m")])
    root = ET.fromstring(svg)
    pixels = decoded_image(root)
    assert pixels.shape[0] == pixels.shape[1] > 100
    column = pixels[:, pixels.shape[1] // 2, 0].astype(int)
    assert column[0] > 240 and column[-1] < 15  # high values (top rows) white, low black
    assert np.all(np.diff(column) <= 0)
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert "lo" in texts and "hi" in texts and "m★" in texts  # the star, titled by its label

"""Inline SVG curves: the polyline follows the data, skips gaps, and stays small."""

import base64
import re

import numpy as np

from core.render.svg import curves_svg, svg_data_uri


def _points(svg: str, index: int = 0) -> np.ndarray:
    raw = re.findall(r'<polyline points="([^"]*)"', svg)[index]
    return np.array([[float(v) for v in pair.split(",")] for pair in raw.split()])


def test_polyline_is_monotone_in_x_and_follows_values():
    epochs = np.arange(1, 11)
    values = np.linspace(1.0, 0.1, 10)  # falling loss
    svg = curves_svg(epochs, {"train": (values, "#000000", "")}, log_y=False)
    points = _points(svg)
    assert len(points) == 10
    assert np.all(np.diff(points[:, 0]) > 0)
    assert np.all(np.diff(points[:, 1]) > 0)  # SVG y grows downwards: falling values go down


def test_non_finite_and_non_positive_values_are_skipped_on_log_scale():
    epochs = np.arange(1, 6)
    values = np.array([1.0, np.nan, 0.5, 0.0, 0.25])
    points = _points(curves_svg(epochs, {"loss": (values, "#000000", "")}, log_y=True))
    assert len(points) == 3


def test_long_histories_are_thinned():
    epochs = np.arange(1, 5001)
    svg = curves_svg(epochs, {"a": (np.exp(-epochs / 1000), "#000000", "")}, max_points=200)
    assert len(_points(svg)) == 200
    assert len(svg) < 12_000


def test_data_uri_round_trips():
    svg = curves_svg(np.arange(3), {"a": (np.ones(3), "#000000", "")}, title="Loss")
    uri = svg_data_uri(svg)
    assert uri.startswith("data:image/svg+xml;base64,")
    assert base64.b64decode(uri.split(",", 1)[1]).decode() == svg

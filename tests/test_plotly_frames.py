"""Animated figures with unvalidated frames: the same figure Plotly's validators make, faster.

These tests pin the two Plotly internals ``core.figures.plotly_frames`` relies on
(``_validate=False`` and ``Figure._frame_objs``): after a Plotly upgrade that changes either, the
dicts compared here differ and the tests fail. Every animated figure of the app is rebuilt through
the validators and must come out the same.
"""

from __future__ import annotations

import copy
import json

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from _plotly_utils.utils import to_typed_array_spec

from core.data.datasets import make_dataset
from core.data.splits import data_extent
from core.figures.activations import bend_figure
from core.figures.plotly_frames import animated_figure, checked_copy, decoded, typed_array
from core.figures.race import race_figure
from core.figures.transform import transform_figure
from core.labs.activation_lab import bend_frames, plane_points
from core.labs.network_stages import network_animation
from core.labs.optimizer_race import race
from core.labs.plane import grid_lines
from core.nn.activations import ACTIVATIONS
from core.nn.network import MLP

DTYPES = ["int8", "uint8", "int16", "uint16", "int32", "uint32", "float32", "float64"]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(7,), (3, 4)])
def test_typed_array_is_plotlys_own_encoding_and_decodes_back(dtype, shape):
    values = (np.arange(np.prod(shape)).reshape(shape) * 3 - 5).astype(dtype)
    spec = typed_array(values)
    assert spec == to_typed_array_spec(values.copy())
    back = decoded(spec)
    assert back.dtype == values.dtype
    np.testing.assert_array_equal(back, values)


def test_nan_survives_and_unsupported_arrays_are_left_to_plotly():
    values = np.array([1.5, np.nan, -2.0], np.float32)
    np.testing.assert_array_equal(decoded(typed_array(values)), values)
    wide = np.arange(3, dtype=np.int64)  # int64 is not a plotly.js typed array
    assert typed_array(wide) is wide
    empty = np.zeros(0, np.float32)
    assert typed_array(empty) is empty
    assert (
        typed_array(np.arange(6.0)[::2])["bdata"] == typed_array(np.array([0.0, 2.0, 4.0]))["bdata"]
    )  # a strided view is encoded by value


def _parts():
    data = [{"type": "scatter", "x": np.arange(4.0), "y": np.ones(4), "mode": "markers"}]
    frames = [
        {
            "name": f"f{i}",
            "data": [{"type": "scatter", "x": np.arange(4, dtype=np.float32) * i, "y": [1, 2]}],
            "layout": {"title": {"text": f"frame {i}"}},
            "traces": [0],
        }
        for i in range(3)
    ]
    return data, frames, {"height": 300, "xaxis": {"range": [-1, 9]}}


def test_same_dict_and_json_as_the_validated_figure():
    data, frames, layout = _parts()
    fast = animated_figure(data, frames, layout)
    slow = go.Figure(data=data, frames=frames, layout=layout)
    assert fast.to_dict() == slow.to_dict()
    # What st.plotly_chart sends (key order aside: plotly.js reads it the same).
    assert json.loads(pio.to_json(fast, validate=False)) == json.loads(pio.to_json(slow))
    assert [frame.name for frame in fast.frames] == ["f0", "f1", "f2"]


def test_the_callers_frames_are_not_modified():
    data, frames, layout = _parts()
    before = copy.deepcopy(frames)
    animated_figure(data, frames, layout)
    for frame, kept in zip(frames, before, strict=True):
        assert isinstance(frame["data"][0]["x"], np.ndarray)
        np.testing.assert_array_equal(frame["data"][0]["x"], kept["data"][0]["x"])


def test_checked_copy_rejects_a_bad_frame_property():
    data, frames, layout = _parts()
    frames[1]["data"][0]["colour"] = "red"
    figure = animated_figure(data, frames, layout)  # not checked here: that is the point
    with pytest.raises(ValueError, match="colour"):
        checked_copy(figure)


def _transform(sizes):
    X, y = make_dataset("circles", 60, 0.05, 0)
    model = MLP(sizes, "tanh", seed=1)
    anim = network_animation(model, X, grid_lines(data_extent(X), 4, 6), n_frames=3)
    return transform_figure(anim, y)


def _race():
    axis = np.linspace(-1.0, 1.0, 5)
    values = np.add.outer(axis**2, axis**2)

    def bowl(w):
        return 0.5 * float(w @ w), w.copy()

    paths = race(bowl, np.array([0.8, -0.6]), {"sgd": 0.3, "adam": 0.1}, 12)
    return race_figure(axis, axis, values, paths, max_frames=6)


def _bend():
    X, y = make_dataset("moons", 30, 0.1, 0)
    points, grid_shape = plane_points(X, n_lines=3, n_samples=5)
    bend = bend_frames(points, 30, 2.0, 1.5, (0.2, -0.1), "tanh", 3)
    return bend_figure(bend, len(X), grid_shape, y, ACTIVATIONS["tanh"].output_range)


@pytest.mark.parametrize(
    "build",
    [lambda: _transform([2, 3, 2, 1]), lambda: _transform([2, 3, 3, 1]), _race, _bend],
    ids=["transform-2d", "transform-3d", "race", "bend"],
)
def test_every_animated_figure_passes_plotlys_validation_unchanged(build):
    figure = build()
    assert len(figure.frames) > 1
    assert checked_copy(figure).to_dict() == figure.to_dict()

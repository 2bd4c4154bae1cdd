"""Framing that follows the data: every drawn frame keeps its data in view and fills the view.

The checks read what the browser is sent (each frame's own axis ranges or 3-D scene, and the
points it draws), for every activation × three architectures × untrained and trained.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import plotly.graph_objects as go
import pytest
from scipy.spatial import ConvexHull

from core.experiment import Experiment, Settings
from core.figures.plotly_frames import decoded
from core.figures.transform import transform_figure
from core.labs.framing import FLAT_SHARE, coverage, fitted_box, follow_boxes, zoom_text
from core.labs.network_stages import frames_per_stage, network_animation
from core.labs.plane import grid_lines
from core.nn.activations import ACTIVATIONS

ARCHITECTURES = [(2, 2), (3, 3), (8, 8, 8)]


def _figure(activation: str, hidden: tuple[int, ...], epochs: int) -> dict:
    settings = dataclasses.replace(Settings(), activation=activation, hidden=hidden)
    experiment = Experiment.build(settings)
    if experiment.trainer is not None:
        experiment.trainer.run(epochs)
    anim = network_animation(
        experiment.view_model,
        experiment.X,
        grid_lines(experiment.extent),
        n_frames=frames_per_stage(len(hidden)),
    )
    return decoded(transform_figure(anim, experiment.y).to_dict())


def _data_points(frame: dict, keys: str) -> np.ndarray:
    """The data drawn in a frame: every class trace (the grid is first, the boundary last)."""
    traces = frame["data"][1:-1]
    return np.concatenate(
        [np.column_stack([np.asarray(t[k], dtype=float) for k in keys]) for t in traces]
    )


def _view_2d(frame: dict) -> tuple[np.ndarray, np.ndarray]:
    x, y = frame["layout"]["xaxis"]["range"], frame["layout"]["yaxis"]["range"]
    return np.array([x[0], y[0]]), np.array([x[1], y[1]])


def _projected_share(points: np.ndarray, scene: dict) -> tuple[float, float]:
    """Share of points inside the scene box, and the share of the camera's picture of the box
    that the picture of the data's bounding box covers (orthographic along the eye, z up)."""
    low = np.array([scene[f"{a}axis"]["range"][0] for a in "xyz"])
    high = np.array([scene[f"{a}axis"]["range"][1] for a in "xyz"])
    aspect = np.array([scene["aspectratio"][a] for a in "xyz"])
    inside = np.mean(np.all((points >= low) & (points <= high), axis=1))
    eye = np.array([scene["camera"]["eye"][a] for a in "xyz"])  # this frame's own camera
    eye = eye / np.linalg.norm(eye)
    right = np.cross(eye, [0.0, 0.0, 1.0])
    right /= np.linalg.norm(right)
    to_screen = np.column_stack([right, np.cross(right, eye)])

    def picture_area(box_low, box_high):
        corners = np.array(
            [np.where([(c >> i) & 1 for i in range(3)], box_high, box_low) for c in range(8)]
        )
        return ConvexHull(((corners - low) / (high - low) * aspect) @ to_screen).volume

    clipped = np.clip(points, low, high)
    data_low, data_high = clipped.min(axis=0), clipped.max(axis=0)
    flat = data_high - data_low < FLAT_SHARE * (data_high - data_low).max()  # a line fills nothing
    data_low, data_high = np.where(flat, low, data_low), np.where(flat, high, data_high)
    return float(inside), picture_area(data_low, data_high) / picture_area(low, high)


@pytest.mark.parametrize("epochs", [0, 300])
@pytest.mark.parametrize("hidden", ARCHITECTURES)
@pytest.mark.parametrize("activation", list(ACTIVATIONS))
def test_every_frame_keeps_the_data_in_view_and_fills_it(activation, hidden, epochs):
    figure = _figure(activation, hidden, epochs)
    three_d = "scene" in figure["frames"][0]["layout"]
    for frame in figure["frames"]:
        if three_d:
            inside, share = _projected_share(_data_points(frame, "xyz"), frame["layout"]["scene"])
        else:
            points = _data_points(frame, "xy")
            low, high = _view_2d(frame)
            points = points[np.isfinite(points).all(axis=1)]
            inside = np.mean(np.all((points >= low) & (points <= high), axis=1))
            share = coverage(points, low, high)
        assert inside >= 0.95, (frame["name"], inside)
        assert share >= 0.25, (frame["name"], share)


def test_key_frame_box_keeps_one_scale_when_the_data_allow_it():
    rng = np.random.default_rng(0)
    round_cloud = rng.normal(size=(300, 2)) * [2.0, 1.5]
    low, high = fitted_box(round_cloud)
    assert (high - low)[0] == pytest.approx((high - low)[1])  # equal scales
    thin = rng.normal(size=(300, 2)) * [5.0, 0.2]
    low, high = fitted_box(thin)
    span = high - low
    assert span[1] < span[0] / 2  # widened only as far as needed to be filled
    assert coverage(thin, low, high) >= 0.3
    assert "y magnified" in zoom_text((low, high), (low, high))


def test_in_between_frames_lag_the_data_so_a_stretch_is_seen():
    rng = np.random.default_rng(1)
    start = rng.uniform(-1, 1, size=(200, 2))
    frames = [start * s for s in (1.0, 1.5, 2.0, 2.5, 3.0)]
    boxes = follow_boxes(frames, [True, False, False, False, True])
    spans = [float((high - low)[0]) for low, high in boxes]
    data = [float(np.ptp(f[:, 0])) for f in frames]
    # Key frames fit the data; in between, the data grows against the view before it settles.
    fill = [d / s for d, s in zip(data, spans, strict=True)]
    assert fill[0] == pytest.approx(fill[-1], rel=1e-6)
    assert max(fill[1:-1]) > fill[0] * 1.05


def test_zoom_text_states_the_scale_against_the_input():
    reference = (np.array([-1.0, -1.0]), np.array([1.0, 1.0]))
    assert zoom_text((reference[0] / 12, reference[1] / 12), reference) == "zoom ×12"
    assert zoom_text((reference[0] * 4, reference[1] * 4), reference) == "zoom ×0.25"


@pytest.mark.parametrize("hidden", [(2, 1, 1), (1, 1), (2, 2, 1, 1)])
@pytest.mark.parametrize("seed", [0, 1])
def test_a_layer_collapsed_to_a_point_still_gets_a_view(hidden, seed):
    # Trained ReLU nets with 1-unit layers die: every point lands on one value. The view must
    # still have a length on both axes (it had a zero span and a NaN scale ratio, which Plotly
    # refuses).
    settings = dataclasses.replace(Settings(), activation="relu", hidden=hidden, seed=seed)
    experiment = Experiment.build(settings)
    experiment.trainer.run(300)
    anim = network_animation(
        experiment.view_model,
        experiment.X,
        grid_lines(experiment.extent),
        n_frames=frames_per_stage(len(hidden)),
    )
    figure = transform_figure(anim, experiment.y).to_dict()
    go.Figure(figure)  # validates: raises on a NaN scale ratio
    for frame in figure["frames"]:
        low, high = _view_2d(frame)
        assert np.all(high > low)
        assert np.isfinite(frame["layout"]["yaxis"]["scaleratio"])

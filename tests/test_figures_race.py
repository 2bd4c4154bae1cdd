"""The optimizer race figure: every path animated over a ground image with iso-loss lines."""

from __future__ import annotations

import inspect

import numpy as np

import core.figures.race as race_module
from core.figures.plotly_frames import checked_copy
from core.figures.race import BUTTONS_HEIGHT, OPTIMIZER_COLORS, iso_lines, race_figure
from core.labs.optimizer_race import race
from core.nn.optimizers import OPTIMIZERS

AXIS = np.linspace(-1.0, 1.0, 3)
VALUES = np.array([[0.5, 0.2, 0.6], [0.1, 0.02, 0.3], [0.9, 0.4, 2.0]])


def test_builder_never_imports_streamlit():
    assert "streamlit" not in inspect.getsource(race_module)


def _bowl(w):
    return 0.5 * float(w @ w), w.copy()


def test_race_figure_animates_every_path():
    rates = {name: spec.default_learning_rate for name, spec in OPTIMIZERS.items()}
    rates["sgd"] = 2.5  # diverges: its path is shorter than the others
    paths = race(_bowl, np.array([0.8, -0.6]), rates, 45)
    figure = checked_copy(race_figure(AXIS, AXIS, VALUES, paths, max_frames=20))
    assert len(figure.data) == 2 + 2 * len(paths)
    # The ground is a layout image (traces would vanish while frames play) with iso-lines.
    (ground,) = figure.layout.images
    assert ground.source.startswith("data:image/png;base64,") and ground.layer == "below"
    assert (ground.x, ground.y, ground.sizex, ground.sizey) == (-1.0, 1.0, 2.0, 2.0)
    assert figure.data[0].mode == "lines" and list(figure.data[1].x) == [0.8]
    assert len(figure.frames) == 16  # every 3rd of steps 0..45 (45 included)
    assert [f.name for f in figure.frames][-1] == "step 45"
    for frame in figure.frames:
        assert list(frame.traces) == list(range(2, 2 + 2 * len(paths)))
    middle = figure.frames[5]  # step 15: lines keep their length, later points on the head
    for k, path in enumerate(paths):
        line, head = middle.data[2 * k], middle.data[2 * k + 1]
        assert len(line.x) == len(path.points)
        step = min(15, len(path.points) - 1)
        np.testing.assert_allclose(line.x[: step + 1], path.points[: step + 1, 0], rtol=1e-6)
        assert np.all(line.x[step:] == head.x[0]) and head.x[0] == np.float32(path.points[step, 0])
    last = figure.frames[-1].data
    for k, path in enumerate(paths):
        np.testing.assert_allclose(last[2 * k].x, path.points[:, 0], rtol=1e-6)
        np.testing.assert_allclose(figure.data[2 + 2 * k].y, path.points[:, 1], rtol=1e-6)
        assert figure.data[2 + 2 * k].line.color == OPTIMIZER_COLORS[path.optimizer]
    play = figure.layout.updatemenus[0].buttons[0]
    assert play.args[1]["frame"]["redraw"] is False
    assert list(figure.layout.yaxis.range) == [-1.0, 1.0]
    labels = [step.label for step in figure.layout.sliders[0].steps]
    assert (
        labels[0] == "0" and "45" not in labels[:-1] and sum(bool(label) for label in labels) <= 8
    )


def test_iso_lines_lie_on_their_level():
    axis = np.linspace(-1.0, 1.0, 41)
    X, Y = np.meshgrid(axis, axis)
    z = np.hypot(X, 2 * Y)  # ellipses
    levels = np.array([0.3, 0.7, 5.0])  # 5.0 is above every value: no line
    x, y = iso_lines(axis, axis, z, levels)
    assert x.dtype == np.float32 and np.isnan(x[-1]) and np.isnan(y[-1])
    # One closed polyline per ellipse, each followed by NaN.
    gaps = np.flatnonzero(np.isnan(x))
    assert len(gaps) == 2 and np.array_equal(np.isnan(y), np.isnan(x))
    for line in np.split(np.column_stack([x, y]), gaps + 1)[:-1]:
        line = line[:-1]
        assert len(line) > 20 and np.array_equal(line[0], line[-1])
    points = np.column_stack([x, y])[np.isfinite(x)]
    radius = np.hypot(points[:, 0], 2 * points[:, 1])
    assert np.all(np.min(np.abs(radius[:, None] - levels[:2]), axis=1) < 0.01)
    assert np.sum(np.abs(radius - 0.3) < 0.01) > 20 and np.sum(np.abs(radius - 0.7) < 0.01) > 40
    saddle = np.array([[1.0, 0.0], [0.0, 1.0]])  # both diagonals above 0.5: two segments
    x, _ = iso_lines(np.array([0.0, 1.0]), np.array([0.0, 1.0]), saddle, np.array([0.5]))
    assert np.isfinite(x).sum() == 4 and np.isnan(x).sum() == 2


def test_the_play_buttons_sit_on_their_own_row_above_the_slider():
    """Beside the buttons at a share of the width, the slider ran under the ❚❚ button on a
    narrow chart: now the buttons take a row of their own (both hang from the plot's bottom
    edge, ``pad.t`` below it) and the slider spans the width under them, inside the margin."""
    paths = race(_bowl, np.array([0.8, -0.6]), {"sgd": 0.1, "adam": 0.05}, 20)
    layout = race_figure(AXIS, AXIS, VALUES, paths).layout
    (menu,), (slider,) = layout.updatemenus, layout.sliders
    assert menu.y == slider.y == 0 and menu.yanchor == slider.yanchor == "top"
    assert menu.pad.t + BUTTONS_HEIGHT <= slider.pad.t  # the row of buttons ends above it
    assert slider.x == 0 and slider.len == 1  # the whole width: no room shared with buttons
    assert layout.margin.b >= slider.pad.t + 50  # the slider and its tick labels fit below

"""The optimizer race of the Loss-surface page: every optimizer's path over one surface.

The race is drawn differently from the other surfaces (``core.figures.landscape``): plotly.js
drops contour and heatmap traces while ``redraw: False`` frames play, and ``redraw: True``
flickers, so the ground is a colour-mapped PNG layout image with iso-loss lines (traced by
contourpy) and the animated ``go.Scatter`` paths move over it.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from contourpy import LineType, contour_generator

from core.figures.loss_display import (
    COLORSCALE,
    LINE_2D,
    Display,
    display_values,
    fix_axes,
    style_figure,
)
from core.figures.plotly_frames import animated_figure, play_controls
from core.labs.optimizer_race import RacePath
from core.labs.plane import join_lines
from core.nn.optimizers import OPTIMIZERS
from core.render.draw import upsample
from core.render.png import png_data_uri
from core.render.theme import CLASS_COLORS, INK, hex_to_rgb

__all__ = ["BUTTONS_HEIGHT", "OPTIMIZER_COLORS", "iso_lines", "race_figure"]

Array = np.ndarray
OPTIMIZER_COLORS = dict(zip(OPTIMIZERS, CLASS_COLORS, strict=False))
FRAME_MS = 80
GROUND_ZOOM = 4  # the race's ground image: 51 × 51 values become a 204 × 204 picture
N_ISO_LINES = 16
# The ▶/❚❚ buttons on a row of their own under the x axis, the slider across the whole width
# below them: beside the buttons, at a share of the width, the slider ran under the ❚❚ button
# whenever the chart was narrower than about 650 px (BUTTONS_HEIGHT: the row the buttons take).
BUTTONS_HEIGHT = 34
PLAY_MENU = {
    "x": 0.0,
    "y": 0.0,
    "xanchor": "left",
    "yanchor": "top",
    "pad": {"t": 52, "r": 8},
}
SLIDER = {
    "x": 0.0,
    "len": 1.0,
    "y": 0.0,
    "yanchor": "top",
    "pad": {"t": PLAY_MENU["pad"]["t"] + BUTTONS_HEIGHT + 8},
    "font": {"size": 11},
    "ticklen": 3,
    "currentvalue": {"prefix": "step ", "xanchor": "right", "font": {"color": INK, "size": 13}},
}
PATH_HOVER = "<br>%{x:.3g}, %{y:.3g}: loss %{customdata:.4g}<extra></extra>"


def _frame_steps(n_points: int, max_frames: int) -> Array:
    """Step numbers shown as frames: every ``stride``-th (at most ``max_frames``) and the last."""
    stride = int(np.ceil(n_points / max_frames))
    return np.unique(np.append(np.arange(0, n_points, stride), n_points - 1))


def _path_traces(paths: list[RacePath], step: int) -> list[dict]:
    """Per optimizer: its path up to ``step`` (line and markers) and its head (last point).

    The line keeps its full length, the points after ``step`` piled on the head: with
    ``redraw: False`` plotly.js does not redraw a line whose number of points changed.
    """
    traces = []
    for path in paths:
        upto = np.minimum(np.arange(len(path.points)), step)
        shown = path.points[upto].astype(np.float32)
        traces.append({"type": "scatter", "x": shown[:, 0], "y": shown[:, 1]})
        traces.append({"type": "scatter", "x": shown[-1:, 0], "y": shown[-1:, 1]})
    return traces


def _race_controls(steps: Array) -> tuple[list, list]:
    """▶/❚❚ buttons and a slider over the frames, labelled at round step numbers."""
    every = _tick_spacing(int(steps[-1]))
    labelled = np.diff(steps // every, prepend=-1) > 0  # the first frame at or past each tick
    pairs = [
        (str(step) if show else "", f"step {step}")
        for step, show in zip(steps, labelled, strict=True)
    ]
    slider = {**SLIDER, "active": len(steps) - 1}
    return play_controls(pairs, frame_ms=FRAME_MS, menu=PLAY_MENU, slider=slider)


def _tick_spacing(last: int) -> int:
    """A round step (1, 2, 5, 10, 20, ...) giving about six labelled ticks up to ``last``."""
    rough = max(last / 6, 1)
    spacing = 10 ** int(np.floor(np.log10(rough)))
    return next(k * spacing for k in (1, 2, 5, 10) if k * spacing >= rough)


def _race_traces(path: RacePath) -> list[go.Scatter]:
    """One optimizer's whole path (line and markers, hover shows the loss) and its head."""
    color, name = OPTIMIZER_COLORS[path.optimizer], f"{path.label} (η = {path.learning_rate:g})"
    line, head = _path_traces([path], len(path.points))
    walk = go.Scatter(line, mode="lines+markers", name=name, legendgroup=name)
    walk.update(line={"color": color, "width": 2.2}, marker={"color": color, "size": 4})
    walk.update(customdata=path.losses, hovertemplate=name + PATH_HOVER)
    end = go.Scatter(head, mode="markers", showlegend=False, legendgroup=name, hoverinfo="skip")
    end.update(marker={"color": color, "size": 12, "line": {"color": "white", "width": 1.5}})
    return [walk, end]


def race_figure(
    x: Array,
    y: Array,
    values: Array,
    paths: list[RacePath],
    *,
    log_scale: bool = False,
    titles: tuple[str, str] = ("w₁", "w₂"),
    max_frames: int = 60,
    height: int = 640,
) -> go.Figure:
    """Every optimizer's path over the contour of ``values`` (n_y, n_x), animated together.

    Shows the finished race; ▶ replays it step by step (a path that stopped early because it
    diverged stays at its last point). Axis ranges are fixed to the grid. The ground is a
    layout image with iso-loss lines: plotly.js drops contour and heatmap traces from the plot
    while ``redraw: False`` frames play, and ``redraw: True`` flickers. Traces: iso-lines,
    start, then per path its line and its head; frames update only the paths.
    """
    display = display_values(values, log_scale)
    x, y = np.asarray(x, np.float32), np.asarray(y, np.float32)
    traces = _ground_traces(x, y, display, paths[0].points[0])
    traces += [trace for path in paths for trace in _race_traces(path)]
    steps = _frame_steps(max(len(path.points) for path in paths), max_frames)
    moving = list(range(2, len(traces)))
    frames = [
        {"name": f"step {step}", "data": _path_traces(paths, step), "traces": moving}
        for step in steps
    ]
    figure = animated_figure(traces, frames)
    menus, sliders = _race_controls(steps)
    style_figure(figure, height, updatemenus=menus, sliders=sliders, showlegend=False)
    # The surface above has the colour bar; the page lists the paths in their colours.
    # Room under the plot for the axis title, the buttons' row and the slider with its ticks.
    bottom = SLIDER["pad"]["t"] + 64
    figure.update_layout(margin={"b": bottom, "t": 10}, images=[_ground_image(x, y, display)])
    figure.update_xaxes(constrain="domain", showgrid=False, zeroline=False)
    figure.update_yaxes(scaleanchor="x", constrain="domain", showgrid=False, zeroline=False)
    fix_axes(figure, x, y, titles)
    return figure


def _ground_traces(x: Array, y: Array, display: Display, start: Array) -> list[go.Scatter]:
    """Iso-loss lines of the surface (one NaN-separated trace) and the start, as a ring."""
    levels = np.linspace(display.z.min(), display.z.max(), N_ISO_LINES + 2)[1:-1]
    line_x, line_y = iso_lines(x, y, display.z, levels)
    lines = go.Scatter(x=line_x, y=line_y, mode="lines", line=LINE_2D, hoverinfo="skip")
    ring = {"color": "white", "size": 13, "line": {"color": INK, "width": 2.5}}
    return [lines, go.Scatter(x=start[:1], y=start[1:], mode="markers", name="start", marker=ring)]


def _colormap(fraction: Array) -> Array:
    """RGB uint8 colours (..., 3) of values in [0, 1] on ``COLORSCALE``."""
    stops = [stop for stop, _ in COLORSCALE]
    rgb = np.array([hex_to_rgb(color) for _, color in COLORSCALE], dtype=float)
    channels = [np.interp(fraction, stops, rgb[:, k]) for k in range(3)]
    return np.stack(channels, axis=-1).round().astype(np.uint8)


def _ground_image(x: Array, y: Array, display: Display) -> dict:
    """The surface as a colour-mapped PNG stretched over the axes, under everything else."""
    low, high = float(display.z.min()), float(display.z.max())
    n_y, n_x = display.z.shape
    fine = upsample(display.z, (GROUND_ZOOM * n_y, GROUND_ZOOM * n_x))  # smooth, not blocky
    image = _colormap((fine[::-1] - low) / max(high - low, 1e-12))  # PNG row 0 is the top
    width, height = float(x[-1] - x[0]), float(y[-1] - y[0])
    return dict(
        source=png_data_uri(image),
        xref="x",
        yref="y",
        x=float(x[0]),
        y=float(y[-1]),
        sizex=width,
        sizey=height,
        sizing="stretch",
        layer="below",
    )


def iso_lines(x: Array, y: Array, z: Array, levels: Array) -> tuple[Array, Array]:
    """Level lines of ``z`` (n_y, n_x) on the grid x × y at each of ``levels`` (contourpy).

    Returns the x and y coordinates (float32) of every line, each line followed by NaN, so one
    scatter trace draws them all.
    """
    generator = contour_generator(x, y, z, line_type=LineType.ChunkCombinedNan)
    # One chunk per level: its lines already NaN-separated, or None where the level is missing.
    chunks = [generator.lines(float(level))[0][0] for level in levels]
    lines = join_lines([chunk for chunk in chunks if chunk is not None]).astype(np.float32)
    return lines[:, 0], lines[:, 1]

"""Plotly figures of the Loss-surface page. They take core arrays and return ``go.Figure``.

Every surface is drawn twice, as a 3-D ``go.Surface`` and a ``go.Contour``, sharing one colour
axis (light = low loss, dark = high). Values go through ``display_values`` first: non-finite
or overflowing losses are clipped to a finite ceiling (never NaN), and on a log scale the
colour bar and z axis are labelled with the loss itself (0.01, 0.1, 1), not its logarithm. The
optimizer race animates ``go.Scatter`` paths over the contour with ``redraw: False``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots
from scipy.ndimage import zoom

from core.optimizer_race import RacePath
from core.optimizers import OPTIMIZERS
from core.raster import png_data_uri
from core.theme import CLASS_COLORS, FONT_FAMILY, GRID_COLOR, INK, MUTED, hex_to_rgb

__all__ = [
    "OPTIMIZER_COLORS",
    "Display",
    "display_values",
    "iso_lines",
    "log_ticks",
    "path_loss_figure",
    "race_figure",
    "surface_figure",
    "trajectory_figure",
]

Array = np.ndarray
# Light valleys, dark peaks, in the theme's muted ink hues: the optimizers' coloured paths stay
# visible on every part of the ground.
COLORSCALE = [
    [0.0, "#fcfcfe"],
    [0.3, "#dedcea"],
    [0.6, "#a9a5c4"],
    [0.85, "#6b6890"],
    [1.0, "#3b3856"],
]
OPTIMIZER_COLORS = dict(zip(OPTIMIZERS, CLASS_COLORS, strict=False))
# A display ceiling of 10× the 95th percentile keeps the shape of an ordinary surface (no
# clipping) while a few overflowing corners (1e300) cannot flatten everything else to one colour.
CLIP_FACTOR = 10.0
MAX_SHOWN = 1e30  # far below float32's limit: the figures send float32 arrays
LOG_FLOOR = 1e-8  # log scale: values below ceiling × this are drawn at the floor
FRAME_MS = 80
GROUND_ZOOM = 4  # the race's ground image: 51 × 51 values become a 201 × 201 picture
N_ISO_LINES = 16
MAX_MARKERS = 80  # checkpoints drawn as dots on the path's plane; more would overlap
PATH_COLOR = CLASS_COLORS[0]
LEGEND_ON_TOP = {"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0.0}
HOVER = "%{x:.3g}, %{y:.3g}<extra></extra>"
ON_COLOR_AXIS = {"name": "loss", "coloraxis": "coloraxis", "hovertemplate": HOVER}
MARK = {"color": INK, "line": {"color": "white", "width": 1.5}}
LINE_2D = {"width": 0.5, "color": "rgba(31, 29, 46, 0.25)"}
AXIS_3D = {"showbackground": False, "gridcolor": "#e4e2f0", "color": MUTED}
PLAY_MENU = {
    "type": "buttons",
    "direction": "left",
    "showactive": False,
    "x": 0.0,
    "y": 0.0,
    "xanchor": "left",
    "yanchor": "top",
    "pad": {"t": 62, "r": 8},
}
SLIDER = {
    "x": 0.24,
    "len": 0.76,
    "y": 0.0,
    "yanchor": "top",
    "pad": {"t": 50},
    "font": {"size": 10},
    "ticklen": 3,
    "currentvalue": {"prefix": "step ", "xanchor": "right", "font": {"color": INK, "size": 13}},
}
PATH_HOVER = "<br>%{x:.3g}, %{y:.3g}: loss %{customdata:.4g}<extra></extra>"
TRUE_HOVER = "true loss %{customdata[0]:.4g}<br>on the plane %{customdata[1]:.4g}<extra></extra>"


@dataclass(frozen=True)
class Display:
    """Values ready to draw: ``z`` (finite float32, loss or log10 loss) and colour-bar ticks."""

    z: Array
    tickvals: Array | None
    ticktext: list[str] | None
    ceiling: float
    n_clipped: int
    log_scale: bool

    def transform(self, values: Array) -> Array:
        """Map more loss values (e.g. a path's) the same way as the surface."""
        return _transform(values, self.ceiling, self.log_scale)


def _transform(values: Array, ceiling: float, log_scale: bool) -> Array:
    # NaN and overflow go to the ceiling, never to NaN; losses are ≥ 0.
    clipped = np.clip(np.nan_to_num(values, nan=ceiling, posinf=ceiling), 0.0, ceiling)
    return np.log10(np.maximum(clipped, ceiling * LOG_FLOOR)) if log_scale else clipped


def display_values(values: Array, log_scale: bool = False) -> Display:
    """Clip a loss array for display and, with ``log_scale``, take log10 with honest ticks."""
    values = np.asarray(values, dtype=float)
    finite = values[np.isfinite(values)]
    ceiling = 1.0
    if finite.size:
        typical = np.percentile(finite, 95, method="lower")  # an actual value, never a blend
        ceiling = float(min(finite.max(), CLIP_FACTOR * typical, MAX_SHOWN))
    ceiling = max(ceiling, 1e-12)  # a flat zero surface still has a usable log floor
    n_clipped = int(np.count_nonzero(~(values <= ceiling)))
    z = _transform(values, ceiling, log_scale)
    if not log_scale:
        return Display(z.astype(np.float32), None, None, ceiling, n_clipped, False)
    ticks = log_ticks(10.0 ** float(z.min()), 10.0 ** float(z.max()))
    ticktext = [f"{tick:.3g}" for tick in ticks]
    return Display(z.astype(np.float32), np.log10(ticks), ticktext, ceiling, n_clipped, True)


def log_ticks(low: float, high: float) -> Array:
    """Round values in [low, high] for a log axis: 1, 10, 100; with 2 and 5 between when under
    four decades; two-digit values spread evenly when that still gives fewer than three."""
    low = max(low, 1e-300)
    high = max(high, low)
    ticks = 10.0 ** np.arange(np.floor(np.log10(low)), np.ceil(np.log10(high)) + 1)
    if len(ticks) <= 5:
        ticks = np.outer(ticks, [1, 2, 5]).ravel()
    ticks = ticks[(ticks >= low * (1 - 1e-9)) & (ticks <= high * (1 + 1e-9))]
    if len(ticks) < 3:
        ticks = np.unique([float(f"{value:.2g}") for value in np.geomspace(low, high, 5)])
    return ticks


def _colorbar_title(display: Display) -> str:
    title = "loss<br>(log scale)" if display.log_scale else "loss"
    if display.n_clipped:
        title += f"<br><sup>{display.n_clipped} values clipped at {display.ceiling:.3g}</sup>"
    return title


def _coloraxis(display: Display) -> dict:
    colorbar = {"title": {"text": _colorbar_title(display), "side": "top"}, "thickness": 14}
    if display.log_scale:
        colorbar.update(tickvals=display.tickvals, ticktext=display.ticktext)
    low, high = float(display.z.min()), float(display.z.max())
    return {"colorscale": COLORSCALE, "cmin": low, "cmax": high, "colorbar": colorbar}


def _style(figure: go.Figure, height: int, **layout) -> go.Figure:
    font = {"family": FONT_FAMILY, "color": MUTED, "size": 13}
    defaults = {"margin": {"l": 10, "r": 10, "t": 30, "b": 10}, "legend": LEGEND_ON_TOP}
    layout = {**defaults, **layout}
    figure.update_layout(height=height, font=font, paper_bgcolor="white", **layout)
    figure.update_layout(plot_bgcolor="white")
    return figure


def _scene(display: Display, x_title: str, y_title: str) -> dict:
    z_axis = {**AXIS_3D, "title": {"text": "loss"}}
    if display.log_scale:
        z_axis.update(tickvals=display.tickvals, ticktext=display.ticktext)
    x_axis, y_axis = ({**AXIS_3D, "title": {"text": title}} for title in (x_title, y_title))
    camera = {"eye": {"x": 1.6, "y": -1.8, "z": 1.05}, "center": {"x": 0, "y": 0, "z": -0.08}}
    ratio = {"x": 1, "y": 1, "z": 0.75}
    return dict(xaxis=x_axis, yaxis=y_axis, zaxis=z_axis, aspectratio=ratio, camera=camera)


def _contour(x: Array, y: Array, display: Display) -> go.Contour:
    # Coloured as a heatmap with contour lines on top: plotly.js lets a contour share a colour
    # axis with a surface or markers only with this colouring (a filled contour is ignored).
    contour = go.Contour(x=x, y=y, z=display.z, ncontours=24, line=LINE_2D, **ON_COLOR_AXIS)
    return contour.update(contours={"coloring": "heatmap"})


def _fix_axes(figure: go.Figure, x: Array, y: Array, titles: tuple[str, str], **where) -> None:
    figure.update_xaxes(title={"text": titles[0]}, range=[float(x[0]), float(x[-1])], **where)
    figure.update_yaxes(title={"text": titles[1]}, range=[float(y[0]), float(y[-1])], **where)


def _pair_figure(x: Array, y: Array, display: Display, titles: tuple, height: int) -> go.Figure:
    """3-D surface (left) and filled contour (right) of one display array (n_y, n_x)."""
    x, y = np.asarray(x, np.float32), np.asarray(y, np.float32)
    specs = [[{"type": "scene"}, {"type": "xy"}]]
    figure = make_subplots(1, 2, specs=specs, column_widths=[0.54, 0.46], horizontal_spacing=0.09)
    contours = {"z": {"show": True, "usecolormap": True, "width": 1}}
    figure.add_trace(go.Surface(x=x, y=y, z=display.z, contours=contours, **ON_COLOR_AXIS), 1, 1)
    figure.add_trace(_contour(x, y, display), 1, 2)
    _style(figure, height, coloraxis=_coloraxis(display), scene=_scene(display, *titles))
    figure.update_layout(margin={"l": 45})  # room for the 3-D z-axis labels on the left
    _fix_axes(figure, x, y, titles, row=1, col=2)
    return figure


def _mark(figure: go.Figure, x: float, y: float, z: float, label: str) -> None:
    """A point drawn as a dot on the 3-D surface and a star on the contour."""
    dot = go.Scatter3d(x=[x], y=[y], z=[z], mode="markers", name=label, showlegend=False)
    figure.add_trace(dot.update(marker={**MARK, "size": 5}), 1, 1)
    star = go.Scatter(x=[x], y=[y], mode="markers", name=label)
    figure.add_trace(star.update(marker={**MARK, "size": 14, "symbol": "star"}), 1, 2)


def surface_figure(
    x: Array,
    y: Array,
    values: Array,
    *,
    log_scale: bool = False,
    titles: tuple[str, str] = ("α", "β"),
    marks: list[tuple[float, float, float, str]] = (),
    height: int = 540,
) -> go.Figure:
    """3-D surface (left) and contour (right) of ``values`` (n_y, n_x) over ``x`` × ``y``.

    ``titles`` name the two axes; ``marks`` are (x, y, loss, label) points drawn as a dot and
    a star (e.g. the current weights).
    """
    display = display_values(values, log_scale)
    figure = _pair_figure(x, y, display, titles, height)
    for mark_x, mark_y, loss, label in marks:
        _mark(figure, mark_x, mark_y, float(display.transform(np.array([loss]))[0]), label)
    return figure.update_layout(showlegend=False)  # the page's caption explains the star


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

    def go_to(duration: int) -> dict:
        frame, transition = {"duration": duration, "redraw": False}, {"duration": 0}
        return {"frame": frame, "mode": "immediate", "fromcurrent": True, "transition": transition}

    buttons = [
        {"label": "▶ Play", "method": "animate", "args": [None, go_to(FRAME_MS)]},
        {"label": "❚❚ Pause", "method": "animate", "args": [[None], go_to(0)]},
    ]
    every = _tick_spacing(int(steps[-1]))
    labelled = np.diff(steps // every, prepend=-1) > 0  # the first frame at or past each tick
    jump = go_to(0)
    slider_steps = [
        {"label": str(step) if show else "", "method": "animate", "args": [[f"step {step}"], jump]}
        for step, show in zip(steps, labelled, strict=True)
    ]
    slider = {**SLIDER, "steps": slider_steps, "active": len(steps) - 1}
    return [{**PLAY_MENU, "buttons": buttons}], [slider]


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
    height: int = 600,
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
    figure = go.Figure(traces, frames=frames)
    menus, sliders = _race_controls(steps)
    _style(figure, height, updatemenus=menus, sliders=sliders, showlegend=False)
    # The surface above has the colour bar; the page lists the paths in their colours.
    figure.update_layout(margin={"b": 110, "t": 10}, images=[_ground_image(x, y, display)])
    figure.update_xaxes(constrain="domain", showgrid=False, zeroline=False)
    figure.update_yaxes(scaleanchor="x", constrain="domain", showgrid=False, zeroline=False)
    _fix_axes(figure, x, y, titles)
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
    fine = zoom(display.z.astype(float), GROUND_ZOOM, order=1)  # smooth, not blocky
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
    """Level lines of ``z`` (n_y, n_x) on the grid x × y at each of ``levels`` (marching squares).

    Returns x and y coordinates of every line segment, each followed by NaN, so one scatter
    trace draws them all. A cell crossed four times (a saddle) gets two segments.
    """
    X, Y = np.meshgrid(x, y)

    def corner(row: int, column: int) -> tuple[Array, Array, Array]:
        rows, columns = slice(row, len(y) - 1 + row), slice(column, len(x) - 1 + column)
        return z[rows, columns], X[rows, columns], Y[rows, columns]

    grid = [corner(row, column) for row, column in ((0, 0), (0, 1), (1, 1), (1, 0))]
    level = np.asarray(levels, dtype=float)[:, None, None]
    points, hits = [], []
    for k in range(4):
        (za, xa, ya), (zb, xb, yb) = grid[k], grid[(k + 1) % 4]
        hit = (za > level) != (zb > level)
        t = np.where(hit, (level - za) / np.where(hit, zb - za, 1.0), 0.0)
        points.append(np.stack([xa + t * (xb - xa), ya + t * (yb - ya)], axis=-1))
        hits.append(hit)
    points = np.stack(points, axis=-2).reshape(-1, 4, 2)
    hits = np.stack(hits, axis=-1).reshape(-1, 4)
    count = hits.sum(axis=1)
    pairs = points[count == 2][hits[count == 2]].reshape(-1, 2, 2)
    segments = np.concatenate([pairs, points[count == 4].reshape(-1, 2, 2)])
    gaps = np.full((len(segments), 1, 2), np.nan)
    lines = np.concatenate([segments, gaps], axis=1).reshape(-1, 2).astype(np.float32)
    return lines[:, 0], lines[:, 1]


def trajectory_figure(
    x: Array,
    y: Array,
    values: Array,
    coords: Array,
    true_losses: Array,
    plane_losses: Array,
    *,
    log_scale: bool = False,
    titles: tuple[str, str] = ("PC1", "PC2"),
    height: int = 560,
) -> go.Figure:
    """The surface in the training path's plane with the projected path on it.

    Left: 3-D surface with the path at the height of the surface below it (``plane_losses``).
    Right: contour with the checkpoints coloured by their true loss (``true_losses``) on the
    surface's colour scale: where a dot's colour differs from the ground under it, the path
    runs off the plane. ``coords`` (n, 2), losses (n,); at most ``MAX_MARKERS`` evenly spread
    checkpoints get a dot (the line shows them all).
    """
    display = display_values(values, log_scale)
    figure = _pair_figure(x, y, display, titles, height)
    px, py = np.asarray(coords, np.float32).T
    heights = display.transform(plane_losses)
    on_surface = go.Scatter3d(x=px, y=py, z=heights, mode="lines", name="path", showlegend=False)
    figure.add_trace(on_surface.update(line={"color": PATH_COLOR, "width": 7}), 1, 1)
    projected = go.Scatter(x=px, y=py, mode="lines", name="projected path", hoverinfo="skip")
    figure.add_trace(projected.update(line={"color": INK, "width": 1.2}), 1, 2)
    dots = np.unique(np.linspace(0, len(px) - 1, min(MAX_MARKERS, len(px))).round().astype(int))
    name = "checkpoint, coloured by its true loss"
    checkpoints = go.Scatter(x=px[dots], y=py[dots], mode="markers", name=name)
    marker = {"color": display.transform(true_losses[dots]), "coloraxis": "coloraxis", "size": 9}
    checkpoints.update(marker={**marker, "line": {"color": INK, "width": 0.8}})
    checkpoints.update(customdata=np.column_stack([true_losses, plane_losses])[dots])
    figure.add_trace(checkpoints.update(hovertemplate=TRUE_HOVER), 1, 2)
    final = float(display.transform(np.asarray(plane_losses[-1:]))[0])
    _mark(figure, 0.0, 0.0, final, "final weights")
    return figure


def path_loss_figure(
    epochs: Array, true_losses: Array, plane_losses: Array, *, height: int = 280
) -> go.Figure:
    """Loss by epoch along the path (log scale), (n,) each: every checkpoint's true loss and
    the surface's value at its projection. Their gap is what the 2-D picture cannot show."""
    epochs = np.asarray(epochs, np.float32)
    true = go.Scatter(x=epochs, y=np.asarray(true_losses, np.float32), mode="lines")
    true.update(name="true loss of the checkpoint", line={"color": INK, "width": 2.4})
    plane = go.Scatter(x=epochs, y=np.asarray(plane_losses, np.float32), mode="lines")
    plane.update(name="loss on the plane at its projection")
    plane.update(line={"color": PATH_COLOR, "width": 2, "dash": "dash"})
    figure = _style(go.Figure([true, plane]), height, margin={"l": 60, "r": 10, "t": 10, "b": 40})
    axis = {"gridcolor": "#ecebf4", "linecolor": GRID_COLOR, "zeroline": False}
    figure.update_xaxes(title={"text": "epoch"}, **axis)
    losses = np.concatenate([true_losses, plane_losses])
    ticks = log_ticks(float(losses.min()), float(losses.max()))
    ticktext = [f"{tick:.3g}" for tick in ticks]
    figure.update_yaxes(title={"text": "loss"}, type="log", tickvals=ticks, ticktext=ticktext)
    figure.update_yaxes(**axis)
    return figure

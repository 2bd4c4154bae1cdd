"""Plotly figures of the Loss-surface page. They take core arrays and return ``go.Figure``.

Every surface is drawn twice, as a 3-D ``go.Surface`` and a ``go.Contour``, sharing one colour axis
(light = low loss, dark = high). Values go through ``display_values`` first: non-finite or
overflowing losses are clipped to a finite ceiling (never NaN), and on a log scale the colour bar
and z axis are labelled with the loss itself (0.01, 0.1, 1), not its logarithm. ``display_values``
and the shared look live in ``core.figures.loss_display``; the optimizer race, which animates
``go.Scatter`` paths over an image of the surface, lives in ``core.figures.race``.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.figures.loss_display import (
    COLORSCALE,
    LINE_2D,
    Display,
    display_values,
    fix_axes,
    log_ticks,
    style_figure,
)
from core.render.preview_svg import heatmap_svg
from core.render.theme import (
    AXIS_GRID_COLOR,
    CLASS_COLORS,
    GRID_COLOR,
    INK,
    MUTED,
    SCENE_GRID_COLOR,
)

__all__ = [
    "PATH_HEIGHT",
    "SURFACE_HEIGHT",
    "path_loss_figure",
    "surface_figure",
    "surface_svg",
    "trajectory_figure",
]

Array = np.ndarray
SURFACE_HEIGHT, PATH_HEIGHT = 540, 560  # pixels: a surface figure, a trajectory figure
MAX_MARKERS = 80  # checkpoints drawn as dots on the path's plane; more would overlap
PATH_COLOR = CLASS_COLORS[0]
HOVER = "%{x:.3g}, %{y:.3g}<extra></extra>"
ON_COLOR_AXIS = {"name": "loss", "coloraxis": "coloraxis", "hovertemplate": HOVER}
MARK = {"color": INK, "line": {"color": "white", "width": 1.5}}
# 3-D axes: few ticks in a readable size (a scene's tick labels lie along their axis, so a
# crowd of small ones reads as a slanted smear), titles larger still.
AXIS_3D = {
    "showbackground": False,
    "gridcolor": SCENE_GRID_COLOR,
    "color": MUTED,
    "nticks": 5,
    "tickfont": {"size": 13, "color": MUTED},
}
AXIS_TITLE_FONT = {"size": 15, "color": INK}
TRUE_HOVER = "true loss %{customdata[0]:.4g}<br>on the plane %{customdata[1]:.4g}<extra></extra>"


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


def _scene(display: Display, x_title: str, y_title: str) -> dict:
    z_axis = {**AXIS_3D, "title": {"text": "loss", "font": AXIS_TITLE_FONT}}
    if display.log_scale:
        z_axis.update(tickvals=display.tickvals, ticktext=display.ticktext)
    x_axis, y_axis = (
        {**AXIS_3D, "title": {"text": title, "font": AXIS_TITLE_FONT}}
        for title in (x_title, y_title)
    )
    # Plotly fits a scene to its height, so a tall, narrow scene cuts what sticks out at the
    # sides (the z-axis title "loss" showed as "ss"). Seen more from the front, the square's
    # diagonal is no longer across the view, and every title fits at the page's width (a
    # 390 × 460 px scene in a 1280 px window; tests/test_browser_scenes.py).
    camera = {"eye": {"x": 1.0, "y": -2.3, "z": 1.15}, "center": {"x": -0.04, "y": 0, "z": -0.1}}
    ratio = {"x": 1, "y": 1, "z": 0.75}
    return dict(xaxis=x_axis, yaxis=y_axis, zaxis=z_axis, aspectratio=ratio, camera=camera)


def _contour(x: Array, y: Array, display: Display) -> go.Contour:
    # Coloured as a heatmap with contour lines on top: plotly.js lets a contour share a colour
    # axis with a surface or markers only with this colouring (a filled contour is ignored).
    contour = go.Contour(x=x, y=y, z=display.z, ncontours=24, line=LINE_2D, **ON_COLOR_AXIS)
    return contour.update(contours={"coloring": "heatmap"})


def _pair_figure(x: Array, y: Array, display: Display, titles: tuple, height: int) -> go.Figure:
    """3-D surface (left) and filled contour (right) of one display array (n_y, n_x)."""
    x, y = np.asarray(x, np.float32), np.asarray(y, np.float32)
    specs = [[{"type": "scene"}, {"type": "xy"}]]
    widths = [0.66, 0.34]  # the 3-D scene from 0 to 0.61 of the width, the contour from 0.69
    figure = make_subplots(1, 2, specs=specs, column_widths=widths, horizontal_spacing=0.09)
    contours = {"z": {"show": True, "usecolormap": True, "width": 1}}
    figure.add_trace(go.Surface(x=x, y=y, z=display.z, contours=contours, **ON_COLOR_AXIS), 1, 1)
    figure.add_trace(_contour(x, y, display), 1, 2)
    style_figure(figure, height, coloraxis=_coloraxis(display), scene=_scene(display, *titles))
    fix_axes(figure, x, y, titles, row=1, col=2)
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
    height: int = SURFACE_HEIGHT,
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


def surface_svg(
    x: Array,
    y: Array,
    values: Array,
    *,
    log_scale: bool = False,
    titles: tuple[str, str] = ("α", "β"),
    marks: list[tuple[float, float, float, str]] = (),
) -> str:
    """The contour half of ``surface_figure`` as a still SVG, a little shorter than its
    ``SURFACE_HEIGHT``: the same display values (clipped, log10 on a log scale), colour scale,
    colour-bar ticks and starred marks (x, y, loss, label). Shown while plotly.js loads."""
    display = display_values(values, log_scale)
    if display.log_scale:
        colorbar = (list(display.tickvals), list(display.ticktext))
    else:
        ticks = log_ticks(max(float(display.z.min()), 1e-12), float(display.z.max()))
        colorbar = (list(ticks), [f"{tick:.3g}" for tick in ticks])
    return heatmap_svg(
        x,
        y,
        display.z,
        COLORSCALE,
        titles=titles,
        colorbar=colorbar,
        colorbar_title=" ".join(_colorbar_title(display).split("<br>")[:2]).split("<sup>")[0],
        marks=[(mark_x, mark_y, label) for mark_x, mark_y, _, label in marks],
        width=560,
        height=SURFACE_HEIGHT - 20,
        caption="Loading the 3-D view…",
    )


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
    height: int = PATH_HEIGHT,
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
    figure = style_figure(
        go.Figure([true, plane]), height, margin={"l": 60, "r": 10, "t": 10, "b": 40}
    )
    axis = {"gridcolor": AXIS_GRID_COLOR, "linecolor": GRID_COLOR, "zeroline": False}
    figure.update_xaxes(title={"text": "epoch"}, **axis)
    losses = np.concatenate([true_losses, plane_losses])
    ticks = log_ticks(float(losses.min()), float(losses.max()))
    ticktext = [f"{tick:.3g}" for tick in ticks]
    figure.update_yaxes(title={"text": "loss"}, type="log", tickvals=ticks, ticktext=ticktext)
    figure.update_yaxes(**axis)
    return figure

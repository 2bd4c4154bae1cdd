"""Plotly figures of the Activations page. They take core arrays and return ``go.Figure``.

Every activation keeps one colour in every figure (``activation_color``); curves are SVG
``go.Scatter`` traces of float32 arrays; every axis range is fixed, so nothing rescales while
the bend animation plays (its frames use ``redraw: False``).
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.figures.plotly_frames import animated_figure, play_controls
from core.labs.activation_lab import Bend
from core.labs.gradient_lab import GradientGrid
from core.labs.plane import join_lines
from core.nn.activations import ACTIVATIONS
from core.nn.initializers import INITIALIZERS
from core.render.preview_svg import Line, Panel, line_panels_svg
from core.render.theme import (
    AXIS_GRID_COLOR,
    GRID_COLOR,
    INK,
    PRIMARY,
    class_color,
    figure_layout,
    rgba,
)

__all__ = [
    "activation_color",
    "bend_figure",
    "function_figure",
    "function_svg",
    "gradient_figure",
    "live_histogram_figure",
    "softmax_figure",
]

Array = np.ndarray
FRAME_MS = 80
SHADE = rgba(PRIMARY, 0.10)  # the saturation regions
SIGMA_Y, DERIVATIVE_Y = (-1.5, 3.5), (-1.15, 1.35)
# The bend's Play/Pause at the top right (clear of the axis labels), its slider underneath.
BEND_MENU = {"x": 1.0, "y": 1.0, "xanchor": "right", "yanchor": "bottom", "pad": {"b": 6}}
BEND_SLIDER = {
    "x": 0.0,
    "len": 1.0,
    "y": -0.06,
    "yanchor": "top",
    "pad": {"t": 8},
    "currentvalue": {"visible": False},
}


def activation_color(name: str) -> str:
    """One colour per activation, the same in every figure (identity: the ink colour)."""
    if name == "identity":
        return INK
    others = [n for n in ACTIVATIONS if n != "identity"]
    return class_color(others.index(name))


def _style(figure: go.Figure, height: int, **layout) -> go.Figure:
    defaults = {
        "margin": {"l": 50, "r": 20, "t": 40, "b": 45},
        "legend": {"orientation": "h", "y": -0.18, "x": 0.0},
    }
    figure.update_layout(**figure_layout(height, 13, **{**defaults, **layout}))
    axis = {"gridcolor": AXIS_GRID_COLOR, "zerolinecolor": GRID_COLOR, "linecolor": GRID_COLOR}
    figure.update_xaxes(**axis)
    figure.update_yaxes(**axis)
    figure.update_annotations(font={"color": INK, "size": 14})
    return figure


def _f32(values: Array) -> Array:
    return np.asarray(values, dtype=np.float32)


def _mark_step_spike(figure: go.Figure) -> None:
    # σ′ of the step is a Dirac spike at 0: no number to plot, so an arrow instead.
    arrow = {"ax": 0, "ay": -0.05, "axref": "x2", "ayref": "y2", "arrowhead": 2}
    figure.add_annotation(
        x=0,
        y=1.2,
        xref="x2",
        yref="y2",
        text="step: spike at 0 (σ′ undefined)",
        arrowcolor=activation_color("step"),
        font={"size": 12, "color": INK},
        **arrow,
    )


def _shade_saturation(figure: go.Figure, regions: list[tuple[float, float]]) -> None:
    label = {"xref": "x2", "yref": "y2", "showarrow": False, "yanchor": "top"}
    for start, end in regions:
        for column in (1, 2):
            figure.add_vrect(x0=start, x1=end, fillcolor=SHADE, line_width=0, row=1, col=column)
        if end - start > 1.0:  # label only the wide regions; slivers speak for themselves
            middle, top = (start + end) / 2, DERIVATIVE_Y[1]
            font = {"size": 12, "color": PRIMARY}
            figure.add_annotation(x=middle, y=top, text="saturated", font=font, **label)


def function_figure(
    z: Array,
    curves: dict[str, tuple[Array, Array]],
    focus: str | None = None,
    regions: list[tuple[float, float]] = (),
    height: int = 380,
) -> go.Figure:
    """σ(z) (left) and σ′(z) (right) for each activation; ``curves`` maps name → (σ, σ′),
    arrays (n,) on ``z`` (n,). The ``focus`` curve is drawn thicker and its saturation
    ``regions`` ((start, end) on z) are shaded in both panels."""
    figure = make_subplots(1, 2, subplot_titles=("σ(z)", "σ′(z)"), horizontal_spacing=0.07)
    for name, (values, derivative) in curves.items():
        line = {"color": activation_color(name), "width": 3.2 if name == focus else 1.8}
        common = {"legendgroup": name, "name": ACTIVATIONS[name].label, "mode": "lines"}
        figure.add_trace(go.Scatter(x=_f32(z), y=_f32(values), line=line, **common), 1, 1)
        slope_line = {**line, "dash": "dot"} if name == "step" else line
        slope = go.Scatter(x=_f32(z), y=_f32(derivative), line=slope_line, **common)
        figure.add_trace(slope.update(showlegend=False), 1, 2)
    if "step" in curves:
        _mark_step_spike(figure)
    _shade_saturation(figure, regions)
    figure.update_xaxes(range=[float(z[0]), float(z[-1])], title_text="z")
    figure.update_yaxes(range=list(SIGMA_Y), row=1, col=1)
    figure.update_yaxes(range=list(DERIVATIVE_Y), row=1, col=2)
    return _style(figure, height, hovermode="x unified")


def function_svg(
    z: Array,
    curves: dict[str, tuple[Array, Array]],
    focus: str | None = None,
    regions: list[tuple[float, float]] = (),
    width: int = 820,  # the page's main column in a 1280-pixel window: the chart's own size
    height: int = 380,
) -> str:
    """``function_figure`` as a still SVG (the same curves, colours, ranges and shading), shown
    while plotly.js loads. σ′ of the step (NaN at 0: a spike) is drawn dotted, as there."""
    x_range = (float(z[0]), float(z[-1]))

    def lines(column: int) -> list[Line]:
        drawn = []
        for name, pair in curves.items():
            thick = 3.2 if name == focus else 1.8
            dash = "2 3" if column == 1 and name == "step" else ""
            drawn.append(Line(np.asarray(pair[column]), activation_color(name), thick, dash))
        return drawn

    panels = [
        Panel(title, z, lines(column), x_range, y_range, "z", list(regions), SHADE)
        for column, (title, y_range) in enumerate((("σ(z)", SIGMA_Y), ("σ′(z)", DERIVATIVE_Y)))
    ]
    legend = [(ACTIVATIONS[name].label, activation_color(name)) for name in curves]
    return line_panels_svg(panels, legend, width=width, height=height)


def _bend_traces(positions: Array, n_data: int, grid_shape, y: Array, classes) -> list[dict]:
    grid = _f32(join_lines(positions[n_data:].reshape(*grid_shape, 2)))
    traces = [{"type": "scatter", "x": grid[:, 0], "y": grid[:, 1]}]
    data = _f32(positions[:n_data])
    for label in classes:
        traces.append({"type": "scatter", "x": data[y == label, 0], "y": data[y == label, 1]})
    return traces


def _style_bend_traces(figure: go.Figure, classes: Array) -> None:
    figure.update_traces(selector=0, mode="lines", line={"color": GRID_COLOR, "width": 1})
    figure.update_traces(selector=0, name="grid", hoverinfo="skip")
    for index, label in enumerate(classes, start=1):
        marker = {"color": class_color(label), "size": 6, "line": {"color": "white", "width": 0.6}}
        figure.update_traces(selector=index, mode="markers", marker=marker, name=f"class {label}")


def bend_figure(
    bend: Bend,
    n_data: int,
    grid_shape: tuple[int, int],
    y: Array,
    output_range: tuple[float, float],
    height: int = 520,
) -> go.Figure:
    """The bend animation: the grid (one trace) and the data (one trace per class in ``y``
    (n_data,)), frames named "0", "1", …; it opens on the last frame, σ(z). A dashed box marks
    σ's ``output_range`` on both axes (clipped to the view)."""
    classes = np.unique(y)
    frames = [
        {"name": str(i), "data": _bend_traces(p, n_data, grid_shape, y, classes)}
        for i, p in enumerate(bend.frames)
    ]
    for frame, title in zip(frames, bend.titles, strict=True):
        frame["layout"] = {"title": {"text": title}}
    figure = animated_figure(frames[-1]["data"], frames)
    _style_bend_traces(figure, classes)
    # The data (x, z and σ(z)) fit the fixed view; the grid may run off its edges.
    keys = bend.frames[[0, len(bend.frames) // 2, -1], :n_data]
    span = max(1.5, 1.1 * float(np.nanmax(np.abs(keys))))
    low, high = (float(np.clip(v, -span, span)) for v in output_range)
    box = {"color": PRIMARY, "width": 1.5, "dash": "dash"}
    figure.add_shape(type="rect", x0=low, x1=high, y0=low, y1=high, line=box, layer="below")
    steps = [(label, str(i)) for i, label in enumerate(bend.labels) if label is not None]
    slider = {**BEND_SLIDER, "active": len(steps) - 1}
    menus, sliders = play_controls(steps, frame_ms=FRAME_MS, menu=BEND_MENU, slider=slider)
    figure.update_xaxes(range=[-span, span], constrain="domain", zeroline=True)
    figure.update_yaxes(range=[-span, span], scaleanchor="x", scaleratio=1, zeroline=True)
    title = {"text": bend.titles[-1], "font": {"color": INK, "size": 15}, "x": 0.02}
    margin = {"l": 40, "r": 20, "t": 50, "b": 90}
    controls = {"updatemenus": menus, "sliders": sliders}
    return _style(figure, height, title=title, showlegend=False, margin=margin, **controls)


def softmax_figure(logits: Array, probabilities: Array, height: int = 300) -> go.Figure:
    """Bars of the logits (left, fixed range ±6) and of softmax(logits) (right, 0..1)."""
    names = [f"class {k + 1}" for k in range(len(logits))]
    colors = [class_color(k) for k in range(len(logits))]
    figure = make_subplots(1, 2, subplot_titles=("logits z", "softmax(z): probabilities"))
    figure.add_trace(go.Bar(x=names, y=_f32(logits), marker_color=colors), 1, 1)
    labels = [f"{p:.3f}" if p < 0.01 else f"{p:.2f}" for p in probabilities]
    figure.add_trace(go.Bar(x=names, y=_f32(probabilities), marker_color=colors, text=labels), 1, 2)
    figure.update_traces(textposition="outside", cliponaxis=False, hoverinfo="x+y")
    figure.update_yaxes(range=[-6.5, 6.5], row=1, col=1)
    figure.update_yaxes(range=[0, 1.12], row=1, col=2)
    return _style(figure, height, showlegend=False, bargap=0.35)


def _init_title(init: str, init_scale: float) -> str:
    return f"normal(0, σ = {init_scale:g})" if init == "normal" else INITIALIZERS[init].label


def gradient_figure(grid: GradientGrid, init_scale: float = 1.0, height: int = 420) -> go.Figure:
    """‖∂L/∂W‖ per layer (log y, shared by every panel), one panel per initialiser and one
    line per activation; layers run from the input (1) to the output (depth + 1)."""
    titles = [_init_title(init, init_scale) for init in grid.inits]
    figure = make_subplots(
        1, len(grid.inits), shared_yaxes=True, subplot_titles=titles, horizontal_spacing=0.03
    )
    layers = np.arange(1, grid.norms.shape[-1] + 1)
    floor = 1e-12  # an exactly-zero gradient (every unit dead) sits on the floor
    norms = np.maximum(grid.norms, floor)
    for a, name in enumerate(grid.activations):
        for i, _ in enumerate(grid.inits):
            figure.add_trace(
                go.Scatter(
                    x=layers,
                    y=_f32(norms[a, i]),
                    mode="lines+markers",
                    legendgroup=name,
                    name=ACTIVATIONS[name].label,
                    showlegend=i == 0,
                    marker={"size": 5},
                    line={"color": activation_color(name), "width": 2.2},
                ),
                1,
                i + 1,
            )
    logs = np.log10(norms)
    figure.update_yaxes(type="log", range=[np.floor(logs.min()) - 0.2, np.ceil(logs.max()) + 0.2])
    figure.update_yaxes(title_text="‖∂L/∂W‖ (log scale)", row=1, col=1, exponentformat="power")
    figure.update_xaxes(range=[0.5, layers[-1] + 0.5], title_text="layer (input → output)")
    return _style(figure, height, hovermode="x unified")


def _histogram_panel(
    figure: go.Figure,
    row: int,
    col: int,
    histogram: tuple[Array, Array],
    sigma: tuple[Array, Array],
    regions: list[tuple[float, float]],
) -> None:
    """One layer's bars, σ over them on a hidden right axis spanning σ's visible values."""
    (edges, shares), (z, values) = histogram, sigma
    centres, widths = (edges[:-1] + edges[1:]) / 2, np.diff(edges)
    bars = go.Bar(x=_f32(centres), y=_f32(shares), width=_f32(widths), name="share of values")
    figure.add_trace(bars.update(marker_color=PRIMARY, opacity=0.55), row, col)
    visible = (z >= edges[0]) & (z <= edges[-1]) & np.isfinite(values)
    line = go.Scatter(x=_f32(z[visible]), y=_f32(values[visible]), mode="lines", name="σ(z)")
    figure.add_trace(line.update(line={"color": INK, "width": 2}), row, col, secondary_y=True)
    for start, end in regions:
        figure.add_vrect(x0=start, x1=end, fillcolor=SHADE, line_width=0, row=row, col=col)
    low, high = float(values[visible].min()), float(values[visible].max())
    pad = 0.08 * (high - low or 1.0)
    figure.update_xaxes(range=[float(edges[0]), float(edges[-1])], row=row, col=col)
    figure.update_yaxes(range=[0, 1.15 * float(shares.max())], row=row, col=col)
    hidden = {"showticklabels": False, "showgrid": False, "zeroline": False}
    figure.update_yaxes(range=[low - pad, high + pad], row=row, col=col, secondary_y=True, **hidden)


def live_histogram_figure(
    histograms: list[tuple[Array, Array]],
    titles: list[str],
    sigma: tuple[Array, Array],
    regions: list[tuple[float, float]] = (),
    n_columns: int = 4,
) -> go.Figure:
    """One panel per hidden layer: the histogram (edges (b+1,), shares (b,)) of its
    pre-activations, σ drawn over it (``sigma`` = (z, σ(z)), on a hidden right axis spanning
    σ's values), saturation ``regions`` shaded."""
    n_layers = len(histograms)
    n_rows, n_cols = -(-n_layers // n_columns), min(n_layers, n_columns)
    specs = [[{"secondary_y": True}] * n_cols for _ in range(n_rows)]
    figure = make_subplots(n_rows, n_cols, specs=specs, subplot_titles=titles)
    for index, histogram in enumerate(histograms):
        _histogram_panel(figure, index // n_cols + 1, index % n_cols + 1, histogram, sigma, regions)
    figure.update_xaxes(title_text="pre-activation z", row=n_rows)
    figure.update_yaxes(title_text="share of values", col=1, secondary_y=False)
    margin = {"l": 60, "r": 20, "t": 50, "b": 50}
    return _style(figure, 270 * n_rows + 50, bargap=0.05, showlegend=False, margin=margin)

"""Plotly figures of the Tour: the neuron over the plane, a layer's moves (with their area
change and folds), and a hidden layer's space with the output's cut. Small and static.

Each builder takes arrays from ``core.labs.tour`` (and ``core.labs.area_change``) and returns a
``go.Figure``; ``thawed`` rebuilds any figure from its ``to_dict()`` quickly (what a page caches).
No Streamlit. Every panel is framed on its own data with equal axis scales and
its ticks shown, so a squeeze or a stretch is seen at its true size.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.figures.area_shading import area_color_bar, area_traces
from core.figures.lifting import plane_points
from core.labs.decision_boundaries import hyperplane_patch
from core.labs.tour import HiddenSpace, MovePanel
from core.render.theme import (
    AXIS_GRID_COLOR,
    GRID_COLOR,
    INK,
    PLANE_OPACITY,
    PRIMARY,
    SCENE_GRID_COLOR,
    class_color,
    figure_layout,
    rgba,
)

__all__ = ["hidden_figure", "moves_figure", "neuron_figure", "thawed"]

Array = np.ndarray
AXIS = {"gridcolor": AXIS_GRID_COLOR, "zerolinecolor": GRID_COLOR, "linecolor": GRID_COLOR}


def thawed(state: dict) -> go.Figure:
    """The figure again from its ``to_dict()``, without Plotly's per-property validation.

    A cached figure must be copied out of the cache for every rerun; unpickling a
    ``go.Figure`` re-validates every trace and frame (the descent chapter's animated figure:
    about 0.4 s, against 20 ms this way). ``state`` came from a figure that was validated
    when it was built. Relies on the ``_validate=False`` keyword of graph objects and the
    figure's ``_frame_objs``, as ``core.figures.plotly_frames`` does (pinned by
    ``tests/test_figures_tour.py``): ``go.Figure`` validates frames even with
    ``_validate=False`` (the optimizer race's 60 frames: a fifth of the Loss-surface rerun).
    """
    frames = state.get("frames", ())
    figure = go.Figure({k: v for k, v in state.items() if k != "frames"}, _validate=False)
    figure._frame_objs = tuple(go.Frame(**frame, _validate=False) for frame in frames)
    return figure


def _f32(values: Array) -> Array:
    return np.asarray(values, dtype=np.float32)


def _square(points: Array, margin: float = 0.08) -> tuple[list[float], list[float]]:
    """x and y ranges of one square box about the finite rows of ``points`` (n, 2)."""
    finite = points[np.isfinite(points).all(axis=1)]
    low, high = finite.min(axis=0), finite.max(axis=0)
    centre, half = (low + high) / 2, max(float((high - low).max()) / 2, 1e-3) * (1 + 2 * margin)
    return [centre[0] - half, centre[0] + half], [centre[1] - half, centre[1] + half]


def _scatter(points: Array, **style) -> go.Scatter:
    """A quiet scatter trace (no hover, no legend) of the finite or NaN-broken rows (n, 2)."""
    points = _f32(points)
    return go.Scatter(x=points[:, 0], y=points[:, 1], hoverinfo="skip", showlegend=False, **style)


def _panel_traces(panel: MovePanel, labels: Array, shade: bool) -> list[go.Scatter]:
    traces = area_traces(panel.corners, panel.area, panel.move != "input") if shade else []
    grid = {"color": rgba(GRID_COLOR, 0.45 if shade else 0.8), "width": 0.8 if shade else 1}
    traces.append(_scatter(panel.lines, mode="lines", line=grid))
    colors = [class_color(label) for label in labels]
    marker = {"color": colors, "size": 5, "line": {"color": "white", "width": 0.6}}
    traces.append(_scatter(panel.data, mode="markers", marker=marker))
    return traces


def moves_figure(
    panels: list[MovePanel], labels: Array, shade: bool = False, height: int = 560
) -> go.Figure:
    """The panels of ``layer_moves`` in a 2 × 3 grid, each framed on its own data.

    With ``shade``, every cell of a move's panel is filled by that move's area change (green:
    squeezed, magenta: stretched, white: unchanged) and the cells a kink folds (or flattens)
    are outlined in black; a colour bar reads the shades as area factors.
    """
    figure = make_subplots(
        2,
        3,
        subplot_titles=[
            f"{p.title} · where σ acts" if shade and p.move == "input" else p.title for p in panels
        ],
        horizontal_spacing=0.07,
        vertical_spacing=0.12,
    )
    for index, panel in enumerate(panels):
        row, col = divmod(index, 3)
        for trace in _panel_traces(panel, labels, shade):
            figure.add_trace(trace, row + 1, col + 1)
        x_range, y_range = _square(np.vstack([panel.data, panel.lines]))
        suffix = "" if index == 0 else str(index + 1)
        figure.update_xaxes(range=x_range, row=row + 1, col=col + 1, constrain="domain")
        figure.update_yaxes(
            range=y_range, row=row + 1, col=col + 1, scaleanchor=f"x{suffix}", constrain="domain"
        )
    if shade:
        figure.add_trace(area_color_bar())
    figure.update_xaxes(**AXIS, tickfont={"size": 10})
    figure.update_yaxes(**AXIS, tickfont={"size": 10})
    figure.update_annotations(font_color=INK, font_size=13)
    margin = {"l": 30, "r": 70 if shade else 10, "t": 30, "b": 20}
    return figure.update_layout(**figure_layout(height, 12, margin=margin, showlegend=False))


def neuron_figure(
    xs: Array,
    ys: Array,
    values: Array,
    point: Array,
    weights: Array,
    bias: float,
    height: int = 380,
) -> go.Figure:
    """σ(w·p + b) over the plane (``values`` (len(ys), len(xs))), the line w·p + b = 0 and the
    worked example's point."""
    figure = go.Figure(
        go.Heatmap(
            x=_f32(xs),
            y=_f32(ys),
            z=_f32(values),
            zmin=0.0,
            zmax=1.0,
            colorscale=[[0, class_color(0)], [0.5, "#ffffff"], [1, class_color(1)]],
            opacity=0.55,
            colorbar={"title": {"text": "σ(z)", "side": "top"}, "thickness": 12},
            hovertemplate="x₁ %{x:.2f}, x₂ %{y:.2f}: σ(z) = %{z:.3f}<extra></extra>",
        )
    )
    low, high = np.array([xs.min(), ys.min()]), np.array([xs.max(), ys.max()])
    segment = hyperplane_patch(np.asarray(weights, dtype=float), bias, low, high)
    if segment is not None:
        figure.add_trace(
            go.Scatter(
                x=segment[:, 0],
                y=segment[:, 1],
                mode="lines",
                name="z = 0",
                line={"color": INK, "width": 2, "dash": "dash"},
            )
        )
    figure.add_trace(
        go.Scatter(
            x=[point[0]],
            y=[point[1]],
            mode="markers+text",
            name="x",
            text=[f"x = ({point[0]:g}, {point[1]:g})"],
            textposition="top center",
            marker={"color": "white", "size": 12, "line": {"color": INK, "width": 2}},
        )
    )
    figure.update_xaxes(**AXIS, range=[xs.min(), xs.max()], title_text="x₁", constrain="domain")
    figure.update_yaxes(**AXIS, range=[ys.min(), ys.max()], title_text="x₂", scaleanchor="x")
    margin = {"l": 50, "r": 10, "t": 10, "b": 45}
    legend = {"orientation": "h", "y": -0.2, "x": 0.0}
    return figure.update_layout(**figure_layout(height, 13, margin=margin, legend=legend))


def hidden_figure(space: HiddenSpace, labels: Array, height: int = 420) -> go.Figure:
    """The hidden layer's space: data and carried grid, and where the output unit cuts it
    (a line for 2 units, a plane for 3)."""
    dims = space.data.shape[1]
    if dims not in (2, 3):
        raise ValueError(f"hidden_figure draws 2 or 3 units, got {dims}")
    finite = np.vstack([space.data, space.lines[np.isfinite(space.lines).all(axis=1)]])
    pad = 0.05 * np.maximum(np.ptp(finite, axis=0), 1e-6)
    low, high = finite.min(axis=0) - pad, finite.max(axis=0) + pad
    colors = [class_color(label) for label in labels]
    names = [f"h{i + 1}" for i in range(dims)]
    grid = {"color": GRID_COLOR, "width": 1}
    if dims == 2:
        return _hidden_plane(space, colors, grid, low, high, height)
    xyz = {k: _f32(space.lines[:, i]) for i, k in enumerate("xyz")}
    figure = go.Figure(go.Scatter3d(**xyz, mode="lines", line=grid, hoverinfo="skip"))
    points = {k: _f32(space.data[:, i]) for i, k in enumerate("xyz")}
    marker = {"size": 3, "color": colors, "line": {"width": 0}}
    figure.add_trace(go.Scatter3d(**points, mode="markers", marker=marker, hoverinfo="skip"))
    sheet = plane_points(space.weights, space.bias, np.column_stack([low, high]))
    figure.add_trace(
        go.Surface(
            x=sheet[..., 0],
            y=sheet[..., 1],
            z=sheet[..., 2],
            opacity=PLANE_OPACITY,  # light: the points behind it keep their colour
            colorscale=[[0, PRIMARY], [1, PRIMARY]],
            showscale=False,
            hoverinfo="skip",
        )
    )
    axes = {
        f"{k}axis": {
            "title": {"text": names[i]},
            "range": [low[i], high[i]],
            "showbackground": False,
            "gridcolor": SCENE_GRID_COLOR,
        }
        for i, k in enumerate("xyz")
    }
    # Far enough that h3's title fits in the narrow column (tests/test_browser_scenes.py).
    scene = {**axes, "aspectmode": "cube", "camera": {"eye": {"x": 1.92, "y": -3.2, "z": 1.44}}}
    margin = {"l": 10, "r": 10, "t": 10, "b": 10}
    return figure.update_layout(
        **figure_layout(height, 12, margin=margin, showlegend=False), scene=scene
    )


def _hidden_plane(space, colors, grid, low, high, height) -> go.Figure:
    figure = go.Figure(_scatter(space.lines, mode="lines", line=grid))
    marker = {"size": 5, "color": colors, "line": {"color": "white", "width": 0.6}}
    figure.add_trace(_scatter(space.data, mode="markers", marker=marker))
    segment = hyperplane_patch(space.weights, space.bias, low, high)
    if segment is not None:
        figure.add_trace(_scatter(segment, mode="lines", line={"color": PRIMARY, "width": 3}))
    figure.update_xaxes(**AXIS, range=[low[0], high[0]], title_text="h1", constrain="domain")
    figure.update_yaxes(**AXIS, range=[low[1], high[1]], title_text="h2", scaleanchor="x")
    margin = {"l": 50, "r": 10, "t": 10, "b": 45}
    return figure.update_layout(**figure_layout(height, 12, margin=margin, showlegend=False))

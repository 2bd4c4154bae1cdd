"""Plotly figure of the Compare page: the plane lifted into 3-D by one extra feature.

``lift_figure`` shows the points at (x₁, x₂, f(x₁, x₂)) on the lifted sheet (drawn as the plane's
grid carried up, as on the Transform page) and, for two classes, the plane the linear model puts
between them. The plane is sampled over the box of the data and cut off where it leaves it.
No Streamlit here.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from core.data.features import FEATURES, LiftedModel, lift
from core.labs.plane import grid_lines, join_lines
from core.render.theme import (
    GRID_COLOR,
    INK,
    MUTED,
    PLANE_OPACITY,
    PRIMARY,
    SCENE_GRID_COLOR,
    class_color,
    figure_layout,
)

__all__ = ["lift_figure", "plane_equation", "plane_points"]

Array = np.ndarray
PLANE_SAMPLES = 41
LIFT_HEIGHT = 440  # pixels


def _box(points: Array, pad: float = 0.08) -> Array:
    """(3, 2) low/high per axis of the finite points (n, 3), padded by ``pad`` of the span."""
    low, high = np.nanmin(points, axis=0), np.nanmax(points, axis=0)
    margin = pad * np.maximum(high - low, 1e-6)
    return np.column_stack([low - margin, high + margin])


def plane_points(weights: Array, bias: float, box: Array, n: int = PLANE_SAMPLES) -> Array:
    """The plane ``weights · p + bias = 0`` sampled inside ``box`` as an (n, n, 3) sheet.

    It is solved for the axis with the largest |weight| over a grid of the other two; samples
    falling outside the box on that axis are NaN (Plotly leaves holes there). All NaN when the
    weights are zero (no plane).
    """
    sheet = np.full((n, n, 3), np.nan)
    axis = int(np.argmax(np.abs(weights)))
    if abs(weights[axis]) < 1e-12:
        return sheet
    others = [i for i in range(3) if i != axis]
    grids = np.meshgrid(*(np.linspace(*box[i], n) for i in others), indexing="ij")
    solved = -(bias + weights[others[0]] * grids[0] + weights[others[1]] * grids[1])
    solved = solved / weights[axis]
    inside = (solved >= box[axis, 0]) & (solved <= box[axis, 1])
    sheet[..., others[0]], sheet[..., others[1]] = grids
    sheet[..., axis] = np.where(inside, solved, np.nan)
    sheet[~inside] = np.nan
    return sheet


def plane_equation(model: LiftedModel, digits: int = 2) -> str | None:
    """The binary model's boundary solved for its strongest input, e.g. ``x₁² + x₂² = 0.62``.

    None for more than two classes (there is one plane per pair of classes).
    """
    if model.n_outputs != 1:
        return None
    weights, bias = model.weights[0][:, 0], float(model.biases[0][0])
    main = int(np.argmax(np.abs(weights)))
    if abs(weights[main]) < 1e-12:
        return "no boundary: the model ignores its inputs"
    scale = -1.0 / weights[main]
    terms = [(weights[i] * scale, _bracket(label)) for i, label in enumerate(model.labels)]
    terms = [term for i, term in enumerate(terms) if i != main] + [(bias * scale, "")]
    # Terms that print as 0.00 say nothing; keep the constant if nothing else is left.
    shown = [(v, label) for v, label in terms if abs(v) >= 0.5 * 10.0**-digits]
    terms = shown or [(0.0, "")]
    parts = [
        ("−" if value < 0 else "+", f"{abs(value):.{digits}f}" + (f"·{label}" if label else ""))
        for value, label in terms
    ]
    first = ("−" if parts[0][0] == "−" else "") + parts[0][1]
    return f"{model.labels[main]} = {first}" + "".join(f" {s} {b}" for s, b in parts[1:])


def _bracket(label: str) -> str:
    return f"({label})" if " " in label else label


def _lifted_grid(extent: tuple, feature: str, f_range: Array) -> Array:
    """The plane's grid lines carried up onto the sheet, NaN rows between lines, (m, 3).

    Cut where the sheet leaves ``f_range`` (low, high): its corners would squash the data flat.
    """
    lines = grid_lines(extent, n_lines=11, n_samples=31)
    flat = lines.reshape(-1, 2)
    lifted = np.column_stack([flat, FEATURES[feature].fn(flat)]).reshape(*lines.shape[:2], 3)
    grid = join_lines(lifted)
    grid[(grid[:, 2] < f_range[0]) | (grid[:, 2] > f_range[1])] = np.nan
    return grid


def lift_figure(
    X: Array, y: Array, model: LiftedModel, extent: tuple, height: int = LIFT_HEIGHT
) -> go.Figure:
    """The data at (x₁, x₂, f) for the one extra feature f of ``model``, with its plane.

    Parameters
    ----------
    X : ndarray (n, 2), points of the plane
    y : ndarray (n,), integer labels
    model : LiftedModel reading exactly ("x1", "x2", f), with no hidden layer
    extent : (x_min, x_max, y_min, y_max) of the grid drawn under the points
    height : int, pixels

    Returns
    -------
    go.Figure
        Traces: the lifted grid, one scatter per class, then (binary only) the plane surface.
    """
    if len(model.features) != 3 or model.features[:2] != ("x1", "x2") or model.n_layers != 1:
        raise ValueError(f"need a linear model on x1, x2 and one feature, got {model!r}")
    points = lift(X, model.features)
    box = _box(points)
    box[:2] = np.reshape(extent, (2, 2))
    grid = _lifted_grid(extent, model.features[2], box[2])
    line = {"color": GRID_COLOR, "width": 1}
    figure = go.Figure(
        go.Scatter3d(**_xyz(grid), mode="lines", line=line, name="grid", hoverinfo="skip")
    )
    for label in np.unique(y):
        marker = {"size": 3, "color": class_color(label), "line": {"width": 0}}
        figure.add_trace(
            go.Scatter3d(**_xyz(points[y == label]), mode="markers", marker=marker, name=f"{label}")
        )
    if model.n_outputs == 1:
        sheet = plane_points(model.weights[0][:, 0], float(model.biases[0][0]), box)
        figure.add_trace(_plane_trace(sheet))
    _layout(figure, model.labels, box, height)
    return figure


def _xyz(points: Array) -> dict[str, Array]:
    return {"x": points[:, 0], "y": points[:, 1], "z": points[:, 2]}


def _plane_trace(sheet: Array) -> go.Surface:
    return go.Surface(
        x=sheet[..., 0],
        y=sheet[..., 1],
        z=sheet[..., 2],
        colorscale=[[0, PRIMARY], [1, PRIMARY]],
        showscale=False,
        opacity=PLANE_OPACITY,  # light: the points behind it keep their colour
        name="separating plane",
        hoverinfo="skip",
        lighting={"ambient": 1.0, "diffuse": 0.0, "specular": 0.0},
    )


def _layout(figure: go.Figure, labels: list[str], box: Array, height: int) -> None:
    def axis(i: int) -> dict:
        return {
            "title": {"text": labels[i], "font": {"size": 15, "color": INK}},
            "range": list(box[i]),
            "showbackground": False,
            "gridcolor": SCENE_GRID_COLOR,
            "zeroline": False,
            "showspikes": False,
            "tickfont": {"size": 13, "color": MUTED},
            "nticks": 5,  # few ticks in a readable size: they lie along their axes
        }

    figure.update_layout(
        **figure_layout(height),
        margin={"l": 30, "r": 10, "t": 0, "b": 0},
        showlegend=False,
        uirevision="lift",
        scene={
            "xaxis": axis(0),
            "yaxis": axis(1),
            "zaxis": axis(2),
            "aspectmode": "manual",
            "aspectratio": {"x": 1, "y": 1, "z": 0.75},
            # Far enough that the axis titles fit in the scene (Plotly fits it to its height
            # and cuts the sides; tests/test_browser_scenes.py).
            "camera": {
                "eye": {"x": 1.78, "y": -1.78, "z": 0.62},
                "center": {"x": 0, "y": 0, "z": -0.15},
            },
        },
    )

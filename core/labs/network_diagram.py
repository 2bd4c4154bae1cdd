"""The network as a diagram, as arrays: where every unit sits, what it responds to, its links.

TensorFlow Playground draws the network itself: every unit a small map of its output over the
input plane, every weight a link whose thickness and colour show its size and sign. This module
computes all of it from the model's one traced forward pass on a grid of the plane, so a unit's
map *is* that unit's output there (the tests recompute it layer by layer):

- ``diagram_layout``: the columns (input features, each hidden layer, the outputs) and the
  box of every unit; maps shrink as the widest column grows (40 px up to 8 units a column,
  27 px at 16) so depth 8 × width 16 fits in about 1000 × 620 px without scrolling;
- ``unit_maps``: every unit's output on a grid (``map_samples`` a side in the live diagram),
  and the one colour scale the inputs and hidden units share (±``limit``);
- ``links``: one record per weight (layer, source, target, w) with its width ∝ |w| and its
  sign, and the biases beside them on the same scale.

The picture is drawn by ``core.render.diagram``; nothing here knows about pixels' colours.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from core.labs.network_stages import pca_view, project
from core.labs.plane import check_extent, join_lines, plane_grid

__all__ = [
    "DiagramLayout",
    "Links",
    "UnitAxis",
    "UnitMaps",
    "column_titles",
    "diagram_layout",
    "links",
    "map_samples",
    "nice_ceiling",
    "output_legend",
    "unit_axis",
    "unit_labels",
    "unit_maps",
]

Array = np.ndarray
MAX_HEIGHT = 600  # px of unit rows at the widest column
MAX_WIDTH = 900  # px from the first column's maps to the last's
COLUMN_PITCH = 150  # px between columns when there is room
UNIT_PITCH = 56  # px between units of a column when there is room
MAP_SHARE = 0.72  # of the unit pitch taken by the map; the rest is the gap
MAX_LINK_WIDTH = 6.0  # px: the largest |w| of the network
TOP = 22  # px above the first row: the column titles
SIDE = 40  # px left of the inputs: their labels
RIGHT = 64  # px right of the outputs: their labels
MIN_WIDTH = 620  # px: room for the legend under a small network


@dataclass(frozen=True)
class DiagramLayout:
    """Where each unit's map sits: ``boxes[column]`` is (n_units, 2) top-left corners (x, y)
    of ``map_size``² squares; column 0 is the input features, the last the outputs."""

    layer_sizes: tuple[int, ...]
    map_size: int
    boxes: list[Array]
    width: int
    height: int


def diagram_layout(layer_sizes: Any) -> DiagramLayout:
    """Columns and unit boxes for a network of ``layer_sizes`` ([n_inputs, *hidden, n_outputs]).

    Units are centred vertically in their column. The map size follows the widest column:
    ``MAP_SHARE`` of the unit pitch, which is ``UNIT_PITCH`` or less so that the widest
    column fits in ``MAX_HEIGHT``.
    """
    sizes = tuple(int(s) for s in layer_sizes)
    widest, n_columns = max(sizes), len(sizes)
    unit_pitch = min(UNIT_PITCH, MAX_HEIGHT / widest)
    map_size = int(round(unit_pitch * MAP_SHARE))
    column_pitch = min(COLUMN_PITCH, (MAX_WIDTH - map_size) / max(n_columns - 1, 1))
    height = int(np.ceil(TOP + widest * unit_pitch))
    boxes = []
    for column, n_units in enumerate(sizes):
        x = SIDE + column * column_pitch
        top = TOP + (widest - n_units) * unit_pitch / 2 + (unit_pitch - map_size) / 2
        ys = top + np.arange(n_units) * unit_pitch
        boxes.append(np.column_stack([np.full(n_units, x), ys]))
    width = int(np.ceil(SIDE + RIGHT + (n_columns - 1) * column_pitch + map_size))
    width = max(width, MIN_WIDTH)
    return DiagramLayout(sizes, map_size, boxes, width, height)


def map_samples(map_size: int) -> int:
    """Grid points a side of a unit's map in the live diagram: half its ``map_size`` pixels
    (at least 8). The browser smooths between them, as it does the input plane's 64² grid, and
    the diagram is computed for every live picture, so a quarter of the samples matters."""
    return max(8, int(map_size) // 2)


def column_titles(layer_sizes: tuple[int, ...]) -> list[str]:
    """ "input", "layer 1", …, "output" (the hidden layers numbered from 1, as the page does)."""
    hidden = [f"layer {i}" for i in range(1, len(layer_sizes) - 1)]
    return ["input", *hidden, "output"]


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10^k at or above ``value`` (> 0); 1 for 0 or non-finite."""
    if not (np.isfinite(value) and value > 0):
        return 1.0
    power = 10.0 ** np.floor(np.log10(value))
    for step in (1.0, 2.0, 2.5, 5.0, 10.0):
        if step * power >= value * (1 - 1e-9):
            return float(step * power)
    return float(10 * power)


@dataclass(frozen=True)
class UnitMaps:
    """Every unit's output over the plane: ``maps[column]`` is (n_units, res, res) float32,
    row 0 at the top (``y_max``) as in an image. Column 0 holds the input features, the last
    the outputs (probabilities, or fitted values for regression). Inputs and hidden units are
    shown on one diverging scale, ±``limit``."""

    maps: list[Array]
    limit: float
    extent: tuple[float, float, float, float]


def unit_maps(model: Any, extent: Any, resolution: int) -> UnitMaps:
    """Every unit's output on a ``resolution``² grid over ``extent``, from one traced pass.

    Parameters
    ----------
    model : MLP with 2 inputs, or a ``LiftedModel`` (column 0 is then its lifted features)
    extent : (x_min, x_max, y_min, y_max)
    resolution : int, grid points per side (2..1024)

    Returns
    -------
    UnitMaps
        The shared limit is the median over the hidden units (the inputs when there is none)
        of each unit's largest |output|, rounded up by ``nice_ceiling``: 1 for tanh, and for
        ReLU, whose deep units grow large, half the units reach the scale's ends (they
        saturate) while the smaller ones stay visible instead of washing out.
    """
    extent = check_extent(extent)
    xs, ys, points = plane_grid(extent, resolution)
    trace = model.forward(points, return_trace=True)
    outputs = [trace[0].inputs] + [layer.a for layer in trace]
    maps = [
        np.ascontiguousarray(a.T.reshape(-1, len(ys), len(xs)), dtype=np.float32) for a in outputs
    ]
    scaled = np.concatenate(maps[1:-1] or maps[:1])
    peaks = np.abs(scaled).reshape(len(scaled), -1).max(axis=1)
    limit = nice_ceiling(float(np.median(peaks)))
    return UnitMaps(maps, limit, extent)


@dataclass(frozen=True)
class Links:
    """One row per weight, and the biases, on one width scale.

    ``layer[k]`` is the weight layer (0-based), ``source[k]`` the unit it leaves (a row of W),
    ``target[k]`` the unit it enters (a column); ``width[k]`` = ``MAX_LINK_WIDTH`` ·
    |w| / ``reference`` and ``positive[k]`` its sign. ``bias_strength[layer]`` (fan_out,)
    is |b| / ``reference`` clipped to 1: how strongly each unit's bias mark is drawn.
    """

    layer: Array
    source: Array
    target: Array
    weight: Array
    width: Array
    positive: Array
    reference: float
    biases: list[Array]
    bias_strength: list[Array]


def links(weights: list[Array], biases: list[Array]) -> Links:
    """Every weight of the network as a link (order: layer, then source, then target).

    ``reference`` is the largest |w| of the network (1 if every weight is 0), so the widest
    link is ``MAX_LINK_WIDTH`` and widths compare across layers.
    """
    layer, source, target = [], [], []
    for index, W in enumerate(weights):
        rows, cols = np.indices(W.shape)
        layer.append(np.full(W.size, index))
        source.append(rows.ravel())
        target.append(cols.ravel())
    weight = np.concatenate([W.ravel() for W in weights])
    reference = float(np.max(np.abs(weight))) if weight.size else 0.0
    reference = reference if reference > 0 else 1.0
    return Links(
        layer=np.concatenate(layer),
        source=np.concatenate(source),
        target=np.concatenate(target),
        weight=weight.copy(),
        width=MAX_LINK_WIDTH * np.abs(weight) / reference,
        positive=weight >= 0,
        reference=reference,
        biases=[b.copy() for b in biases],
        bias_strength=[np.minimum(np.abs(b) / reference, 1.0) for b in biases],
    )


def unit_labels(model: Any) -> list[list[str]]:
    """A name for every unit, column by column: the input features (x₁, x₂, … or the lifted
    ones), "unit 1"…, and the outputs ("p(blue)" for one sigmoid unit, "class 1"…, "value")."""
    sizes = model.layer_sizes
    inputs = list(getattr(model, "labels", [f"x{i + 1}" for i in range(sizes[0])]))
    hidden = [[f"unit {u + 1}" for u in range(width)] for width in sizes[1:-1]]
    if model.regression:
        outputs = ["value"] if sizes[-1] == 1 else [f"value {k + 1}" for k in range(sizes[-1])]
    elif sizes[-1] == 1:
        outputs = ["p(blue)"]
    else:
        outputs = [f"class {k}" for k in range(sizes[-1])]
    return [inputs, *hidden, outputs]


def output_legend(model: Any) -> str:
    """How the output units are coloured, for the diagram's one legend."""
    if model.regression:
        return "output: fitted value, orange −1 to blue +1"
    if model.n_outputs == 1:
        return "output: p(blue), orange 0, white ½, blue 1"
    return "outputs: p(class k), white 0 to the class's colour at 1"


@dataclass(frozen=True)
class UnitAxis:
    """A representation in 2-D (as the live view draws it) and one unit's axis in it.

    ``points`` (n, 2) and ``lines`` (m, 2, NaN rows between lines) are the data and the
    carried grid; ``segment`` (2, 2) runs along the unit's axis through the data's mean, from
    the unit's lowest value on the data to its highest; ``loadings`` (2,) is the axis's
    direction in the view (a unit vector's projection) and ``shown`` its length (1: the axis
    lies in the view; 0: perpendicular to it); ``explained`` the PCA's kept variance (None
    when the layer is shown as is).
    """

    points: Array
    lines: Array
    segment: Array
    loadings: Array
    shown: float
    explained: float | None
    dim: int


def unit_axis(model: Any, X: Array, grid: Array, column: int, unit: int) -> UnitAxis:
    """Where unit ``unit``'s axis sits in representation ``column`` (0: the input features,
    c ≥ 1: hidden layer c), in the 2-D view of ``core.labs.network_stages.layer_snapshots``
    (as is for ≤ 2 dimensions, else the top two principal axes of data and grid)."""
    n_lines, n_samples = grid.shape[:2]
    points = np.concatenate([X, grid.reshape(-1, grid.shape[-1])])
    trace = model.forward(points, return_trace=True)
    space = trace[0].inputs if column == 0 else trace[column - 1].a
    dim = space.shape[1]
    data = space[: len(X)]
    ends = np.repeat(data.mean(axis=0)[None, :], 2, axis=0)
    ends[:, unit] = data[:, unit].min(), data[:, unit].max()
    if dim <= 2:
        pad = np.zeros((len(space) + 2, 2 - dim))
        flat = np.hstack([np.vstack([space, ends]), pad])
        loadings, explained = np.eye(2)[unit], None
    else:
        view = pca_view(space, 2)
        flat = project(np.vstack([space, ends]), view)
        loadings, explained = view.basis[unit].copy(), view.explained
    lines = join_lines(flat[len(X) : len(space)].reshape(n_lines, n_samples, 2))
    return UnitAxis(flat[: len(X)], lines, flat[len(space) :], loadings,
                    float(np.hypot(*loadings)), explained, dim)  # fmt: skip

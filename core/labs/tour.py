"""The Tour's own numbers and arrays: one neuron, softmax scores, a layer's moves, a hidden space.

Every number a chapter prints comes from here, computed by the engine's own forward pass,
activations and losses (never typed into a text): the worked neuron (w = [0, w₂], b = 4,
x = [2, 3]: z = 7 and sigmoid(z) ≈ 0.99909 at w₂ = 1), softmax and cross-entropy of three
scores, the positions of data and grid after each move of a 2-unit layer (with each move's
area change, ``core.labs.area_change``), and a hidden layer's representation of the plane.
Chapter texts live in ``assets/tour/``: ``read_chapter`` reads one. Arrays only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.labs.area_change import MOVES, StageArea, layer_area_changes, move_of_stage
from core.labs.landscape import two_weight_surface, weight_choices
from core.labs.layer_stages import layer_stages, proper_svd
from core.labs.optimizer_race import (
    RacePath,
    point_in,
    run_optimizer,
    slice_objective,
    window_around,
)
from core.labs.plane import Extent, grid_lines, join_lines
from core.nn.activations import Activation, softmax
from core.nn.losses import get_loss, one_hot_targets
from core.nn.network import MLP

__all__ = [
    "NEURON_BIAS",
    "NEURON_W1",
    "NEURON_X",
    "Chapter",
    "HiddenSpace",
    "MovePanel",
    "Neuron",
    "Scores",
    "SliceWalk",
    "hidden_space",
    "layer_moves",
    "lattice",
    "neuron",
    "read_chapter",
    "scores",
    "share",
    "signed",
    "slice_walk",
]

Array = np.ndarray
NEURON_X = (2.0, 3.0)  # the worked example's input point
NEURON_W1, NEURON_BIAS = 0.0, 4.0  # and its other weight and bias; w₂ is the reader's
# The Loss surface page's first view: W1[0, 0] and W1[1, 0], ± 2 around them on a 51 × 51
# grid, the race starting at (0.6, −0.6) of the window for 60 steps.
SLICE_WEIGHTS, SLICE_RADIUS, SLICE_RESOLUTION = ("W1[0, 0]", "W1[1, 0]"), 2.0, 51
SLICE_START, SLICE_STEPS = (0.6, -0.6), 60


@dataclass(frozen=True)
class Chapter:
    """One chapter's text: a title, the story (Markdown with ``{name}`` slots for numbers),
    what to try, and an optional note (the shading's explanation)."""

    title: str
    body: str
    try_it: str
    note: str = ""

    def filled(self, numbers: dict[str, str]) -> str:
        """The story with its number slots filled in (``numbers`` are formatted strings)."""
        return self.body.format_map(numbers)


def read_chapter(path: Path) -> Chapter:
    """A chapter file: ``# Title``, paragraphs, then ``Try: …`` and optionally ``Note: …``."""
    lines = path.read_text(encoding="utf-8").strip().splitlines()
    if not lines or not lines[0].startswith("# "):
        raise ValueError(f"{path.name} must start with '# Title'")
    parts = {"body": [], "try": [], "note": []}
    where = "body"
    for line in lines[1:]:
        for label in ("try", "note"):
            if line.lower().startswith(f"{label}:"):
                where, line = label, line[len(label) + 1 :].strip()
        parts[where].append(line)
    text = {key: "\n".join(value).strip() for key, value in parts.items()}
    if not text["try"]:
        raise ValueError(f"{path.name} has no 'Try:' line")
    return Chapter(lines[0][2:].strip(), text["body"], text["try"], text["note"])


def signed(value: float) -> str:
    """A number as the texts print it: shortest form, with a true minus sign (−3, 0.5, 7)."""
    return f"{float(value):g}".replace("-", "−")


def share(value: float) -> str:
    """A ratio as the texts print it: 0.0000282 → "1/35,000" (two digits), 0.487 → "0.49"."""
    return f"1/{float(f'{1 / value:.2g}'):,.0f}" if value < 0.01 else f"{value:.2g}"


@dataclass(frozen=True)
class Neuron:
    """The worked neuron: σ(x · w + b) at one point, and the one-neuron model itself."""

    model: MLP  # layer sizes [2, 1]: its output unit is the neuron (sigmoid)
    x: Array  # (2,)
    z: float
    a: float

    @property
    def numbers(self) -> dict[str, str]:
        """What the chapter prints: w₁, w₂, b, x₁, x₂, z and a = σ(z) (5 decimals)."""
        (w1, w2), b = self.model.weights[0][:, 0], self.model.biases[0][0]
        shown = {"w1": w1, "w2": w2, "b": b, "x1": self.x[0], "x2": self.x[1], "z": self.z}
        return {k: signed(v) for k, v in shown.items()} | {"a": f"{self.a:.5f}"}


def neuron(w2: float) -> Neuron:
    """The article's neuron with w = [0, ``w2``], b = 4 at x = [2, 3], run by ``MLP.forward``."""
    model = MLP([2, 1], "identity", seed=0)  # no hidden layer: the output unit is the neuron
    model.set_parameters(np.array([NEURON_W1, w2, NEURON_BIAS]))
    x = np.array(NEURON_X)
    trace = model.forward(x[None, :], return_trace=True)[-1]
    return Neuron(model, x, float(trace.z[0, 0]), float(trace.a[0, 0]))


@dataclass(frozen=True)
class Scores:
    """Softmax of K scores, and the cross-entropy if each class in turn were the true one."""

    logits: Array  # (K,)
    probabilities: Array  # (K,)
    cross_entropy: Array  # (K,): entry k is the loss when the true class is k

    @property
    def numbers(self) -> dict[str, str]:
        """What the chapter prints: z1…, p1… and ce1… (3 decimals), classes from 1."""
        shown = {f"z{k + 1}": signed(z) for k, z in enumerate(self.logits)}
        shown |= {f"p{k + 1}": f"{p:.3f}" for k, p in enumerate(self.probabilities)}
        return shown | {f"ce{k + 1}": f"{c:.3f}" for k, c in enumerate(self.cross_entropy)}


def scores(logits) -> Scores:
    """``softmax`` of ``logits`` (K,) and the categorical cross-entropy for every true class."""
    logits = np.asarray(logits, dtype=float)
    loss = get_loss("categorical_cross_entropy")
    k = logits.size
    losses = [loss.value(logits[None, :], one_hot_targets(np.array([c]), k)) for c in range(k)]
    return Scores(logits, softmax(logits[None, :])[0], np.array(losses))


def lattice(extent: Extent, n_cells: int) -> Array:
    """Corners of ``n_cells`` × ``n_cells`` grid cells over ``extent``: (n + 1, n + 1, 2).

    Row i has y = y_min + i·step (bottom to top), column j has x = x_min + j·step.
    """
    x_min, x_max, y_min, y_max = extent
    xs, ys = np.linspace(x_min, x_max, n_cells + 1), np.linspace(y_min, y_max, n_cells + 1)
    grid_x, grid_y = np.meshgrid(xs, ys)
    return np.stack([grid_x, grid_y], axis=-1)


@dataclass(frozen=True)
class MovePanel:
    """Data, grid and cells after one move of a layer (or before any: move "input")."""

    move: str  # "input" or one of core.labs.area_change.MOVES
    title: str
    data: Array  # (n, 2)
    lines: Array  # (m, 2) polylines, NaN rows between lines
    corners: Array  # (n_cells + 1, n_cells + 1, 2) the cells' corners
    area: StageArea  # this move's area change; the input panel carries σ's (see layer_moves)


def _titles(W: Array, b: Array, activation: Activation) -> dict[str, str]:
    U, S, Vt = proper_svd(W.T)

    def turn(R: Array, name: str) -> str:
        if np.linalg.det(R) < 0:
            return f"{name}: reflect"
        return f"{name}: rotate {np.degrees(np.arctan2(R[1, 0], R[0, 0])):+.0f}°"

    return {
        "input": "input x",
        "Vᵀ": turn(Vt, "Vᵀ"),
        "Σ": f"Σ: stretch ×{S[0]:.2f}, ×{S[1]:.2f}",
        "U": turn(U, "U"),
        "b": f"b: shift by ({b[0]:+.2f}, {b[1]:+.2f})",
        "σ": f"σ: bend by {activation.label}",
    }


def layer_moves(
    X: Array, W: Array, b: Array, activation: Activation, extent: Extent, n_cells: int = 10
) -> list[MovePanel]:
    """A 2-unit layer on the plane, move by move: input, Vᵀ, Σ, U, b, σ.

    Data X (n, 2), W (2, 2), b (2,), the grid over ``extent`` with ``n_cells`` cells a side.
    Positions come from ``layer_stages`` (the Transform page's stages: each panel is the last
    frame of its move, the previous panel when a move does nothing); each move's area change
    from ``layer_area_changes``. The input panel carries σ's area change too: drawn on the
    cells' starting places, it shows where on the input plane σ squeezes, folds and flattens
    (at σ's own panel a flattened cell has no area left to colour). The σ panel equals
    σ(X W + b).
    """
    if W.shape != (2, 2):
        raise ValueError(f"layer_moves shows a 2-unit layer on the plane, got W of shape {W.shape}")
    corners = lattice(extent, n_cells)
    lines = grid_lines(extent, n_lines=n_cells + 1, n_samples=4 * n_cells + 1)
    parts = [X, corners.reshape(-1, 2), lines.reshape(-1, 2)]
    cuts = np.cumsum([len(p) for p in parts])[:-1]
    stages = layer_stages(np.concatenate(parts), W, b, activation, n_frames=1).stages
    after = {move_of_stage(stage.kind): stage.frames[-1] for stage in stages}
    areas, titles = layer_area_changes(corners, W, b, activation), _titles(W, b, activation)
    panels, current = [], np.concatenate(parts)
    for move in ("input", *MOVES):
        current = after.get(move, current)
        data, flat_corners, flat_lines = np.split(current, cuts)
        panels.append(
            MovePanel(
                move,
                titles[move],
                data,
                join_lines(flat_lines.reshape(lines.shape)),
                flat_corners.reshape(corners.shape),
                areas["σ" if move == "input" else move],
            )
        )
    return panels


@dataclass(frozen=True)
class HiddenSpace:
    """A one-hidden-layer net's hidden representation of the plane and its output cut."""

    data: Array  # (n, units): σ(x W + b) of the data
    lines: Array  # (m, units): the input grid carried along, NaN rows between lines
    weights: Array  # (units,): the output unit's weights
    bias: float  # the output unit's bias: the cut is weights · h + bias = 0


def hidden_space(model: MLP, X: Array, extent: Extent) -> HiddenSpace:
    """The first hidden layer's activations of X (n, 2) and of a grid over ``extent``, from one
    traced forward pass, with the output unit of a binary net with one hidden layer."""
    if model.n_layers != 2 or model.n_outputs != 1:
        raise ValueError(f"need a binary net with one hidden layer, got {model!r}")
    lines = grid_lines(extent, n_lines=11, n_samples=41)
    trace = model.forward(np.concatenate([X, lines.reshape(-1, 2)]), return_trace=True)
    hidden = trace[0].a
    carried = hidden[len(X) :].reshape(*lines.shape[:2], -1)
    return HiddenSpace(
        hidden[: len(X)],
        join_lines(carried),
        model.weights[1][:, 0].copy(),
        float(model.biases[1][0]),
    )


@dataclass(frozen=True)
class SliceWalk:
    """The exact loss over two weights and one optimizer's walk on it."""

    axes: list[Array]  # [(resolution,), (resolution,)] absolute values of the two weights
    values: Array  # (resolution, resolution), rows following the second weight
    path: RacePath


def slice_walk(
    model: MLP, X: Array, targets: Array, loss: str, learning_rate: float, optimizer: str = "sgd"
) -> SliceWalk:
    """``optimizer`` walking the exact slice of ``model``'s loss over W1[0, 0] and W1[1, 0].

    The slice, window, start and steps are the Loss surface page's first view (every other
    weight held at the model's own), so a link to that page shows the same surface and walk.
    """
    names = {name: index for index, name in weight_choices(model).items()}
    indices = (names[SLICE_WEIGHTS[0]], names[SLICE_WEIGHTS[1]])
    axes, values = two_weight_surface(
        model, X, targets, loss, indices, SLICE_RADIUS, SLICE_RESOLUTION
    )
    window = window_around(model.params[list(indices)], SLICE_RADIUS)
    objective = slice_objective(model, X, targets, loss, model.params, indices)
    start = point_in(window, SLICE_START)
    path = run_optimizer(optimizer, learning_rate, objective, start, SLICE_STEPS, window)
    return SliceWalk(axes, values, path)

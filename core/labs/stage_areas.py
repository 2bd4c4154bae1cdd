"""Area change per stage of the layer-by-layer animation, on the cells of its grid.

``network_animation`` carries grid lines through every stage of every hidden layer; here the
corners of the cells between those lines (``core.labs.tour.lattice``) are carried through the
same stages (``layer_stages`` on the traced inputs of each layer, as the animation does), and
every frame of a stage gets that stage's area change from ``core.labs.area_change``: the exact
log |det| of its linear move (0 for the rotations, reflections and b; Σ's log s₁ + log s₂),
and for σ each cell's own area ratio, with the cells its kink folds.

Only a layer that maps the plane to the plane (2 → 2) has cells to shade: a wider layer lifts
them into 3-D (and a PCA view projects them), a narrower one flattens them to segments, and
neither is a flat polygon on the picture. Its frames, the input frame and each layer's start
carry no shading (None). Arrays only; the traces are drawn in ``core.figures.area_shading``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.labs.area_change import StageArea, layer_area_changes, move_of_stage
from core.labs.layer_stages import layer_stages
from core.labs.plane import Extent
from core.labs.tour import lattice
from core.nn.network import MLP

__all__ = ["CellFrame", "shaded_layers", "stage_cells"]

Array = np.ndarray


@dataclass(frozen=True)
class CellFrame:
    """One animation frame's cells: where they are drawn and the stage's area change."""

    name: str  # the animation frame's name ("L1.2.0": layer 1, stage 2, frame 0)
    corners: Array  # (n_cells + 1, n_cells + 1, 2) the cells' corners in this frame
    area: StageArea  # the whole stage's area change, the same on every frame of the stage
    kink: bool  # a σ frame: flattened cells are outlined (they have no area left to fill)


def shaded_layers(model: MLP) -> list[bool]:
    """Per hidden layer: does it map the plane to the plane (2 → 2), so its cells are shaded?

    All False when the animation is not drawn on a plane at all (the input, or some layer,
    has more than 2 dimensions: the figure is then 3-D, where a cell is no flat polygon).
    """
    flat = max(model.layer_sizes[:-1]) <= 2
    return [flat and W.shape == (2, 2) for W in model.weights[:-1]]


def stage_cells(
    model: MLP, extent: Extent, n_cells: int, n_frames: int
) -> list[CellFrame | None] | None:
    """Every animation frame's cells, in playing order (as ``core.figures.transform``).

    ``extent`` and ``n_cells`` must be those of the animation's grid (``grid_lines(extent,
    n_lines=n_cells + 1)``), ``n_frames`` its frames per stage. One entry per frame: None for
    the input, each layer's start and every frame of a layer that is not 2 → 2. Returns None
    when no layer is shaded (see ``shaded_layers``).
    """
    shaded = shaded_layers(model)
    if not any(shaded):
        return None
    corners = lattice(extent, n_cells)
    trace = model.forward(corners.reshape(-1, 2), return_trace=True)
    frames: list[CellFrame | None] = [None]  # the input plane
    for i, (W, b) in enumerate(zip(model.weights[:-1], model.biases[:-1], strict=True)):
        stages = layer_stages(trace[i].inputs, W, b, model.activation, n_frames, layer=i)
        frames.append(None)  # the layer's start
        areas = layer_area_changes(
            trace[i].inputs.reshape(corners.shape[:2] + (-1,)), W, b, model.activation
        )
        for s, stage in enumerate(stages.stages):
            move = move_of_stage(stage.kind)
            for f, positions in enumerate(stage.frames):
                if not shaded[i]:
                    frames.append(None)
                    continue
                cells = positions.reshape(corners.shape[:2] + (-1,))[..., :2]
                frames.append(CellFrame(f"L{i + 1}.{s}.{f}", cells, areas[move], move == "σ"))
    return frames

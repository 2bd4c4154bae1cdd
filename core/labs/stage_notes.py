"""What a layer's bend did to the data, in one sentence: saturated corners, ReLU folds.

A picture of points piled into the corners of a square, or squashed onto a face, is easy to
misread as a drawing bug. ``bend_note`` says what happened, from the layer's own numbers: the
pre-activations z and activations a = σ(z) of the data points. Arrays in, a string out.
"""

from __future__ import annotations

import numpy as np

__all__ = ["bend_note", "network_notes"]

Array = np.ndarray
SATURATED = 0.9  # |tanh| above this, or sigmoid within 1 - this of 0 or 1: the flat ends
CORNER_SHARE = 0.5  # a note on corners when at least this share of points sits in one


def _shape(n_units: int) -> str:
    return {1: "segment", 2: "square", 3: "cube"}.get(n_units, f"{n_units}-D cube")


def _saturated(a: Array, name: str) -> Array | None:
    """Where each value sits at a flat end of its activation (None: no flat ends)."""
    if name in ("tanh", "step"):
        low, high = (-1.0, 1.0) if name == "tanh" else (0.0, 1.0)
    elif name == "sigmoid":
        low, high = 0.0, 1.0
    else:
        return None
    reach = (1 - SATURATED) * (high - low) / 2
    return (a <= low + reach) | (a >= high - reach)


def bend_note(z: Array, a: Array, name: str, label: str) -> str:
    """One sentence on the bend σ = ``name`` for the data's z and a = σ(z), both (n, units)."""
    n_points, n_units = a.shape
    saturated = _saturated(a, name)
    if saturated is not None:
        corners = float(np.mean(saturated.all(axis=1)))
        if name == "step":
            return f"{label} sends every point to a corner of the {_shape(n_units)}"
        if corners >= CORNER_SHARE:
            return (
                f"{label} saturates: {corners:.0%} of points sit at the corners of the "
                f"{_shape(n_units)}"
            )
        return f"{label} saturates {saturated.mean():.0%} of the values (near its flat ends)"
    if name == "relu":
        flat = int(np.sum((z <= 0).all(axis=0)))
        folded = float(np.mean(z < 0))
        if flat:
            return f"ReLU folded {flat} of {n_units} units flat (0 for every point)"
        return f"ReLU folds {folded:.0%} of the values (the negative ones) onto 0"
    if name == "identity":
        return "no bend: this layer is linear"
    if name == "sin":
        return f"sin folds {np.mean(np.abs(z) > np.pi / 2):.0%} of the values (beyond ±π/2) back"
    if name == "leaky_relu":
        return f"{label} shrinks the {np.mean(z < 0):.0%} of values below 0 almost to 0"
    negative = float(np.mean(z < 0))
    return f"{label} bends the {negative:.0%} of values below 0 most"


def network_notes(anim) -> list[str]:
    """One note per hidden layer of a ``NetworkAnimation`` (its data points' z and σ(z))."""
    notes = []
    for layer in anim.layers:
        translate = next(s for s in layer.stages if s.kind == "translate")
        z = translate.frames[-1][: anim.n_data, : layer.fan_out]
        notes.append(bend_note(z, layer.end[: anim.n_data], anim.activation, anim.activation_label))
    return notes

"""What the Transform page's live view shows for classes or for values (regression).

The page calls these instead of choosing between a classifier's and a regression network's
pictures and words itself: the input plane's heading (the live canvas draws the plane itself,
``pages/_ui/live_canvas.py``), the score's name (accuracy or R²), the
metrics row, and the per-layer probe (linearly separable or linearly predictable). The maths
are in ``core``; this only picks.
"""

from __future__ import annotations

import math

import numpy as np

from core.experiment import Experiment
from core.labs.fitted_values import PREDICTABLE, fitted_stage, layer_predictability, plane_of
from core.labs.probes import SEPARABLE, layer_separability
from core.render.png import png_data_uri
from core.render.raster import representation_image
from core.render.value_scale import value_legend_svg

__all__ = [
    "counters",
    "layer_probe",
    "metric_cells",
    "plane_heading",
    "probe_row",
    "probe_text",
    "probe_timing",
    "score_name",
    "fitted_stage_pictures",
    "value_legend",
]


def plane_heading(experiment: Experiment) -> str:
    """The input-plane picture's heading, in Markdown."""
    points = "filled: train, ringed: test" if experiment.settings.show_test else "train only"
    if experiment.regression:
        return f"**Fitted value** (input space; points coloured by their target; {points})"
    return f"**Decision boundary** (input space; {points})"


def value_legend() -> str:
    """The continuous colour scale's legend (SVG), shown beside a regression run's plane."""
    return value_legend_svg()


def score_name(experiment: Experiment) -> str:
    return "R²" if experiment.regression else "Accuracy"


def metric_cells(experiment: Experiment, last: np.ndarray) -> list[tuple[str, str]]:
    """(label, value) of the three metrics after the epoch, from a history row."""
    if experiment.regression:  # squared loss: the test loss is the test MSE
        rmse = math.sqrt(last[2]) if last[2] >= 0 else float("nan")
        return [("Train R²", f"{last[1]:.3f}"), ("Test R²", f"{last[3]:.3f}"),
                ("Test RMSE", f"{rmse:.4f}")]  # fmt: skip
    return [
        ("Train accuracy", f"{last[1]:.1%}"),
        ("Test accuracy", f"{last[3]:.1%}"),
        ("Test loss", f"{last[2]:.4f}"),
    ]


def counters(experiment: Experiment) -> list[list[str]]:
    """The numbers shown above the live picture, as [label, value]: the epoch, then its
    metrics ("diverged" once training diverged). The canvas draws them with the picture of the
    same weights, so they always agree with it: the history row of this epoch, or, for an
    epoch the thinned history skipped (a long run logs every 2nd … 32nd), the current weights
    measured on the train and test sets (the last row could be 31 epochs older)."""
    shown = [["Epoch", f"{experiment.epoch:,}"]]
    trainer = experiment.trainer
    if trainer is None or not trainer.history.size:
        return shown
    history = trainer.history
    row = history.rows[-1]
    if history.epochs[-1] != trainer.epoch and not trainer.diverged:
        row = np.array([*trainer.measure_now(), np.nan])  # (the penalty is not a counter)
    cells = metric_cells(experiment, row)
    if trainer.diverged:  # the last row is the explosion's (a test loss of 40,504,137)
        cells = [(label, "diverged") for label, _ in cells]
    return shown + [[label, value] for label, value in cells]


def layer_probe(experiment: Experiment) -> list[float]:
    """Per representation, how well a linear probe reads the answer from it: accuracy (classes)
    or R² (values)."""
    probe = layer_predictability if experiment.regression else layer_separability
    return probe(experiment.view_model, experiment.X_train, experiment.y_train)


def probe_text(experiment: Experiment) -> tuple[str, str]:
    """The probe section's heading and caption."""
    if experiment.regression:
        return (
            "**Linear predictability per layer**",
            "How well one affine function (a least-squares probe) predicts the target from each "
            f"representation, as R²: at ≥ {PREDICTABLE:.2f} the layer has made the target "
            "linearly predictable, which is all the linear output unit can use.",
        )
    return (
        "**Linear separability per layer**",
        "How well one straight cut (a linear probe) splits the classes in each "
        f"representation: at ≥ {SEPARABLE:.0%} the layer has made the data linearly separable.",
    )


def fitted_stage_pictures(experiment: Experiment, size: int = 300) -> list[tuple[str, str]]:
    """The last stage of a regression network as (PNG data URI, caption) pairs: the last
    representation coloured by the fitted value, and the same points by their target."""
    representation, values = fitted_stage(experiment.view_model, experiment.X)
    points, axes = plane_of(representation)
    return [
        (png_data_uri(representation_image(points, values, size=size)),
         f"last representation ({axes}), coloured by the fitted value"),
        (png_data_uri(representation_image(points, experiment.y, size=size)),
         "the same points, coloured by their target"),
    ]  # fmt: skip


def probe_row(experiment: Experiment, name: str, score: float, first: int | None) -> str:
    """One layer's probe bar text: its score and the first check that found it past the
    threshold ("by epoch N": the probes run only now and then while training plays, so the
    layer may have got there earlier, after the check before)."""
    if experiment.regression:
        note = f" · linearly predictable by epoch {first:,}" if first is not None else ""
        return f"{name}: R² {score:.3f}{note}"
    note = f" · separable by epoch {first:,}" if first is not None else ""
    return f"{name}: {score:.1%}{note}"


def probe_timing(measured_epoch: int, every_seconds: float) -> str:
    """When the bars were measured, and why "by epoch N" is not "since"."""
    return (
        f"Measured at epoch {measured_epoch:,}; while training plays, every {every_seconds:g} s "
        '(so "by epoch N" is the first check that saw the layer past the line).'
    )

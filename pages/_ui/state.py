"""What the pages keep in ``st.session_state``: the shared keys, and small named records.

Every page reads the session's Transform-family run under ``EXPERIMENT`` (the Transform page
builds it; Activations and Loss surface show it; a shared link to any page builds it). The
records replace tuples read by position, so a reader sees ``upload.file_name`` rather than
``upload[3]``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = [
    "EXPERIMENT",
    "IMPORTED_MODEL",
    "UPLOADED_DATA",
    "AnimationSnapshot",
    "ImportedModel",
    "ProbeScores",
    "UploadedDataset",
]

EXPERIMENT = "transform"  # core.experiment.Experiment: the session's run, read by every page
UPLOADED_DATA = "uploaded_data"  # UploadedDataset: the user's CSV, once loaded
IMPORTED_MODEL = "imported_model"  # ImportedModel: weights waiting for a run that fits them


@dataclass(frozen=True)
class UploadedDataset:
    """A user's CSV as the pages use it: features rescaled into [-1, 1] for display."""

    X: np.ndarray  # (n_samples, 2)
    y: np.ndarray  # (n_samples,) labels 0..K-1
    class_names: tuple[str, ...]
    file_name: str


@dataclass(frozen=True)
class ImportedModel:
    """An uploaded model's shape and weights, until the run built for it takes them."""

    layer_sizes: tuple[int, ...]
    activation: str
    params: np.ndarray  # (n_parameters,), flat as ``MLP.params``


@dataclass(frozen=True)
class ProbeScores:
    """Linear-probe accuracies per layer of one run at one epoch, and when they were measured."""

    experiment: Any  # the Experiment itself: an id() can be reused
    epoch: int
    measured_at: float  # time.monotonic()
    scores: list[float]


@dataclass(frozen=True)
class AnimationSnapshot:
    """The layer-by-layer figure of one run's weights at one epoch, and its summary table."""

    experiment: Any
    epoch: int
    figure: Any  # plotly.graph_objects.Figure
    summary: list[dict]
    fixed: bool = False  # drawn at true scale (fixed axes) rather than framed on the data
    shaded: bool = False  # grid cells shaded by each stage's area change
    weights: str = ""  # digest of the weights drawn (a hand edit changes them, not the epoch)


def weights_digest(params: np.ndarray) -> str:
    """A short digest of a run's weights (a few hundred floats: microseconds), the key under
    which the session keeps what it drew of them."""
    return hashlib.blake2b(np.ascontiguousarray(params).tobytes(), digest_size=12).hexdigest()

"""The exact two-weight slice of the Loss-surface page: which model, data and two parameters.

Holding every weight fixed except two makes the loss an ordinary function L(w₁, w₂). The user
picks two weights of the network, or the two-weight logistic regression on the same data;
``ExactSlice`` carries the choice to the surface and to the optimizer race
(``pages/_ui/race_panel.py``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import streamlit as st

from core.experiment import Experiment
from core.labs.landscape import logistic_regression, weight_choices
from core.nn.network import MLP
from pages._ui import KEEP

__all__ = ["ExactSlice", "exact_slice", "fingerprint", "run_key", "weight_pickers"]


def fingerprint(*arrays: np.ndarray) -> str:
    """A short exact digest of arrays (dtype, shape and every byte): a small cache key.

    Streamlit's data cache hashes a NumPy array of 500,000 elements or more from a sample, so two
    different big arrays can get the same key and a wrong cached result; this digest cannot.
    """
    digest = hashlib.sha1()
    for array in arrays:
        array = np.ascontiguousarray(array)
        digest.update(f"{array.dtype}{array.shape}".encode())
        digest.update(array.tobytes())
    return digest.hexdigest()[:16]


def run_key(model: MLP, X: np.ndarray, targets: np.ndarray, loss: str) -> str:
    """A small exact cache key for a model's weights and data (never hash the arrays)."""
    return f"{model!r}/{loss}/{fingerprint(model.params, X, targets)}"


def _default_pair(names: dict[int, str]) -> tuple[int, int]:
    """Two weights into the first hidden unit (from x₁ and x₂) when both exist, else the first
    two weights there are (a network that reads one feature has no W1[1, 0])."""
    by_name = {name: index for index, name in names.items()}
    if "W1[0, 0]" in by_name and "W1[1, 0]" in by_name:
        return by_name["W1[0, 0]"], by_name["W1[1, 0]"]
    first, second = list(names)[:2]
    return first, second


def weight_pickers(model: MLP) -> tuple[int, int] | None:
    """Two selects over every weight; None (with a note) when both name the same weight or the
    network has only one weight."""
    names = weight_choices(model)
    if len(names) < 2:
        st.info(
            f"This network has a single weight, {next(iter(names.values()))}: there is no second "
            "axis. Add a hidden layer or an input feature on the Transform page, or pick "
            "logistic regression above."
        )
        return None
    defaults = dict(zip(("ls_first", "ls_second"), _default_pair(names), strict=True))
    for key, default in defaults.items():
        if st.session_state.get(key) not in names:  # a new architecture: old picks are void
            st.session_state[key] = default
    helper = "W2[3, 5] is the weight from unit 3 of layer 1 to unit 5 of layer 2 (layer 0: x)."
    columns = st.columns(2)
    labels = {"ls_first": "First weight, w₁", "ls_second": "Second weight, w₂"}
    picked = [
        column.selectbox(
            labels[key],
            list(names),
            format_func=lambda i: f"{names[i]} = {model.params[i]:+.3f}",
            key=key,
            help=helper,
            **KEEP,
        )
        for column, key in zip(columns, labels, strict=True)
    ]
    if picked[0] == picked[1]:
        st.warning("Pick two different weights: the surface needs two axes.")
        return None
    return picked[0], picked[1]


@dataclass(frozen=True)
class ExactSlice:
    """What the exact two-parameter section shows: the model, its data and the two axes."""

    model: MLP
    X: np.ndarray
    targets: np.ndarray
    loss: str
    indices: tuple[int, int]
    names: tuple[str, str]
    radius: float

    @property
    def centre(self) -> tuple[float, float]:
        return tuple(float(self.model.params[i]) for i in self.indices)

    @property
    def key(self) -> str:
        """Cache key: the weights, the data and which two parameters."""
        return f"{run_key(self.model, self.X, self.targets, self.loss)}/{self.indices}"


def exact_slice(experiment: Experiment, mode: str, radius: float) -> ExactSlice | None:
    """The chosen two-parameter surface: two network weights or logistic regression."""
    trainer = experiment.trainer
    if mode == "logistic":
        # On the plane (x₁, x₂) itself: the trainer's inputs are the lifted features, which may
        # be one column (feat=r2) or eight.
        model, targets, loss = logistic_regression(experiment.X_train, experiment.y_train)
        return ExactSlice(model, experiment.X_train, targets, loss, (0, 1), ("w₁", "w₂"), radius)
    indices = weight_pickers(experiment.model)
    if indices is None:
        return None
    names = weight_choices(experiment.model)
    model = experiment.model
    titles = (names[indices[0]], names[indices[1]])
    return ExactSlice(
        model, trainer.X_train, trainer.targets, trainer.loss, indices, titles, radius
    )

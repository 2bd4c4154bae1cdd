"""Export the run (model, data, history, animation) and import a CSV dataset or a model.

Uploads are handled in ``on_change`` callbacks, which run before the page script, so a good
file can switch the sidebar widgets to it; a bad file leaves everything as it was and its
message stays on screen. Every message is Markdown in which all user text (file names, labels,
values) is escaped with ``pages._ui.text.plain_text``. Parsing and validation live in
``core.exchange.uploads`` / ``core.exchange.exports``
(plain ``csv`` and ``json``; nothing uploaded is ever evaluated or unpickled).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import streamlit as st

from core.exchange.echo import shorten, shown
from core.exchange.exports import dataset_csv, figure_html, history_csv, model_from_json, model_json
from core.exchange.uploads import parse_dataset_csv, standardise_for_display
from core.experiment import UPLOADED, Experiment
from core.settings import TRANSFORM_MAX_LAYERS, TRANSFORM_MAX_WIDTH
from pages._ui.state import (
    IMPORTED_MODEL,
    UPLOADED_DATA,
    AnimationSnapshot,
    ImportedModel,
    UploadedDataset,
)
from pages._ui.text import plain_text

MESSAGE = "transfer_message"  # (kind, Markdown with all user text escaped) shown once


def _refusal(name: str, error: ValueError, outcome: str) -> str:
    """Markdown for a refused upload: one sentence, or the list of problems (all escaped)."""
    problems = getattr(error, "problems", (str(error),))
    count = getattr(error, "count", len(problems))
    if count == 1:
        return plain_text(f"{name}: {problems[0]}. {outcome}")
    items = [f"- {plain_text(problem)}" for problem in problems]
    if count > len(problems):
        items.append(f"- {plain_text(f'and {count - len(problems):,} more')}")
    return plain_text(f"{name} has {count:,} problems. {outcome}") + "\n\n" + "\n".join(items)


def _load_dataset() -> None:
    upload = st.session_state.get("upload_csv")
    if upload is None:
        return
    name = shown(upload.name)  # quoted and cut: a file name is user text too
    try:
        data = parse_dataset_csv(upload.getvalue())
    except ValueError as error:
        st.session_state[MESSAGE] = ("error", _refusal(name, error, "The data shown is unchanged."))
        return
    X, _ = standardise_for_display(data.X)
    st.session_state[UPLOADED_DATA] = UploadedDataset(
        X, data.y, data.class_names, shorten(upload.name)
    )
    st.session_state["dataset"] = UPLOADED
    classes = ", ".join(shown(label) for label in data.class_names)
    features = " and ".join(shown(feature) for feature in data.feature_names)
    st.session_state[MESSAGE] = (
        "success",
        plain_text(
            f"Loaded {data.n_rows} rows of {name} with classes {classes}; features {features} "
            "are rescaled into [-1, 1]."
        ),
    )


def _check_fits(model, n_classes: int, n_inputs: int) -> str | None:
    hidden = model.layer_sizes[1:-1]
    if model.layer_sizes[0] != n_inputs:
        return (
            f"the model reads {model.layer_sizes[0]} inputs; this page feeds it {n_inputs} "
            "(choose the matching input features first)"
        )
    if len(hidden) > TRANSFORM_MAX_LAYERS or any(w > TRANSFORM_MAX_WIDTH for w in hidden):
        return (
            f"this page shows up to {TRANSFORM_MAX_LAYERS} hidden layers "
            f"of up to {TRANSFORM_MAX_WIDTH} units"
        )
    expected = 1 if n_classes == 2 else n_classes
    if model.n_outputs != expected:
        return f"the model has {model.n_outputs} outputs; the current dataset needs {expected}"
    return None


def _load_model(n_classes: int, n_inputs: int) -> None:
    upload = st.session_state.get("upload_model")
    if upload is None:
        return
    try:
        model = model_from_json(upload.getvalue())
        problem = _check_fits(model, n_classes, n_inputs)
        if problem:
            raise ValueError(problem)
    except ValueError as error:
        st.session_state[MESSAGE] = (
            "error",
            _refusal(shown(upload.name), error, "Nothing was changed."),
        )
        return
    hidden = model.layer_sizes[1:-1]
    st.session_state["depth"] = len(hidden)
    for i, width in enumerate(hidden):
        st.session_state[f"width_{i}"] = width
    st.session_state["activation"] = model.activation.name
    st.session_state[IMPORTED_MODEL] = ImportedModel(
        model.layer_sizes, model.activation.name, model.params.copy()
    )
    message = f"Showing the model from {shown(upload.name)}: {model!r}."
    st.session_state[MESSAGE] = ("success", plain_text(message))


def imported_params(hidden: tuple[int, ...], activation: str) -> np.ndarray | None:
    """The imported model's parameters if they fit these hidden widths; used once."""
    stored = st.session_state.get(IMPORTED_MODEL)
    if stored and stored.layer_sizes[1:-1] == tuple(hidden) and stored.activation == activation:
        del st.session_state[IMPORTED_MODEL]
        return stored.params
    return None


def uploaded_data() -> tuple[np.ndarray, np.ndarray] | None:
    """The uploaded (X, y) for ``Experiment.build``, or None before any upload."""
    stored = st.session_state.get(UPLOADED_DATA)
    return None if stored is None else (stored.X, stored.y)


def transfer_panel(experiment: Experiment, snapshot: Callable[[], AnimationSnapshot]) -> None:
    """Downloads of the current run, and the two uploaders. ``snapshot`` gives the
    layer-by-layer figure and its stage table, built only when the HTML is downloaded."""
    kind, text = st.session_state.pop(MESSAGE, (None, None))
    if kind:
        getattr(st, kind)(text)
    with st.expander("Export this run, or bring your own data or model"):
        left, right = st.columns(2, gap="large")
        with left:
            _downloads(experiment, snapshot)
        with right:
            st.file_uploader(
                "Your data: a CSV with two numeric feature columns and a label column "
                "(header optional, labels may be text, 2–10 classes, up to 5,000 rows)",
                type=["csv", "txt"],
                key="upload_csv",
                on_change=_load_dataset,
            )
            st.file_uploader(
                "A model exported from Spacewarp (JSON)",
                type=["json"],
                key="upload_model",
                on_change=_load_model,
                args=(experiment.model.n_classes, experiment.model.layer_sizes[0]),
            )


def _downloads(experiment: Experiment, snapshot: Callable[[], AnimationSnapshot]) -> None:
    meta = {
        "settings": experiment.settings,
        "epoch": experiment.epoch,
        "features": list(experiment.settings.features),
    }
    st.download_button(
        "Model (JSON)",
        lambda: model_json(experiment.model, meta),
        "spacewarp-model.json",
        "application/json",
        key="download_model",
        on_click="ignore",
        width="stretch",
    )
    st.download_button(
        "Dataset (CSV)",
        lambda: dataset_csv(
            experiment.X_train, experiment.y_train, experiment.X_test, experiment.y_test
        ),
        "spacewarp-data.csv",
        "text/csv",
        key="download_data",
        on_click="ignore",
        width="stretch",
    )
    if experiment.trainer is not None:
        history = experiment.trainer.history
        st.download_button(
            "Loss history (CSV)",
            lambda: history_csv(history.epochs, history.rows, experiment.trainer.metrics),
            "spacewarp-history.csv",
            "text/csv",
            key="download_history",
            on_click="ignore",
            width="stretch",
        )
    if experiment.model.regression:  # the animation colours by class: not drawn for values
        return
    st.download_button(
        "Layer-by-layer animation (HTML, plays offline)",
        lambda: animation_page(experiment, snapshot()),
        "spacewarp-animation.html",
        "text/html",
        key="download_animation",
        on_click="ignore",
        width="stretch",
    )


def animation_page(experiment: Experiment, snapshot: AnimationSnapshot) -> str:
    """The offline page: what it shows, the run's settings, epoch and accuracy, the stages."""
    s = experiment.settings
    facts = {
        "Dataset": f"{s.dataset} ({s.n_samples} points, noise {s.noise:g}, seed {s.seed})",
        "Network": "-".join(map(str, experiment.model.layer_sizes)) + f", {s.activation}",
        "Training": f"{s.optimizer}, learning rate {s.learning_rate:g}, L2 {s.l2:g}",
        "Epoch": f"{snapshot.epoch:,}",
    }
    trainer = experiment.trainer
    if trainer is not None and trainer.history.size and snapshot.epoch == experiment.epoch:
        last = trainer.history.rows[-1]
        facts["Accuracy"] = f"train {last[1]:.1%}, test {last[3]:.1%}"
    return figure_html(
        snapshot.figure,
        title=f"Spacewarp: {s.dataset}, epoch {snapshot.epoch:,}",
        description=(
            "Each hidden layer computes σ(x W + b). Press Play (or drag the slider) to watch "
            "the data and a grid move through each stage: the rotations and the stretch of W "
            "(W = U Σ Vᵀ), the shift by b and the bend by σ, up to the output layer's "
            "decision boundary."
        ),
        facts=facts,
        table=snapshot.summary,
    )

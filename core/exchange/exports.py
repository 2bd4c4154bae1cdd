"""Downloads: the model as JSON, the data and the training history as CSV, a figure as HTML.

Pure functions returning text; the pages wrap them in download buttons. Everything written here
reads back: ``model_from_json`` rebuilds the model with ``json.loads`` and the validating
``mlp_from_dict`` only (no eval, no pickle); ``core.exchange.uploads.parse_dataset_csv`` reads
``dataset_csv`` output as it is (it accepts the ``split`` column); floats are written with
``repr``, which round-trips float64 exactly.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from core.exchange.model_io import PAGE_LIMITS, ModelLimits, mlp_from_dict, mlp_to_dict
from core.exchange.offline_page import figure_html
from core.nn.metrics import METRICS
from core.nn.network import MLP

__all__ = [
    "DATASET_COLUMNS",
    "HISTORY_COLUMNS",
    "MAX_MODEL_BYTES",
    "METADATA_KEY",
    "dataset_csv",
    "figure_html",
    "history_csv",
    "model_from_json",
    "model_json",
]

Array = np.ndarray
# The largest model the pages accept (8 inputs, 8 × 16 hidden units, 10 outputs) with its
# metadata is about 58 kB of JSON; a megabyte leaves room and bounds json.loads' work.
MAX_MODEL_BYTES = 1_000_000
METADATA_KEY = "spacewarp"
DATASET_COLUMNS = ("x1", "x2", "label", "split")
HISTORY_COLUMNS = ("epoch", *METRICS)


def _jsonable(value: Any) -> Any:
    """``json.dumps`` hook for metadata: dataclasses (e.g. Settings) and NumPy values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, np.ndarray | np.generic):
        return value.tolist()
    raise TypeError(f"metadata value of type {type(value).__name__} cannot be written as JSON")


def model_json(model: MLP, metadata: Mapping[str, Any] | None = None) -> str:
    """The model as JSON text: ``mlp_to_dict(model)`` plus optional metadata.

    Parameters
    ----------
    model : MLP
    metadata : mapping, optional
        Stored under the key ``"spacewarp"`` (e.g. ``{"settings": ..., "epoch": 120}``);
        dataclasses and NumPy values are converted. ``model_from_json`` ignores it.

    Returns
    -------
    str
        JSON with indent 1; weights and biases round-trip exactly.
    """
    data = mlp_to_dict(model)
    if metadata is not None:
        data[METADATA_KEY] = dict(metadata)
    return json.dumps(data, indent=1, default=_jsonable)


def _load_json(raw: bytes) -> Any:
    """``json.loads`` with every failure as a ``ValueError`` that says where or why."""
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise ValueError(
            f"the model file is not UTF-8 text (byte {error.start} is 0x{raw[error.start]:02X})"
        ) from None
    except json.JSONDecodeError as error:
        raise ValueError(
            f"the model file is not valid JSON: {error.msg} at line {error.lineno}, "
            f"column {error.colno}"
        ) from None
    except ValueError:  # Python refuses integers of more than 4300 digits
        raise ValueError("the model file has a number with too many digits") from None
    except RecursionError:
        raise ValueError("the model file's JSON is nested too deeply") from None


def model_from_json(text: str | bytes, limits: ModelLimits = PAGE_LIMITS) -> MLP:
    """Rebuild a model from ``model_json`` output (an upload), validating everything.

    Parameters
    ----------
    text : str or bytes
        At most ``MAX_MODEL_BYTES`` of UTF-8 JSON.
    limits : ModelLimits
        The largest model accepted (``core.exchange.model_io.mlp_from_dict``); the pages' caps
        by default.

    Returns
    -------
    MLP
        Predicts exactly what the saved model did.

    Raises
    ------
    ValueError
        For oversized, empty, non-UTF-8 or invalid JSON (with line and column), or JSON that is
        not a valid Spacewarp model (the message from ``mlp_from_dict``).
    """
    raw = text.encode("utf-8") if isinstance(text, str) else bytes(text)
    if len(raw) > MAX_MODEL_BYTES:
        raise ValueError(
            f"the model file is {len(raw):,} bytes; the limit is {MAX_MODEL_BYTES:,} bytes"
        )
    if not raw.strip():
        raise ValueError("the model file is empty")
    return mlp_from_dict(_load_json(raw), limits)


def _check_split(X: Any, y: Any, part: str) -> tuple[Array, Array]:
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    if X.ndim != 2 or X.shape[1] != 2 or y.shape != (len(X),):
        raise ValueError(f"{part}: need X (n, 2) and y (n,), got {X.shape} and {y.shape}")
    if not np.all(np.isfinite(X)):
        raise ValueError(f"{part}: X contains NaN or inf, which a CSV upload would reject")
    if y.dtype.kind == "f":  # a regression's targets: any finite value
        if not np.all(np.isfinite(y)):
            raise ValueError(f"{part}: targets contain NaN or inf")
    elif y.size and (not np.issubdtype(y.dtype, np.integer) or y.min() < 0):
        raise ValueError(f"{part}: labels must be integers ≥ 0, got {y.dtype} {y.min()}")
    return X, y


def _label_names(class_names: Sequence[str] | None, labels: list[Array]) -> list[str]:
    n_labels = 1 + max((int(y.max()) for y in labels if y.size), default=-1)
    if class_names is None:
        return [str(k) for k in range(n_labels)]
    if len(class_names) < n_labels:
        raise ValueError(f"{len(class_names)} class_names for labels 0..{n_labels - 1}")
    return [str(name) for name in class_names]


def dataset_csv(
    X_train: Any,
    y_train: Any,
    X_test: Any,
    y_test: Any,
    class_names: Sequence[str] | None = None,
    feature_names: tuple[str, str] = ("x1", "x2"),
) -> str:
    """The train and test data as CSV with the header ``x1,x2,label,split`` (``target`` in
    place of ``label`` for a regression's float targets).

    Parameters
    ----------
    X_train, X_test : ndarray of shape (n_train, 2), (n_test, 2)
    y_train, y_test : ndarray of shape (n_train,), (n_test,)
        Integer labels ≥ 0, or float targets (a regression).
    class_names : sequence of str, optional
        Written instead of label k when given (``class_names[k]``).
    feature_names : (str, str)

    Returns
    -------
    str
        One row per sample, training rows first, ``split`` being ``train`` or ``test``;
        ``core.exchange.uploads.parse_dataset_csv`` reads it back (ignoring ``split``).
    """
    parts = [
        (*_check_split(X_train, y_train, "train"), "train"),
        (*_check_split(X_test, y_test, "test"), "test"),
    ]
    kinds = {y.dtype.kind == "f" for _, y, _ in parts if y.size}
    if len(kinds) > 1:
        raise ValueError("labels must be integers ≥ 0 in both parts, or float targets in both")
    values = kinds == {True}  # a regression: the target itself, at full precision
    names = None if values else _label_names(class_names, [y for _, y, _ in parts])
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")  # quotes names with commas or quotes
    writer.writerow([*feature_names, "target" if values else "label", "split"])
    for X, y, split in parts:
        writer.writerows(
            [repr(a), repr(b), repr(label) if values else names[label], split]
            for (a, b), label in zip(X.tolist(), y.tolist(), strict=True)
        )
    return buffer.getvalue()


def history_csv(epochs: Any, rows: Any, metrics: Sequence[str] = METRICS) -> str:
    """The training history as CSV: ``epoch`` then every ``core.nn.training.METRICS``.

    Parameters
    ----------
    epochs : ndarray of shape (n,)
        Epoch numbers, as ``Trainer.history.epochs``.
    rows : ndarray of shape (n, len(METRICS))
        Metrics per epoch, as ``Trainer.history.rows``; NaN (no test set) is written ``nan``.
    metrics : sequence of str
        The column names, as ``Trainer.metrics`` (R² in place of accuracy for a regression).

    Returns
    -------
    str
        Header and n lines, every float at full precision (``repr``).
    """
    epochs, rows = np.asarray(epochs), np.asarray(rows, dtype=float)
    if epochs.ndim != 1 or rows.shape != (len(epochs), len(metrics)):
        raise ValueError(
            f"need epochs (n,) and rows (n, {len(metrics)}), got {epochs.shape} and {rows.shape}"
        )
    lines = [",".join(("epoch", *metrics))]
    for epoch, row in zip(epochs.tolist(), rows.tolist(), strict=True):
        lines.append(",".join([str(int(epoch)), *map(repr, row)]))
    return "\n".join(lines) + "\n"

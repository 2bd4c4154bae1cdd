"""A user's own dataset from an uploaded CSV file: read safely, with errors that say where.

UTF-8 text read with the ``csv`` module: nothing is evaluated or unpickled, no types guessed.
Two numeric features then a label, with or without a header row; comma, semicolon or tab
separated (with ``;`` or tab, ``1,5`` is the decimal 1.5, as many locales' spreadsheets write
it). A 4th column is accepted if the header names it ``split`` (its values are ignored), so the
output of ``core.exchange.exports.dataset_csv`` uploads again as it is.

Sizes come first (bytes, line lengths, rows, columns, field lengths: ``csv_reading``), so no
upload makes more work than a megabyte of text can; then every row and cell is read and every
problem collected, so one ``UploadError`` (a ``ValueError``) lists them all, each naming the row
(the 1-based line a text editor shows), the column and the value, cut to a few dozen
characters.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from core.exchange.class_labels import MAX_CLASSES, MIN_CLASSES, encode_labels
from core.exchange.csv_reading import (
    MAX_BYTES,
    Record,
    choose_delimiter,
    decode_upload,
    parse_number,
    read_records,
)
from core.exchange.echo import shown
from core.exchange.problems import Problems, UploadError, fail

__all__ = [
    "MAX_BYTES",
    "MAX_CLASSES",
    "MAX_ROWS",
    "MIN_CLASSES",
    "MIN_ROWS",
    "SPLIT_COLUMN",
    "UploadError",
    "UploadedData",
    "parse_dataset_csv",
    "standardise_for_display",
]

Array = np.ndarray
MAX_ROWS = 5000
MAX_LINES = 4 * MAX_ROWS  # room for blank lines and values that span lines
MIN_ROWS = 10
SPLIT_COLUMN = "split"
DEFAULT_NAMES = ("x1", "x2", "label")
_MISSING = frozenset({"", "nan", "-nan", "+nan", "na", "n/a", "null", "none"})
_INFINITE = frozenset({"inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"})


@dataclass(frozen=True)
class UploadedData:
    """A parsed upload; arrays are read-only.

    Attributes
    ----------
    X : ndarray of shape (n_rows, 2)
        The two features as float64, as given (see ``standardise_for_display``).
    y : ndarray of shape (n_rows,)
        int64 labels 0..K-1; label k is ``class_names[k]``.
    class_names : tuple of str
        The original label text of each class, numeric labels in numeric order, others in
        natural order ("c2" before "c10").
    feature_names : tuple of (str, str)
        The header's names for the two features, or ("x1", "x2") without a header.
    n_rows : int
        Number of data rows (the header and blank lines not counted).
    """

    X: Array
    y: Array
    class_names: tuple[str, ...]
    feature_names: tuple[str, str]
    n_rows: int


def _is_header(record: Record, decimal_comma: bool) -> bool:
    """A header's first two fields are both names: neither a number nor a missing value."""
    names = [f for f in record.fields[:2] if f.lower() not in _MISSING | _INFINITE]
    return len(names) == 2 and all(parse_number(f, decimal_comma) is None for f in names)


def _column_names(header: Record | None) -> tuple[str, ...]:
    """Names of the columns a data row must have: 3, or 4 with a ``split`` column."""
    if header is None:
        return DEFAULT_NAMES
    if header.n_fields == 4 and header.fields[3].lower() == SPLIT_COLUMN:
        return header.fields
    if header.n_fields != 3:
        raise fail(
            f"row {header.row} (the header) has {header.n_fields:,} columns; expected 3: two "
            f"numeric features, then a label (a 4th is allowed only if named {SPLIT_COLUMN!r})"
        )
    return header.fields


def _check_not_text(body: list[Record], header: Record | None, decimal_comma: bool) -> None:
    """A file none of whose rows starts with a number is prose or another kind of table."""
    if any(parse_number(record.fields[0], decimal_comma) is not None for record in body):
        return  # a column of numbers at least: the row-by-row messages say the rest
    first = header or body[0]
    rows = "1 row" if len(body) + bool(header) == 1 else f"{len(body) + bool(header):,} rows"
    raise fail(
        f"none of the file's {rows} starts with a number, so this is not a table of two "
        f"numeric features and a label (row {first.row} reads {shown(', '.join(first.fields))})"
    )


def _row_count_problem(n_rows: int) -> str | None:
    if n_rows < MIN_ROWS:
        rows = "1 data row" if n_rows == 1 else f"{n_rows} data rows"
        return f"the file has {rows}; at least {MIN_ROWS} are needed"
    if n_rows > MAX_ROWS:
        return f"the file has {n_rows:,} data rows; at most {MAX_ROWS:,} are allowed"
    return None


def _feature(text: str, where: str, decimal_comma: bool) -> float | str:
    """The value, or the problem with it."""
    lowered = text.lower()
    if lowered in _MISSING:
        shown_text = "(empty cell)" if not text else shown(text)
        return f"{where}: missing value {shown_text}; every feature must be a number"
    if lowered in _INFINITE:
        return f"{where}: infinite value {shown(text)}; features must be finite"
    value = parse_number(text, decimal_comma)
    if value is None:
        return f"{where}: {shown(text)} is not a number"
    if not math.isfinite(value):
        return f"{where}: {shown(text)} is too large (it overflows to infinity)"
    return value


def _width_problem(run: list[Record], names: tuple[str, ...]) -> str:
    """One message for consecutive rows with the same wrong number of columns."""
    first, n_fields = run[0], run[0].n_fields
    trailing = " (a delimiter at the end?)" if first.fields[-1] == "" else ""
    columns = f"{n_fields:,} column{'s' * (n_fields != 1)}"
    rows = f"row {first.row} has" if len(run) == 1 else f"rows {first.row}–{run[-1].row} have"
    each = " each" if len(run) > 1 else ""
    expected = ", ".join(shown(name) for name in names)
    return f"{rows} {columns}{each}{trailing}; expected {len(names)}: {expected}"


def _read_cells(
    record: Record, names: tuple[str, ...], decimal_comma: bool, problems: Problems
) -> tuple[list[float], str]:
    """The two features (0 where a cell is bad) and the label; bad cells go to problems."""
    features = []
    for j in range(2):
        where = f"row {record.row}, column {j + 1} ({shown(names[j])})"
        value = _feature(record.fields[j], where, decimal_comma)
        if isinstance(value, str):
            problems.add(value)
        features.append(0.0 if isinstance(value, str) else value)
    label = record.fields[2]
    if label.lower() in _MISSING:
        shown_label = "(empty cell)" if not label else shown(label)
        problems.add(f"row {record.row}, column 3 ({shown(names[2])}): missing label {shown_label}")
    return features, label


def _read_body(
    body: list[Record], names: tuple[str, ...], decimal_comma: bool, problems: Problems
) -> tuple[Array, list[tuple[int, str]]]:
    """Features (n, 2) and (row, label text) pairs; every bad row and cell goes to problems."""
    X = np.zeros((len(body), 2))
    labels, run = [], []
    for i, record in enumerate(body):
        if run and record.n_fields != run[0].n_fields:
            problems.add(_width_problem(run, names))
            run = []
        if record.n_fields != len(names):
            run.append(record)
            continue
        X[i], label = _read_cells(record, names, decimal_comma, problems)
        labels.append((record.row, label))
    if run:
        problems.add(_width_problem(run, names))
    return X, labels


def _split_header(
    records: list[Record], n_records: int, decimal_comma: bool
) -> tuple[Record | None, list[Record], int]:
    """(header or None, data records kept, number of data rows in the file)."""
    if n_records == 0:
        raise fail("the file is empty: it has no rows with values")
    header = records[0] if _is_header(records[0], decimal_comma) else None
    body = records[1:] if header else records
    n_rows = n_records - (header is not None)
    if header is not None and n_rows == 0:
        raise fail(
            f"the file has only a header row ({shown(', '.join(header.fields))}) and 0 data "
            f"rows; at least {MIN_ROWS} are needed"
        )
    if n_rows > MAX_ROWS:  # a size, checked before any value is read
        raise fail(_row_count_problem(n_rows))
    return header, body, n_rows


def parse_dataset_csv(data: bytes | str) -> UploadedData:
    """Read a dataset of two numeric features and a label from CSV bytes.

    Parameters
    ----------
    data : bytes
        The uploaded file, at most ``MAX_BYTES``; UTF-8 with or without a byte-order mark,
        comma, semicolon or tab separated, with or without a header row (a first row whose
        first two fields are not numbers). Text is accepted too and read as its UTF-8 bytes.

    Returns
    -------
    UploadedData
        X (n_rows, 2) float64, y (n_rows,) int64 in 0..K-1 with 2 ≤ K ≤ ``MAX_CLASSES`` and at
        least two rows per class, class names and feature names.

    Raises
    ------
    UploadError
        A ``ValueError`` listing what is wrong and where, in file order: row (1-based file
        line), column and value (cut to a few dozen characters), at most
        ``core.exchange.csv_reading.MAX_PROBLEMS_SHOWN`` of them, then how many more.
    """
    text = decode_upload(data)
    n_lines = text.count("\n") + (not text.endswith("\n"))
    if n_lines > MAX_LINES:  # blank lines are free to read, but not a million of them
        raise fail(
            f"the file has {n_lines:,} lines; a dataset of at most {MAX_ROWS:,} rows fits in "
            f"{MAX_LINES:,}"
        )
    delimiter = choose_delimiter(text)
    decimal_comma = delimiter != ","
    problems = Problems()
    records, n_records = read_records(text, delimiter, MAX_ROWS + 1, problems)
    header, body, n_rows = _split_header(records, n_records, decimal_comma)
    _check_not_text(body, header, decimal_comma)
    names = _column_names(header)
    X, labels = _read_body(body, names, decimal_comma, problems)
    count = _row_count_problem(n_rows)
    if count:
        problems.add(count)
    if not problems.count:  # classes are only meaningful once every row was read
        y, class_names = encode_labels(labels, names[2], decimal_comma, problems)
    problems.raise_if_any()
    X.flags.writeable = False
    y.flags.writeable = False
    return UploadedData(X, y, class_names, (names[0], names[1]), n_rows)


def standardise_for_display(X: Array) -> tuple[Array, tuple[Array, Array]]:
    """Map each feature onto [-1, 1] (min to -1, max to +1), where the app's datasets live.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Finite values, at least one row.

    Returns
    -------
    X_scaled : ndarray of shape (n_samples, n_features)
        ``(X - centre) / scale``; a constant column maps to 0.
    (centre, scale) : tuple of ndarray of shape (n_features,)
        The mid-range and half-range of each column (scale 1 for a constant column), so
        ``X_scaled * scale + centre`` gives X back.
    """
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or len(X) == 0:
        raise ValueError(f"X must have shape (n_samples, n_features) with n ≥ 1, got {X.shape}")
    if not np.all(np.isfinite(X)):
        raise ValueError("X must be finite; it contains NaN or inf")
    # Halves first, so that values near ±1.8e308 cannot overflow the range.
    low, high = X.min(axis=0) / 2, X.max(axis=0) / 2
    centre, half_range = low + high, high - low
    scale = np.where(half_range > np.finfo(float).tiny, half_range, 1.0)
    X_scaled = (X / 2 - centre / 2) / (scale / 2)
    return np.clip(X_scaled, -1.0, 1.0), (centre, scale)  # clip: rounding at the ends

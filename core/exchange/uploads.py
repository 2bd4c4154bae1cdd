"""A user's own dataset from an uploaded CSV file: read safely, with errors that say where.

UTF-8 text read with the ``csv`` module: nothing is evaluated or unpickled, no types guessed.
Two numeric features then a label, with or without a header row; comma, semicolon or tab
separated (with ``;`` or tab, ``1,5`` is the decimal 1.5, as many locales' spreadsheets write
it). A 4th column is accepted if the header names it ``split`` (its values are ignored), so the
output of ``core.exchange.exports.dataset_csv`` uploads again as it is. Every problem raises a
``ValueError`` naming the row (the 1-based line a text editor shows), the column and the value.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass

import numpy as np

__all__ = [
    "MAX_BYTES",
    "MAX_CLASSES",
    "MAX_ROWS",
    "MIN_CLASSES",
    "MIN_ROWS",
    "SPLIT_COLUMN",
    "UploadedData",
    "parse_dataset_csv",
    "standardise_for_display",
]

Array = np.ndarray
MAX_BYTES = 1_000_000
MAX_ROWS = 5000
MIN_ROWS = 10
MIN_CLASSES = 2
MAX_CLASSES = 10
DELIMITERS = ",;\t"
SPLIT_COLUMN = "split"
DEFAULT_NAMES = ("x1", "x2", "label")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+(?:[eE][+-]?\d+)?", re.ASCII)
_MISSING = frozenset({"", "nan", "-nan", "+nan", "na", "n/a", "null", "none"})
_INFINITE = frozenset({"inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"})
_SHOWN_CHARS = 30


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


def _show(text: str) -> str:
    """The value quoted for a message, cut to ``_SHOWN_CHARS`` characters."""
    return repr(text if len(text) <= _SHOWN_CHARS else text[:_SHOWN_CHARS] + "…")


def _number(text: str, decimal_comma: bool) -> float | None:
    """The number ``text`` spells (possibly ±inf on overflow), or None if it is not one."""
    if _NUMBER.fullmatch(text):
        return float(text)
    if decimal_comma and _DECIMAL_COMMA.fullmatch(text):
        return float(text.replace(",", "."))
    return None


def _decode(data: bytes | str) -> str:
    """Check the size and decode UTF-8 (with or without a byte-order mark)."""
    data = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    size = len(data)
    if size == 0:
        raise ValueError("the file is empty (0 bytes)")
    if size > MAX_BYTES:
        raise ValueError(
            f"the file is {size:,} bytes ({size / 1e6:.1f} MB); the limit is {MAX_BYTES:,} bytes"
        )
    if data.startswith(b"PK\x03\x04"):
        raise ValueError("this is a zip file (an Excel workbook?), not CSV text; save it as CSV")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        row = data[: error.start].count(b"\n") + 1
        raise ValueError(
            f"the file is not UTF-8 text: byte 0x{data[error.start]:02X} in row {row} is not "
            "valid UTF-8; save it as a UTF-8 CSV file"
        ) from None
    if "\x00" in text:
        row = text[: text.index("\x00")].count("\n") + 1
        raise ValueError(f"row {row} contains a NUL byte: this is a binary file, not CSV text")
    return text


def _fits(lines: list[str], delimiter: str) -> int:
    """How many sample lines split into 3-4 fields that start with two numbers."""
    reader = csv.reader(lines, delimiter=delimiter, skipinitialspace=True)
    decimal_comma = delimiter != ","
    return sum(
        len(fields) in (3, 4)
        and all(_number(f.strip(), decimal_comma) is not None for f in fields[:2])
        for fields in reader
    )


def _choose_delimiter(text: str) -> str:
    """Comma, semicolon or tab: the sniffer's guess unless another reads more rows as data.

    The check matters for decimal commas: ``1,5;2,5;a`` is consistently comma separated to
    ``csv.Sniffer``, which prefers commas, but only a semicolon makes two numbers of it.
    """
    lines = [line for line in text.splitlines() if line.strip()][:20]
    try:
        sniffed = csv.Sniffer().sniff("\n".join(lines), delimiters=DELIMITERS).delimiter
    except csv.Error:
        sniffed = ","
    candidates = [sniffed] + [d for d in DELIMITERS if d != sniffed]
    return max(candidates, key=lambda d: _fits(lines, d))  # max keeps the first of a tie


def _read_rows(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """Non-blank records as (first line number, stripped fields)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, skipinitialspace=True)
    rows, start = [], 1
    try:
        for fields in reader:
            fields = [field.strip() for field in fields]
            if any(fields):
                rows.append((start, fields))
            start = reader.line_num + 1
    except csv.Error as error:
        raise ValueError(f"row {reader.line_num}: the CSV cannot be read ({error})") from None
    return rows


def _is_header(fields: list[str], decimal_comma: bool) -> bool:
    """A header's first two fields are both names: neither a number nor a missing value."""
    names = [f for f in fields[:2] if f.lower() not in _MISSING | _INFINITE]
    return len(names) == 2 and all(_number(f, decimal_comma) is None for f in names)


def _column_names(header: tuple[int, list[str]] | None) -> tuple[str, ...]:
    """Names of the columns a data row must have: 3, or 4 with a ``split`` column."""
    if header is None:
        return DEFAULT_NAMES
    row, names = header
    if len(names) == 4 and names[3].lower() == SPLIT_COLUMN:
        return tuple(names)
    if len(names) != 3:
        raise ValueError(
            f"row {row} (the header) has {len(names)} columns; expected 3: two numeric features, "
            f"then a label (a 4th is allowed only if named {SPLIT_COLUMN!r})"
        )
    return tuple(names)


def _check_row_count(n_rows: int) -> None:
    if n_rows < MIN_ROWS:
        rows = "1 data row" if n_rows == 1 else f"{n_rows} data rows"
        raise ValueError(f"the file has {rows}; at least {MIN_ROWS} are needed")
    if n_rows > MAX_ROWS:
        raise ValueError(f"the file has {n_rows:,} data rows; at most {MAX_ROWS:,} are allowed")


def _feature(text: str, where: str, decimal_comma: bool) -> float:
    lowered = text.lower()
    if lowered in _MISSING:
        shown = "(empty cell)" if not text else _show(text)
        raise ValueError(f"{where}: missing value {shown}; every feature must be a number")
    if lowered in _INFINITE:
        raise ValueError(f"{where}: infinite value {_show(text)}; features must be finite")
    value = _number(text, decimal_comma)
    if value is None:
        raise ValueError(f"{where}: {_show(text)} is not a number")
    if not math.isfinite(value):
        raise ValueError(f"{where}: {_show(text)} is too large (it overflows to infinity)")
    return value


def _read_body(
    body: list[tuple[int, list[str]]], names: tuple[str, ...], decimal_comma: bool
) -> tuple[Array, list[tuple[int, str]]]:
    """Features (n, 2) and (row, label text) pairs; checks every row's width and cells."""
    X = np.empty((len(body), 2))
    labels = []
    for i, (row, fields) in enumerate(body):
        if len(fields) != len(names):
            trailing = " (a delimiter at the end?)" if fields[-1] == "" else ""
            raise ValueError(
                f"row {row} has {len(fields)} columns{trailing}; expected {len(names)}: "
                + ", ".join(names)
            )
        for j in range(2):
            where = f"row {row}, column {j + 1} ({names[j]!r})"
            X[i, j] = _feature(fields[j], where, decimal_comma)
        if fields[2].lower() in _MISSING:
            shown = "(empty cell)" if not fields[2] else _show(fields[2])
            raise ValueError(f"row {row}, column 3 ({names[2]!r}): missing label {shown}")
        labels.append((row, fields[2]))
    return X, labels


def _natural_key(text: str) -> tuple:
    """Sort key putting "c2" before "c10": text parts case-folded, digit runs as numbers."""
    parts = re.split(r"(\d+)", text, flags=re.ASCII)
    return (*(int(p) if i % 2 else p.casefold() for i, p in enumerate(parts)), text)


def _label_keys(labels: list[tuple[int, str]], decimal_comma: bool) -> tuple[list, list]:
    """Each label's class key and the keys in class order.

    Labels that are all numbers are grouped and ordered by value ("1" and "1.0" are one
    class); otherwise by their text, in natural order.
    """
    values = [_number(text, decimal_comma) for _, text in labels]
    if all(v is not None and math.isfinite(v) for v in values):
        return values, sorted(set(values))
    texts = [text for _, text in labels]
    return texts, sorted(set(texts), key=_natural_key)


def _encode_labels(
    labels: list[tuple[int, str]], label_name: str, decimal_comma: bool
) -> tuple[Array, tuple[str, ...]]:
    """Labels as int64 codes 0..K-1 and the class names; checks the number and size of classes."""
    keys, ordered = _label_keys(labels, decimal_comma)
    rows: dict[object, list[int]] = {}
    spelling: dict[object, str] = {}
    for key, (row, text) in zip(keys, labels, strict=True):
        rows.setdefault(key, []).append(row)
        spelling.setdefault(key, text)  # a class's first spelling names it
    names = tuple(spelling[key] for key in ordered)
    where = f"column 3 ({label_name!r})"
    if len(names) < MIN_CLASSES:
        raise ValueError(f"{where} has only one class, {_show(names[0])}; need at least 2")
    if len(names) > MAX_CLASSES:
        shown = ", ".join(_show(name) for name in names[:MAX_CLASSES])
        raise ValueError(
            f"{where} has {len(names)} classes; at most {MAX_CLASSES} are supported ({shown}, …)"
        )
    for key in ordered:
        if len(rows[key]) < 2:
            raise ValueError(
                f"class {_show(spelling[key])} has only 1 row (row {rows[key][0]}); every class "
                "needs at least 2 rows so the train/test split can put one on each side"
            )
    code = {key: k for k, key in enumerate(ordered)}
    return np.array([code[key] for key in keys], dtype=np.int64), names


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
    ValueError
        Naming what is wrong and where: row (1-based file line), column and value.
    """
    text = _decode(data)
    delimiter = _choose_delimiter(text)
    decimal_comma = delimiter != ","
    rows = _read_rows(text, delimiter)
    if not rows:
        raise ValueError("the file is empty: it has no rows with values")
    header = rows[0] if _is_header(rows[0][1], decimal_comma) else None
    names = _column_names(header)
    body = rows[1:] if header else rows
    _check_row_count(len(body))
    X, labels = _read_body(body, names, decimal_comma)
    y, class_names = _encode_labels(labels, names[2], decimal_comma)
    X.flags.writeable = False
    y.flags.writeable = False
    return UploadedData(X, y, class_names, (names[0], names[1]), len(body))


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

"""Class labels of an upload: text or numbers, grouped into classes 0..K-1 in a stable order.

Labels that are all numbers are grouped by value ("1" and "1.0" are one class) and ordered
numerically; text labels are ordered naturally ("c2" before "c10"). Each class is named by its
first spelling in the file.
"""

from __future__ import annotations

import math
import re

import numpy as np

from core.exchange.csv_reading import parse_number
from core.exchange.echo import shown
from core.exchange.problems import Problems

__all__ = ["MAX_CLASSES", "MIN_CLASSES", "encode_labels"]

Array = np.ndarray
MIN_CLASSES = 2
MAX_CLASSES = 10


def _natural_key(text: str) -> tuple:
    """Sort key putting "c2" before "c10": text parts case-folded, digit runs as numbers."""
    parts = re.split(r"(\d+)", text, flags=re.ASCII)
    return (*(int(p) if i % 2 else p.casefold() for i, p in enumerate(parts)), text)


def _label_keys(labels: list[tuple[int, str]], decimal_comma: bool) -> tuple[list, list]:
    """Each label's class key and the keys in class order.

    Labels that are all numbers are grouped and ordered by value ("1" and "1.0" are one
    class); otherwise by their text, in natural order.
    """
    values = [parse_number(text, decimal_comma) for _, text in labels]
    if all(v is not None and math.isfinite(v) for v in values):
        return values, sorted(set(values))
    texts = [text for _, text in labels]
    return texts, sorted(set(texts), key=_natural_key)


def encode_labels(
    labels: list[tuple[int, str]], label_name: str, decimal_comma: bool, problems: Problems
) -> tuple[Array, tuple[str, ...]]:
    """Labels as int64 codes 0..K-1 and the class names; checks the number and size of classes.

    Parameters
    ----------
    labels : list of (int, str)
        Each data row's line number and label text.
    label_name : str
        The label column's name, for messages.
    decimal_comma : bool
        Whether ``1,5`` spells 1.5 (semicolon- or tab-separated files).
    problems : Problems
        Receives one class too few or too many, or every class with a single row.

    Returns
    -------
    codes : ndarray of shape (n_rows,)
        int64 class codes 0..K-1.
    class_names : tuple of str
        The first spelling of each class, in class order.
    """
    keys, ordered = _label_keys(labels, decimal_comma)
    rows: dict[object, list[int]] = {}
    spelling: dict[object, str] = {}
    for key, (row, text) in zip(keys, labels, strict=True):
        rows.setdefault(key, []).append(row)
        spelling.setdefault(key, text)  # a class's first spelling names it
    names = tuple(spelling[key] for key in ordered)
    where = f"column 3 ({shown(label_name)})"
    if len(names) < MIN_CLASSES:
        problems.add(f"{where} has only one class, {shown(names[0])}; need at least 2")
    elif len(names) > MAX_CLASSES:
        listed = ", ".join(shown(name) for name in names[:MAX_CLASSES])
        problems.add(
            f"{where} has {len(names):,} classes; at most {MAX_CLASSES} are supported ({listed}, …)"
        )
    else:
        for key in ordered:
            if len(rows[key]) < 2:
                problems.add(
                    f"class {shown(spelling[key])} has only 1 row (row {rows[key][0]}); every "
                    "class needs at least 2 rows so the train/test split can put one on each side"
                )
    code = {key: k for k, key in enumerate(ordered)}
    return np.array([code[key] for key in keys], dtype=np.int64), names

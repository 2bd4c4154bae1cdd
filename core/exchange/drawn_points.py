"""Points drawn by hand on the input plane, and their compact encoding for a link.

A drawn set is quantised as it is drawn: each coordinate of [-1, 1] to one of 256 levels (a
step of 2/255 ≈ 0.008, finer than a click can aim), each label to a byte (a class 0..9, or a
regression target on the same 256 levels of [-1, 1]). So the encoding is exact: a link restores
the very points that were drawn. The text is URL-safe base64 of one kind byte (``C`` classes,
``V`` values) and three bytes a point; ``LINK_POINTS`` points fit in a link (812 characters).
``decode`` checks the length before it decodes anything, so a hostile link cannot make it
allocate more than ``MAX_POINTS`` points' worth.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence

import numpy as np

__all__ = [
    "LEVELS",
    "LINK_POINTS",
    "MAX_CLASSES",
    "MAX_POINTS",
    "decode",
    "drawn_dataset",
    "encode",
    "encoded_chars",
    "from_level",
    "to_level",
]

Array = np.ndarray
LEVELS = 255  # a coordinate or value of [-1, 1] is one of LEVELS + 1 steps
LINK_POINTS = 200  # the most a share link carries
MAX_POINTS = 1000  # the most the canvas takes
MAX_CLASSES = 10
CLASSES, VALUES = b"C", b"V"


def encoded_chars(n_points: int) -> int:
    """Length of the encoding of ``n_points`` points (base64 without padding)."""
    n_bytes = 1 + 3 * n_points
    return (4 * n_bytes + 2) // 3


def to_level(value: float | Array) -> Array:
    """Quantise values of [-1, 1] (clipped) to integer levels 0..LEVELS."""
    scaled = (np.clip(np.asarray(value, dtype=float), -1.0, 1.0) + 1.0) / 2.0 * LEVELS
    return np.rint(scaled).astype(np.int64)


def from_level(level: int | Array) -> Array:
    """The value (float) of a level 0..LEVELS: -1 + 2·level/LEVELS."""
    return np.asarray(level, dtype=float) * (2.0 / LEVELS) - 1.0


def encode(points: Sequence[Sequence[int]], values: bool = False) -> str:
    """Encode drawn points given as levels ``(x_level, y_level, label)``; label is a class
    (0..9) or, with ``values``, a target level (0..255). Empty: ""."""
    rows = np.asarray(points, dtype=np.int64).reshape(-1, 3)
    if not len(rows):
        return ""
    if len(rows) > MAX_POINTS or rows.min() < 0 or rows[:, :2].max() > LEVELS:
        raise ValueError(f"need at most {MAX_POINTS} points of levels 0..{LEVELS}")
    if rows[:, 2].max() > (LEVELS if values else MAX_CLASSES - 1):
        raise ValueError(f"labels must be 0..{LEVELS if values else MAX_CLASSES - 1}")
    raw = (VALUES if values else CLASSES) + rows.astype(np.uint8).tobytes()
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode(text: str) -> tuple[Array, bool]:
    """The points of an encoding as levels (n, 3) int64, and whether labels are values.

    Raises ``ValueError`` (with a plain reason) for anything ``encode`` could not have
    written; the length is checked before decoding.
    """
    if not text:
        return np.zeros((0, 3), dtype=np.int64), False
    if len(text) > encoded_chars(MAX_POINTS):
        raise ValueError(f"more than {MAX_POINTS} points")
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise ValueError("not an encoding of drawn points") from None
    kind, body = raw[:1], raw[1:]
    if kind not in (CLASSES, VALUES) or len(body) % 3:
        raise ValueError("not an encoding of drawn points")
    rows = np.frombuffer(body, dtype=np.uint8).reshape(-1, 3).astype(np.int64)
    if kind == CLASSES and len(rows) and rows[:, 2].max() >= MAX_CLASSES:
        raise ValueError(f"class labels must be 0..{MAX_CLASSES - 1}")
    if encode(rows, kind == VALUES) != text:  # one spelling only: the canonical one
        raise ValueError("not an encoding of drawn points")
    return rows, kind == VALUES


def drawn_dataset(text: str) -> tuple[Array, Array]:
    """X (n, 2) and y (n,) of an encoding: int64 labels, or float64 targets."""
    rows, values = decode(text)
    X = from_level(rows[:, :2])
    return X, (from_level(rows[:, 2]) if values else rows[:, 2].copy())

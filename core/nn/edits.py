"""Weights and biases set by hand: read a typed number, name a parameter, apply, and spell it.

An ``Edit`` sets one parameter of an ``MLP``: ``W2[1,3]`` is the weight from unit 1 of the
layer below into unit 3 of hidden layer 2 (``weights[1][0, 2]``), ``b1[2]`` the bias of unit 2
of layer 1 (``biases[0][1]``): layers and units counted from 1 as the page shows them, the
output layer being the last. A share link carries the edits as one list, each with the epoch
it was made at (``edit=W2[1,3]:0.5;b1[2]:-1@300``: an ``@epoch`` stamps the edits since the
previous stamp; unstamped ones at the end apply after the link's training). Typed text is
parsed as a plain decimal number (never evaluated): anything else, NaN and overflowing values
are refused with a reason, and values beyond ±``EDIT_LIMIT`` are clamped.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from typing import Any

__all__ = [
    "EDIT_LIMIT",
    "MAX_EDITS",
    "Edit",
    "apply_edits",
    "format_edits",
    "parse_edits",
    "parse_value",
]

EDIT_LIMIT = 10.0  # |value| of a hand-set parameter: beyond it tanh and sigmoid are flat anyway
MAX_EDITS = 32  # a link carries at most this many (each is about a dozen characters)
MAX_TEXT = 40  # characters of one typed value
MAX_LINK_CHARS = MAX_EDITS * 24
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_EDIT = re.compile(r"(W|b)(\d{1,2})\[(\d{1,4})(?:,(\d{1,4}))?\]:([^@;]{1,40})(?:@(\d{1,6}))?")


@dataclass(frozen=True)
class Edit:
    """Set one parameter: ``kind`` "W" (weights[layer][row, col]) or "b" (biases[layer][row]),
    0-based indices; ``epoch`` is when it was made (None: after a link's training)."""

    kind: str
    layer: int
    row: int
    col: int | None
    value: float
    epoch: int | None = None

    @property
    def name(self) -> str:
        """The parameter, 1-based as the page shows it: ``W2[1,3]`` or ``b1[2]``."""
        if self.kind == "W":
            return f"W{self.layer + 1}[{self.row + 1},{self.col + 1}]"
        return f"b{self.layer + 1}[{self.row + 1}]"

    def check(self, layer_sizes: tuple[int, ...]) -> None:
        """``ValueError`` naming the bad index unless the parameter exists in the network."""
        n_layers = len(layer_sizes) - 1
        if self.kind not in ("W", "b"):
            raise ValueError(f"a parameter is W (a weight) or b (a bias), got {self.kind!r}")
        if not 0 <= self.layer < n_layers:
            raise ValueError(f"{self.name}: the network has weight layers 1..{n_layers}")
        fan_in, fan_out = layer_sizes[self.layer], layer_sizes[self.layer + 1]
        unit = self.col if self.kind == "W" else self.row
        if unit is None or not 0 <= unit < fan_out:
            raise ValueError(f"{self.name}: layer {self.layer + 1} has units 1..{fan_out}")
        if self.kind == "W" and not 0 <= self.row < fan_in:
            raise ValueError(f"{self.name}: the layer below has units 1..{fan_in}")
        if not (math.isfinite(self.value) and abs(self.value) <= EDIT_LIMIT):
            raise ValueError(f"{self.name}: values are −{EDIT_LIMIT:g}..{EDIT_LIMIT:g}")

    def current(self, model: Any) -> float:
        """The parameter's value in ``model`` now."""
        if self.kind == "W":
            return float(model.weights[self.layer][self.row, self.col])
        return float(model.biases[self.layer][self.row])


def parse_value(text: Any) -> tuple[float | None, str]:
    """A typed number, clamped to ±``EDIT_LIMIT``; never raises, never evaluates.

    Returns (value, note): value None when the text is refused (note says why), else the note
    is "" or says it was clamped. Accepts plain decimals with an optional exponent
    ("0.5", "-1", "2e-3", "−0.4" with a typographic minus); refuses words, "nan", "inf",
    hexadecimal, underscores and values beyond the float range ("1e309").
    """
    shown = str(text)[:MAX_TEXT]
    typed = str(text).strip().replace("\u2212", "-")
    if not typed:
        return None, "Type a number, e.g. 0.5 or -1."
    if len(typed) > MAX_TEXT:
        return None, f"“{shown}…” is too long for a number."
    if typed.lower().lstrip("+-") in ("nan", "inf", "infinity"):
        return None, f"“{shown}” is not a finite number: a weight must be one."
    if not _NUMBER.fullmatch(typed):
        return None, f"“{shown}” is not a number (write it as 0.5, -1 or 2e-3)."
    value = float(typed)
    if not math.isfinite(value):
        return None, f"“{shown}” is beyond the range of floating-point numbers."
    clamped = min(max(value, -EDIT_LIMIT), EDIT_LIMIT)
    if clamped != value:
        return clamped, f"{shown} is outside −{EDIT_LIMIT:g}..{EDIT_LIMIT:g}: set to {clamped:g}."
    return value, ""


def apply_edits(model: Any, edits: list[Edit]) -> None:
    """Set each parameter in ``model`` (an ``MLP``), in order; every edit is checked first,
    so a bad one changes nothing."""
    for edit in edits:
        edit.check(tuple(model.layer_sizes))
    for edit in edits:
        if edit.kind == "W":
            model.weights[edit.layer][edit.row, edit.col] = edit.value
        else:
            model.biases[edit.layer][edit.row] = edit.value


def _number_text(value: float) -> str:
    return str(int(value)) if value.is_integer() else repr(value)


def format_edits(edits: list[Edit]) -> str:
    """The link's spelling: ``W2[1,3]:0.5;b1[2]:-1@300`` (a stamp closes each epoch's group;
    ``repr`` of each value, so a link restores it exactly)."""
    parts = []
    for k, edit in enumerate(edits):
        text = f"{edit.name}:{_number_text(edit.value)}"
        after = edits[k + 1].epoch if k + 1 < len(edits) else object()
        if edit.epoch is not None and after != edit.epoch:
            text += f"@{edit.epoch}"
        parts.append(text)
    return ";".join(parts)


def parse_edits(text: Any, layer_sizes: tuple[int, ...]) -> tuple[list[Edit], list[str]]:
    """A link's edits for a network of ``layer_sizes``; never raises.

    Returns (edits in the order to apply them: by epoch, unstamped last; notices). Items that
    do not parse, name no parameter of this network or carry an unusable value are dropped
    with a notice; values beyond ±``EDIT_LIMIT`` are clamped; at most ``MAX_EDITS`` are read.
    """
    text, notices = str(text), []
    if len(text) > MAX_LINK_CHARS:
        return [], [f"“edit” was {len(text):,} characters long and was ignored."]
    items = [item.strip() for item in text.split(";") if item.strip()]
    if len(items) > MAX_EDITS:
        notices.append(f"“edit” named {len(items)} edits; the first {MAX_EDITS} were used.")
        items = items[:MAX_EDITS]
    edits, pending = [], []
    for item in items:
        match = _EDIT.fullmatch(item)
        if not match:
            notices.append(f"“edit”: “{item[:30]}” is not an edit such as W2[1,3]:0.5.")
            continue
        kind, layer, row, col, typed, stamp = match.groups()
        value, note = parse_value(typed)
        if value is None:
            notices.append(f"“edit”: {note}")
            continue
        if note:
            notices.append(f"“edit”: {note}")
        if (kind == "W") != (col is not None):
            notices.append(f"“edit”: “{item[:30]}”: a weight has two indices, a bias one.")
            continue
        edit = Edit(kind, int(layer) - 1, int(row) - 1, None if col is None else int(col) - 1,
                    value)  # fmt: skip
        try:
            edit.check(layer_sizes)
        except ValueError as error:
            notices.append(f"“edit”: {error}; it was ignored.")
            continue
        pending.append(edit)
        if stamp is not None:
            edits += [replace(e, epoch=int(stamp)) for e in pending]
            pending = []
    edits += pending
    order = sorted(range(len(edits)), key=lambda k: (edits[k].epoch is None, edits[k].epoch or 0))
    return [edits[k] for k in order], notices

"""Settings ↔ URL query parameters: the ``Field`` and ``Table`` records, and one codec for all.

A ``Field`` says where a setting lives (its attribute of a frozen settings dataclass), how a
link spells it (a short URL key), its default, what it may be, whether changing it needs a new
model, and the label and help of its widget; a ``Table`` is a page kind's fields with its
dataclass (the tables themselves are in ``core.settings``). ``to_query`` writes only what
differs from the defaults. ``from_query`` reads any mapping of strings (as a browser sends
them): it clamps numbers into range, snaps them to the offered levels, keeps the usable names
of a list, takes the last of repeated keys and ignores over-long values, with a plain notice
for each change. It never raises.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from core.exchange.drawn_points import decode

__all__ = ["KINDS", "MAX_VALUE_CHARS", "Field", "Table", "format_value", "from_query", "to_query"]

KINDS = ("one", "some", "levels", "range", "widths", "flag", "points")
FLAG_WORDS = dict.fromkeys(("1", "on", "true", "yes"), True) | dict.fromkeys(
    ("0", "off", "false", "no"), False
)
MAX_VALUE_CHARS = 100  # a longer URL value is junk (the longest real one has 35 characters)


@dataclass(frozen=True)
class Field:
    """One setting. ``kind`` says how its URL value is read:

    - ``one``: one of ``choices`` (names), exactly;
    - ``some``: comma-separated ``choices`` in the given order, at least ``min_count``;
    - ``levels``: a number, snapped to the nearest of ``choices`` on a log scale (``none_as``
      is the word for None, as "full" for the batch size);
    - ``range``: a number clamped to ``low``..``high`` and snapped to ``step`` (an int when
      ``step`` is);
    - ``widths``: comma-separated layer widths in ``low``..``high``, at most ``max_count``
      layers ("none": no hidden layer);
    - ``flag``: on or off, written 1 or 0 (on/off, true/false, yes/no are read too);
    - ``points``: points drawn by hand, as ``core.exchange.drawn_points`` encodes them (no
      widget: the page's canvas sets it). ``max_chars`` bounds what a link may carry; a longer
      value is left out of the URL.
    """

    name: str  # attribute of the settings dataclass
    key: str  # URL key
    default: object
    label: str
    kind: str
    choices: tuple = ()
    low: float = 0
    high: float = 0
    step: float = 1
    none_as: str | None = None
    min_count: int = 0
    max_count: int = 0
    resets_model: bool = True  # False: a running trainer takes the new value as it goes
    group: str = ""  # the heading the widget is drawn under
    help: str | None = None
    widget: str = ""  # "number": a number box instead of a slider
    max_chars: int = MAX_VALUE_CHARS  # the longest value a link carries for this setting
    labels: Mapping[str, str] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, got {self.kind!r}")

    def option_label(self, value: object) -> str:
        """How a widget names one of the choices."""
        return self.labels.get(value, str(value))


@dataclass(frozen=True)
class Table:
    """One page kind's settings: the dataclass, its fields, and how far a link may train."""

    name: str
    settings: type
    fields: tuple[Field, ...]
    epochs_key: str  # "train this many epochs before showing": only ever in a link
    max_epochs: int
    keyed_by_url: bool = False  # widgets keyed by URL key, not attribute (no clash in a session)

    def __getitem__(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    @property
    def keys(self) -> frozenset[str]:
        """Every URL key this table reads, the epochs included."""
        return frozenset({f.key for f in self.fields} | {self.epochs_key})

    def needs_reset(self, new: object, old: object) -> bool:
        """Whether going from settings ``old`` to ``new`` changes a field that resets the model."""
        return any(
            getattr(new, f.name) != getattr(old, f.name) for f in self.fields if f.resets_model
        )


# -- the codec --------------------------------------------------------------------------------
class _Unusable(ValueError):
    """A number that cannot be what the field counts; its message says why, for the notice.

    A "levels" field with a word for None (``none_as``: "full", every training point) counts
    points: anything but a whole number of at least 1 is unusable. Snapping 0 to the nearest
    level made ``batch=0`` batch 1, the costliest setting.
    """


def _counted(f: Field, text: str) -> str:
    """``text`` itself, unless ``f`` counts points and ``text`` is no such count."""
    if f.kind == "levels" and f.none_as and text != f.none_as:
        value = _number(text)
        if not (value >= 1 and value.is_integer()):
            raise _Unusable(f"a {f.label.lower()} is a whole number, at least 1")
    return text


def _number(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def _nearest(value: float, levels: Sequence[float]) -> float:
    # Levels span decades: nearest on a log scale; 0 (if offered) for anything ≤ 0.
    if value <= 0:
        return min(levels)
    positive = [c for c in levels if c > 0]
    return min(positive, key=lambda c: (abs(math.log10(c) - math.log10(value)), c))


def _some(f: Field, text: str) -> tuple[tuple[str, ...], list[str]]:
    parts = [] if text.lower() == "none" else [p.strip() for p in text.split(",") if p.strip()]
    kept, notes = [], []
    for part in parts:
        if part not in f.choices:
            notes.append(f"“{f.key}”: “{part[:20]}” is not an option here and was ignored.")
        elif part not in kept:
            kept.append(part)
    if len(kept) < f.min_count:
        notes.append(f"“{f.key}” named no usable option; using {format_value(f, f.default)}.")
        return f.default, notes
    return tuple(kept), notes


def _read(f: Field, text: str) -> tuple[object, list[str]]:
    """One value from (stripped) text and notes on what was dropped; ValueError or
    OverflowError when unusable."""
    if f.kind == "one":
        if text not in f.choices:
            raise ValueError(text)
        return text, []
    if f.kind == "some":
        return _some(f, text)
    if f.kind == "levels":
        return (None if text == f.none_as else _nearest(_number(text), f.choices)), []
    if f.kind == "points":
        decode(text)  # ValueError with the reason for anything encode could not have written
        return text, []
    if f.kind == "flag":
        if text.lower() not in FLAG_WORDS:
            raise ValueError(text)
        return FLAG_WORDS[text.lower()], []
    if f.kind == "range":
        clamped = min(max(_number(text), f.low), f.high)
        value = round(f.low + round((clamped - f.low) / f.step) * f.step, 10)
        return (int(value) if isinstance(f.step, int) else value), []
    if text.lower() in ("", "none", "0"):  # widths
        return (), []
    widths = [int(float(part)) for part in text.split(",")]
    return tuple(min(max(w, f.low), f.high) for w in widths[: f.max_count]), []


def format_value(f: Field, value: object) -> str:
    """A setting's value as its URL writes it."""
    if f.kind == "some":
        return ",".join(value)
    if f.kind == "widths":
        return ",".join(map(str, value)) if value else "none"
    if f.kind == "flag":
        return "1" if value else "0"
    if f.kind == "points":
        return value
    if value is None:
        return f.none_as or ""
    return f"{value:g}" if isinstance(value, float) else str(value)


def _adjusted(f: Field, text: str, value: object) -> bool:
    try:
        return float(text) != float(value)  # "0.030" is 0.03: nothing changed
    except (TypeError, ValueError):
        return text != format_value(f, value)


def to_query(settings: object, table: Table, epochs: int | None = None) -> dict[str, str]:
    """The URL parameters that describe ``settings``.

    Parameters
    ----------
    settings : an instance of ``table.settings``
    table : Table
        Its fields say which keys to write and how.
    epochs : int, optional
        Epochs the receiver should train before showing (written under ``table.epochs_key``).

    Returns
    -------
    dict of str to str
        URL key → value, for the settings that differ from the defaults only (the defaults
        give an empty query).
    """
    defaults = table.settings()
    params = {
        f.key: format_value(f, getattr(settings, f.name))
        for f in table.fields
        if getattr(settings, f.name) != getattr(defaults, f.name)
    }
    # Too long for a link (many drawn points): left out; the page says the data cannot travel.
    params = {k: v for k, v in params.items() if len(v) <= _by_key(table)[k].max_chars}
    if epochs:
        params[table.epochs_key] = str(int(epochs))
    return params


def _by_key(table: Table) -> dict[str, Field]:
    return {f.key: f for f in table.fields}


def _single(
    key: str, values: object, notices: list[str], max_chars: int = MAX_VALUE_CHARS
) -> str | None:
    if values is None:
        return None
    values = [values] if isinstance(values, str) else list(values)  # type: ignore[arg-type]
    if not values:
        return None
    if len(values) > 1:
        notices.append(f"“{key}” was given {len(values)} times; the last value was used.")
    value = str(values[-1])
    if len(value) > max_chars:
        notices.append(f"“{key}” was {len(value):,} characters long and was ignored.")
        return None
    return value.strip()


def _epochs(table: Table, text: str | None, notices: list[str]) -> int | None:
    if not text:
        return None
    shown = f"“{table.epochs_key}={text[:30]}”"
    try:
        epochs = int(min(max(_number(text), 0), table.max_epochs))
    except (ValueError, OverflowError):
        notices.append(f"{shown} is not a usable value; training starts at 0.")
        return None
    if str(epochs) != text:
        notices.append(f"{shown} was adjusted to {epochs}.")
    return epochs or None


def from_query(
    params: Mapping[str, str | Sequence[str]], table: Table, base: object | None = None
) -> tuple[object, int | None, list[str]]:
    """Settings from URL parameters; never raises.

    Parameters
    ----------
    params : mapping of str to str or sequence of str
        As a browser sends them (a repeated key gives a list: its last value counts).
    table : Table
        Which keys to read and what each may be. Keys of other tables are ignored silently:
        another page owns them.
    base : an instance of ``table.settings``, optional
        What a setting keeps when the link does not name it or names nothing usable
        (default: the table's defaults).

    Returns
    -------
    settings : an instance of ``table.settings``
    epochs : int or None
        Epochs to train before showing, 1..``table.max_epochs``.
    notices : list of str
        One plain sentence for each value that was clamped, snapped or dropped.
    """
    values = {f.name: getattr(base or table.settings(), f.name) for f in table.fields}
    notices: list[str] = []
    for f in table.fields:
        if (text := _single(f.key, params.get(f.key), notices, f.max_chars)) is None:
            continue
        shown = f"“{f.key}={text[:30]}”"
        try:
            value, notes = _read(f, _counted(f, text))
        except (ValueError, OverflowError) as error:
            kept = format_value(f, values[f.name]) or "none"
            why = f": {error}" if isinstance(error, _Unusable) else ""
            notices.append(f"{shown} is not a usable value{why}; using {kept}.")
            continue
        if notes:
            notices += notes
        elif _adjusted(f, text, value):
            notices.append(f"{shown} was adjusted to {format_value(f, value) or 'none'}.")
        values[f.name] = value
    epochs = _epochs(
        table, _single(table.epochs_key, params.get(table.epochs_key), notices), notices
    )
    return table.settings(**values), epochs, notices

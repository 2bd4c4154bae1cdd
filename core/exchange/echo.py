"""User text, bounded before it is echoed back in a message.

Uploads come from strangers: a label, a cell or a file name can be a megabyte long or hold
control characters that move the cursor or flip the reading direction. Whatever a message
repeats of them goes through here first: at most ``SHOWN_CHARS`` characters, the rest cut with
"…" and the original length stated, and characters that do not print (control characters,
bidirectional overrides) shown as Python escapes such as ``\\x00`` and ``\\u202e``. (Escaping
for a Markdown renderer is the page's job: ``pages._ui.text.plain_text``.)
"""

from __future__ import annotations

import reprlib
from typing import Any

__all__ = ["SHOWN_CHARS", "shorten", "shown"]

SHOWN_CHARS = 40


def _visible(char: str) -> str:
    # Not printable: control characters, and format characters such as U+202E, which would
    # make "exe.csv" display as "vsc.exe".
    return char if char.isprintable() else repr(char)[1:-1]


def shorten(text: str, limit: int = SHOWN_CHARS) -> str:
    """``text`` with control characters escaped, cut to ``limit`` characters plus "…".

    Parameters
    ----------
    text : str
    limit : int
        Characters kept, counted before escaping (an escape takes 4 or 6 characters).

    Returns
    -------
    str
        The text as it may be shown; if it was cut, it ends in "…".
    """
    text = str(text)
    kept = "".join(_visible(char) for char in text[:limit])
    return kept + "…" if len(text) > limit else kept


def shown(value: Any, limit: int = SHOWN_CHARS) -> str:
    """A value quoted for a message: ``'abc'``, or ``'abc…' (cut from 1,234 characters)``.

    Strings are quoted (as ``repr`` does); anything else (numbers, lists and objects from JSON)
    is described by a bounded ``repr`` that shows a few items of a few levels, so neither a
    megabyte of JSON array nor a 900-level nesting ever reaches a message. Integers of more
    than about ``limit`` digits are described by their length, since printing one is slow.
    """
    if isinstance(value, str):
        if len(value) <= limit:
            return repr(value)
        return f"{repr(value[:limit] + '…')} (cut from {len(value):,} characters)"
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 3 * limit:
        digits = len(str(abs(value))) if value.bit_length() < 14_000 else None
        return f"a {digits:,}-digit number" if digits else "a number with too many digits"
    return shorten(_BOUNDED.repr(value), limit)


_BOUNDED = reprlib.Repr()  # keyword arguments only from Python 3.12
_BOUNDED.maxlevel, _BOUNDED.maxlist, _BOUNDED.maxdict = 2, 4, 4
_BOUNDED.maxstring = _BOUNDED.maxother = _BOUNDED.maxlong = SHOWN_CHARS

r"""Showing user text on a page as text: Markdown and HTML in it are never rendered.

``st.error``, ``st.warning``, ``st.info``, ``st.success`` and ``st.markdown`` render their
string as Markdown (GitHub-flavoured, with Streamlit's ``:color[...]`` directives and ``$``
for LaTeX), so an uploaded label ``![](http://127.0.0.1:1/p)`` would become an image the
browser fetches, and ``[x](http://evil.example)`` a link. CommonMark lets a backslash escape
any ASCII punctuation character, which then shows as itself; ``plain_text`` escapes every one
of them (links, images, emphasis, headings, lists, tables, HTML tags and entities, directives
and math all start with one) and turns line breaks into spaces, so the text stays one
paragraph.

Escapes are not enough for GitHub's bare autolinks: ``http://…``, ``www.…`` and ``a@b.c``
become links after the escapes are resolved (remark-gfm finds them in the finished text;
tests/test_browser_uploads.py saw ``http\:\/\/127…`` rendered as a link). A WORD JOINER
(U+2060, invisible, zero width) after every ``:`` and ``@`` and inside ``www.`` breaks those
patterns, and Streamlit's ``:emoji:`` and ``:material/icon:`` shortcodes with them. Use it for
anything a user supplied (labels, cells, file names, link values) before it reaches one of
those elements.
"""

from __future__ import annotations

import re

__all__ = ["WORD_JOINER", "as_shown", "plain_text", "plural"]

# Every ASCII punctuation character, the set CommonMark allows to be backslash-escaped.
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_LINE_BREAK = re.compile(r"[\r\n]+")
_AUTOLINK = re.compile(r"([:@]|www(?=\.))", re.IGNORECASE)
WORD_JOINER = "\u2060"


def plain_text(text: object) -> str:
    """``text`` as Markdown that renders exactly as the characters it holds.

    >>> plain_text("[x](http://evil.example)").replace(WORD_JOINER, "|")
    '\\\\[x\\\\]\\\\(http\\\\:|\\\\/\\\\/evil\\\\.example\\\\)'
    """
    joined = _AUTOLINK.sub(rf"\1{WORD_JOINER}", _LINE_BREAK.sub(" ", str(text)))
    return _PUNCTUATION.sub(r"\\\1", joined)


def as_shown(markdown: str) -> str:
    """The characters a reader sees for Markdown that ``plain_text`` made: its escapes
    resolved and its joiners dropped (how a test reads a notice).

    >>> as_shown(plain_text("seed=[x](http://evil.example)"))
    'seed=[x](http://evil.example)'
    """
    return _ESCAPED.sub(r"\1", markdown).replace(WORD_JOINER, "")


def plural(count: int, noun: str) -> str:
    """A count and its noun, singular for one.

    >>> plural(1, "unit"), plural(8, "unit")
    ('1 unit', '8 units')
    """
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"

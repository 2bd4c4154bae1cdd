"""Showing user text on a page as text: Markdown and HTML in it are never rendered.

``st.error``, ``st.warning``, ``st.info``, ``st.success`` and ``st.markdown`` render their
string as Markdown (GitHub-flavoured, with Streamlit's ``:color[...]`` directives and ``$``
for LaTeX), so an uploaded label ``![](http://127.0.0.1:1/p)`` would become an image the
browser fetches, and ``[x](http://evil.example)`` a link. CommonMark lets a backslash escape
any ASCII punctuation character, which then shows as itself; ``plain_text`` escapes every one
of them (links, images, emphasis, headings, lists, tables, HTML tags and entities, autolinks
such as ``http://`` and ``www.``, directives and math all start with one) and turns line breaks
into spaces, so the text stays one paragraph. Use it for anything a user supplied (labels,
cells, file names, link values) before it reaches one of those elements.
"""

from __future__ import annotations

import re

__all__ = ["plain_text"]

# Every ASCII punctuation character, the set CommonMark allows to be backslash-escaped.
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_LINE_BREAK = re.compile(r"[\r\n]+")


def plain_text(text: object) -> str:
    """``text`` as Markdown that renders exactly as the characters it holds.

    >>> plain_text("[x](http://evil.example)")
    '\\\\[x\\\\]\\\\(http\\\\:\\\\/\\\\/evil\\\\.example\\\\)'
    """
    return _PUNCTUATION.sub(r"\\\1", _LINE_BREAK.sub(" ", str(text)))

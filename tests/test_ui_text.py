"""``pages._ui.text.plain_text``: user text as Markdown that shows exactly its characters."""

from __future__ import annotations

import re
import string

from hypothesis import given
from hypothesis import strategies as st

from pages._ui.text import WORD_JOINER, as_shown, plain_text


def _read(markdown: str) -> str:
    """What CommonMark shows for ``markdown``'s backslash escapes (and the joiners' nothing)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown).replace(WORD_JOINER, "")


def _unescaped_punctuation(markdown: str) -> list[str]:
    found, i = [], 0
    while i < len(markdown):
        if markdown[i] == "\\":
            i += 2
            continue
        if markdown[i] in string.punctuation:
            found.append(markdown[i])
        i += 1
    return found


@given(st.text(alphabet=string.printable + "éß中🙂\u202e", max_size=80))
def test_every_punctuation_character_is_escaped_and_reads_back(text):
    markdown = plain_text(text)
    assert _unescaped_punctuation(markdown) == []
    assert _read(markdown) == re.sub(r"[\r\n]+", " ", text)  # one paragraph, same characters
    assert as_shown(markdown) == _read(markdown)
    assert "\n" not in markdown


def test_links_images_html_and_math_are_escaped():
    assert plain_text("[x](http://e.example)") == (rf"\[x\]\(http\:{WORD_JOINER}\/\/e\.example\)")
    assert plain_text("![](p)") == r"\!\[\]\(p\)"
    assert plain_text("<img src=x>") == r"\<img src\=x\>"
    assert plain_text("$x$ **b** `c` # h") == r"\$x\$ \*\*b\*\* \`c\` \# h"


def test_bare_autolinks_and_shortcodes_are_broken_by_an_invisible_joiner():
    # remark-gfm links these after the escapes are resolved, so escaping alone is not enough.
    for text, joined in [
        ("www.e.example", f"www{WORD_JOINER}\\.e"),
        ("WWW.e.example", f"WWW{WORD_JOINER}\\."),
        ("me@e.example", f"me\\@{WORD_JOINER}e"),
        ("https://e.example", f"https\\:{WORD_JOINER}\\/\\/"),
        (":smile: :red[x]", f"\\:{WORD_JOINER}smile\\:{WORD_JOINER} \\:{WORD_JOINER}red\\["),
    ]:
        assert joined in plain_text(text), plain_text(text)

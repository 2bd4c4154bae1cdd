"""pages/_ui/stage_table.py: the stage table's HTML, a row per layer, every value labelled with
its column (what a phone shows, one card per layer) and escaped."""

from __future__ import annotations

import re
from html import unescape

from pages._ui.stage_table import stage_table_html


def _cells(html: str) -> list[list[tuple[str, str]]]:
    rows = re.findall(r"<tr>(.*?)</tr>", html.split("<tbody>")[1])
    return [
        [(unescape(label), unescape(text)) for label, text in
         re.findall(r'<t[hd] data-label="([^"]*)">(.*?)</t[hd]>', row)]
        for row in rows
    ]  # fmt: skip


def test_every_value_sits_under_its_columns_name_and_missing_ones_are_empty():
    summary = [
        {"layer": "1 (2→8)", "rotate by Vᵀ": "63.4°", "stretch by Σ": "s₁ = 1.6"},
        {"layer": "2 (8→2)", "rotate by Vᵀ": "153.1°", "reflect": "mirror axis 8"},
    ]
    html = stage_table_html(summary)
    heads = re.findall(r'<th scope="col">(.*?)</th>', html)
    assert heads == ["layer", "rotate by Vᵀ", "stretch by Σ", "reflect"]
    assert _cells(html) == [
        [("layer", "1 (2→8)"), ("rotate by Vᵀ", "63.4°"), ("stretch by Σ", "s₁ = 1.6"),
         ("reflect", "")],
        [("layer", "2 (8→2)"), ("rotate by Vᵀ", "153.1°"), ("stretch by Σ", ""),
         ("reflect", "mirror axis 8")],
    ]  # fmt: skip
    assert html.count("<tbody><tr><th ") == 1  # each row's layer is its heading


def test_text_is_escaped_never_markup():
    html = stage_table_html([{"layer": '<img src=x onerror="1">', 'a"b': "<b>&</b>"}])
    assert "<img" not in html and "<b>" not in html
    assert _cells(html) == [[("layer", '<img src=x onerror="1">'), ('a"b', "<b>&</b>")]]

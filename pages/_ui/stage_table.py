"""The Transform page's stage table as HTML that reads on a phone.

``st.table`` keeps its columns side by side: at 390 px the eight columns of a layer (its
reflection, two turns, the stretch, the shift, the bend and what the bend did) ran past the
right edge. This table is a plain table on a wide screen and, below 640 px
(``assets/style.css``), one card per layer with every value under its column's name. Every
cell is escaped: the numbers come from ``core.labs.network_stages.stage_summary``, never from
user text, but nothing here relies on that.
"""

from __future__ import annotations

from html import escape

__all__ = ["stage_table_html"]


def stage_table_html(summary: list[dict[str, str]]) -> str:
    """``stage_summary`` rows as one table: a row per layer, its first column (the layer) as
    the row's heading, a missing value as an empty cell."""
    columns = list(dict.fromkeys(column for row in summary for column in row))
    head = "".join(f'<th scope="col">{escape(column)}</th>' for column in columns)
    rows = []
    for row in summary:
        cells = [
            f'<{tag} data-label="{escape(column)}">{escape(str(row.get(column) or ""))}</{tag}>'
            for column, tag in zip(columns, ["th"] + ["td"] * (len(columns) - 1), strict=True)
        ]
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return (
        '<div class="sw-stages" data-testid="stage-table"><table>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )

"""The offline HTML export: one self-explaining page that plays a figure without a network.

The page carries a title, the run's facts (settings, epoch, accuracy), the stage table and the
figure. Nothing is fetched when it opens: plotly.js (from the plotly package, 4.8 MB minified)
is stored zlib-compressed as base64 and inflated by the browser's own ``DecompressionStream``
(Chromium 80+, Firefox 113+, Safari 16.4+), and the figure's float64 arrays are written as
float32 typed arrays (a picture needs 7 digits, not 16). The default Transform run went from
6.6 MB to about 3 MB this way; the bundle alone is 1.96 MB of it.
"""

from __future__ import annotations

import base64
import functools
import json
import zlib
from collections.abc import Mapping, Sequence
from html import escape
from pathlib import Path
from typing import Any

import numpy as np
import plotly
import plotly.graph_objects as go
import plotly.io as pio

__all__ = ["FIGURE_DIV_ID", "figure_html"]

FIGURE_DIV_ID = "spacewarp-figure"  # fixed, so the same figure gives the same page
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
STYLE = (
    "body{font-family:system-ui,sans-serif;color:#1f1d2e;max-width:1100px;margin:2rem auto;"
    "padding:0 1rem}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}"
    "dt{color:#6b6880}dd{margin:0}table{border-collapse:collapse;font-size:.85rem}"
    "td,th{border:1px solid #ddd;padding:.25rem .5rem;text-align:left}"
    f"#{FIGURE_DIV_ID}{{min-height:600px}}"
)
# Inflate plotly.js, run it as a script (global scope, no request), then draw and add frames.
LOADER = """(async () => {
  const packed = document.getElementById("plotly-js").textContent.trim();
  const bytes = Uint8Array.from(atob(packed), (c) => c.charCodeAt(0));
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
  const script = document.createElement("script");
  script.textContent = await new Response(stream).text();
  document.head.appendChild(script);
  const figure = JSON.parse(document.getElementById("figure-json").textContent);
  const div = document.getElementById("%s");
  await Plotly.newPlot(div, figure.data, figure.layout, {displayModeBar: false});
  if (figure.frames) await Plotly.addFrames(div, figure.frames);
})();"""


@functools.cache
def _packed_plotly() -> str:
    """plotly.js, zlib-compressed and base64-encoded (1.3 s to compress: once per process)."""
    return base64.b64encode(zlib.compress(PLOTLY_JS.read_bytes(), 9)).decode("ascii")


def _float32(value: Any) -> Any:
    """The figure's JSON with every float64 typed array (``{"dtype": "f8", "bdata": …}``)
    rewritten as float32: half the bytes, no visible difference."""
    if isinstance(value, dict):
        if value.get("dtype") == "f8" and isinstance(value.get("bdata"), str):
            data = np.frombuffer(base64.b64decode(value["bdata"]), dtype="<f8")
            packed = base64.b64encode(data.astype("<f4").tobytes()).decode("ascii")
            return {**value, "dtype": "f4", "bdata": packed}
        return {key: _float32(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_float32(item) for item in value]
    return value


def _facts(facts: Mapping[str, Any]) -> str:
    rows = "".join(f"<dt>{escape(str(k))}</dt><dd>{escape(str(v))}</dd>" for k, v in facts.items())
    return f"<dl>{rows}</dl>" if rows else ""


def _table(rows: Sequence[Mapping[str, Any]]) -> str:
    if not rows:
        return ""
    columns = list(dict.fromkeys(key for row in rows for key in row))
    head = "".join(f"<th>{escape(str(c))}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(str(row.get(c, '') or ''))}</td>" for c in columns) + "</tr>"
        for row in rows
    )
    return f"<h2>Stages</h2><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def figure_html(
    figure: go.Figure,
    *,
    title: str = "Spacewarp",
    description: str = "",
    facts: Mapping[str, Any] | None = None,
    table: Sequence[Mapping[str, Any]] = (),
) -> str:
    """A standalone HTML page of ``figure`` that works offline, frames and Play included.

    Parameters
    ----------
    figure : the figure; its animation waits for Play.
    title : the page's ``<title>`` and heading.
    description : one paragraph under the heading saying what the figure shows.
    facts : label → value pairs (settings, epoch, accuracy), shown as a list.
    table : rows (column → text), shown as a table under the figure (the stage table).

    Every text is HTML-escaped; the figure JSON has ``<`` escaped so it cannot end its
    ``<script>`` element early.
    """
    spec = _float32(json.loads(pio.to_json(figure, validate=False)))
    figure_json = json.dumps(spec, separators=(",", ":")).replace("<", "\\u003c")
    paragraph = f"<p>{escape(description)}</p>" if description else ""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>"
        f"<h1>{escape(title)}</h1>{paragraph}{_facts(facts or {})}"
        f'<div id="{FIGURE_DIV_ID}"></div>{_table(table)}'
        f'<script id="plotly-js" type="application/octet-stream">{_packed_plotly()}</script>'
        f'<script id="figure-json" type="application/json">{figure_json}</script>'
        f"<script>{LOADER % FIGURE_DIV_ID}</script></body></html>\n"
    )

"""The offline HTML export: one self-explaining page that plays a figure without a network.

The page carries a title, the run's facts (settings, epoch, accuracy), the stage table and the
figure. Nothing is fetched when it opens: plotly.js and the figure are stored gzip-compressed
as base64 and inflated by the browser's own ``DecompressionStream`` (Chromium 80+, Firefox
113+, Safari 16.4+). Three things keep the page small (the default Transform run: 3.48 MB
before, about 1.8 MB now):

- the smallest official plotly.js bundle that draws the figure: the gl3d one (``vendor/``,
  0.74 MB packed: scatter, scatter3d, mesh3d, surface, ...) when every trace is of its types,
  else the full one from the plotly package (1.96 MB packed);
- float arrays written as float32 with their mantissa rounded to 12 significant bits
  (relative error ≤ 2⁻¹², under a tenth of a pixel on a 1,000-pixel picture of the plane):
  rounded bits compress, so the figure packs to about two thirds of its float32 size;
- the figure JSON compressed too.
"""

from __future__ import annotations

import base64
import functools
import gzip
import json
from collections.abc import Mapping, Sequence
from html import escape
from pathlib import Path
from typing import Any

import numpy as np
import plotly
import plotly.graph_objects as go
import plotly.io as pio

__all__ = ["FIGURE_DIV_ID", "bundle_for", "figure_html", "trace_types"]

FIGURE_DIV_ID = "spacewarp-figure"  # fixed, so the same figure gives the same page
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
GL3D_JS = Path(__file__).parent / "vendor" / "plotly-gl3d.min.js.gz"  # gzip of the npm bundle
GL3D_TRACES = frozenset(
    ("cone", "isosurface", "mesh3d", "scatter", "scatter3d", "streamtube", "surface", "volume")
)
SIGNIFICANT_BITS = 12  # of a float32's 24: 1 implicit + 11 stored
STYLE = (
    "body{font-family:system-ui,sans-serif;color:#1f1d2e;max-width:1100px;margin:2rem auto;"
    "padding:0 1rem}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}"
    "dt{color:#6b6880}dd{margin:0}table{border-collapse:collapse;font-size:.85rem}"
    "td,th{border:1px solid #ddd;padding:.25rem .5rem;text-align:left}"
    f"#{FIGURE_DIV_ID}{{min-height:600px}}"
)
# Inflate plotly.js, run it as a script (global scope, no request), then inflate the figure,
# draw it and add its frames.
LOADER = """(async () => {
  const inflate = (id) => {
    const packed = document.getElementById(id).textContent.trim();
    const bytes = Uint8Array.from(atob(packed), (c) => c.charCodeAt(0));
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text();
  };
  const script = document.createElement("script");
  script.textContent = await inflate("plotly-js");
  document.head.appendChild(script);
  const figure = JSON.parse(await inflate("figure-json"));
  const div = document.getElementById("%s");
  await Plotly.newPlot(div, figure.data, figure.layout, {displayModeBar: false});
  if (figure.frames) await Plotly.addFrames(div, figure.frames);
})();"""


def _pack(data: bytes) -> str:
    """gzip (no timestamp, so the same input gives the same page), then base64."""
    return base64.b64encode(gzip.compress(data, 9, mtime=0)).decode("ascii")


@functools.cache
def _packed_plotly(bundle: str) -> str:
    """A plotly.js bundle ("gl3d" or "full"), packed (1.3 s to compress the full one: once
    per process)."""
    if bundle == "gl3d":
        return base64.b64encode(GL3D_JS.read_bytes()).decode("ascii")
    return _pack(PLOTLY_JS.read_bytes())


def trace_types(spec: Mapping[str, Any]) -> set[str]:
    """Every trace type of a figure's JSON, its frames' included (a trace without one is a
    scatter, as in plotly.js)."""
    traces = [
        *spec.get("data", ()),
        *(t for f in spec.get("frames", ()) for t in f.get("data", ())),
    ]
    return {trace.get("type", "scatter") for trace in traces}


def bundle_for(spec: Mapping[str, Any]) -> str:
    """ "gl3d" when that bundle draws every trace of the figure, else "full"."""
    return "gl3d" if trace_types(spec) <= GL3D_TRACES else "full"


def _rounded(data: np.ndarray) -> np.ndarray:
    """float32 of ``data`` with the mantissa rounded to ``SIGNIFICANT_BITS`` (to nearest);
    NaN and infinities as they are."""
    values = data.astype("<f4")
    drop = 24 - SIGNIFICANT_BITS
    bits = values.view("<u4").astype(np.uint64) + (1 << (drop - 1))
    rounded = (bits & ~np.uint64((1 << drop) - 1)).astype("<u4").view("<f4")
    return np.where(np.isfinite(values) & np.isfinite(rounded), rounded, values)


def _float32(value: Any) -> Any:
    """The figure's JSON with every float typed array (``{"dtype": "f8", "bdata": …}``, or
    "f4") rewritten as rounded float32 (``_rounded``): fewer bytes, no visible difference."""
    if isinstance(value, dict):
        dtype = value.get("dtype")
        if dtype in ("f4", "f8") and isinstance(value.get("bdata"), str):
            data = np.frombuffer(base64.b64decode(value["bdata"]), dtype=f"<{dtype}")
            packed = base64.b64encode(_rounded(data).tobytes()).decode("ascii")
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

    Every text is HTML-escaped; the figure JSON and plotly.js are stored as base64, which
    cannot end their ``<script>`` elements early.
    """
    spec = _float32(json.loads(pio.to_json(figure, validate=False)))
    figure_json = json.dumps(spec, separators=(",", ":")).encode()
    paragraph = f"<p>{escape(description)}</p>" if description else ""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>"
        f"<h1>{escape(title)}</h1>{paragraph}{_facts(facts or {})}"
        f'<div id="{FIGURE_DIV_ID}"></div>{_table(table)}'
        f'<script id="plotly-js" type="application/octet-stream">'
        f"{_packed_plotly(bundle_for(spec))}</script>"
        f'<script id="figure-json" type="application/octet-stream">{_pack(figure_json)}</script>'
        f"<script>{LOADER % FIGURE_DIV_ID}</script></body></html>\n"
    )

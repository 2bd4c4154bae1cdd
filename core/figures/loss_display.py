"""Loss values ready to draw, and the look shared by every figure of the Loss-surface page.

``display_values`` clips non-finite or overflowing losses to a finite ceiling (never NaN) and,
on a log scale, takes log10 with ticks labelled by the loss itself (0.01, 0.1, 1), not its
logarithm. The colour scale, legend placement, fonts and fixed axis ranges live here too, so
the surface figures (``core.figures.landscape``) and the optimizer race (``core.figures.race``)
look alike without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from core.render.theme import INK, figure_layout, rgba

__all__ = [
    "COLORSCALE",
    "LINE_2D",
    "Display",
    "display_values",
    "fix_axes",
    "log_ticks",
    "style_figure",
]

Array = np.ndarray
# Light valleys, dark peaks, in the theme's muted ink hues: the optimizers' coloured paths stay
# visible on every part of the ground.
COLORSCALE = [
    [0.0, "#fcfcfe"],
    [0.3, "#dedcea"],
    [0.6, "#a9a5c4"],
    [0.85, "#6b6890"],
    [1.0, "#3b3856"],
]
# A display ceiling of 10× the 95th percentile keeps the shape of an ordinary surface (no
# clipping) while a few overflowing corners (1e300) cannot flatten everything else to one colour.
CLIP_FACTOR = 10.0
MAX_SHOWN = 1e30  # far below float32's limit: the figures send float32 arrays
LOG_FLOOR = 1e-8  # log scale: values below ceiling × this are drawn at the floor
LEGEND_ON_TOP = {"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0.0}
LINE_2D = {"width": 0.5, "color": rgba(INK, 0.25)}  # iso-loss lines over the ground


@dataclass(frozen=True)
class Display:
    """Values ready to draw: ``z`` (finite float32, loss or log10 loss) and colour-bar ticks."""

    z: Array
    tickvals: Array | None
    ticktext: list[str] | None
    ceiling: float
    n_clipped: int
    log_scale: bool

    def transform(self, values: Array) -> Array:
        """Map more loss values (e.g. a path's) the same way as the surface."""
        return _transform(values, self.ceiling, self.log_scale)


def _transform(values: Array, ceiling: float, log_scale: bool) -> Array:
    # NaN and overflow go to the ceiling, never to NaN; losses are ≥ 0.
    clipped = np.clip(np.nan_to_num(values, nan=ceiling, posinf=ceiling), 0.0, ceiling)
    return np.log10(np.maximum(clipped, ceiling * LOG_FLOOR)) if log_scale else clipped


def display_values(values: Array, log_scale: bool = False) -> Display:
    """Clip a loss array for display and, with ``log_scale``, take log10 with honest ticks."""
    values = np.asarray(values, dtype=float)
    finite = values[np.isfinite(values)]
    ceiling = 1.0
    if finite.size:
        typical = np.percentile(finite, 95, method="lower")  # an actual value, never a blend
        ceiling = float(min(finite.max(), CLIP_FACTOR * typical, MAX_SHOWN))
    ceiling = max(ceiling, 1e-12)  # a flat zero surface still has a usable log floor
    n_clipped = int(np.count_nonzero(~(values <= ceiling)))
    z = _transform(values, ceiling, log_scale)
    if not log_scale:
        return Display(z.astype(np.float32), None, None, ceiling, n_clipped, False)
    ticks = log_ticks(10.0 ** float(z.min()), 10.0 ** float(z.max()))
    ticktext = [f"{tick:.3g}" for tick in ticks]
    return Display(z.astype(np.float32), np.log10(ticks), ticktext, ceiling, n_clipped, True)


def log_ticks(low: float, high: float) -> Array:
    """Round values in [low, high] for a log axis: 1, 10, 100; with 2 and 5 between when under
    four decades; two-digit values spread evenly when that still gives fewer than three."""
    low = max(low, 1e-300)
    high = max(high, low)
    ticks = 10.0 ** np.arange(np.floor(np.log10(low)), np.ceil(np.log10(high)) + 1)
    if len(ticks) <= 5:
        ticks = np.outer(ticks, [1, 2, 5]).ravel()
    ticks = ticks[(ticks >= low * (1 - 1e-9)) & (ticks <= high * (1 + 1e-9))]
    if len(ticks) < 3:
        ticks = np.unique([float(f"{value:.2g}") for value in np.geomspace(low, high, 5)])
    return ticks


def style_figure(figure: go.Figure, height: int, **layout) -> go.Figure:
    """The Loss-surface page's look on ``figure`` (in place, and returned): fonts, white
    background, slim margins and the legend on top; ``layout`` overrides any of them."""
    defaults = {"margin": {"l": 10, "r": 10, "t": 30, "b": 10}, "legend": LEGEND_ON_TOP}
    return figure.update_layout(**figure_layout(height, 13, **{**defaults, **layout}))


def fix_axes(figure: go.Figure, x: Array, y: Array, titles: tuple[str, str], **where) -> None:
    """Title the x and y axes and fix their ranges to the grid ``x`` (n_x,) × ``y`` (n_y,), so
    nothing rescales while a race plays; ``where`` picks a subplot (``row=1, col=2``)."""
    figure.update_xaxes(title={"text": titles[0]}, range=[float(x[0]), float(x[-1])], **where)
    figure.update_yaxes(title={"text": titles[1]}, range=[float(y[0]), float(y[-1])], **where)

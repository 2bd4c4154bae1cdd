"""Drawing primitives of the NumPy rasteriser: colours, shade tables, resampling, discs, lines.

``core.render.raster`` composes whole pictures (decision boundaries, neuron maps, representations,
linear regions) and ``core.figures.race`` paints the race's ground; the pixel-level work they
share lives here, so each picture builder reads as a short recipe. Images are float32 (H, W, 3)
in 0..255 while being painted and become uint8 only at the end (``to_uint8``). Pixel (row i,
column j) is centred at continuous coordinates (i, j); discs and lines are anti-aliased by
coverage.
"""

from __future__ import annotations

import numpy as np

from core.render.theme import BACKGROUND, CLASS_COLORS, GRID_COLOR, INK, hex_to_rgb

__all__ = [
    "DARK",
    "LINE",
    "PALETTE",
    "WHITE",
    "draw_discs",
    "draw_polylines",
    "region_colors",
    "to_uint8",
    "unit_colors",
    "upsample",
]

Array = np.ndarray

PALETTE = np.array([hex_to_rgb(c) for c in CLASS_COLORS], dtype=np.float32)
WHITE = np.array(hex_to_rgb(BACKGROUND), dtype=np.float32)
DARK = np.array(hex_to_rgb(INK), dtype=np.float32)
LINE = np.array(hex_to_rgb(GRID_COLOR), dtype=np.float32)
# Playground paints its heat map at opacity 160/255 over white: light enough for the points to
# stay readable, saturated enough for the regions to read at a glance.
SHADE = 160 / 255
LEVELS = 256  # quantised shades per class colour: finer than the eye can tell apart
SHADES = WHITE + np.linspace(0, SHADE, LEVELS, dtype=np.float32)[:, None] * (
    PALETTE[:, None] - WHITE
)
NEURON_SHADE = 0.9
POINT_RADIUS, RING_WIDTH = 2.5, 1.0  # pixels: the fill, then a ring out to 3.5
LINE_ALPHA = 0.55
LINE_SPACING = 0.5  # pixels between samples along a polyline: dense enough to look continuous


def to_uint8(image: Array) -> Array:
    """A painted float image (0..255) as uint8, rounded to the nearest level."""
    return np.clip(image + 0.5, 0, 255).astype(np.uint8)


def _sample_positions(n_in: int, n_out: int) -> tuple[Array, Array]:
    """Left neighbour (n_out,) and its weight's complement (n_out,) float32 for every output
    pixel's centre, the first and last input values sitting on the picture's two edges."""
    position = (np.arange(n_out) + 0.5) * (n_in - 1) / n_out
    index = np.minimum(position.astype(np.intp), n_in - 2)
    return index, (position - index).astype(np.float32)


def upsample(grid: Array, shape: tuple[int, int]) -> Array:
    """Bilinear resampling of values (r, c, ...) on a grid to a picture (shape[0], shape[1], ...).

    The grid samples a box corner to corner (as ``np.linspace`` does); the picture covers the
    same box, and each pixel takes the value at its centre. Returns float32.
    """
    rows, row_frac = _sample_positions(grid.shape[0], shape[0])
    cols, col_frac = _sample_positions(grid.shape[1], shape[1])
    trailing = (None,) * (grid.ndim - 2)  # broadcast the weights over the value axes
    col_frac, row_frac = (
        col_frac[(slice(None), *trailing)],
        row_frac[(slice(None), None, *trailing)],
    )
    grid = grid.astype(np.float32)
    across = grid[:, cols] * (1 - col_frac) + grid[:, cols + 1] * col_frac
    return across[rows] * (1 - row_frac) + across[rows + 1] * row_frac


def region_colors(probs: Array) -> Array:
    """Background (H, W, 3): the winning class's colour, lightened by how sure the model is."""
    n_classes = probs.shape[-1]
    if n_classes == 2:  # orange at p=0, white at p=0.5, blue at p=1, like Playground
        winner = (probs[..., 1] >= 0.5).astype(np.intp)
        sure = np.abs(2 * probs[..., 1] - 1)
    else:
        winner = np.argmax(probs, axis=-1)
        top = np.take_along_axis(probs, winner[..., None], axis=-1)[..., 0]
        sure = (top - 1 / n_classes) * (n_classes / (n_classes - 1))
    # A table lookup is several times faster than blending every pixel.
    level = np.clip(sure * (LEVELS - 1) + 0.5, 0, LEVELS - 1).astype(np.intp)
    return np.take(SHADES.reshape(-1, 3), (winner % len(PALETTE)) * LEVELS + level, axis=0)


def _disc_stamps(centres: Array, shape: tuple, outer: float) -> tuple[Array, ...]:
    """Pixels near each centre: flat index, disc number and distance, each (n_hits,)."""
    reach = int(np.ceil(outer + 1)) - 1  # a pixel k from the rounded centre is ≥ k - 0.5 off
    offsets = np.arange(-reach, reach + 1)
    base = np.rint(centres).astype(np.intp)
    rows = base[:, 1, None, None] + offsets[None, :, None]  # (n, k, 1)
    cols = base[:, 0, None, None] + offsets[None, None, :]  # (n, 1, k)
    distance = np.hypot(rows - centres[:, 1, None, None], cols - centres[:, 0, None, None])
    hit = (distance < outer + 0.5) & (rows >= 0) & (rows < shape[0])
    hit &= (cols >= 0) & (cols < shape[1])
    disc, r, c = np.nonzero(hit)
    return rows[disc, r, 0] * shape[1] + cols[disc, 0, c], disc, distance[disc, r, c]


def draw_discs(
    image: Array,
    centres: Array,
    fills: Array,
    ring: Array,
    radius: float = POINT_RADIUS,
    ring_width: float = RING_WIDTH,
) -> None:
    """Paint ringed discs into a float image (H, W, 3) in place, later discs on top.

    ``centres`` (n, 2) are pixel coordinates (column, row); non-finite rows are skipped.
    ``fills`` (n, 3) or (3,) colour each disc; ``ring`` (3,) is the colour of the ring of
    width ``ring_width`` around every fill of radius ``radius``.
    """
    fills = np.broadcast_to(np.asarray(fills, dtype=np.float32), (len(centres), 3))
    keep = np.isfinite(centres).all(axis=1)
    centres, fills = centres[keep].astype(np.float32), fills[keep]
    outer = radius + ring_width
    flat, disc, distance = _disc_stamps(centres, image.shape, outer)
    cover = np.clip(outer + 0.5 - distance, 0.0, 1.0)
    # One owner per pixel, so the writes below never collide: the last disc covering the pixel
    # by at least half, else the last one whose faint anti-aliased fringe touches it.
    score = disc + len(centres) * (cover >= 0.5)
    owner = np.full(image.shape[0] * image.shape[1], -1, dtype=np.intp)
    np.maximum.at(owner, flat, score)
    mine = owner[flat] == score
    flat, disc, distance, cover = flat[mine], disc[mine], distance[mine], cover[mine]
    fill_cover = np.clip(radius + 0.5 - distance, 0.0, 1.0)[:, None]
    color = fills[disc] * fill_cover + ring * (cover[:, None] - fill_cover)
    pixels = image.reshape(-1, 3)
    pixels[flat] = pixels[flat] * (1 - cover)[:, None] + color


def _clip_segments(start: Array, end: Array, low: float, high: tuple) -> tuple[Array, Array]:
    """Liang–Barsky: clip segments (n, 2) to the box [low, high]; outside ones become points."""
    delta = end - start
    t0, t1 = np.zeros(len(start)), np.ones(len(start))
    with np.errstate(divide="ignore", invalid="ignore"):
        for axis in range(2):
            d, s = delta[:, axis], start[:, axis]
            to_low, to_high = (low - s) / d, (high[axis] - s) / d
            t0 = np.where(d == 0, t0, np.maximum(t0, np.minimum(to_low, to_high)))
            t1 = np.where(d == 0, t1, np.minimum(t1, np.maximum(to_low, to_high)))
            t1 = np.where((d == 0) & ((s < low) | (s > high[axis])), -1.0, t1)
    return start + t0[:, None] * delta, start + np.maximum(t1, t0)[:, None] * delta


def draw_polylines(image: Array, vertices: Array, color: Array, alpha: float = LINE_ALPHA) -> None:
    """Paint thin anti-aliased polylines into a float image (H, W, 3) in place.

    ``vertices`` (m, 2) are pixel coordinates (column, row); a row with a NaN ends one polyline
    and starts the next. Each segment is sampled every ``LINE_SPACING`` pixels.
    """
    height, width = image.shape[:2]
    joined = np.isfinite(vertices[:-1]).all(axis=1) & np.isfinite(vertices[1:]).all(axis=1)
    start, end = _clip_segments(vertices[:-1][joined], vertices[1:][joined], -1.0, (width, height))
    length = np.hypot(*(end - start).T)
    n_steps = np.ceil(length / LINE_SPACING).astype(np.intp) + 1
    segment = np.repeat(np.arange(len(start)), n_steps)
    first = np.repeat(np.cumsum(n_steps) - n_steps, n_steps)
    t = (np.arange(segment.size) - first) / np.maximum(n_steps[segment] - 1, 1)
    samples = start[segment] + t[:, None] * (end - start)[segment]
    # A tent-filter splat, weighted by the sample spacing so that the coverage summed across a
    # line is ≈ 1 whatever the spacing. The canvas has a 1-px margin for the clipped ends.
    weight = (length / np.maximum(n_steps - 1, 1))[segment]
    base = np.floor(samples).astype(np.intp)
    frac = samples - base
    coverage = np.zeros((height + 2) * (width + 2))
    for d_row in (0, 1):
        for d_col in (0, 1):
            w = weight * np.abs(1 - d_col - frac[:, 0]) * np.abs(1 - d_row - frac[:, 1])
            flat = (base[:, 1] + d_row + 1) * (width + 2) + base[:, 0] + d_col + 1
            coverage += np.bincount(flat, w, minlength=coverage.size)
    coverage = coverage.reshape(height + 2, width + 2)[1:-1, 1:-1, None]
    image += np.minimum(coverage, 1.0) * alpha * (color - image)


def unit_colors(values: Array, zero_centred: bool) -> Array:
    """Colours (..., 3) of one unit's activations, normalised over their own range."""
    if zero_centred:  # diverging: orange below 0, white at 0, blue above
        scale = np.max(np.abs(values))
        signed = values / scale if scale > 0 else np.zeros_like(values)
        color = np.where(signed[..., None] >= 0, PALETTE[1], PALETTE[0])
        strength = np.abs(signed)[..., None]
    else:  # sequential: white at the unit's minimum, blue at its maximum
        low, span = np.min(values), np.ptp(values)
        strength = ((values - low) / span if span > 0 else np.zeros_like(values))[..., None]
        color = PALETTE[1]
    return WHITE + (NEURON_SHADE * strength) * (color - WHITE)

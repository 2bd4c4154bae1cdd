"""NumPy rasteriser for the live pictures: uint8 RGB images (H, W, 3), no plotting library.

A Plotly chart redrawn in a ticking ``st.fragment`` is remounted on every tick and flickers;
``st.image`` swaps a picture in place. So what is shown while training runs is drawn here,
straight into arrays, in a few milliseconds. Pixel (row i, column j) is centred at continuous
coordinates (i, j); row 0 is the top (``y_max``). Discs and lines are anti-aliased by coverage.
Grids come from the model's one traced forward pass; nothing here runs a second one. The
pixel-level primitives (shade tables, discs, polylines) live in ``core.render.draw``, PNG
encoding in ``core.render.png``, the linear-region pictures in ``core.render.regions``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from core.labs.plane import Extent, check_extent, plane_grid
from core.render.draw import (
    DARK,
    LINE,
    WHITE,
    draw_discs,
    draw_polylines,
    region_colors,
    to_uint8,
    unit_colors,
    upsample,
)
from core.render.theme import PRIMARY, hex_to_rgb
from core.render.value_scale import point_fills

__all__ = [
    "boundary_image",
    "draw_data_points",
    "neuron_images",
    "plane_picture",
    "probability_grid",
    "representation_image",
    "tile",
]

Array = np.ndarray

CONTOUR_WIDTH, CONTOUR_ALPHA = 1.4, 0.75  # pixels, opacity
GRID_MAX = 96  # model evaluations a side of a plane picture; a bigger one is upsampled
ACCENT = np.array(hex_to_rgb(PRIMARY), dtype=np.float32)  # a highlighted polyline


def _to_pixels(points: Array, extent: Extent, size: int) -> Array:
    """Data coordinates (n, 2) → pixel coordinates (n, 2) as (column, row) in a square image."""
    x_min, x_max, y_min, y_max = extent
    cols = (points[:, 0] - x_min) / (x_max - x_min) * size - 0.5
    rows = (y_max - points[:, 1]) / (y_max - y_min) * size - 0.5
    return np.column_stack([cols, rows])


def probability_grid(model: Any, extent: Any, resolution: int = 96) -> tuple[Array, Array, Array]:
    """Class probabilities of ``model`` on a regular grid over ``extent``.

    Parameters
    ----------
    model : MLP with 2 inputs
    extent : (x_min, x_max, y_min, y_max)
    resolution : int, grid points per side

    Returns
    -------
    xs : ndarray (resolution,), ascending
    ys : ndarray (resolution,), descending: row 0 is the top, ``y_max``
    probs : ndarray (resolution, resolution, n_classes)
    """
    xs, ys, points = plane_grid(extent, resolution)
    return xs, ys, model.predict_proba(points).reshape(len(ys), len(xs), -1)


def _steepness(field: Array, axis: int) -> Array:
    """Largest one-sided |difference| per pixel along ``axis``: the slope, even at a V's tip."""
    step = np.abs(np.diff(field, axis=axis))
    inner = np.maximum(np.delete(step, -1, axis=axis), np.delete(step, 0, axis=axis))
    ends = np.take(step, [0], axis=axis), np.take(step, [-1], axis=axis)
    return np.concatenate([ends[0], inner, ends[1]], axis=axis)


def _contour_alpha(probs: Array) -> Array:
    """Coverage (H, W) of an anti-aliased line where the predicted class changes.

    The margin between the two likeliest classes is 0 on the boundary and grows away from it;
    margin / slope is the distance to the boundary in pixels.
    """
    if probs.shape[-1] == 2:
        margin = np.abs(probs[..., 1] - probs[..., 0])
    else:
        top_two = np.partition(probs, -2, axis=-1)
        margin = top_two[..., -1] - top_two[..., -2]
    slope = np.hypot(_steepness(margin, 0), _steepness(margin, 1))
    distance = margin / np.maximum(slope, 1e-12)
    distance[slope < 1e-5] = np.inf  # a flat field has no boundary worth drawing
    return np.clip(CONTOUR_WIDTH / 2 + 0.5 - distance, 0.0, 1.0)


def _hard(probs: Array) -> Array:
    """One-hot (..., K) of the most probable class: every region at full certainty."""
    return (np.arange(probs.shape[-1]) == np.argmax(probs, axis=-1)[..., None]).astype(float)


def boundary_image(
    model: Any,
    extent: Any,
    X_train: Array,
    y_train: Array,
    X_test: Array | None = None,
    y_test: Array | None = None,
    size: int = 320,
    discretize: bool = False,
) -> Array:
    """The decision boundary in input space, TensorFlow-Playground style.

    Regions are shaded by the predicted probability (lighter where the model is unsure), a
    dark line marks where the predicted class changes, then the points are drawn on top.
    ``discretize`` colours every region by its class at full strength ("Discretize output").

    Parameters
    ----------
    model : MLP with 2 inputs
    extent : (x_min, x_max, y_min, y_max)
    X_train, y_train : ndarray (n, 2) and (n,), discs with a white ring
    X_test, y_test : ndarray (m, 2) and (m,), optional, discs with a dark ring
    size : int, width and height in pixels

    Returns
    -------
    ndarray (size, size, 3), uint8
    """

    def shade(extent: Extent, resolution: int) -> Array:
        *_, probs = probability_grid(model, extent, resolution)
        if probs.shape[-1] == 2:  # resample p(class 1) only; p(class 0) is its complement
            high = upsample(probs[..., 1:], (size, size))
            probs = np.concatenate([1 - high, high], axis=-1)
        else:
            probs = upsample(probs, (size, size))
        image = region_colors(_hard(probs) if discretize else probs)
        image += (_contour_alpha(probs)[..., None] * CONTOUR_ALPHA) * (DARK - image)
        return image

    return plane_picture(shade, extent, size, X_train, y_train, X_test, y_test)


def plane_picture(
    shade: Callable[[Extent, int], Array],
    extent: Any,
    size: int,
    X_train: Array,
    y_train: Array,
    X_test: Array | None,
    y_test: Array | None,
) -> Array:
    """The steps every input-plane picture shares: the background, then the points on top.

    ``shade(extent, resolution)`` returns the background as a float image (size, size, 3) from
    the model on a grid of ``resolution`` points a side (``size``, at most ``GRID_MAX``: bigger
    pictures are upsampled): by class probability in ``boundary_image``, by fitted value in
    ``core.render.value_raster.value_image``. Returns an ndarray (size, size, 3), uint8.
    """
    extent = check_extent(extent)
    image = shade(extent, min(GRID_MAX, max(size, 2)))
    draw_data_points(image, extent, X_train, y_train, X_test, y_test)
    return to_uint8(image)


def draw_data_points(
    image: Array, extent: Extent, X_train: Array, y_train: Array, X_test: Any, y_test: Any
) -> None:
    """Paint the training points (white ring) then the test points (dark ring, skipped when
    None) into a float image (size, size, 3) over ``extent``, in place."""
    size = image.shape[0]
    for X, y, ring in ((X_train, y_train, WHITE), (X_test, y_test, DARK)):
        if X is not None and len(X):
            pixels = _to_pixels(np.asarray(X, dtype=float), extent, size)
            draw_discs(image, pixels, point_fills(y), ring)


def neuron_images(model: Any, extent: Any, resolution: int = 48) -> list[list[Array]]:
    """Every hidden unit's activation over the input plane, from one traced forward pass.

    Zero-centred activations (``model.activation.zero_centred``) use a diverging map (orange,
    white at 0, blue) scaled by the unit's largest |a|; others run from white at the unit's
    minimum to blue at its maximum.

    Parameters
    ----------
    model : MLP with 2 inputs
    extent : (x_min, x_max, y_min, y_max)
    resolution : int, pixels per side

    Returns
    -------
    list of list of ndarray (resolution, resolution, 3), uint8
        ``images[layer][unit]`` for every hidden layer.
    """
    xs, ys, points = plane_grid(extent, resolution)
    trace = model.forward(points, return_trace=True)
    zero_centred = model.activation.zero_centred
    return [
        [to_uint8(unit_colors(a, zero_centred)) for a in layer.a.T.reshape(-1, len(ys), len(xs))]
        for layer in trace[:-1]
    ]


def tile(
    images: list[Array], n_columns: int, pad: int = 2, background: Any = (255, 255, 255)
) -> Array:
    """Lay equal-sized images out row by row, ``pad`` pixels apart.

    Parameters
    ----------
    images : list of ndarray (h, w, 3), uint8
    n_columns : int
    pad : int, pixels between neighbours
    background : RGB triple for the gaps and the empty cells of the last row

    Returns
    -------
    ndarray (n_rows * (h + pad) - pad, n_columns * (w + pad) - pad, 3), uint8
        ``n_rows = ceil(len(images) / n_columns)``.
    """
    if not images or n_columns < 1 or pad < 0:
        raise ValueError(
            f"need images, n_columns >= 1, pad >= 0; got {len(images)}, {n_columns}, {pad}"
        )
    if len({image.shape for image in images}) > 1:
        raise ValueError(f"tile needs images of one shape, got {sorted({i.shape for i in images})}")
    (height, width), n_columns = images[0].shape[:2], min(n_columns, len(images))
    n_rows = -(-len(images) // n_columns)
    out = np.empty((n_rows * (height + pad) - pad, n_columns * (width + pad) - pad, 3), np.uint8)
    out[...] = np.asarray(background, dtype=np.uint8)
    for k, image in enumerate(images):
        top, left = (k // n_columns) * (height + pad), (k % n_columns) * (width + pad)
        out[top : top + height, left : left + width] = image
    return out


def _padded_square(points: Array, margin: float = 0.08) -> Extent:
    """Square box about the finite rows of ``points`` (n, 2), padded by ``margin`` per side."""
    finite = points[np.isfinite(points).all(axis=1)]
    if not len(finite):
        return -1.0, 1.0, -1.0, 1.0
    low, high = finite.min(axis=0), finite.max(axis=0)
    centre, half = (low + high) / 2, max((high - low).max() / 2, 1e-6) * (1 + 2 * margin)
    return centre[0] - half, centre[0] + half, centre[1] - half, centre[1] + half


def representation_image(
    points: Array,
    labels: Array,
    lines: Array | None = None,
    size: int = 200,
    extent: Any = None,
    highlight: Array | None = None,
) -> Array:
    """A layer's 2-D representation: class-coloured points over an optional (warped) grid.

    Parameters
    ----------
    points : ndarray (n, 2), non-finite rows skipped
    labels : ndarray (n,), integer classes choosing the colours (or float targets, coloured on
        ``core.render.value_scale``'s continuous scale)
    lines : ndarray (m, 2), optional
        Polylines drawn thin and light grey; a NaN row separates consecutive lines.
    size : int, width and height in pixels
    extent : (x_min, x_max, y_min, y_max), optional
        Defaults to a padded square around the points, lines and highlight.
    highlight : ndarray (k, 2), optional
        A polyline drawn bold in the theme's primary colour over everything (a unit's axis),
        with a dot at its last vertex.

    Returns
    -------
    ndarray (size, size, 3), uint8
    """
    points = np.asarray(points, dtype=float).reshape(-1, 2)
    lines = None if lines is None else np.asarray(lines, dtype=float).reshape(-1, 2)
    highlight = None if highlight is None else np.asarray(highlight, dtype=float).reshape(-1, 2)
    if extent is None:
        parts = [p for p in (points, lines, highlight) if p is not None]
        extent = _padded_square(np.vstack(parts))
    extent = check_extent(extent)
    image = np.empty((size, size, 3), dtype=np.float32)
    image[...] = WHITE
    if lines is not None and len(lines) > 1:
        draw_polylines(image, _to_pixels(lines, extent, size), LINE)
    fills = point_fills(labels)
    draw_discs(image, _to_pixels(points, extent, size), fills, WHITE, radius=2.4, ring_width=0.6)
    if highlight is not None and len(highlight) > 1:
        pixels = _to_pixels(highlight, extent, size)
        for offset in ((0, 0), (0.6, 0), (0, 0.6), (-0.6, 0), (0, -0.6)):  # about 2 px wide
            draw_polylines(image, pixels + offset, ACCENT, alpha=0.9)
        draw_discs(image, pixels[-1:], ACCENT, WHITE, radius=3.5, ring_width=1.0)
    return to_uint8(image)

"""The input plane of a regression network: its fitted value as a heat map, points by target.

``plane_image`` is what a page draws over the input plane for any run: the decision boundary
(``core.render.raster.boundary_image``) for a classifier, ``value_image`` for a regression
network, whose output is a value rather than a class, so there is no boundary to draw; instead
every pixel takes the fitted value's colour on the continuous scale of
``core.render.value_scale`` and every point its target's, so a point that matches its background
is fitted well.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from core.labs.plane import Extent, plane_grid
from core.render.draw import upsample
from core.render.raster import boundary_image, plane_picture
from core.render.value_scale import value_colors

__all__ = ["plane_image", "value_grid", "value_image"]

Array = np.ndarray


def value_grid(model: Any, extent: Any, resolution: int = 96) -> Array:
    """Fitted values (resolution, resolution) of a regression ``model`` over ``extent``
    (row 0 is the top, ``y_max``), from its first output."""
    xs, ys, points = plane_grid(extent, resolution)
    return model.forward(points)[:, 0].reshape(len(ys), len(xs))


def value_image(
    model: Any,
    extent: Any,
    X_train: Array,
    y_train: Array,
    X_test: Array | None = None,
    y_test: Array | None = None,
    size: int = 320,
    discretize: bool = False,
) -> Array:
    """A regression network's fitted value over the input plane, with the points on top.

    Parameters
    ----------
    model : MLP with 2 inputs and a linear output (``model.regression``)
    extent : (x_min, x_max, y_min, y_max)
    X_train, y_train : ndarray (n, 2) and (n,) float targets, discs with a white ring
    X_test, y_test : ndarray (m, 2) and (m,), optional, discs with a dark ring
    size : int, width and height in pixels
    discretize : bool
        Colour by the sign of the fitted value only (Playground's "Discretize output").

    Returns
    -------
    ndarray (size, size, 3), uint8
    """

    def shade(extent: Extent, resolution: int) -> Array:
        values = value_grid(model, extent, resolution)
        values = upsample(values[..., None], (size, size))[..., 0]
        return value_colors(np.sign(values) if discretize else values).astype(np.float32)

    return plane_picture(shade, extent, size, X_train, y_train, X_test, y_test)


def plane_image(model: Any, *args: Any, show_test: bool = True, **options: Any) -> Array:
    """What the input plane shows for ``model``: ``value_image`` for a regression network,
    else ``boundary_image``, with the same arguments (extent, X_train, y_train, X_test, y_test;
    ``size=``, ``discretize=``); ``show_test=False`` leaves the test points out."""
    draw = value_image if getattr(model, "regression", False) else boundary_image
    if not show_test:
        args = args[:3]  # extent and the training points
    return draw(model, *args, **options)

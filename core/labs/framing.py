"""Framing that follows the data: one view box per animation frame, as arrays.

A fixed view for a whole animation cannot fit every stage: after a sigmoid the data is a speck,
after a big stretch it runs off the edge. Here every frame gets its own box (low, high per
axis) fitted to the data at that frame, and the boxes move smoothly:

- A **key frame** (the end of a stage, where the slider stops) is framed on its data: the data's
  bounding box (without its extreme 1 % each side) plus a margin, with the axes kept at the same
  scale where that still lets the data fill at least ``coverage`` of the box, and scaled apart
  only as much as needed otherwise (a long thin cloud is not left as a line across an empty
  square). An axis along which the data has collapsed (a ReLU folding every point onto a line)
  keeps a thin box of ``FLAT_SHARE`` of the largest axis.
- **In-between frames** ease from the previous key frame's box to the next one, lagging the
  data (the box follows the square of the stage's progress), so a stretch is seen growing, a
  shift is seen moving, before the view catches up. The eased box is then widened to keep the
  data inside and pulled toward its own fit when the data would fill too little of it.

``zoom_text`` states the true scale of a box against a reference box (the input plane's).
Arrays only; the Plotly figure reads the boxes in ``core.figures.transform``.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "COVERAGE",
    "camera_eyes",
    "coverage",
    "fitted_box",
    "follow_boxes",
    "inside_share",
    "zoom_text",
]

Array = np.ndarray
MARGIN = 0.08  # share of the data's extent added on each side of a key frame's box
COVERAGE = 0.32  # the data's bounding box fills at least this share of every box
FLAT_SHARE = 0.08  # a collapsed axis gets this share of the largest axis
TRIM = 1.0  # percent of the data left out at each end when fitting (outliers, exploded nets)


def _extent(points: Array) -> tuple[Array, Array]:
    finite = points[np.all(np.isfinite(points), axis=1)]
    if len(finite) == 0:
        return -np.ones(points.shape[1]), np.ones(points.shape[1])
    low, high = np.percentile(finite, [TRIM, 100 - TRIM], axis=0)
    return low, high


def _share(extent: Array, span: Array, eye: Array | None) -> float:
    """How much of a view box (side lengths ``span``) a nested data box (``extent``) fills.

    2-D: the share of the area. 3-D (``eye`` given): the share of the box's picture seen by an
    orthographic camera along ``eye``, with one unit drawn the same length on every axis; a
    box's picture has area bc|eₓ| + ac|e_y| + ab|e_z|. A collapsed axis counts as filled.
    """
    extent = np.minimum(extent, span)
    extent = np.where(extent < FLAT_SHARE * extent.max(), span, extent)
    if eye is None or len(span) != 3:
        return float(np.prod(extent / span))

    def picture(sides: Array) -> float:
        a, b, c = sides
        return b * c * abs(eye[0]) + a * c * abs(eye[1]) + a * b * abs(eye[2])

    return picture(extent) / max(picture(span), 1e-300)


def coverage(points: Array, low: Array, high: Array, eye: Array | None = None) -> float:
    """Share of the box (low, high) that the bounding box of ``points`` (n, k) covers.

    Extents are clipped to the box; an axis along which the points have collapsed (extent under
    ``FLAT_SHARE`` of the largest) counts as covered, since no box can be filled by a line.
    For k = 3 and a camera direction ``eye``, the share of the camera's picture (see ``_share``).
    """
    finite = points[np.all(np.isfinite(points), axis=1)]
    if len(finite) == 0:
        return 0.0
    data_low = np.clip(finite.min(axis=0), low, high)
    data_high = np.clip(finite.max(axis=0), low, high)
    return _share(data_high - data_low, high - low, eye)


def inside_share(points: Array, low: Array, high: Array) -> float:
    """Share of the finite rows of ``points`` (n, k) inside the box (low, high)."""
    finite = points[np.all(np.isfinite(points), axis=1)]
    if len(finite) == 0:
        return 1.0
    return float(np.mean(np.all((finite >= low) & (finite <= high), axis=1)))


def fitted_box(
    points: Array, coverage_floor: float = COVERAGE, eye: Array | None = None
) -> tuple[Array, Array]:
    """The key-frame box for ``points`` (n, k): (low (k,), high (k,)).

    Axes share one length (the largest extent) where the data still fills ``coverage_floor`` of
    the box; otherwise the narrow axes are shortened step by step, never below the data.
    """
    low, high = _extent(points)
    extent = high - low
    # Data collapsed to one point (every ReLU unit dead) has nothing to zoom on: a box the size
    # of its distance from the origin (at least 1). Else never narrower than 1e-4 of that, so the
    # rounded ranges sent to the browser keep a length on every axis.
    scale = max(1.0, float(np.abs((low + high) / 2).max()))
    largest = float(extent.max())
    largest = scale if largest <= 1e-9 * scale else max(largest, 1e-4 * scale)
    extent = np.maximum(extent, FLAT_SHARE * largest)
    padded = extent * (1 + 2 * MARGIN)
    span = np.full_like(padded, padded.max())
    for _ in range(60):
        narrow = span > padded * (1 + 1e-9)
        if _share(extent, span, eye) >= coverage_floor or not narrow.any():
            break
        span = np.where(narrow, np.maximum(padded, span * 0.92), span)
    center = (low + high) / 2
    return center - span / 2, center + span / 2


def _widened(box: tuple[Array, Array], points: Array) -> tuple[Array, Array]:
    low, high = _extent(points)
    pad = 0.02 * (high - low).max()
    return np.minimum(box[0], low - pad), np.maximum(box[1], high + pad)


def _key_indices(is_key: list[bool]) -> list[int]:
    keys = [0] + [i for i, key in enumerate(is_key) if key and i > 0]
    return keys if keys[-1] == len(is_key) - 1 else [*keys, len(is_key) - 1]


def _facing(points: Array, default: Array) -> Array:
    """A camera direction near ``default`` that sees a flat cloud (a sheet) from the front
    rather than edge-on: turned toward the sheet's normal as far as the cloud is flat."""
    finite = points[np.all(np.isfinite(points), axis=1)]
    if len(finite) < 4:
        return default
    centered = (finite - finite.mean(axis=0)) / max(float(np.ptp(finite, axis=0).max()), 1e-12)
    variances, axes = np.linalg.eigh(centered.T @ centered / len(finite))
    normal = axes[:, 0] * np.sign(axes[:, 0] @ default or 1.0)
    flatness = 1.0 - np.sqrt(max(variances[0], 0.0) / max(variances[1], 1e-300))
    turned = default / np.linalg.norm(default) + 1.5 * flatness * normal
    return turned / np.linalg.norm(turned) * np.linalg.norm(default)


def camera_eyes(frames: list[Array], is_key: list[bool], default: Array) -> list[Array]:
    """Per frame, the 3-D camera's eye: facing each key frame's data (``_facing``), turned
    smoothly between key frames; its length stays that of ``default``."""
    keys = _key_indices(is_key)
    eyes = {i: _facing(frames[i], default) for i in keys}
    out = []
    for start, end in zip(keys, keys[1:], strict=False):
        for i in range(start, end):
            t = (i - start) / (end - start)
            eye = (1 - t) * eyes[start] + t * eyes[end]
            out.append(eye / max(np.linalg.norm(eye), 1e-12) * np.linalg.norm(default))
    out.append(eyes[keys[-1]])
    return out


def follow_boxes(
    frames: list[Array], is_key: list[bool], eyes: list[Array] | None = None
) -> list[tuple[Array, Array]]:
    """One box per frame: key frames fitted, frames between them eased (see module docstring).

    ``frames`` are the data positions (n, k) of every frame in playing order; ``is_key`` marks
    the stage ends (the first frame counts as one). ``eyes``: the 3-D camera per frame.
    """
    eyes = eyes or [None] * len(frames)
    fits = [fitted_box(points, eye=eye) for points, eye in zip(frames, eyes, strict=True)]
    keys = _key_indices(is_key)
    boxes = list(fits)
    for start, end in zip(keys, keys[1:], strict=False):
        for i in range(start + 1, end):
            t = ((i - start) / (end - start)) ** 2  # lag the data: the view catches up at the end
            eased = tuple((1 - t) * fits[start][j] + t * fits[end][j] for j in (0, 1))
            box = _widened(eased, frames[i])
            for pull in (0.0, 0.25, 0.5, 0.75, 1.0):  # too much empty box: move toward the fit
                candidate = tuple((1 - pull) * box[j] + pull * fits[i][j] for j in (0, 1))
                if coverage(frames[i], *candidate, eye=eyes[i]) >= COVERAGE:
                    break
            boxes[i] = candidate
    return boxes


def zoom_text(
    box: tuple[Array, Array], reference: tuple[Array, Array], equal_units: bool = False
) -> str:
    """The box's scale against ``reference``: "zoom ×3.2", and unless the picture keeps
    ``equal_units`` (3-D), how much more one unit is drawn along each narrower axis."""
    span, ref = box[1] - box[0], reference[1] - reference[0]
    ratio = ref.max() / max(float(span.max()), 1e-300)  # screen size of one unit, relative
    text = f"zoom ×{_number(ratio)}"
    # Axes scaled apart: how much more one unit is drawn along each narrow axis.
    stretch = np.ones_like(span) if equal_units else span.max() / np.maximum(span, 1e-300)
    apart = [f"{'xyz'[i]} magnified ×{_number(s)}" for i, s in enumerate(stretch) if s > 1.05]
    if apart:
        text += " (" + ", ".join(apart) + " to fit)"
    return text


def _number(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.2g}" if value < 10 else f"{value:.0f}"

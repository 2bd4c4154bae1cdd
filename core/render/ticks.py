"""Axis ticks a reader can use: round values, distinct labels, on linear and log scales.

Four evenly spaced ticks labelled with two significant digits printed "0.49, 0.49" on a loss
that spanned 0.487–0.493. Here the ticks are round numbers (1, 2 or 5 times a power of ten)
inside the range, and each label gets just the digits its value needs. The
SVG curves and any browser-side chart share this one function.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["nice_ticks", "tick_labels"]

Array = np.ndarray
_MANTISSAS = (5.0, 2.0, 1.0)  # nice steps within a decade, largest first


def _linear(low: float, high: float, min_ticks: int) -> Array:
    """Multiples of the largest 1/2/5 × 10^k step giving at least ``min_ticks`` in range."""
    power = math.floor(math.log10(high - low))
    for exponent in range(power, power - 4, -1):
        for mantissa in _MANTISSAS:
            step = mantissa * 10.0**exponent
            first, last = math.ceil(low / step - 1e-9), math.floor(high / step + 1e-9)
            if last - first + 1 >= min_ticks:
                # Multiply, not accumulate: 0.1 + 0.1 + 0.1 would label as 0.30000000000000004.
                return np.array([round(k * step, 12) for k in range(first, last + 1)])
    return np.array([low, high])


def _logarithmic(low: float, high: float, min_ticks: int, max_ticks: int) -> Array:
    """Powers of ten (thinned to at most ``max_ticks``), or 1-2-5 steps over narrow ranges."""
    first, last = math.ceil(math.log10(low) - 1e-9), math.floor(math.log10(high) + 1e-9)
    decades = np.arange(first, last + 1)
    if len(decades) >= min_ticks:
        stride = math.ceil(len(decades) / max_ticks)
        return 10.0 ** decades[::stride].astype(float)
    candidates = [m * 10.0**k for k in range(first - 1, last + 1) for m in (1.0, 2.0, 5.0)]
    inside = np.array([v for v in candidates if low * (1 - 1e-9) <= v <= high * (1 + 1e-9)])
    if len(inside) >= min_ticks:
        return inside
    return _linear(low, high, min_ticks)  # less than a factor of ~5: round linear steps


def nice_ticks(
    low: float, high: float, *, log: bool = False, min_ticks: int = 3, max_ticks: int = 6
) -> tuple[Array, list[str]]:
    """Round tick values inside ``[low, high]`` and their distinct labels.

    Parameters
    ----------
    low, high : the data range, in data units (not log10); swapped if reversed.
    log : ticks for a log axis (``low`` must then be > 0): powers of ten over wide ranges,
        1-2-5 steps over a decade or two, round linear steps over narrower ones.
    min_ticks, max_ticks : how many ticks to aim for.

    Returns
    -------
    values : (n_ticks,) float, increasing, inside the range.
    labels : n_ticks strings, pairwise distinct.
    """
    low, high = sorted((float(low), float(high)))
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueError(f"tick range must be finite, got {low}..{high}")
    if log and low <= 0:
        raise ValueError(f"a log axis needs a positive range, got {low}..{high}")
    if high - low <= 1e-12 * max(abs(low), abs(high), 1e-300):
        values = np.array([low])
    elif log:
        values = _logarithmic(low, high, min_ticks, max_ticks)
    else:
        values = _linear(low, high, min_ticks)
    return values, tick_labels(values)


def tick_labels(values: Array) -> list[str]:
    """Each value's shortest general-format label (1 to 12 significant digits) that reads back
    as the value: round ticks get short labels, and distinct values distinct labels."""
    labels = []
    for value in np.asarray(values, dtype=float):
        for digits in range(1, 13):
            label = f"{value:.{digits}g}"
            if abs(float(label) - value) <= 1e-9 * abs(value):
                break
        labels.append(label)
    return labels

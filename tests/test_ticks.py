"""Axis ticks: round values inside the range, distinct labels, at every scale."""

from __future__ import annotations

import re

import numpy as np
import pytest

from core.render.svg import curves_svg
from core.render.ticks import nice_ticks, tick_labels

RNG = np.random.default_rng(0)
# Loss ranges from a tiny wobble to many decades, as a run's curves produce them.
RANGES = [
    (c * (1 - w), c * (1 + w))
    for c, w in zip(10 ** RNG.uniform(-6, 2, 60), 10 ** RNG.uniform(-5, 0, 60), strict=True)
]
RANGES += [(10 ** RNG.uniform(-8, 0), 10 ** RNG.uniform(0, 3)) for _ in range(30)]


@pytest.mark.parametrize("log", [True, False])
@pytest.mark.parametrize(("low", "high"), RANGES)
def test_ticks_are_inside_increasing_and_distinctly_labelled(low, high, log):
    values, labels = nice_ticks(low, high, log=log)
    assert 2 <= len(values) <= 8
    assert np.all(np.diff(values) > 0)
    tolerance = 1e-9 * high
    assert values[0] >= low - tolerance and values[-1] <= high + tolerance
    assert len(set(labels)) == len(labels)
    np.testing.assert_allclose([float(label) for label in labels], values, rtol=1e-6)


def test_a_narrow_loss_range_gets_round_steps():
    assert nice_ticks(0.487, 0.493, log=True)[1] == ["0.488", "0.49", "0.492"]


def test_many_decades_get_powers_of_ten_thinned():
    values, labels = nice_ticks(1e-9, 1e3, log=True)
    assert np.allclose(np.log10(values) % 1, 0)
    assert len(values) <= 6 and labels[-1] == "1e+03"


def test_labels_get_just_enough_digits():
    assert tick_labels(np.array([0.1, 0.2, 0.3])) == ["0.1", "0.2", "0.3"]
    assert tick_labels(np.array([0.6186, 0.61865])) == ["0.6186", "0.61865"]


def test_bad_ranges_are_named():
    with pytest.raises(ValueError, match="positive range"):
        nice_ticks(0.0, 1.0, log=True)
    with pytest.raises(ValueError, match="finite"):
        nice_ticks(0.0, np.inf)


def test_the_loss_chart_labels_differ_where_they_used_to_repeat():
    epochs = np.arange(1, 101)
    loss = 0.49 + 0.003 * np.cos(epochs / 10)  # the "0.49, 0.49" chart
    svg = curves_svg(epochs, {"train": (loss, "#000000", "")})
    labels = re.findall(r'text-anchor="end">([^<]*)</text>', svg)
    y_labels = labels[:-1]  # the last end-anchored text is the last epoch
    assert len(y_labels) >= 3 and len(set(y_labels)) == len(y_labels)
    assert re.findall(r'text-anchor="start">([^<]*)</text>', svg) == ["1"]

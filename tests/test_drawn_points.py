"""Drawn points: the exact compact encoding, its bounds, and drawn sets as datasets."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.exchange.drawn_points import (
    LINK_POINTS,
    MAX_POINTS,
    decode,
    drawn_dataset,
    encode,
    encoded_chars,
    from_level,
    to_level,
)
from core.experiment import Experiment
from core.settings import TRANSFORM, Settings, from_query, to_query

levels = st.integers(0, 255)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(levels, levels, st.integers(0, 9)), max_size=MAX_POINTS // 4),
    st.booleans(),
)
def test_encoding_round_trips_exactly(points, values):
    if values:
        points = [(x, y, label * 25) for x, y, label in points]
    text = encode(points, values)
    rows, kind = decode(text)
    assert rows.tolist() == [list(p) for p in points] and (kind == values or not points)
    assert len(text) == (encoded_chars(len(points)) if points else 0)
    assert set(text) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def test_levels_are_exact_both_ways():
    grid = np.arange(256)
    assert np.array_equal(to_level(from_level(grid)), grid)
    assert from_level(0) == -1.0 and from_level(255) == 1.0
    assert to_level(7.0) == 255 and to_level(-3.0) == 0  # clipped into the plane


def test_a_link_carries_200_points_in_about_800_characters():
    assert encoded_chars(LINK_POINTS) == 802
    assert TRANSFORM["drawn"].max_chars == encoded_chars(LINK_POINTS)


@pytest.mark.parametrize(
    "text",
    [
        "!!!!",  # not base64
        "WAAA",  # an unknown kind byte
        "QwAAAP8",  # a point cut short
        "QwAACg",  # class 10
        "Q" * (encoded_chars(MAX_POINTS) + 1),  # too long: refused before decoding
        "QwAAAA==",  # padding: not the one spelling encode writes
    ],
)
def test_anything_encode_could_not_write_is_refused(text):
    with pytest.raises(ValueError):
        decode(text)
    restored, _, notices = from_query({"data": "drawn", "pts": text}, TRANSFORM)
    assert restored.drawn == "" and notices  # the link says what it dropped


def test_a_drawn_set_is_a_dataset_and_its_link_restores_it():
    text = encode([[0, 0, 0], [20, 30, 0], [255, 255, 1], [240, 250, 1]])
    shown = Settings(dataset="drawn", drawn=text)
    assert from_query(to_query(shown, TRANSFORM), TRANSFORM) == (shown, None, [])
    experiment = Experiment.build(shown)
    X, y = drawn_dataset(text)
    assert sorted(map(tuple, experiment.X)) == sorted(map(tuple, X))
    assert not experiment.regression and experiment.model.layer_sizes[-1] == 1
    values = encode([[0, 0, 10], [50, 60, 100], [200, 10, 250], [255, 255, 128]], values=True)
    assert Experiment.build(Settings(dataset="drawn", drawn=values)).regression


def test_too_many_points_stay_out_of_the_link_and_too_few_cannot_train():
    rng = np.random.default_rng(0)
    many = encode(np.column_stack([rng.integers(0, 256, (201, 2)), np.arange(201) % 2]))
    assert "pts" not in to_query(Settings(dataset="drawn", drawn=many), TRANSFORM)
    with pytest.raises(ValueError, match="2 points of each of 2 classes"):
        Experiment.build(Settings(dataset="drawn", drawn=encode([[0, 0, 0], [9, 9, 0], [5, 5, 1]])))
    with pytest.raises(ValueError, match="at least 4 points"):
        Experiment.build(Settings(dataset="drawn", drawn=encode([[0, 0, 3]], values=True)))

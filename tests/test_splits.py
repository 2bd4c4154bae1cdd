"""Tests for core.data.splits: the stratified train/test split and the data extent."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.data.datasets import make_dataset
from core.data.splits import data_extent, train_test_split

FAST = settings(max_examples=30, deadline=None)


# --- validation --------------------------------------------------------------------------------


@pytest.mark.parametrize("train_share", [0.05, 0.95, -1, math.nan, "0.5"])
def test_bad_train_share_is_named(train_share):
    X, y = make_dataset("xor", 40)
    with pytest.raises(ValueError, match="train_share") as error:
        train_test_split(X, y, train_share=train_share)
    assert repr(train_share) in str(error.value)


def test_split_rejects_a_class_too_small_to_share():
    X = np.zeros((5, 2))
    with pytest.raises(ValueError, match=r"\[2\]"):
        train_test_split(X, np.array([0, 0, 1, 1, 2]))


def test_split_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match="shape|got"):
        train_test_split(np.zeros((5, 2)), np.zeros(4, dtype=np.int64))


# --- train_test_split --------------------------------------------------------------------------


@FAST
@given(
    n_samples=st.integers(10, 400),
    n_classes=st.integers(2, 5),
    train_share=st.floats(0.1, 0.9),
    seed=st.integers(0, 2**32 - 1),
)
def test_split_is_a_stratified_partition(n_samples, n_classes, train_share, seed):
    y = np.arange(n_samples) % n_classes
    X = np.column_stack([np.arange(n_samples), y])  # row index travels with each sample
    X_train, X_test, y_train, y_test = train_test_split(X, y, train_share, seed)

    assert len(X_train) == len(y_train) and len(X_test) == len(y_test)
    assert abs(len(y_train) - n_samples * train_share) <= n_classes
    rows = np.concatenate([X_train[:, 0], X_test[:, 0]])
    np.testing.assert_array_equal(np.sort(rows), np.arange(n_samples))  # disjoint and complete
    np.testing.assert_array_equal(X_train[:, 1], y_train)
    np.testing.assert_array_equal(X_test[:, 1], y_test)

    class_counts = np.bincount(y)
    train_counts = np.bincount(y_train, minlength=n_classes)
    assert (train_counts >= 1).all() and (train_counts < class_counts).all()
    assert (np.abs(train_counts - class_counts * train_share) <= 1).all()


def test_split_size_is_rounded_exactly_when_classes_allow():
    X, y = make_dataset("blobs3", 301)
    X_train, X_test, _, _ = train_test_split(X, y, train_share=0.7)
    assert (len(X_train), len(X_test)) == (211, 90)


def test_split_is_reproducible_and_shuffled():
    X, y = make_dataset("spiral3", 300)
    first = train_test_split(X, y, seed=5)
    second = train_test_split(X, y, seed=5)
    other = train_test_split(X, y, seed=6)
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[0], other[0])
    assert not (np.diff(first[2]) >= 0).all()  # classes interleaved, not in blocks


# --- data_extent -------------------------------------------------------------------------------


def test_extent_has_a_floor_of_1_2():
    assert data_extent(np.zeros((3, 2))) == (-1.2, 1.2, -1.2, 1.2)
    assert data_extent(np.empty((0, 2))) == (-1.2, 1.2, -1.2, 1.2)


@FAST
@given(
    points=st.lists(st.tuples(st.floats(-5, 5), st.floats(-5, 5)), min_size=1, max_size=30),
    margin=st.floats(0, 1),
)
def test_extent_is_square_and_covers_data_with_margin(points, margin):
    X = np.array(points)
    x_min, x_max, y_min, y_max = data_extent(X, margin)
    assert math.isclose(x_max - x_min, y_max - y_min)
    tol = 1e-9
    assert x_min <= min(-1.2, X[:, 0].min() - margin) + tol
    assert x_max >= max(1.2, X[:, 0].max() + margin) - tol
    assert y_min <= min(-1.2, X[:, 1].min() - margin) + tol
    assert y_max >= max(1.2, X[:, 1].max() + margin) - tol


@pytest.mark.parametrize(
    ("X", "margin"),
    [(np.zeros((3, 3)), 0.1), (np.array([[0.0, np.nan]]), 0.1), (np.zeros((3, 2)), -0.5)],
)
def test_extent_rejects_bad_input(X, margin):
    with pytest.raises(ValueError):
        data_extent(X, margin)

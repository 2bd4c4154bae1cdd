"""Tests for core.data.datasets: every registered generator and its validation (splitting and
extents: tests/test_splits.py)."""

from __future__ import annotations

import ast
import dataclasses
import inspect
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor

from core.data import datasets
from core.data.datasets import DATASETS, get_dataset, make_dataset
from core.data.splits import train_test_split

NAMES = sorted(DATASETS)
CLASSIFICATION = sorted(name for name, d in DATASETS.items() if not d.regression)
REGRESSION = ["multi_gaussian", "plane", "sine_ridge"]  # Playground's two and a sine ridge
EXPECTED_CLASSES = {
    "circles": 2,
    "moons": 2,
    "xor": 2,
    "gaussians": 2,
    "spiral": 2,
    "linear": 2,
    "checkerboard": 2,
    "blobs3": 3,
    "blobs4": 4,
    "blobs5": 5,
    "spiral3": 3,
    **dict.fromkeys(REGRESSION, 0),  # no classes: a continuous target
}
EPSILON = 1e-9
FAST = settings(max_examples=30, deadline=None)


def test_registry_holds_the_expected_datasets():
    assert {name: d.n_classes for name, d in DATASETS.items()} == EXPECTED_CLASSES
    for name, dataset in DATASETS.items():
        assert dataset.name == name
        assert dataset.label and dataset.description
        assert get_dataset(name) is dataset
    with pytest.raises(dataclasses.FrozenInstanceError):
        DATASETS["xor"].n_classes = 3


def test_module_imports_no_ui_library():
    tree = ast.parse(inspect.getsource(datasets))
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not any(module.split(".")[0] in {"streamlit", "plotly"} for module in imported)


@pytest.mark.parametrize("name", CLASSIFICATION)
@FAST
@given(
    n_samples=st.integers(10, 600),
    noise=st.floats(0.0, 1.0),
    seed=st.integers(0, 2**32 - 1),
)
def test_shapes_dtypes_labels_and_balance(name, n_samples, noise, seed):
    X, y = make_dataset(name, n_samples, noise, seed)
    n_classes = DATASETS[name].n_classes
    assert X.shape == (n_samples, 2) and X.dtype == np.float64
    assert y.shape == (n_samples,) and y.dtype == np.int64
    assert np.isfinite(X).all()
    assert set(y.tolist()) == set(range(n_classes))
    counts = np.bincount(y, minlength=n_classes)
    assert counts.max() - counts.min() <= 1


@pytest.mark.parametrize("name", NAMES)
def test_clean_points_lie_in_unit_square_and_roughly_fill_it(name):
    for seed in range(3):
        X, _ = make_dataset(name, 2000, 0.0, seed)
        assert np.abs(X).max() <= 1 + EPSILON
        # "Roughly fills": spans most of one axis; moons keep their 2:1 aspect, so half the other.
        span = X.max(axis=0) - X.min(axis=0)
        assert span.max() >= 1.5 and span.min() >= 0.95


@pytest.mark.parametrize("name", NAMES)
def test_same_seed_gives_identical_arrays(name):
    X_a, y_a = make_dataset(name, 200, 0.2, seed=7)
    X_b, y_b = make_dataset(name, 200, 0.2, seed=7)
    np.testing.assert_array_equal(X_a, X_b)
    np.testing.assert_array_equal(y_a, y_b)


@pytest.mark.parametrize("name", NAMES)
def test_different_seeds_give_different_arrays(name):
    X_a, _ = make_dataset(name, 200, 0.0, seed=1)
    X_b, _ = make_dataset(name, 200, 0.0, seed=2)
    assert not np.array_equal(X_a, X_b)


@pytest.mark.parametrize("name", NAMES)
def test_noise_is_gaussian_with_the_given_std_around_the_same_clean_points(name):
    X_clean, y_clean = make_dataset(name, 2000, 0.0, seed=3)
    X_noisy, y_noisy = make_dataset(name, 2000, 0.2, seed=3)
    np.testing.assert_array_equal(y_clean, y_noisy)
    assert not np.allclose(X_clean, X_noisy)
    displacement = X_noisy - X_clean
    np.testing.assert_allclose(displacement.std(axis=0), 0.2, rtol=0.1)
    np.testing.assert_allclose(displacement.mean(axis=0), 0.0, atol=0.03)


def test_randomness_is_explicit():
    # Deliberately reads the legacy global state: generators must never touch it.
    state = np.random.get_state()[1].copy()  # noqa: NPY002
    for name in NAMES:
        make_dataset(name, 50, 0.1, seed=0)
    np.testing.assert_array_equal(np.random.get_state()[1], state)  # noqa: NPY002


@pytest.mark.parametrize(
    ("name", "separable"),
    [
        ("circles", False),
        ("xor", False),
        ("spiral", False),
        ("checkerboard", False),
        ("linear", True),
    ],
)
def test_only_linear_is_linearly_separable(name, separable):
    X, y = make_dataset(name, 1000, 0.0, seed=0)
    # A large C: the linear case must be separated exactly, not just nearly, by an unpenalised fit.
    accuracy = LogisticRegression(C=1e3, max_iter=2000).fit(X, y).score(X, y)
    if separable:
        assert accuracy == 1.0
    else:
        assert accuracy < 0.9


@pytest.mark.parametrize("name", CLASSIFICATION)
def test_labels_are_a_learnable_function_of_position(name):
    X, y = make_dataset(name, 1000, 0.0, seed=0)
    X_train, X_test, y_train, y_test = train_test_split(X, y, train_share=0.5, seed=0)
    nearest = KNeighborsClassifier(n_neighbors=1).fit(X_train, y_train)
    assert nearest.score(X_test, y_test) >= 0.95


def test_regression_datasets_are_marked_and_only_they():
    assert sorted(n for n, d in DATASETS.items() if d.regression) == REGRESSION
    assert all(DATASETS[n].task == "regression" for n in REGRESSION)
    assert DATASETS["spiral"].task == "classification"


@pytest.mark.parametrize("name", REGRESSION)
def test_regression_targets_are_continuous_in_the_unit_range_and_learnable(name):
    X, y = make_dataset(name, 1000, 0.0, seed=0)
    assert X.shape == (1000, 2) and y.shape == (1000,) and y.dtype == np.float64
    assert -1.0 <= y.min() < -0.5 and 0.5 < y.max() <= 1.0  # the whole colour scale is used
    assert len(np.unique(y)) > 500  # values, not a handful of labels
    X_train, X_test, y_train, y_test = train_test_split(X, y, train_share=0.5, seed=0)
    assert len(X_train) == len(y_train) == 500 and len(X_test) == 500
    assert not set(map(tuple, X_train)) & set(map(tuple, X_test))
    nearest = KNeighborsRegressor(n_neighbors=3).fit(X_train, y_train)
    assert nearest.score(X_test, y_test) >= 0.9


def test_regression_targets_follow_their_formulas():
    X, y = make_dataset("plane", 200, 0.0, seed=1)
    np.testing.assert_allclose(y, (X[:, 0] + X[:, 1]) / 2)
    X, y = make_dataset("sine_ridge", 200, 0.0, seed=1)
    np.testing.assert_allclose(y, np.sin(3 * (X[:, 0] + X[:, 1] / 2)))
    X, y = make_dataset("multi_gaussian", 2000, 0.0, seed=1)
    centre = np.hypot(X[:, 0] - 0.0, X[:, 1] - 2.5 / 6) < 0.06  # Playground's (0, 2.5), sign −1
    assert centre.any() and np.all(y[centre] < -0.8)
    # Noise moves the points, never the targets: they stay those of the clean points.
    assert np.array_equal(
        make_dataset("plane", 200, 0.3, seed=1)[1], make_dataset("plane", 200, 0.0, seed=1)[1]
    )


# --- validation --------------------------------------------------------------------------------


def test_unknown_name_lists_known_names():
    with pytest.raises(ValueError, match="'swirl'") as error:
        make_dataset("swirl")
    assert all(name in str(error.value) for name in NAMES)


@pytest.mark.parametrize("n_samples", [3, 9, 5001, 10.5, "100", True, None])
def test_bad_n_samples_is_named(n_samples):
    with pytest.raises(ValueError, match="n_samples") as error:
        make_dataset("moons", n_samples=n_samples)
    assert repr(n_samples) in str(error.value)


def test_numpy_integer_n_samples_is_accepted():
    X, _ = make_dataset("moons", n_samples=np.int64(50))
    assert X.shape == (50, 2)


@pytest.mark.parametrize("noise", [-0.1, 1.5, math.nan, math.inf, "0.1", None, True])
def test_bad_noise_is_named(noise):
    with pytest.raises(ValueError, match="noise") as error:
        make_dataset("moons", noise=noise)
    assert repr(noise) in str(error.value)

"""URL parameters: exact round trips, clamping with notices, and fuzzed input never raising."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.data.datasets import DATASETS
from core.data.features import FEATURES
from core.experiment import Settings
from core.nn.activations import ACTIVATIONS
from core.nn.initializers import INITIALIZERS
from core.nn.optimizers import OPTIMIZERS
from core.settings import (
    BATCH_SIZES,
    L2_RATES,
    LEARNING_RATES,
    MAX_EPOCHS,
    settings_from_query,
    settings_to_query,
)

valid_settings = st.builds(
    Settings,
    dataset=st.sampled_from(sorted(DATASETS)),
    noise=st.integers(0, 30).map(lambda i: round(i * 0.01, 10)),
    n_samples=st.integers(2, 20).map(lambda i: i * 50),
    train_share=st.integers(2, 18).map(lambda i: round(i * 0.05, 10)),
    seed=st.integers(0, 9999),
    hidden=st.lists(st.integers(1, 16), max_size=8).map(tuple),
    activation=st.sampled_from(sorted(ACTIVATIONS)),
    optimizer=st.sampled_from(sorted(OPTIMIZERS)),
    learning_rate=st.sampled_from(LEARNING_RATES),
    batch_size=st.sampled_from([b for b in BATCH_SIZES if b != "full"] + [None]),
    l2=st.sampled_from(L2_RATES),
    init=st.sampled_from(sorted(INITIALIZERS)),
    features=st.lists(st.sampled_from(sorted(FEATURES)), min_size=1, unique=True).map(tuple),
)


@settings(max_examples=200, deadline=None)
@given(valid_settings, st.one_of(st.none(), st.integers(1, MAX_EPOCHS)))
def test_round_trip_is_exact_and_silent(original, epochs):
    params = settings_to_query(original, epochs)
    restored, restored_epochs, notices = settings_from_query(params)
    assert restored == original
    assert restored_epochs == epochs
    assert notices == []


def test_defaults_give_a_clean_url():
    assert settings_to_query(Settings()) == {}


def test_the_issue_example():
    settings_, _, notices = settings_from_query(
        {"data": "spiral", "layers": "8,8,8", "act": "tanh", "lr": "0.03", "seed": "7"}
    )
    assert settings_ == Settings(seed=7)
    assert notices == []


@pytest.mark.parametrize(
    ("params", "field", "expected", "notice"),
    [
        ({"layers": "999,-1"}, "hidden", (16, 1), "adjusted to 16,1"),
        ({"layers": "1,2,3,4,5,6,7,8,9,10"}, "hidden", (1, 2, 3, 4, 5, 6, 7, 8), "adjusted"),
        ({"layers": "none"}, "hidden", (), None),
        ({"lr": "nan"}, "learning_rate", 0.03, "not a usable value"),
        ({"lr": "0.05"}, "learning_rate", 0.03, "adjusted to 0.03"),
        ({"lr": "1e308"}, "learning_rate", 10.0, "adjusted to 10"),
        ({"noise": "-3"}, "noise", 0.0, "adjusted to 0"),
        ({"n": "1e9"}, "n_samples", 1000, "adjusted to 1000"),
        ({"seed": "inf"}, "seed", 0, "not a usable value"),
        ({"act": "__import__('os')"}, "activation", "tanh", "not a usable value"),
        ({"data": "mnist"}, "dataset", "spiral", "not a usable value"),
        ({"batch": "full"}, "batch_size", None, None),
        ({"batch": "7"}, "batch_size", 5, "adjusted to 5"),
        ({"seed": ["1", "2"]}, "seed", 2, "given 2 times"),
        ({"data": "x" * 10_000}, "dataset", "spiral", "10,000 characters"),
        ({"feat": "x1,x2,r2"}, "features", ("x1", "x2", "r2"), None),
        ({"feat": "x1,import os"}, "features", ("x1",), "unknown feature “import os”"),
        ({"feat": ",,"}, "features", ("x1", "x2"), "no usable feature"),
    ],
)
def test_bad_values_are_clamped_or_dropped_with_a_notice(params, field, expected, notice):
    settings_, _, notices = settings_from_query(params)
    assert getattr(settings_, field) == expected
    if notice is None:
        assert notices == []
    else:
        assert any(notice in n for n in notices), notices


def test_epochs_are_bounded():
    assert settings_from_query({"epochs": "500"})[1] == 500
    assert settings_from_query({"epochs": "1e12"})[1] == MAX_EPOCHS
    assert settings_from_query({"epochs": "abc"})[1] is None


def test_unknown_keys_belong_to_other_pages_and_are_ignored():
    assert settings_from_query({"surface": "pca", "zzz": "1"}) == (Settings(), None, [])


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "data",
                "noise",
                "n",
                "split",
                "seed",
                "layers",
                "act",
                "init",
                "opt",
                "lr",
                "batch",
                "l2",
                "epochs",
                "other",
            ]
        ),
        st.one_of(st.text(max_size=40), st.lists(st.text(max_size=12), max_size=3)),
    )
)
def test_fuzzed_parameters_never_raise_and_always_give_valid_settings(params):
    settings_, epochs, notices = settings_from_query(params)
    assert settings_.dataset in DATASETS and settings_.activation in ACTIVATIONS
    assert len(settings_.hidden) <= 8 and all(1 <= w <= 16 for w in settings_.hidden)
    assert settings_.learning_rate in LEARNING_RATES and settings_.l2 in L2_RATES
    assert 100 <= settings_.n_samples <= 1000 and 0 <= settings_.seed <= 9999
    assert epochs is None or 0 <= epochs <= MAX_EPOCHS
    assert all(isinstance(n, str) for n in notices)

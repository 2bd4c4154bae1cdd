"""The settings tables and their URL codec: old links, round trips, clamping, fuzzing."""

from __future__ import annotations

from dataclasses import fields, replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.data.datasets import DATASETS
from core.exchange.query import MAX_VALUE_CHARS, Field, format_value
from core.settings import (
    COMPARE,
    TRANSFORM,
    CompareSettings,
    Settings,
    from_query,
    to_query,
)

TABLES = (TRANSFORM, COMPARE)


def _value(f: Field) -> st.SearchStrategy:
    """Any value a widget of ``f`` can show."""
    if f.kind == "one":
        return st.sampled_from(f.choices)
    if f.kind == "some":
        names = st.lists(st.sampled_from(f.choices), min_size=f.min_count, unique=True)
        return names.map(tuple)
    if f.kind == "levels":
        return st.sampled_from(f.choices + ((None,) if f.none_as else ()))
    if f.kind == "flag":
        return st.booleans()
    if f.kind == "points":  # tests/test_drawn_points.py fuzzes the encoding itself
        return st.sampled_from(["", "QwAAAP__AQoUAR4oAA"])
    if f.kind == "range":
        steps = st.integers(0, round((f.high - f.low) / f.step))
        return steps.map(
            lambda i: f.low + i * f.step if f.step == 1 else round(f.low + i * f.step, 10)
        )
    return st.lists(st.integers(f.low, f.high), max_size=f.max_count).map(tuple)


def _settings(table) -> st.SearchStrategy:
    return st.builds(table.settings, **{f.name: _value(f) for f in table.fields})


# -- the tables -------------------------------------------------------------------------------
# Every URL key the app has ever written (a table may add keys, never drop or rename one).
TRANSFORM_KEYS = "data noise n split seed layers act init opt lr batch l2 feat epochs " + (
    "l1 dseed disc test pts"
)
COMPARE_KEYS = "cmp_data cmp_noise cmp_budget cmp_depth cmp_act cmp_opt cmp_lr cmp_seed " + (
    "cmp_ldata cmp_lnoise cmp_feat cmp_epochs"
)


def test_every_url_key_of_before_is_kept():
    assert set(TRANSFORM_KEYS.split()) == TRANSFORM.keys
    assert set(COMPARE_KEYS.split()) == COMPARE.keys
    assert not TRANSFORM.keys & COMPARE.keys  # both pages read the same address bar


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_each_table_declares_every_setting_once_with_its_dataclass_default(table):
    names = [f.name for f in table.fields]
    assert sorted(names) == sorted(f.name for f in fields(table.settings))
    assert len({f.key for f in table.fields}) == len(names)
    for f in table.fields:
        assert getattr(table.settings(), f.name) == f.default
        # The default is one of the values its widget offers (a clean URL restores it).
        clean = from_query({f.key: format_value(f, f.default)}, table)
        assert clean == (table.settings(), None, [])


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_needs_reset_follows_resets_model(table, data):
    base = data.draw(_settings(table))
    for f in table.fields:
        other = data.draw(_value(f).filter(lambda v, f=f: v != getattr(base, f.name)))
        assert replace(base, **{f.name: other}).needs_reset(base) is f.resets_model, f.name
    assert not base.needs_reset(base)


def test_what_a_running_trainer_can_take():
    assert {f.name for f in TRANSFORM.fields if not f.resets_model} == {
        "learning_rate",
        "l2",
        "batch_size",
        "l1",
        "data_seed",  # a new sample of the same dataset: the network is kept
        "discretize",  # what is drawn, not what is trained
        "show_test",
    }
    assert {f.name for f in COMPARE.fields if not f.resets_model} == {
        "learning_rate",
        "lift_dataset",
        "lift_noise",
        "features",
    }


# -- links written before the tables: they restore the same settings -------------------------
# Expected values worked out from the two codecs this one replaced (core/settings.py and the
# CompareSettings methods of core/labs/deep_vs_wide.py before issue 12), and checked by running
# both old codecs on these links and on 6,000 links they wrote themselves.
OLD_LINKS = [
    (TRANSFORM, {}, Settings(), None),
    (
        TRANSFORM,
        {"data": "circles", "layers": "3,2", "act": "relu", "lr": "0.1", "seed": "7"},
        Settings(dataset="circles", hidden=(3, 2), activation="relu", learning_rate=0.1, seed=7),
        None,
    ),
    (
        TRANSFORM,
        {"data": "spiral", "layers": "8,8,8", "act": "tanh", "lr": "0.03", "seed": "7"},
        Settings(seed=7),
        None,
    ),
    (
        TRANSFORM,
        {
            **{"data": "moons", "noise": "0.15", "n": "750", "split": "0.7", "seed": "42"},
            **{"layers": "5,4", "act": "relu", "init": "he_uniform", "opt": "sgd"},
            **{"lr": "0.003", "batch": "25", "l2": "0.001", "feat": "x1,x2,r2", "epochs": "300"},
        },
        Settings(
            dataset="moons",
            noise=0.15,
            n_samples=750,
            train_share=0.7,
            seed=42,
            hidden=(5, 4),
            activation="relu",
            init="he_uniform",
            optimizer="sgd",
            learning_rate=0.003,
            batch_size=25,
            l2=0.001,
            features=("x1", "x2", "r2"),
        ),
        300,
    ),
    (
        TRANSFORM,
        {"layers": "none", "batch": "full", "feat": "r2,x1"},
        Settings(hidden=(), batch_size=None, features=("r2", "x1")),
        None,
    ),
    (TRANSFORM, {"layers": "", "epochs": "0"}, Settings(hidden=()), None),
    # Clamped and snapped as before (with a notice each).
    (
        TRANSFORM,
        {"layers": "999,-1", "n": "1e9", "lr": "0.05", "batch": "7", "noise": "-3"},
        Settings(hidden=(16, 1), n_samples=1000, learning_rate=0.03, batch_size=5, noise=0.0),
        None,
    ),
    (
        TRANSFORM,
        {"layers": "1,2,3,4,5,6,7,8,9,10", "lr": "1e308", "seed": ["1", "2"]},
        Settings(hidden=(1, 2, 3, 4, 5, 6, 7, 8), learning_rate=10.0, seed=2),
        None,
    ),
    (
        TRANSFORM,
        {"noise": "0.123", "split": "0.33", "n": "475", "layers": "3.7,2"},
        Settings(noise=0.12, train_share=0.35, n_samples=500, hidden=(3, 2)),
        None,
    ),
    (
        TRANSFORM,
        {"l2": "0.00001", "lr": "0", "epochs": "1e12"},
        Settings(l2=0.0001, learning_rate=0.0001),
        20_000,
    ),
    (
        TRANSFORM,
        {"l2": "-1", "lr": "-1", "seed": "1e9"},
        Settings(l2=0.0, learning_rate=0.0001, seed=9999),
        None,
    ),
    # Dropped as before: the rest of the link still counts.
    (
        TRANSFORM,
        {"act": "bogus", "data": "mnist", "seed": "inf", "lr": "nan", "opt": "sgd"},
        Settings(optimizer="sgd"),
        None,
    ),
    (TRANSFORM, {"feat": "x1,import os", "data": "x" * 10_000}, Settings(features=("x1",)), None),
    (TRANSFORM, {"feat": ",,", "epochs": "abc"}, Settings(), None),
    (COMPARE, {}, CompareSettings(), None),
    (
        COMPARE,
        {"cmp_ldata": "xor", "cmp_feat": ""},
        CompareSettings(lift_dataset="xor", features=()),
        None,
    ),
    (
        COMPARE,
        {
            **{"cmp_data": "xor", "cmp_noise": "0.15", "cmp_budget": "100", "cmp_depth": "6"},
            **{"cmp_act": "leaky_relu", "cmp_opt": "rmsprop", "cmp_lr": "0.003", "cmp_seed": "42"},
            **{"cmp_ldata": "moons", "cmp_lnoise": "0.05", "cmp_feat": "x1sq,x1x2,r2"},
            "cmp_epochs": "300",
        },
        CompareSettings(
            dataset="xor",
            noise=0.15,
            budget=100,
            depth=6,
            activation="leaky_relu",
            optimizer="rmsprop",
            learning_rate=0.003,
            seed=42,
            lift_dataset="moons",
            lift_noise=0.05,
            features=("x1sq", "x1x2", "r2"),
        ),
        300,
    ),
    (
        COMPARE,
        {"cmp_data": "circles", "cmp_budget": "999", "cmp_act": "bogus", "cmp_epochs": "30"},
        CompareSettings(dataset="circles", budget=1000),
        30,
    ),
    (
        COMPARE,
        {
            **{
                "cmp_budget": "5000",
                "cmp_depth": "1e9",
                "cmp_act": "step",
                "cmp_lr": ["1", "0.02"],
            },
            **{"cmp_noise": "nan", "cmp_feat": "r2,bogus,r2", "cmp_seed": "-3"},
            "cmp_epochs": "99999",
        },
        CompareSettings(budget=2000, depth=6, learning_rate=0.03),
        5000,
    ),
    (
        COMPARE,
        {"cmp_depth": "4.6", "cmp_seed": "7.5", "cmp_budget": "120", "cmp_feat": "none"},
        CompareSettings(depth=5, seed=8, budget=100, features=()),
        None,
    ),
    (
        COMPARE,
        {"cmp_depth": "1", "cmp_lnoise": "0.304", "cmp_epochs": "-5", "cmp_lr": "0"},
        CompareSettings(depth=2, lift_noise=0.3, learning_rate=0.0001),
        None,
    ),
    # One address bar, two pages: each table reads only its own keys.
    (
        COMPARE,
        {"data": "xor", "layers": "4", "epochs": "9", "cmp_depth": "3"},
        CompareSettings(depth=3),
        None,
    ),
    (
        TRANSFORM,
        {"data": "xor", "cmp_depth": "3", "cmp_epochs": "9"},
        Settings(dataset="xor"),
        None,
    ),
]


@pytest.mark.parametrize(("table", "params", "expected", "epochs"), OLD_LINKS)
def test_links_that_worked_before_restore_the_same_settings(table, params, expected, epochs):
    restored, restored_epochs, notices = from_query(params, table)
    assert restored == expected
    assert restored_epochs == epochs
    assert all(isinstance(n, str) and n for n in notices)


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_round_trip_is_exact_and_silent(table, data):
    original = data.draw(_settings(table))
    epochs = data.draw(st.one_of(st.none(), st.integers(1, table.max_epochs)))
    params = to_query(original, table, epochs)
    assert from_query(params, table) == (original, epochs, [])
    assert all(len(value) <= MAX_VALUE_CHARS for value in params.values())


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_defaults_give_a_clean_url(table):
    assert to_query(table.settings(), table) == {}
    assert from_query({}, table) == (table.settings(), None, [])


def test_l1_l2_regenerate_and_view_flags_travel_in_a_link():
    shown = Settings(l1=0.01, l2=0.001, data_seed=3, discretize=True, show_test=False)
    params = to_query(shown, TRANSFORM)
    assert params == {"l1": "0.01", "l2": "0.001", "dseed": "3", "disc": "1", "test": "0"}
    assert from_query(params, TRANSFORM) == (shown, None, [])
    # An old link's l2= still means L2 alone.
    assert from_query({"l2": "0.01"}, TRANSFORM)[0] == Settings(l2=0.01)


def test_a_base_is_kept_where_the_link_says_nothing_or_nonsense():
    base = Settings(dataset="xor", seed=3)
    restored, _, notices = from_query({"seed": "abc", "lr": "0.1"}, TRANSFORM, base=base)
    assert restored == base.with_changes(learning_rate=0.1)
    assert notices == ["“seed=abc” is not a usable value; using 3."]


@pytest.mark.parametrize(
    ("table", "params", "notice"),
    [
        (TRANSFORM, {"layers": "999,-1"}, "“layers=999,-1” was adjusted to 16,1."),
        (TRANSFORM, {"lr": "nan"}, "“lr=nan” is not a usable value; using 0.03."),
        (TRANSFORM, {"lr": "0.05"}, "“lr=0.05” was adjusted to 0.03."),
        (TRANSFORM, {"seed": ["1", "2"]}, "“seed” was given 2 times; the last value was used."),
        (TRANSFORM, {"data": "x" * 10_000}, "“data” was 10,000 characters long and was ignored."),
        (TRANSFORM, {"feat": "x1,import os"}, "“feat”: “import os” is not an option here"),
        (TRANSFORM, {"feat": ",,"}, "“feat” named no usable option; using x1,x2."),
        (TRANSFORM, {"epochs": "1e12"}, "“epochs=1e12” was adjusted to 20000."),
        (TRANSFORM, {"epochs": "abc"}, "“epochs=abc” is not a usable value"),
        (TRANSFORM, {"batch": "0"}, "“batch=0” is not a usable value: a batch size is a whole"),
        (TRANSFORM, {"batch": "-3"}, "“batch=-3” is not a usable value: a batch size is a whole"),
        (TRANSFORM, {"batch": "2.5"}, "“batch=2.5” is not a usable value: a batch size is a who"),
        (TRANSFORM, {"batch": "1e309"}, "“batch=1e309” is not a usable value; using full."),
        (TRANSFORM, {"batch": "1000"}, "“batch=1000” was adjusted to 100."),
        (COMPARE, {"cmp_act": "step"}, "“cmp_act=step” is not a usable value; using relu."),
        (COMPARE, {"cmp_budget": "5000"}, "“cmp_budget=5000” was adjusted to 2000."),
        (COMPARE, {"cmp_feat": "x1,r2"}, "“cmp_feat”: “x1” is not an option here"),
        (COMPARE, {"cmp_feat": "r2,r2"}, "“cmp_feat=r2,r2” was adjusted to r2."),
        (TRANSFORM, {"disc": "maybe"}, "“disc=maybe” is not a usable value; using 0."),
        (TRANSFORM, {"test": "off"}, "“test=off” was adjusted to 0."),
        (TRANSFORM, {"l1": "0.02"}, "“l1=0.02” was adjusted to 0.03."),
    ],
)
def test_every_change_to_a_link_says_so(table, params, notice):
    notices = from_query(params, table)[2]
    assert len(notices) == 1 and notices[0].startswith(notice), notices


@pytest.mark.parametrize("text", ["0.030", "3e-2", " 0.03 "])
def test_the_same_number_written_differently_is_not_a_change(text):
    assert from_query({"lr": text}, TRANSFORM) == (Settings(), None, [])


@pytest.mark.parametrize("text", ["0", "-1", "0.5", "2.5", "nan", "-inf", "1e309", "Full"])
def test_a_batch_that_is_not_a_whole_number_of_points_is_refused_not_made_one(text):
    # Snapping 0 to the nearest level gave batch 1, the costliest setting; the base is kept.
    restored, _, notices = from_query({"batch": text}, TRANSFORM, base=Settings(batch_size=25))
    assert restored.batch_size == 25 and "is not a usable value" in notices[0]


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_fuzzed_parameters_never_raise_and_always_give_valid_settings(table, data):
    keys = st.sampled_from([*sorted(table.keys), "other"])
    values = st.one_of(st.text(max_size=40), st.lists(st.text(max_size=12), max_size=3))
    params = data.draw(st.dictionaries(keys, values))
    restored, epochs, notices = from_query(params, table)
    # Whatever came in, what comes out is something the widgets offer: it round-trips silently.
    assert from_query(to_query(restored, table), table) == (restored, None, [])
    assert epochs is None or 1 <= epochs <= table.max_epochs
    assert all(isinstance(n, str) for n in notices)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.sampled_from(sorted(TRANSFORM.keys)), st.text(max_size=40)))
def test_fuzzed_transform_links_stay_within_what_the_page_shows(params):
    restored = from_query(params, TRANSFORM)[0]
    assert restored.dataset in DATASETS or restored.dataset == "drawn"
    assert len(restored.hidden) <= 8 and all(1 <= w <= 16 for w in restored.hidden)
    assert 100 <= restored.n_samples <= 1000 and 0 <= restored.seed <= 9999
    assert 0.0 <= restored.noise <= 0.3 and 0.1 <= restored.train_share <= 0.9

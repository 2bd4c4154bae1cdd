"""Deep vs wide: exact parameter counts, the shape rule, the settings' URL form and the race."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.labs.deep_vs_wide import (
    BUDGETS,
    DEPTHS,
    QUERY_KEYS,
    CompareSettings,
    Race,
    budget_choices,
    count_parameters,
    deep_and_wide,
    joint_history,
    max_budget,
)
from core.nn.network import MAX_WIDTH, MLP

OUTPUTS = (1, 3, 5)


@pytest.mark.parametrize("sizes", [(2, 1), (2, 7, 1), (2, 7, 7, 7, 7, 1), (3, 49, 5), (8, 3, 2, 4)])
def test_parameter_count_is_the_models(sizes):
    assert count_parameters(sizes) == MLP(list(sizes)).n_parameters


def test_default_pair_by_hand():
    # deep 2-7-7-7-7-1: 3·7 + 3·(8·7) + 8·1 = 197; wide 2-49-1: 3·49 + 50 = 197.
    assert deep_and_wide(200, 2, 1, 4) == ((7, 7, 7, 7), (49,))


@pytest.mark.parametrize("n_outputs", OUTPUTS)
@pytest.mark.parametrize("depth", range(DEPTHS[0], DEPTHS[1] + 1))
def test_every_offered_budget_gives_two_nets_that_differ_only_in_shape(depth, n_outputs):
    for budget in budget_choices(2, n_outputs):
        deep, wide = deep_and_wide(budget, 2, n_outputs, depth)
        deep_model, wide_model = MLP([2, *deep, n_outputs]), MLP([2, *wide, n_outputs])
        assert len(deep) == depth and len(set(deep)) == 1 and len(wide) == 1
        assert deep_model.layer_sizes[0] == wide_model.layer_sizes[0] == 2
        assert deep_model.n_outputs == wide_model.n_outputs == n_outputs
        # The wide net's counts are (2 + 1 + n_outputs) apart: it lands within half of that.
        gap = abs(deep_model.n_parameters - wide_model.n_parameters)
        assert gap <= (3 + n_outputs) / 2 or wide == (MAX_WIDTH,)
        # No other equal-width deep net is nearer the budget.
        best = min(
            abs(count_parameters([2, *[h] * depth, n_outputs]) - budget)
            for h in range(2, MAX_WIDTH + 1)
        )
        assert abs(deep_model.n_parameters - budget) == best


def test_a_budget_below_the_smallest_deep_net_gets_the_smallest():
    # 2-2-2-2-2-2-2-5 has 51 parameters, the least any 6-layer net of width ≥ 2 can have.
    deep, wide = deep_and_wide(50, 2, 5, 6)
    assert deep == (2,) * 6 and count_parameters([2, *deep, 5]) == 51
    assert count_parameters([2, *wide, 5]) == 53  # 2-6-5: the nearest wide count


def test_the_rule_matches_the_wide_net_to_the_deep_one():
    deep, wide = deep_and_wide(250, 2, 1, 2)  # deep 2-13-13-1: 235
    assert count_parameters([2, *deep, 1]) == 235
    assert count_parameters([2, *wide, 1]) == 237  # 233 and 237 tie; 237 is nearer 250


def test_bad_budgets_and_depths_are_named():
    with pytest.raises(ValueError, match="budget must be 1..4097 .* got 5000"):
        deep_and_wide(5000, 2, 1, 4)
    with pytest.raises(ValueError, match="got 0"):
        deep_and_wide(0, 2, 1, 4)
    with pytest.raises(ValueError, match="depth must be 2..32, got 1"):
        deep_and_wide(100, 2, 1, 1)


def test_budget_choices_fit_the_width_limit():
    assert budget_choices() == tuple(b for b in BUDGETS if b <= max_budget(2, 1))
    assert max_budget(2, 1) == 3 * MAX_WIDTH + MAX_WIDTH + 1
    assert CompareSettings().budget in budget_choices()


# -- settings ↔ URL --------------------------------------------------------------------------
def test_defaults_leave_the_url_empty():
    assert CompareSettings().to_query_params() == {}
    assert CompareSettings.from_query_params({}) == (CompareSettings(), None, [])
    assert set(QUERY_KEYS.values()) == set(CompareSettings.__dataclass_fields__)
    assert all(key.startswith("cmp_") for key in QUERY_KEYS)


def test_settings_round_trip_through_the_url():
    chosen = CompareSettings(
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
    )
    params = chosen.to_query_params(epochs=300)
    assert params["cmp_feat"] == "x1sq,x1x2,r2" and params["cmp_epochs"] == "300"
    assert CompareSettings.from_query_params(params) == (chosen, 300, [])
    no_features = CompareSettings(features=())
    assert no_features.to_query_params() == {"cmp_feat": ""}
    assert CompareSettings.from_query_params({"cmp_feat": ""})[0] == no_features


def test_bad_values_are_clamped_or_dropped_with_a_notice():
    query = {
        "cmp_budget": "5000",
        "cmp_depth": "1e9",
        "cmp_act": "step",  # cannot be trained
        "cmp_lr": ["1", "0.02"],  # the last one counts; snapped to a choice
        "cmp_noise": "nan",
        "cmp_feat": "r2,bogus,r2",
        "cmp_seed": "-3",
        "cmp_epochs": "99999",
        "unrelated": "kept elsewhere",
    }
    settings_, epochs, notices = CompareSettings.from_query_params(query)
    assert settings_.budget == max(budget_choices()) and settings_.depth == DEPTHS[1]
    assert settings_.activation == "relu" and settings_.learning_rate == 0.03
    assert settings_.noise == 0.0 and settings_.features == ("r2",) and settings_.seed == 0
    assert epochs == 5000
    assert len(notices) == 8
    assert any("cmp_act=step" in n and "default relu" in n for n in notices)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from([*QUERY_KEYS, "cmp_epochs"]), st.text(max_size=30)))
def test_parsing_never_raises(query):
    parsed, epochs, notices = CompareSettings.from_query_params(query)
    assert parsed.budget in budget_choices() and DEPTHS[0] <= parsed.depth <= DEPTHS[1]
    assert epochs is None or 0 < epochs <= 5000
    assert all(isinstance(n, str) for n in notices)


# -- the race --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def race() -> Race:
    return Race.build(CompareSettings(budget=100, depth=3))


def test_both_nets_share_everything_but_their_shape(race):
    deep, wide = race.trainers["deep"], race.trainers["wide"]
    assert deep.model.layer_sizes == (2, 6, 6, 6, 1) and wide.model.layer_sizes == (2, 27, 1)
    assert deep.model.n_parameters == wide.model.n_parameters == 109
    assert deep.model.activation is wide.model.activation
    assert type(deep.optimizer) is type(wide.optimizer)
    assert deep.learning_rate == wide.learning_rate == 0.01
    assert deep.batch_size == wide.batch_size == len(race.X_train)
    np.testing.assert_array_equal(deep.X_train, wide.X_train)
    np.testing.assert_array_equal(deep.y_test, wide.y_test)


def test_the_same_seed_gives_the_same_start():
    first, second = Race.build(CompareSettings()), Race.build(CompareSettings())
    for name in ("deep", "wide"):
        np.testing.assert_array_equal(
            first.trainers[name].model.params, second.trainers[name].model.params
        )
    other = Race.build(CompareSettings(seed=1))
    assert not np.array_equal(other.X_train, first.X_train)


def test_both_nets_train_the_same_epochs_and_learn(race):
    race.run(40)
    race.advance(0.05, chunk=5)
    deep, wide = race.trainers["deep"], race.trainers["wide"]
    assert deep.epoch == wide.epoch == race.epoch >= 45
    epochs, rows = joint_history(race.trainers)
    np.testing.assert_array_equal(epochs, deep.history.epochs)
    assert rows["deep"].shape == (len(epochs), 4) and not np.isnan(rows["wide"]).any()
    assert rows["deep"][-1, 0] < rows["deep"][0, 0]


def test_live_learning_rate_keeps_the_weights(race):
    before = race.trainers["deep"].model.params.copy()
    race.apply_live(CompareSettings(budget=100, depth=3, learning_rate=0.1, features=()))
    assert race.trainers["wide"].learning_rate == 0.1
    np.testing.assert_array_equal(race.trainers["deep"].model.params, before)
    same = CompareSettings(budget=100, depth=3)
    assert race.settings.race_key() == same.race_key()
    assert same.race_key() != CompareSettings(budget=100, depth=4).race_key()


def test_history_is_aligned_when_one_net_stops_early():
    race = Race.build(CompareSettings(dataset="blobs3", budget=75))
    race.run(3)
    race.trainers["wide"].diverged = "stopped for the test"
    race.run(2)
    epochs, rows = joint_history(race.trainers)
    np.testing.assert_array_equal(epochs, [1, 2, 3, 4, 5])
    assert np.isnan(rows["wide"][3:]).all() and not np.isnan(rows["deep"]).any()
    assert race.epoch == 5 and race.running

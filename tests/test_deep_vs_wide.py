"""Deep vs wide: exact parameter counts, the shape rule and the two logs on one axis.

The Compare page's settings are tested in test_settings.py, its race in test_experiment.py."""

from __future__ import annotations

import numpy as np
import pytest

from core.labs.deep_vs_wide import (
    BUDGETS,
    budget_choices,
    count_parameters,
    deep_and_wide,
    joint_history,
    max_budget,
)
from core.nn.network import MAX_WIDTH, MLP
from core.nn.training import Trainer
from core.settings import COMPARE

OFFERED_DEPTHS = range(COMPARE["depth"].low, COMPARE["depth"].high + 1)

OUTPUTS = (1, 3, 5)


@pytest.mark.parametrize("sizes", [(2, 1), (2, 7, 1), (2, 7, 7, 7, 7, 1), (3, 49, 5), (8, 3, 2, 4)])
def test_parameter_count_is_the_models(sizes):
    assert count_parameters(sizes) == MLP(list(sizes)).n_parameters


def test_default_pair_by_hand():
    # deep 2-7-7-7-7-1: 3·7 + 3·(8·7) + 8·1 = 197; wide 2-49-1: 3·49 + 50 = 197.
    assert deep_and_wide(200, 2, 1, 4) == ((7, 7, 7, 7), (49,))


@pytest.mark.parametrize("n_outputs", OUTPUTS)
@pytest.mark.parametrize("depth", OFFERED_DEPTHS)
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
    assert COMPARE["budget"].choices == budget_choices()
    assert COMPARE["budget"].default in budget_choices()


def _trainers(n_epochs: dict[str, int]) -> dict[str, Trainer]:
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (40, 2))
    y = (X[:, 0] > 0).astype(np.int64)
    trainers = {}
    for name, epochs in n_epochs.items():
        trainers[name] = Trainer(MLP([2, 3, 1], seed=1), X[:20], y[:20], X[20:], y[20:])
        trainers[name].run(epochs)
    return trainers


def test_history_of_two_nets_that_trained_alike_has_no_gaps():
    trainers = _trainers({"deep": 7, "wide": 7})
    epochs, rows = joint_history(trainers)
    np.testing.assert_array_equal(epochs, trainers["deep"].history.epochs)
    for name, trainer in trainers.items():
        np.testing.assert_array_equal(rows[name], trainer.history.rows)


def test_history_is_aligned_when_one_net_stopped_early():
    trainers = _trainers({"deep": 5, "wide": 3})
    epochs, rows = joint_history(trainers)
    np.testing.assert_array_equal(epochs, [1, 2, 3, 4, 5])
    assert np.isnan(rows["wide"][3:]).all() and not np.isnan(rows["wide"][:3]).any()
    np.testing.assert_array_equal(rows["deep"], trainers["deep"].history.rows)

"""Hand edits: typed numbers parsed (never evaluated), parameters named, applied, spelled."""

from __future__ import annotations

import numpy as np
import pytest

from core.experiment import Experiment, Settings
from core.nn.edits import EDIT_LIMIT, Edit, apply_edits, format_edits, parse_edits, parse_value
from core.nn.network import MLP

SIZES = (2, 3, 4, 1)


@pytest.mark.parametrize(
    ("text", "value"),
    [("0.5", 0.5), (" -1 ", -1.0), ("2e-3", 0.002), ("\u22120.25", -0.25), (".5", 0.5),
     ("+3.", 3.0), ("10", 10.0)],
)  # fmt: skip
def test_plain_numbers_are_read(text, value):
    assert parse_value(text) == (value, "")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("abc", "is not a number"),
        ("__import__('os')", "is not a number"),
        ("nan", "not a finite number"),
        ("NaN", "not a finite number"),
        ("-inf", "not a finite number"),
        ("1e309", "beyond the range of floating-point numbers"),
        ("0x10", "is not a number"),
        ("1_000", "is not a number"),
        ("", "Type a number"),
        ("1" * 41, "too long"),
    ],
)
def test_bad_entries_are_refused_with_a_reason(text, reason):
    value, note = parse_value(text)
    assert value is None and reason in note


def test_values_beyond_the_limit_are_clamped_and_said():
    assert parse_value("25") == (EDIT_LIMIT, f"25 is outside −10..10: set to {EDIT_LIMIT:g}.")
    assert parse_value("-1e300")[0] == -EDIT_LIMIT


def test_an_edit_changes_exactly_its_parameter():
    model = MLP(SIZES, "tanh", seed=0)
    before = model.params.copy()
    apply_edits(model, [Edit("W", 1, 2, 3, 0.75)])  # W2[3,4]: unit 3 of layer 1 → unit 4
    changed = np.flatnonzero(model.params != before)
    assert len(changed) == 1 and model.weights[1][2, 3] == 0.75
    apply_edits(model, [Edit("b", 2, 0, None, -2.0)])
    assert model.biases[2][0] == -2.0
    assert np.count_nonzero(model.params != before) == 2


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (Edit("W", 3, 0, 0, 1.0), "weight layers 1..3"),
        (Edit("W", 0, 2, 0, 1.0), "the layer below has units 1..2"),
        (Edit("W", 0, 0, 3, 1.0), "layer 1 has units 1..3"),
        (Edit("b", 2, 1, None, 1.0), "layer 3 has units 1..1"),
        (Edit("W", 0, 0, 0, float("nan")), "values are −10..10"),
    ],
)
def test_a_bad_edit_changes_nothing(edit, message):
    model = MLP(SIZES, "tanh", seed=0)
    before = model.params.copy()
    with pytest.raises(ValueError, match=message):
        apply_edits(model, [Edit("W", 0, 0, 0, 0.5), edit])  # the good one is not applied
    np.testing.assert_array_equal(model.params, before)


def test_the_link_spelling_round_trips():
    edits = [
        Edit("W", 1, 0, 2, 0.5, 300),
        Edit("b", 0, 1, None, -1.0, 300),
        Edit("W", 0, 1, 0, 0.1234567891, 500),
        Edit("b", 2, 0, None, 2.0, None),
    ]
    text = format_edits(edits)
    assert text == "W2[1,3]:0.5;b1[2]:-1@300;W1[2,1]:0.1234567891@500;b3[1]:2"
    assert parse_edits(text, SIZES) == (edits, [])


def test_the_links_edits_are_checked_and_put_in_epoch_order():
    text = "b3[1]:1@50;W9[1,1]:1;W1[1,1]:nan;b1[1,2]:1;W1[1,1]:99@20;junk;W1[2,2]:0.5"
    edits, notices = parse_edits(text, SIZES)
    assert edits == [
        Edit("W", 0, 0, 0, 10.0, 20),  # clamped
        Edit("b", 2, 0, None, 1.0, 50),
        Edit("W", 0, 1, 1, 0.5, None),  # unstamped: after the training
    ]
    assert len(notices) == 5
    assert any("W9[1,1]" in n and "weight layers 1..3" in n for n in notices)
    assert any("not a finite number" in n for n in notices)
    assert any("a weight has two indices" in n for n in notices)
    assert any("“junk” is not an edit" in n for n in notices)
    assert parse_edits("W1[1,1]:1;" * 40, SIZES)[1][0].startswith("“edit” named 40 edits")


def test_an_experiments_edit_is_remembered_and_its_loss_measured_again():
    experiment = Experiment.build(Settings(dataset="xor", hidden=(4,), n_samples=100))
    experiment.trainer.run(5)
    logged = experiment.trainer.history.rows[-1].copy()
    experiment.edit([Edit("b", 1, 0, None, 8.0, experiment.epoch)])  # output bias: all "blue"
    row = experiment.trainer.history.rows[-1]
    assert experiment.trainer.history.epochs[-1] == 5 and experiment.trainer.history.size == 5
    train = experiment.trainer.evaluate(experiment.trainer.X_train, experiment.trainer.y_train)
    assert row[0] == pytest.approx(train[0]) and row[0] != logged[0]
    assert experiment.edits == [Edit("b", 1, 0, None, 8.0, 5)]

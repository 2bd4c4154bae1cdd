"""Experiment and Race: seeded builds, live settings, uploaded data and imported weights."""

import numpy as np
import pytest

from core.experiment import UPLOADED, Experiment, Race, Settings
from core.labs.deep_vs_wide import joint_history
from core.nn.metrics import METRICS
from core.nn.network import MLP
from core.settings import COMPARE_N_SAMPLES, CompareSettings


def test_same_settings_same_start():
    a, b = Experiment.build(Settings(seed=3)), Experiment.build(Settings(seed=3))
    np.testing.assert_array_equal(a.model.params, b.model.params)
    np.testing.assert_array_equal(a.X_train, b.X_train)


def test_live_settings_do_not_need_a_reset():
    base = Settings()
    assert not base.with_changes(learning_rate=0.1, l2=0.01, batch_size=10).needs_reset(base)
    assert base.with_changes(hidden=(4,)).needs_reset(base)
    experiment = Experiment.build(base)
    experiment.trainer.run(2)
    experiment.apply_live(base.with_changes(learning_rate=0.1, batch_size=10))
    assert experiment.trainer.learning_rate == 0.1 and experiment.trainer.batch_size == 10
    assert experiment.epoch == 2


def test_uploaded_data_and_imported_params():
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (60, 2))
    y = (X[:, 0] > 0).astype(np.int64) + (X[:, 1] > 0)  # three classes
    source = MLP([2, 4, 3], "relu", seed=9)
    experiment = Experiment.build(
        Settings(dataset=UPLOADED, hidden=(4,), activation="relu"),
        data=(X, y),
        params=source.params,
    )
    assert experiment.model.layer_sizes == (2, 4, 3)
    np.testing.assert_array_equal(experiment.model.params, source.params)
    assert len(experiment.X_train) + len(experiment.X_test) == 60
    with pytest.raises(ValueError, match="upload a CSV"):
        Experiment.build(Settings(dataset=UPLOADED))


def test_step_activation_builds_without_a_trainer():
    experiment = Experiment.build(Settings(activation="step"))
    assert experiment.trainer is None and experiment.epoch == 0 and experiment.advance(0.01) == 0


# -- the Compare page's race -----------------------------------------------------------------
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
    assert len(race.X_train) + len(race.X_test) == COMPARE_N_SAMPLES
    np.testing.assert_array_equal(deep.X_train, wide.X_train)
    np.testing.assert_array_equal(deep.y_test, wide.y_test)


def test_the_same_seed_gives_the_same_race():
    first, second = Race.build(CompareSettings()), Race.build(CompareSettings())
    for name in ("deep", "wide"):
        np.testing.assert_array_equal(
            first.trainers[name].model.params, second.trainers[name].model.params
        )
    other = Race.build(CompareSettings(seed=1))
    assert not np.array_equal(other.X_train, first.X_train)


def test_both_nets_train_the_same_epochs_and_learn(race):
    assert race.run(40) == 40
    assert race.advance(0.05) >= 1
    deep, wide = race.trainers["deep"], race.trainers["wide"]
    assert deep.epoch == wide.epoch == race.epoch >= 41
    epochs, rows = joint_history(race.trainers)
    np.testing.assert_array_equal(epochs, deep.history.epochs)
    assert rows["deep"].shape == (len(epochs), len(METRICS)) and not np.isnan(rows["wide"]).any()
    assert rows["deep"][-1, 0] < rows["deep"][0, 0]


def test_live_settings_keep_the_race(race):
    before = race.trainers["deep"].model.params.copy()
    live = CompareSettings(budget=100, depth=3, learning_rate=0.1, features=(), lift_noise=0.2)
    assert not live.needs_reset(race.settings)
    race.apply_live(live)
    assert race.trainers["wide"].learning_rate == 0.1 and race.settings == live
    np.testing.assert_array_equal(race.trainers["deep"].model.params, before)
    assert CompareSettings(budget=100, depth=4).needs_reset(race.settings)


def test_a_race_goes_on_while_one_net_has_stopped():
    race = Race.build(CompareSettings(dataset="blobs3", budget=75))
    race.run(3)
    race.trainers["wide"].diverged = "stopped for the test"
    race.run(2)
    assert race.epoch == 5 and race.trainers["wide"].epoch == 3 and race.running
    race.trainers["deep"].diverged = "stopped too"
    assert not race.running and race.advance(0.05) == 0

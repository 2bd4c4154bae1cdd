"""Experiment: seeded builds, live settings, uploaded data and imported weights."""

import numpy as np
import pytest

from core.experiment import UPLOADED, Experiment, Settings
from core.nn.network import MLP


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

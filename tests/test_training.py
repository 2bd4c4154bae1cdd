"""Trainer: learns the spiral, stops cleanly on divergence, keeps memory bounded."""

import numpy as np
import pytest
from sklearn.metrics import r2_score

from core.data.datasets import make_dataset
from core.data.splits import train_test_split
from core.nn.metrics import METRICS, REGRESSION_METRICS, accuracy, r_squared, rmse
from core.nn.network import MLP
from core.nn.training import (
    EXPLODED,
    ThinnedLog,
    Trainer,
)


def _spiral(seed=0):
    X, y = make_dataset("spiral", 500, noise=0.0, seed=seed)
    return train_test_split(X, y, 0.5, seed=seed)


def test_spiral_reaches_99_percent_with_adam_full_batch():
    X_train, X_test, y_train, y_test = _spiral()
    trainer = Trainer(MLP([2, 8, 8, 8, 1], "tanh", seed=0), X_train, y_train, X_test, y_test)
    reached = None
    while trainer.epoch < 3000 and reached is None:
        trainer.run(100)
        if trainer.evaluate(X_train, y_train)[1] >= 0.99:
            reached = trainer.epoch
    assert reached is not None, f"train accuracy {trainer.evaluate(X_train, y_train)[1]}"


def test_history_columns_are_real_metrics():
    X_train, X_test, y_train, y_test = _spiral(1)
    trainer = Trainer(MLP([2, 6, 1], "tanh", seed=1), X_train, y_train, X_test, y_test)
    trainer.run(5)
    epochs, rows = trainer.history.epochs, trainer.history.rows
    np.testing.assert_array_equal(epochs, [1, 2, 3, 4, 5])
    assert rows.shape == (5, len(METRICS))
    # Test metrics are evaluated after the epoch: recompute the last one independently.
    probs = trainer.model.forward(X_test)
    expected_loss = -np.mean(y_test * np.log(probs[:, 0]) + (1 - y_test) * np.log(1 - probs[:, 0]))
    assert rows[-1, 2] == pytest.approx(expected_loss, rel=1e-10)
    assert rows[-1, 3] == accuracy(probs, y_test)


def test_full_batch_train_loss_is_loss_at_start_of_epoch():
    X_train, _, y_train, _ = _spiral(2)
    model = MLP([2, 4, 1], "tanh", seed=2)
    start = Trainer(model.copy(), X_train, y_train).evaluate(X_train, y_train)[0]
    trainer = Trainer(model, X_train, y_train, optimizer="sgd", learning_rate=0.5)
    trainer.run(1)
    assert trainer.history.rows[0, 0] == pytest.approx(start, rel=1e-12)


def test_same_seed_same_settings_give_identical_weights():
    X_train, X_test, y_train, y_test = _spiral(3)
    runs = []
    for _ in range(2):
        trainer = Trainer(
            MLP([2, 5, 5, 1], "relu", seed=9),
            X_train,
            y_train,
            X_test,
            y_test,
            batch_size=16,
            dropout=0.1,
            optimizer="rmsprop",
            seed=4,
        )
        trainer.run(20)
        runs.append(trainer.model.params.copy())
    np.testing.assert_array_equal(runs[0], runs[1])


def test_minibatch_multiclass_training_learns_blobs():
    X, y = make_dataset("blobs3", 300, noise=0.05, seed=0)
    X_train, X_test, y_train, y_test = train_test_split(X, y, 0.5, seed=0)
    trainer = Trainer(
        MLP([2, 8, 3], "relu", seed=0),
        X_train,
        y_train,
        X_test,
        y_test,
        optimizer="momentum",
        batch_size=10,
    )
    trainer.run(30)
    assert trainer.evaluate(X_test, y_test)[1] > 0.95


def test_divergence_pauses_and_keeps_finite_weights():
    X_train, _, y_train, _ = _spiral(4)
    trainer = Trainer(
        MLP([2, 8, 8, 8, 1], "identity", seed=0),
        X_train,
        y_train,
        optimizer="sgd",
        learning_rate=10.0,
    )
    done = trainer.run(500)
    assert done < 500
    assert trainer.diverged is not None and "learning rate 10" in trainer.diverged
    assert np.all(np.isfinite(trainer.model.params))
    assert trainer.run(10) == 0  # stays paused until reset


def test_exploding_but_finite_loss_counts_as_divergence():
    # Without the EXPLODED bound this run's loss climbs to ~1e34 and never becomes NaN.
    X, y = make_dataset("spiral", 500, noise=0.0, seed=4)
    trainer = Trainer(
        MLP([2, 8, 8, 8, 1], "elu", seed=0), X, y, optimizer="sgd", learning_rate=10.0
    )
    with np.errstate(over="ignore", invalid="ignore"):
        trainer.run(2000)
    assert trainer.diverged is not None
    assert np.max(np.abs(trainer.model.params)) < 1e6
    assert np.all(trainer.history.rows[:, 0] < 1e6)


def test_learning_rate_change_keeps_optimizer_state():
    X_train, _, y_train, _ = _spiral(5)
    trainer = Trainer(MLP([2, 4, 1], seed=0), X_train, y_train, optimizer="adam")
    trainer.run(3)
    moment = trainer.optimizer.first_moment.copy()
    trainer.learning_rate = 0.001
    assert trainer.optimizer.n_steps == 3
    np.testing.assert_array_equal(trainer.optimizer.first_moment, moment)


def test_thinned_log_stays_bounded_over_100k_epochs():
    log = ThinnedLog(capacity=1000, width=3)
    for epoch in range(1, 100_001):
        if log.wants(epoch):
            log.append(epoch, np.full(3, epoch))
    assert log.size <= 1000 and log.nbytes == 1000 * 8 + 1000 * 3 * 8
    epochs = log.epochs
    assert epochs[-1] > 99_000 and np.all(np.diff(epochs) == log.stride)
    np.testing.assert_array_equal(log.rows[:, 0], epochs)


def test_trainer_memory_bounded_on_long_run():
    X_train, _, y_train, _ = _spiral(6)
    trainer = Trainer(MLP([2, 3, 1], seed=0), X_train[:20], y_train[:20], history_capacity=64)
    trainer.trajectory_before = trainer.trajectory.nbytes
    trainer.run(5000)
    assert trainer.history.size <= 64 and trainer.trajectory.size <= trainer.trajectory.capacity
    assert trainer.trajectory.nbytes == trainer.trajectory_before
    assert trainer.history.epochs[-1] > 4900


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"batch_size": 0}, "batch_size must be 1..250, got 0"),
        ({"learning_rate": -1.0}, "learning_rate must be a positive number, got -1"),
        ({"l2": float("nan")}, "l2 must be"),
        ({"dropout": 0.95}, "dropout must be 0..0.9, got 0.95"),
        ({"optimizer": "newton"}, "'newton'"),
        ({"loss": "binary_cross_entropy", "model": MLP([2, 3, 3])}, "does not fit 3 output"),
    ],
)
def test_bad_settings_raise_value_error(kwargs, message):
    X_train, _, y_train, _ = _spiral()
    model = kwargs.pop("model", MLP([2, 3, 1]))
    with pytest.raises(ValueError, match=message):
        Trainer(model, X_train, y_train, **kwargs)


def test_step_activation_cannot_be_trained():
    X_train, _, y_train, _ = _spiral()
    with pytest.raises(ValueError, match="'step' has no gradient"):
        Trainer(MLP([2, 3, 1], "step"), X_train, y_train)


def test_labels_out_of_range_rejected():
    with pytest.raises(ValueError, match="labels must be 0..1"):
        Trainer(MLP([2, 3, 1]), np.zeros((4, 2)), np.array([0, 1, 2, 0]))


def test_train_and_test_loss_are_both_the_data_loss_and_the_penalty_is_its_own_column():
    """The same data as train and test set: with L2 the two losses agree (the train loss used to
    include the penalty: 0.6186 against 0.4650), and the penalty column is l2/2 · ΣW²."""
    X_train, _, y_train, _ = _spiral(4)
    model = MLP([2, 6, 1], "tanh", seed=4)
    start = model.copy()
    trainer = Trainer(model, X_train, y_train, X_train, y_train, l2=0.1, learning_rate=0.01)
    trainer.run(3)
    rows = trainer.history.rows
    assert METRICS.index("penalty") == rows.shape[1] - 1
    # Full batch: epoch k+1's train loss is measured at the weights epoch k's test loss saw.
    np.testing.assert_allclose(rows[1:, 0], rows[:-1, 2], rtol=1e-12)
    assert rows[0, 0] == pytest.approx(_loss(start, X_train, y_train), rel=1e-12)
    weights = np.concatenate([W.ravel() for W in start.weights])
    assert rows[0, 4] == pytest.approx(0.05 * weights @ weights, rel=1e-12)
    plain = Trainer(start.copy(), X_train, y_train, learning_rate=0.01)
    plain.run(1)
    assert plain.history.rows[0, 4] == 0.0


def _loss(model, X, y):
    return Trainer(model.copy(), X, y).evaluate(X, y)[0]


def test_a_2_4_1_net_fits_a_noiseless_plane_to_r2_099():
    X, y = make_dataset("plane", 400, 0.0, seed=0)
    X_train, X_test, y_train, y_test = train_test_split(X, y, train_share=0.5, seed=0)
    model = MLP([2, 4, 1], "tanh", seed=0, output="values")
    trainer = Trainer(model, X_train, y_train, X_test, y_test, learning_rate=0.03)
    assert trainer.loss == "squared" and trainer.metrics == REGRESSION_METRICS
    trainer.run(300)
    train_loss, train_r2, test_loss, test_r2 = trainer.history.rows[-1][:4]
    assert test_r2 >= 0.99 and train_r2 >= 0.99
    fitted = model.forward(X_test)
    # The columns are the real numbers: R² as scikit-learn defines it, test loss = test MSE.
    assert test_r2 == pytest.approx(r2_score(y_test, fitted[:, 0]), rel=1e-12)
    assert test_r2 == pytest.approx(r_squared(fitted, y_test), rel=1e-12)
    assert np.sqrt(test_loss) == pytest.approx(rmse(fitted, y_test), rel=1e-12)


def test_regression_train_r2_is_the_whole_epochs_even_in_small_batches():
    X, y = make_dataset("sine_ridge", 200, 0.0, seed=1)
    model = MLP([2, 8, 1], "tanh", seed=0, output="values")
    trainer = Trainer(model, X, y, batch_size=1, seed=0)  # R² of one point is undefined
    trainer.run(2)
    assert np.all(np.isfinite(trainer.history.rows[:, 1])) and trainer.history.rows[-1, 1] <= 1
    with pytest.raises(ValueError, match="finite target values"):
        Trainer(model, X, np.full(len(X), np.nan))


def test_new_data_keeps_the_model_optimizer_and_history():
    X, y = make_dataset("moons", 200, 0.1, seed=0)
    model = MLP([2, 4, 1], "tanh", seed=0)
    trainer = Trainer(model, X[:100], y[:100], X[100:], y[100:])
    trainer.run(5)
    optimizer, params = trainer.optimizer, model.params.copy()
    state = {k: v.copy() for k, v in vars(optimizer).items() if isinstance(v, np.ndarray)}
    X2, y2 = make_dataset("moons", 200, 0.1, seed=9)
    trainer.set_data(X2[:60], y2[:60], X2[60:], y2[60:])
    assert trainer.epoch == 5 and np.array_equal(model.params, params)
    assert state and trainer.optimizer is optimizer  # Adam's moments, untouched
    assert all(np.array_equal(v, getattr(optimizer, k)) for k, v in state.items())
    assert trainer.batch_size == 60 and trainer.evaluate(X2[60:], y2[60:])[1] >= 0
    trainer.run(1)
    assert trainer.epoch == 6 and trainer.history.epochs[-1] == 6


def _stepwise_history(trainer, n_epochs):
    """Train one epoch per ``run`` and measure the test set right after each with the public
    ``evaluate``: the per-epoch evaluation the deferred, stacked one must equal."""
    measured, weights = {}, {}
    for _ in range(n_epochs):
        if trainer.run(1) == 0:
            break
        measured[trainer.epoch] = trainer.evaluate(trainer.X_test, trainer.y_test)
        weights[trainer.epoch] = trainer.model.params.copy()
    trainer.weights_at = weights
    return measured


@pytest.mark.parametrize(
    ("dataset", "layers", "output", "batch_size"),
    [
        ("spiral", [2, 8, 8, 1], "classes", None),
        ("blobs3", [2, 6, 3], "classes", 25),
        ("sine_ridge", [2, 8, 1], "values", None),
    ],
)
def test_deferred_test_metrics_equal_per_epoch_evaluation_exactly(
    dataset, layers, output, batch_size
):
    """Test metrics wait and are measured up to 16 epochs at a time in one stacked pass; the
    history must hold exactly the values of measuring after every epoch, thinning included."""
    X, y = make_dataset(dataset, 200, 0.1, seed=0)
    X_train, X_test, y_train, y_test = train_test_split(X, y, 0.5, seed=0)

    def trainer():
        model = MLP(layers, "tanh", seed=0, output=output)
        return Trainer(
            model, X_train, y_train, X_test, y_test, batch_size=batch_size, history_capacity=40
        )

    stepwise, chunked = trainer(), trainer()
    measured = _stepwise_history(stepwise, 150)
    for chunk in (1, 2, 37, 110):  # uneven chunks, as train_within asks for them
        chunked.run(chunk)
    assert chunked.history.stride > 1  # the log thinned while rows were waiting
    np.testing.assert_array_equal(chunked.history.epochs, stepwise.history.epochs)
    np.testing.assert_array_equal(chunked.history.rows, stepwise.history.rows)
    np.testing.assert_array_equal(chunked.model.params, stepwise.model.params)
    for epoch, row in zip(chunked.history.epochs, chunked.history.rows, strict=True):
        assert (row[2], row[3]) == measured[epoch]


def test_divergence_keeps_the_same_weights_with_deferred_test_metrics():
    """The weights kept on divergence are the last whose test loss was finite: with the test
    metrics measured late, the same epoch and weights as measuring after every epoch."""
    X, y = make_dataset("spiral", 500, 0.0, seed=0)
    X_train, X_test, y_train, y_test = train_test_split(X, y, 0.5, seed=0)

    def trainer():
        model = MLP([2, 8, 8, 8, 1], "elu", seed=0)
        return Trainer(
            model, X_train, y_train, X_test, y_test, optimizer="momentum", learning_rate=2.0
        )

    stepwise, at_once = trainer(), trainer()
    with np.errstate(all="ignore"):
        measured = _stepwise_history(stepwise, 500)
        at_once.run(500)
    assert at_once.diverged is not None and at_once.epoch == stepwise.epoch > 16
    assert at_once.kept_epoch == stepwise.kept_epoch
    last_finite = max(epoch for epoch, (loss, _) in measured.items() if loss < EXPLODED)
    assert at_once.finite_epoch == stepwise.finite_epoch == last_finite
    # The fallback weights themselves (used when the weights before the failing epoch have
    # exploded too; here they had not, so the weights kept are those).
    np.testing.assert_array_equal(at_once._finite_params, stepwise.weights_at[last_finite])
    np.testing.assert_array_equal(at_once.model.params, stepwise.model.params)
    np.testing.assert_array_equal(at_once.history.rows, stepwise.history.rows)

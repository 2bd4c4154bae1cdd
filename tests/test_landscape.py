"""Loss landscapes: the batched evaluator against the model's own forward pass, exactly.

``batched_losses`` is the one batched re-implementation of the forward arithmetic; these tests
are what keep it in step with ``MLP.loss_and_gradient`` (to 1e-9, for every loss and several
activations), at the centre of every kind of plane and at random grid points.
"""

from __future__ import annotations

import numpy as np
import pytest

import core.labs.landscape as landscape
from core.experiment import Experiment, Settings
from core.labs.landscape import (
    axis_plane,
    batched_losses,
    centred_axis,
    filter_normalised_direction,
    logistic_regression,
    plane_losses,
    random_plane,
    random_plane_surface,
    two_weight_surface,
    weight_choices,
)
from core.labs.trajectory import checkpoints, path_surface, path_window, trajectory_plane
from core.nn.losses import LOSSES, one_hot_targets
from core.nn.network import MLP

LOSS_WIDTHS = [(name, k) for name in LOSSES for k in (1, 3) if LOSSES[name].n_outputs_allowed(k)]


@pytest.fixture(scope="module")
def trained() -> Experiment:
    experiment = Experiment.build(Settings(hidden=(8, 8, 8)))
    experiment.trainer.run(120)
    return experiment


def _problem(activation: str, n_outputs: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    model = MLP([2, 5, 4, n_outputs], activation, init="normal", init_scale=0.9, seed=seed)
    model.params[...] = rng.normal(0, 0.9, model.n_parameters)  # biases nonzero too
    X = rng.normal(size=(40, 2))
    targets = one_hot_targets(rng.integers(0, max(n_outputs, 2), 40), n_outputs)
    return model, X, targets, rng


def _own_loss(model: MLP, params: np.ndarray, X, targets, loss: str) -> float:
    probe = model.copy()
    probe.set_parameters(params)
    return probe.loss_and_gradient(X, targets, loss)[0]


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid", "gelu", "identity"])
@pytest.mark.parametrize(("loss", "n_outputs"), LOSS_WIDTHS)
def test_batched_losses_equal_the_models_own_loss(activation, loss, n_outputs):
    model, X, targets, rng = _problem(activation, n_outputs)
    batch = model.params + rng.normal(0, 0.7, (9, model.n_parameters))
    batch[0] = model.params
    values = batched_losses(model, batch, X, targets, loss)
    expected = [_own_loss(model, row, X, targets, loss) for row in batch]
    np.testing.assert_allclose(values, expected, rtol=0, atol=1e-9)


def test_every_registered_loss_has_a_batched_form():
    assert set(landscape._BATCHED_LOSSES) == set(LOSSES)


def test_chunking_does_not_change_the_values(monkeypatch):
    model, X, targets, rng = _problem("tanh", 1)
    batch = model.params + rng.normal(0, 0.5, (23, model.n_parameters))
    whole = batched_losses(model, batch, X, targets, "binary_cross_entropy")
    monkeypatch.setattr(landscape, "CHUNK_FLOATS", 1)  # one network per chunk
    chunked = batched_losses(model, batch, X, targets, "binary_cross_entropy")
    np.testing.assert_allclose(chunked, whole, rtol=0, atol=1e-12)


def test_batched_losses_validate_their_inputs():
    model, X, targets, _ = _problem("tanh", 1)
    with pytest.raises(ValueError, match="unknown loss"):
        batched_losses(model, model.params[None], X, targets, "hinge")
    with pytest.raises(ValueError, match=f"rows of {model.n_parameters} parameters"):
        batched_losses(model, np.zeros((2, 3)), X, targets, "mse")


def test_random_plane_centre_equals_the_trainers_loss(trained):
    model, trainer = trained.model, trained.trainer
    plane = random_plane(model, seed=3)
    axis = centred_axis(0.0, 1.0, 51)
    X, targets = trainer.X_train, trainer.targets
    values = plane_losses(model, X, targets, trainer.loss, model.params, plane, axis, axis)
    assert values.shape == (51, 51)
    current = trainer.evaluate(X, trainer.y_train)[0]
    assert abs(values[25, 25] - current) <= 1e-9
    # Random grid points against the model's own forward pass, rows following β.
    for i, j in np.random.default_rng(0).integers(0, 51, (5, 2)):
        params = model.params + axis[j] * plane[0] + axis[i] * plane[1]
        assert abs(values[i, j] - _own_loss(model, params, X, targets, trainer.loss)) <= 1e-9


def test_random_plane_surface_is_the_seeded_plane_through_the_weights(trained):
    model, trainer = trained.model, trained.trainer
    X, targets, loss = trainer.X_train, trainer.targets, trainer.loss
    before = model.params.copy()
    axis, values = random_plane_surface(model, X, targets, loss, 4, 0.5, 21, keep_biases=True)
    np.testing.assert_array_equal(model.params, before)  # the model is only read
    assert values.shape == (21, 21) and axis[0] == -0.5 and axis[-1] == 0.5 and axis[10] == 0.0
    assert abs(values[10, 10] - trainer.evaluate(X, trainer.y_train)[0]) <= 1e-9
    plane = random_plane(model, 4, keep_biases=True)
    for i, j in [(0, 20), (7, 3), (20, 0)]:  # rows follow β (the second direction)
        params = model.params + axis[j] * plane[0] + axis[i] * plane[1]
        assert abs(values[i, j] - _own_loss(model, params, X, targets, loss)) <= 1e-9
    other = random_plane_surface(model, X, targets, loss, 5, 0.5, 21, keep_biases=True)[1]
    assert not np.allclose(values, other)


@pytest.mark.parametrize("names", [("W1[0, 0]", "W1[1, 0]"), ("W2[3, 5]", "W4[7, 0]")])
def test_two_weight_surface_is_exact(trained, names):
    model, trainer = trained.model, trained.trainer
    by_name = {name: index for index, name in weight_choices(model).items()}
    indices = (by_name[names[0]], by_name[names[1]])
    X, targets, loss = trainer.X_train, trainer.targets, trainer.loss
    axes, values = two_weight_surface(model, X, targets, loss, indices, 2.0, 21)
    assert values.shape == (21, 21)
    assert axes[0][10] == model.params[indices[0]] and axes[1][10] == model.params[indices[1]]
    assert abs(values[10, 10] - trainer.evaluate(X, trainer.y_train)[0]) <= 1e-9
    for i, j in [(0, 0), (3, 17), (20, 9)]:
        params = model.params.copy()
        params[list(indices)] = axes[0][j], axes[1][i]
        assert abs(values[i, j] - _own_loss(model, params, X, targets, loss)) <= 1e-9


def test_filter_normalised_columns_have_the_weight_columns_norms(trained):
    model = trained.model
    direction = filter_normalised_direction(model, np.random.default_rng(1))
    d_weights, d_biases = model.unflatten(direction)
    for d, W in zip(d_weights, model.weights, strict=True):
        np.testing.assert_allclose(np.linalg.norm(d, axis=0), np.linalg.norm(W, axis=0), rtol=1e-12)
        assert not np.allclose(d / np.linalg.norm(d, axis=0), W / np.linalg.norm(W, axis=0))
    assert all(np.all(b == 0.0) for b in d_biases)


def test_kept_bias_directions_have_the_bias_norms():
    model, *_ = _problem("tanh", 3)
    direction = filter_normalised_direction(model, np.random.default_rng(2), keep_biases=True)
    for d, b in zip(model.unflatten(direction)[1], model.biases, strict=True):
        assert np.linalg.norm(d) == pytest.approx(np.linalg.norm(b), rel=1e-12)


def test_random_plane_is_seeded(trained):
    model = trained.model
    np.testing.assert_array_equal(random_plane(model, 5), random_plane(model, 5))
    assert not np.allclose(random_plane(model, 5), random_plane(model, 6))
    first, second = random_plane(model, 5)
    assert not np.allclose(first, second)


def test_weight_choices_name_the_right_flat_index():
    model, *_ = _problem("tanh", 3)
    choices = weight_choices(model)
    assert len(choices) == sum(W.size for W in model.weights)
    by_name = {name: index for index, name in choices.items()}
    model.weights[1][3, 2] = 123.0
    assert model.params[by_name["W2[3, 2]"]] == 123.0


def test_axis_plane_and_centred_axis_validate():
    plane = axis_plane(5, 1, 3)
    assert plane.sum() == 2 and plane[0, 1] == plane[1, 3] == 1.0
    with pytest.raises(ValueError, match="two different indices"):
        axis_plane(5, 2, 2)
    axis = centred_axis(0.7, 2.0, 5)
    assert axis[2] == 0.7 and axis[0] == pytest.approx(-1.3) and axis[-1] == pytest.approx(2.7)
    with pytest.raises(ValueError, match="odd"):
        centred_axis(0.0, 1.0, 50)


def test_logistic_regression_has_two_weights_and_no_bias():
    X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [-1.0, 0.5]])
    model, targets, loss = logistic_regression(X, np.array([0, 1, 1, 0]))
    assert model.n_parameters == 3 and np.all(model.params == 0.0)
    assert targets[:, 0].tolist() == [0, 1, 1, 0] and loss == "binary_cross_entropy"
    _, targets, _ = logistic_regression(X, np.array([0, 1, 2, 0]))  # class 0 vs the rest
    assert targets[:, 0].tolist() == [1, 0, 0, 1]


def test_trajectory_plane_recovers_a_planar_path():
    rng = np.random.default_rng(4)
    basis = np.linalg.qr(rng.normal(size=(30, 2)))[0].T  # two orthonormal directions
    coords = np.column_stack([np.linspace(-3, 0, 12), 0.8 * np.sin(np.linspace(0, 3, 12))])
    final = rng.normal(size=30)
    rows = final + coords @ basis
    rows[-1] = final
    plane = trajectory_plane(rows, final)
    assert plane.explained.sum() == pytest.approx(1.0)
    assert plane.explained[0] >= plane.explained[1]
    np.testing.assert_allclose(plane.directions @ plane.directions.T, np.eye(2), atol=1e-12)
    np.testing.assert_allclose(final + plane.coords @ plane.directions, rows, atol=1e-10)
    assert np.all(plane.coords[0] <= 0) and np.allclose(plane.coords[-1], 0.0)
    with pytest.raises(ValueError, match="at least 3 checkpoints"):
        trajectory_plane(rows[:2], final)


def test_trajectory_of_a_real_run_and_its_window(trained):
    trainer = trained.trainer
    epochs, rows = checkpoints(
        trainer.trajectory.epochs, trainer.trajectory.rows, trainer.epoch, trained.model.params
    )
    plane = trajectory_plane(rows, rows[-1])
    assert 0.5 < plane.explained.sum() <= 1.0
    alphas, betas = path_window(plane.coords, 31)
    assert alphas[0] < plane.coords[:, 0].min() and alphas[-1] > plane.coords[:, 0].max()
    assert betas[0] < plane.coords[:, 1].min() and betas[-1] > plane.coords[:, 1].max()
    assert alphas[0] < 0 < alphas[-1] and betas[0] < 0 < betas[-1]


def test_path_surface_gives_every_checkpoints_exact_loss(trained):
    model, trainer = trained.model, trained.trainer
    X, targets, loss = trainer.X_train, trainer.targets, trainer.loss
    rows = trainer.trajectory.rows[::10]
    surface = path_surface(model, X, targets, loss, rows, 21)
    assert surface.values.shape == (21, 21) and surface.true.shape == (len(rows),)
    for k in (0, len(rows) // 2, len(rows) - 1):
        assert abs(surface.true[k] - _own_loss(model, rows[k], X, targets, loss)) <= 1e-9
    assert surface.on_plane[-1] == pytest.approx(surface.true[-1], abs=1e-12)  # θ_final is on it
    assert not np.allclose(surface.on_plane, surface.true)  # the others are projections


def test_checkpoints_end_at_the_current_weights():
    rows = np.arange(6.0).reshape(3, 2)
    epochs, out = checkpoints(np.array([0, 2, 4]), rows, 4, np.array([9.0, 9.0]))
    assert epochs.tolist() == [0, 2, 4] and np.array_equal(out, rows)
    epochs, out = checkpoints(np.array([0, 2, 4]), rows, 5, np.array([9.0, 9.0]))
    assert epochs.tolist() == [0, 2, 4, 5] and out[-1].tolist() == [9.0, 9.0]

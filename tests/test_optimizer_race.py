"""Optimizer race: paths on a quadratic bowl against closed-form iterates, and the verdicts.

On f(w) = ½ wᵀAw the gradient is Aw, so gradient descent is w_k = (I − ηA)^k w₀ and heavy-ball
momentum is a linear recursion on (w, v); both are computed here with matrix powers,
independently of the optimizers' code.
"""

from __future__ import annotations

import numpy as np
import pytest

from core.experiment import Experiment, Settings
from core.labs.landscape import batched_losses
from core.labs.optimizer_race import (
    oscillation_share,
    point_in,
    race,
    run_optimizer,
    slice_objective,
    window_around,
)
from core.nn.optimizers import OPTIMIZERS
from core.nn.training import EXPLODED

A = np.array([[3.0, 0.8], [0.8, 0.5]])  # a tilted, elongated bowl (eigenvalues ≈ 3.24, 0.26)
START = np.array([1.5, -2.0])
IDENTITY = np.eye(2)


def bowl(matrix: np.ndarray = A):
    def objective(w: np.ndarray) -> tuple[float, np.ndarray]:
        return 0.5 * float(w @ matrix @ w), matrix @ w

    return objective


def test_gradient_descent_matches_the_closed_form():
    rate, n_steps = 0.3, 40
    path = run_optimizer("sgd", rate, bowl(), START, n_steps)
    expected = [np.linalg.matrix_power(IDENTITY - rate * A, k) @ START for k in range(n_steps + 1)]
    np.testing.assert_allclose(path.points, expected, rtol=0, atol=1e-12)
    np.testing.assert_allclose(path.losses, [0.5 * w @ A @ w for w in expected], atol=1e-12)


def test_momentum_matches_the_heavy_ball_recursion():
    rate, mu, n_steps = 0.1, 0.9, 50
    # (w, v) ← M (w, v):  v' = μv − ηAw,  w' = w + v' = (I − ηA)w + μv.
    M = np.block([[IDENTITY - rate * A, mu * IDENTITY], [-rate * A, mu * IDENTITY]])
    state = np.concatenate([START, np.zeros(2)])
    expected = [(np.linalg.matrix_power(M, k) @ state)[:2] for k in range(n_steps + 1)]
    path = run_optimizer("momentum", rate, bowl(), START, n_steps)
    np.testing.assert_allclose(path.points, expected, rtol=0, atol=1e-12)


def test_nesterov_matches_its_linear_recursion():
    rate, mu, n_steps = 0.1, 0.9, 30
    # v' = μv − ηAw,  w' = w + μv' − ηAw = (I − ηA − μηA)w + μ²v.
    M = np.block(
        [[IDENTITY - rate * A - mu * rate * A, mu * mu * IDENTITY], [-rate * A, mu * IDENTITY]]
    )
    state = np.concatenate([START, np.zeros(2)])
    expected = [(np.linalg.matrix_power(M, k) @ state)[:2] for k in range(n_steps + 1)]
    path = run_optimizer("nesterov", rate, bowl(), START, n_steps)
    np.testing.assert_allclose(path.points, expected, rtol=0, atol=1e-12)


def test_a_small_rate_settles():
    path = run_optimizer("sgd", 0.5, bowl(IDENTITY), START, 30)
    assert path.verdict == "settles" and path.diverged_at is None
    assert path.message.startswith("settles") and path.sentence.startswith(
        "SGD (learning rate 0.5)"
    )


def test_rate_between_one_and_two_over_curvature_oscillates_but_converges():
    # Along every direction the factor is 1 − 1.8 = −0.8: each step flips sign.
    path = run_optimizer("sgd", 1.8, bowl(IDENTITY), START, 40)
    assert path.verdict == "oscillates"
    assert oscillation_share(path.points) == 1.0
    assert path.losses[-1] < 1e-6 * path.losses[0]
    assert "reverse direction" in path.message


def test_rate_beyond_two_over_curvature_diverges_and_stops_finite():
    rate = 2.5 / np.linalg.eigvalsh(A).max()  # factor −1.5 along the steep axis
    path = run_optimizer("sgd", rate, bowl(), START, 200)
    assert path.verdict == "diverges" and path.diverged_at is not None
    assert len(path.points) == len(path.losses) < 201
    assert np.all(np.isfinite(path.points)) and np.all(path.losses < EXPLODED)
    assert "diverges at step" in path.message


def test_a_loss_that_ends_higher_is_reported_as_diverging():
    path = run_optimizer("sgd", 2.2, bowl(IDENTITY), START, 5)  # factor −1.2: grows slowly
    assert path.diverged_at is None and path.losses[-1] > path.losses[0]
    assert path.verdict == "diverges" and "ends higher" in path.message


def test_a_path_that_ends_outside_the_window_escapes():
    def slope(w):  # a plane tilted along w₁: the path walks off steadily
        return -float(w[0]), np.array([-1.0, 0.0])

    window = (np.array([-3.0, -3.0]), np.array([3.0, 3.0]))
    path = run_optimizer("sgd", 0.5, slope, np.zeros(2), 20, window)
    assert path.verdict == "escapes" and "outside the plotted window" in path.message
    inside = run_optimizer("sgd", 0.5, slope, np.zeros(2), 4, window)
    assert inside.verdict != "escapes"


def test_a_non_finite_gradient_stops_the_path():
    def broken(w):
        return float(w @ w), np.array([np.nan, 0.0]) if w[0] < 0.5 else 2 * w

    path = run_optimizer("sgd", 0.1, broken, np.array([1.0, 1.0]), 50)
    assert path.verdict == "diverges" and np.all(np.isfinite(path.points))


def test_oscillation_share_counts_reversals():
    zigzag = np.array([[0, 0], [1, 1], [0, 2], [1, 3], [0, 4]], dtype=float)
    assert oscillation_share(zigzag) == pytest.approx(0.0)  # steps turn 90°, never reverse
    bounce = np.array([[0, 0], [1, 0], [0.2, 0], [0.9, 0], [0.3, 0]])
    assert oscillation_share(bounce) == 1.0
    assert oscillation_share(np.array([[0.0, 0.0], [1.0, 1.0]])) == 0.0


def test_race_runs_every_registry_optimizer_from_one_start():
    rates = {name: spec.default_learning_rate for name, spec in OPTIMIZERS.items()}
    paths = race(bowl(), START, rates, 25)
    assert [p.optimizer for p in paths] == list(OPTIMIZERS)
    for path in paths:
        assert np.array_equal(path.points[0], START) and len(path.points) == 26
        assert path.learning_rate == rates[path.optimizer]
        assert path.verdict in {"settles", "moving", "oscillates", "escapes", "diverges"}
    with pytest.raises(ValueError, match="n_steps"):
        run_optimizer("adam", 0.1, bowl(), START, 0)


def test_race_on_a_network_slice_walks_the_exact_surface():
    experiment = Experiment.build(Settings(hidden=(4, 4), n_samples=120))
    experiment.trainer.run(30)
    model, trainer = experiment.model, experiment.trainer
    X, targets, loss = trainer.X_train, trainer.targets, trainer.loss
    indices = (0, 5)
    objective = slice_objective(model, X, targets, loss, model.params, indices)
    start = model.params[list(indices)] + 0.8
    (path,) = race(objective, start, {"adam": 0.05}, 20)
    # The path's losses are the surface's values at its points (same data, same model).
    batch = np.repeat(model.params[None], len(path.points), axis=0)
    batch[:, list(indices)] = path.points
    np.testing.assert_allclose(
        path.losses, batched_losses(model, batch, X, targets, loss), atol=1e-9
    )
    assert path.losses[-1] < path.losses[0]


def test_window_and_points_in_it():
    low, high = window_around(np.array([1.0, -2.0]), 0.5)
    assert low.tolist() == [0.5, -2.5] and high.tolist() == [1.5, -1.5]
    assert point_in((low, high), [-1, 1]).tolist() == [0.5, -1.5]
    assert point_in((low, high), [0, 0]).tolist() == [1.0, -2.0]
    assert point_in((low, high), [0.6, -0.6]).tolist() == pytest.approx([1.3, -2.3])


def test_slice_objective_gives_the_models_gradient_at_two_indices():
    experiment = Experiment.build(Settings(hidden=(4, 4), n_samples=120))
    experiment.trainer.run(10)
    model, trainer = experiment.model, experiment.trainer
    X, targets, loss = trainer.X_train, trainer.targets, trainer.loss
    before = model.params.copy()
    indices = (3, model.n_parameters - 2)
    objective = slice_objective(model, X, targets, loss, model.params, indices)
    w = model.params[list(indices)] + np.array([0.3, -0.2])
    value, grad = objective(w)
    h = 1e-6
    for k in range(2):
        step = np.zeros(2)
        step[k] = h
        numeric = (objective(w + step)[0] - objective(w - step)[0]) / (2 * h)
        assert grad[k] == pytest.approx(numeric, rel=1e-5, abs=1e-8)
    probe = model.copy()
    probe.params[list(indices)] = w
    assert value == pytest.approx(probe.loss_and_gradient(X, targets, loss)[0], abs=1e-12)
    assert np.array_equal(model.params, before)  # the live model is never touched

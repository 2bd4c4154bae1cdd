"""Lifted input features: the registry, ``lift``, ``LiftedModel`` and the linear model on them."""

from __future__ import annotations

import numpy as np
import pytest

from core.data.datasets import make_dataset
from core.data.features import (
    DEFAULT_FEATURES,
    FEATURES,
    LiftedModel,
    check_features,
    fit_linear_model,
    lift,
    parse_features,
)
from core.data.splits import data_extent
from core.labs.network_stages import layer_snapshots
from core.labs.plane import grid_lines
from core.labs.probes import layer_separability
from core.nn.network import MLP
from core.nn.training import Trainer
from core.render.raster import boundary_image, neuron_images, probability_grid

X = np.array([[0.5, -2.0], [1.0, 3.0], [0.0, 0.0]])


def test_registry_keys_are_url_safe_and_labels_unique():
    assert list(FEATURES) == ["x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2", "r2"]
    assert all(name.isalnum() and name == feature.name for name, feature in FEATURES.items())
    assert len({f.label for f in FEATURES.values()}) == len(FEATURES)
    assert FEATURES["r2"].label == "x₁² + x₂²"
    assert DEFAULT_FEATURES == ("x1", "x2")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("x1", [0.5, 1.0, 0.0]),
        ("x2", [-2.0, 3.0, 0.0]),
        ("x1sq", [0.25, 1.0, 0.0]),
        ("x2sq", [4.0, 9.0, 0.0]),
        ("x1x2", [-1.0, 3.0, 0.0]),
        ("sinx1", np.sin([0.5, 1.0, 0.0])),
        ("sinx2", np.sin([-2.0, 3.0, 0.0])),
        ("r2", [4.25, 10.0, 0.0]),
    ],
)
def test_every_feature_by_hand(name, expected):
    np.testing.assert_allclose(lift(X, [name])[:, 0], expected)


def test_lift_keeps_the_order_asked_for():
    lifted = lift(X, ("r2", "x1", "x2"))
    assert lifted.shape == (3, 3)
    np.testing.assert_array_equal(lifted[:, 1:], X)
    assert lift(X).shape == (3, 2) and lift(np.zeros((0, 2)), ["r2"]).shape == (0, 1)


@pytest.mark.parametrize(
    ("names", "message"),
    [
        (["x1", "x3"], "unknown features \\['x3'\\]"),
        ([], "at least one"),
        (["x1", "r2", "x1"], "repeated: \\['x1'\\]"),
        ("x1", "list of names"),
        (None, "list of names"),
    ],
)
def test_bad_feature_lists_are_named(names, message):
    with pytest.raises(ValueError, match=message):
        check_features(names)


def test_lift_validates_points():
    with pytest.raises(ValueError, match="shape"):
        lift(np.zeros((4, 3)), ["x1"])
    with pytest.raises(ValueError, match="non-finite"):
        lift([[np.nan, 0.0]], ["x1"])


def test_parse_features_is_forgiving():
    assert parse_features("x1,x2,r2") == (("x1", "x2", "r2"), [])
    names, notices = parse_features("r2, bogus ,r2")
    assert names == ("r2",) and len(notices) == 1 and "bogus" in notices[0]
    names, notices = parse_features("")
    assert names == DEFAULT_FEATURES and notices


@pytest.fixture
def lifted_model() -> LiftedModel:
    features = ("x1", "x2", "x1x2", "r2")
    return LiftedModel(MLP([4, 5, 3, 1], "relu", seed=3), features)


def test_lifted_model_is_the_mlp_on_lifted_points(lifted_model):
    model, points = lifted_model.model, np.random.default_rng(0).normal(size=(20, 2))
    assert lifted_model.layer_sizes == (4, 5, 3, 1)
    assert lifted_model.n_layers == 3 and lifted_model.n_outputs == 1
    assert lifted_model.n_classes == 2 and lifted_model.n_parameters == model.n_parameters
    assert lifted_model.activation.name == "relu"
    assert lifted_model.weights[0] is model.weights[0] and lifted_model.biases is model.biases
    assert lifted_model.labels == ["x₁", "x₂", "x₁·x₂", "x₁² + x₂²"]
    lifted = lift(points, lifted_model.features)
    np.testing.assert_array_equal(lifted_model.predict_proba(points), model.predict_proba(lifted))
    np.testing.assert_array_equal(lifted_model.predict(points), model.predict(lifted))
    trace = lifted_model.forward(points, return_trace=True)
    np.testing.assert_array_equal(trace[0].inputs, lifted)
    np.testing.assert_array_equal(lifted_model.forward(points), model.forward(lifted))
    clone = lifted_model.copy()
    clone.params[...] = 0.0
    assert np.any(lifted_model.params != 0.0)


def test_lifted_model_needs_matching_inputs():
    with pytest.raises(ValueError, match="reads 2 inputs but 3 features"):
        LiftedModel(MLP([2, 1]), ("x1", "x2", "r2"))


def test_drawing_and_probing_code_takes_a_lifted_model_unchanged(lifted_model):
    X, y = make_dataset("circles", 60, 0.0, 0)
    extent = data_extent(X)
    assert boundary_image(lifted_model, extent, X, y, size=24).shape == (24, 24, 3)
    *_, probs = probability_grid(lifted_model, extent, resolution=8)
    assert probs.shape == (8, 8, 2)
    maps = neuron_images(lifted_model, extent, resolution=6)
    assert [len(units) for units in maps] == [5, 3] and maps[0][0].shape == (6, 6, 3)
    scores = layer_separability(lifted_model, X, y)
    assert len(scores) == 3 and scores[0] == 1.0  # r2 among the inputs: the input separates
    snapshots = layer_snapshots(lifted_model, X, grid_lines(extent, 3, 4))
    assert snapshots[0][2].startswith("input · 4-D")


def test_a_trainer_trains_the_mlp_on_lifted_features():
    X, y = make_dataset("circles", 80, 0.0, 1)
    features = ("x1", "x2", "r2")
    model = LiftedModel(MLP([3, 1], "tanh", seed=0), features)
    Trainer(model.model, lift(X, features), y, learning_rate=0.1).run(300)
    assert np.mean(model.predict(X) == y) == 1.0


def test_a_plane_in_x1_x2_r2_separates_noise_free_circles():
    X, y = make_dataset("circles", 400, 0.0, 0)
    model = fit_linear_model(X, y, ("x1", "x2", "r2"))
    assert model.layer_sizes == (3, 1) and model.n_layers == 1
    assert np.mean(model.predict(X) == y) == 1.0
    # The plane is (almost) level: r2 = c with c between the radii² 0.25 and 1.
    weights, bias = model.weights[0][:, 0], model.biases[0][0]
    assert abs(weights[2]) > 100 * max(abs(weights[0]), abs(weights[1]))
    assert 0.25 < -bias / weights[2] < 1.0


def test_without_the_lift_no_line_separates_circles_but_x1x2_separates_xor():
    X, y = make_dataset("circles", 400, 0.0, 0)
    assert np.mean(fit_linear_model(X, y).predict(X) == y) < 0.7
    X, y = make_dataset("xor", 400, 0.0, 0)
    assert np.mean(fit_linear_model(X, y, ("x1", "x2", "x1x2")).predict(X) == y) == 1.0


def test_linear_model_for_several_classes_is_softmax():
    X, y = make_dataset("blobs3", 150, 0.0, 0)
    model = fit_linear_model(X, y)
    assert model.layer_sizes == (2, 3) and model.n_classes == 3
    assert np.mean(model.predict(X) == y) == 1.0

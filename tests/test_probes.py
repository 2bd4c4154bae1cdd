"""Linear probes: known separable and inseparable data, degenerate inputs, a trained net."""

import numpy as np
import pytest

from core.data.datasets import make_dataset
from core.data.splits import train_test_split
from core.labs import probes
from core.nn.network import MLP
from core.nn.training import Trainer


def test_separable_data_reach_full_accuracy():
    X, y = make_dataset("linear", 300, noise=0.0, seed=1)
    assert probes.linear_probe_accuracy(X, y) == 1.0


def test_separable_multiclass_data_reach_full_accuracy():
    X, y = make_dataset("blobs5", 300, noise=0.0, seed=1)
    assert probes.linear_probe_accuracy(X, y) == 1.0


def test_xor_is_not_linearly_separable():
    X, y = make_dataset("xor", 300, noise=0.0, seed=1)
    assert probes.linear_probe_accuracy(X, y) < 0.8


def test_lifting_circles_with_the_squared_radius_separates_them():
    X, y = make_dataset("circles", 300, noise=0.0, seed=1)
    assert probes.linear_probe_accuracy(X, y) < 0.8
    lifted = np.column_stack([X, (X**2).sum(axis=1)])
    assert probes.linear_probe_accuracy(lifted, y) == 1.0


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_features_give_nan(bad):
    features = np.random.default_rng(0).normal(size=(20, 3))
    features[4, 1] = bad
    assert np.isnan(probes.linear_probe_accuracy(features, np.arange(20) % 2))


def test_degenerate_inputs():
    features = np.random.default_rng(0).normal(size=(20, 3))
    assert probes.linear_probe_accuracy(features, np.zeros(20, dtype=int)) == 1.0
    y = np.arange(20) % 2
    assert probes.linear_probe_accuracy(np.ones((20, 4)), y) == 0.5  # nothing to go on
    informative = np.column_stack([np.ones(20), y + 0.1 * features[:, 0], np.zeros(20)])
    assert probes.linear_probe_accuracy(informative, y) == 1.0
    with pytest.raises(ValueError, match="n_samples"):
        probes.linear_probe_accuracy(features, y[:5])


def test_layer_separability_of_a_net_trained_on_circles():
    X, y = make_dataset("circles", 300, noise=0.0, seed=0)
    X_train, _, y_train, _ = train_test_split(X, y)
    model = MLP([2, 8, 8, 1], "tanh", seed=0)
    Trainer(model, X_train, y_train, learning_rate=0.03).run(300)
    accuracies = probes.layer_separability(model, X_train, y_train)
    assert len(accuracies) == 3
    assert accuracies[0] < 0.8 and accuracies[-1] >= probes.SEPARABLE
    hidden = model.forward(X_train, return_trace=True)[0].a
    assert accuracies[1] == probes.linear_probe_accuracy(hidden, y_train)


def test_layer_separability_without_hidden_layers_probes_the_input():
    X, y = make_dataset("linear", 100, noise=0.0, seed=0)
    assert probes.layer_separability(MLP([2, 1]), X, y) == [1.0]


def test_first_separable_epochs_keeps_the_first_epoch_per_layer():
    first = probes.first_separable_epochs({}, [0.5, 0.9, 0.95], epoch=10)
    assert first == {}
    first = probes.first_separable_epochs(first, [0.5, 0.99, float("nan")], epoch=20)
    assert first == {1: 20}  # NaN (a diverged layer) never counts
    before = dict(first)
    first = probes.first_separable_epochs(before, [0.6, 0.97, 1.0], epoch=30)
    assert first == {1: 20, 2: 30}  # layer 1 dipped below but keeps its first epoch
    assert before == {1: 20}  # a new dict: the previous one is left as it was
    first = probes.first_separable_epochs(first, [1.0, 1.0, 1.0], epoch=40)
    assert first == {0: 40, 1: 20, 2: 30}  # still separable: the first epochs stay

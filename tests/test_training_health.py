"""Training health: made-up curves find what they show, real failing runs warn, defaults do not."""

from __future__ import annotations

import numpy as np
import pytest

from core.data.datasets import DATASETS
from core.experiment import Experiment, Settings
from core.labs.training_health import layer_findings, loss_findings, training_health
from core.nn.network import MLP
from core.nn.optimizers import OPTIMIZERS
from pages._ui.health import HEALTHY

EPOCHS = np.arange(1, 501)


def _kinds(loss, accuracy=None, chance=0.5):
    accuracy = np.full(len(loss), 0.9) if accuracy is None else accuracy
    return [f.kind for f in loss_findings(EPOCHS, loss, accuracy, chance, learning_rate=0.1)]


def test_a_decaying_loss_is_healthy():
    assert _kinds(0.7 * np.exp(-EPOCHS / 100) + 0.01) == []


def test_a_loss_far_above_its_start():
    loss = np.concatenate([[0.7], np.full(499, 9.0)])
    assert _kinds(loss) == ["loss_far_above_start"]


def test_a_loss_rising_long_after_its_best():
    loss = np.concatenate([np.linspace(0.7, 0.2, 200), np.linspace(0.2, 0.6, 300)])
    assert _kinds(loss) == ["loss_rising"]


def test_a_loss_that_rose_only_just_now_is_not_yet_rising():
    loss = np.concatenate([np.linspace(0.7, 0.2, 450), np.linspace(0.2, 0.6, 50)])
    assert "loss_rising" not in _kinds(loss)


def test_an_oscillating_loss():
    loss = 0.5 + 0.2 * (-1.0) ** EPOCHS
    assert _kinds(loss) == ["loss_oscillating"]


def test_small_minibatch_noise_is_not_oscillation():
    noise = np.random.default_rng(0).normal(0, 0.005, len(EPOCHS))
    assert _kinds(0.7 * np.exp(-EPOCHS / 100) + 0.05 + noise) == []


def test_accuracy_at_chance_stops_only_when_the_loss_is_flat():
    at_chance = np.full(len(EPOCHS), 0.5)
    flat = loss_findings(EPOCHS, np.full(len(EPOCHS), 0.69), at_chance, 0.5, 0.1)
    assert [(f.kind, f.stop) for f in flat] == [("accuracy_at_chance", True)]
    moving = loss_findings(EPOCHS, np.linspace(0.69, 0.6, len(EPOCHS)), at_chance, 0.5, 0.1)
    assert [(f.kind, f.stop) for f in moving] == [("accuracy_at_chance", False)]
    assert "50%" in moving[0].message


def test_no_verdict_before_enough_epochs():
    few = np.arange(1, 51)
    assert loss_findings(few, np.full(50, 9.0), np.full(50, 0.5), 0.5, 0.1) == []


def test_a_relu_layer_with_only_negative_inputs_is_dead():
    model = MLP([2, 4, 4, 1], "relu", seed=0)
    model.biases[1][...] = -100.0  # layer 2 never fires
    X = np.random.default_rng(0).uniform(-1, 1, (50, 2))
    found = layer_findings(model, X)
    assert [(f.kind, f.stop) for f in found] == [("layer_dead", True)]
    assert "hidden layer 2" in found[0].message


def test_a_tanh_layer_on_its_flat_ends_is_saturated():
    model = MLP([2, 4, 1], "tanh", seed=0)
    X = np.random.default_rng(0).uniform(-1, 1, (50, 2))
    model.biases[0][...] = 8.0  # tanh′ ≈ 5e-7 at every sample: saturated, not yet exactly flat
    assert [(f.kind, f.stop) for f in layer_findings(model, X)] == [("layer_saturated", False)]
    model.biases[0][...] = 40.0  # tanh = 1.0 exactly in float64: the slope is 0, for good
    assert [(f.kind, f.stop) for f in layer_findings(model, X)] == [("layer_saturated", True)]
    model.biases[0][...] = 0.0
    assert layer_findings(model, X) == []


@pytest.mark.parametrize("activation", ["tanh", "relu"])
@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
def test_learning_rate_10_warns(activation, optimizer):
    settings = Settings(activation=activation, optimizer=optimizer, learning_rate=10.0)
    trainer = Experiment.build(settings).trainer
    trainer.run(400)
    # Either the trainer caught a NaN/inf (its own message) or the health check speaks.
    assert trainer.diverged is not None or training_health(trainer)


@pytest.mark.parametrize("dataset", sorted(DATASETS))
def test_the_default_run_of_every_dataset_raises_nothing(dataset):
    trainer = Experiment.build(Settings(dataset=dataset)).trainer
    for _ in range(10):  # checked along the way, as the page does on every tick
        trainer.run(100)
        assert training_health(trainer) == [], f"{dataset} at epoch {trainer.epoch}"


@pytest.mark.usefixtures("clear_streamlit_caches")
def test_the_transform_page_warns_once_near_the_controls(open_page):
    at = open_page(
        "pages/1_Transform.py",
        query={"act": "relu", "opt": "sgd", "lr": "10", "epochs": "400"},
        timeout=120,
    )
    health = [w.value for w in at.warning if "dead" in w.value]
    assert len(health) == 1 and "Training paused" in health[0]
    assert "accuracy is 50%" in health[0]
    # In the health box, the one box that is there findings or not (its place is kept), open
    # now that training paused.
    (box,) = [e for e in at.expander if e.label.startswith("Training health")]
    assert " problem" in box.label and "found" in box.label
    assert [w.value for w in box.warning] == health and box.proto.expanded


@pytest.mark.usefixtures("clear_streamlit_caches")
def test_the_health_box_keeps_its_place_while_nothing_is_wrong(open_page):
    """At defaults the same box says nothing is wrong, collapsed: a finding that comes later
    fills it instead of pushing the live view down with a new warning above it."""
    at = open_page("pages/1_Transform.py", timeout=120)
    (box,) = [e for e in at.expander if e.label.startswith("Training health")]
    assert box.label == HEALTHY and not box.proto.expanded
    assert not box.warning and not at.warning


@pytest.mark.usefixtures("clear_streamlit_caches")
def test_the_transform_page_is_quiet_at_defaults(open_page):
    at = open_page("pages/1_Transform.py", query={"epochs": "400"}, timeout=120)
    assert not [w.value for w in at.warning if "Try" in w.value]

"""After divergence the weights go back to the last epoch with finite losses, and the Transform
page says "diverged" instead of showing exploded numbers and pictures.

A full-batch epoch that explodes fails on its very first step, so "the weights before the
failing epoch" are the ones whose loss was just found too large: an 8 × 16 identity network at
learning rate 10 kept weights with a test loss of 3e24, and the layer-by-layer figure held
coordinates of 2e22.
"""

from __future__ import annotations

import base64

import numpy as np
import pytest

from core.data.datasets import make_dataset
from core.data.splits import train_test_split
from core.nn.network import MLP
from core.nn.training import EXPLODED, Trainer

DIVERGING = {"layers": "8,8,8", "act": "identity", "opt": "sgd", "lr": "10", "epochs": "20"}


def _diverged_trainer(hidden, with_test, batch_size=None):
    X, y = make_dataset("spiral", 500, noise=0.3, seed=0)
    X_train, X_test, y_train, y_test = train_test_split(X, y, 0.5, seed=0)
    test = (X_test, y_test) if with_test else (None, None)
    model = MLP([2, *hidden, 1], "identity", seed=0)
    trainer = Trainer(
        model, X_train, y_train, *test, optimizer="sgd", learning_rate=10.0, batch_size=batch_size
    )
    with np.errstate(all="ignore"):
        trainer.run(200)
    return trainer, (X_train, y_train, X_test, y_test)


@pytest.mark.parametrize("with_test", [True, False], ids=["with test set", "train only"])
@pytest.mark.parametrize("hidden", [(16,) * 8, (8, 8, 8), (8,)])
def test_divergence_keeps_the_last_weights_with_finite_losses(hidden, with_test):
    trainer, (X_train, y_train, X_test, y_test) = _diverged_trainer(hidden, with_test)
    assert trainer.diverged is not None
    # Full batch: the last epoch's own weights had exploded, so an earlier epoch is kept.
    assert trainer.kept_epoch == trainer.epoch - 1
    assert f"kept from epoch {trainer.kept_epoch}, the last with a finite loss" in trainer.diverged
    assert trainer.evaluate(X_train, y_train)[0] < EXPLODED
    assert trainer.evaluate(X_test, y_test)[0] < EXPLODED  # even when it never saw the test set


def test_weights_that_are_still_finite_are_kept_as_they_are():
    # With mini-batches this run fails inside its first epoch: the start is kept, unchanged.
    trainer, _ = _diverged_trainer((8,), with_test=True, batch_size=10)
    assert trainer.diverged is not None and trainer.kept_epoch == trainer.epoch == 0
    np.testing.assert_array_equal(trainer.model.params, MLP([2, 8, 1], "identity", seed=0).params)


def _frame_coordinates(spec: dict) -> list[np.ndarray]:
    """Every animation frame's coordinates, decoded from Plotly's base64 typed arrays."""
    frames = []
    for frame in spec["frames"]:
        values = [
            np.frombuffer(base64.b64decode(axis["bdata"]), dtype=axis["dtype"]).astype(float)
            for trace in frame["data"]
            for axis in (trace.get(key) for key in "xyz")
            if isinstance(axis, dict) and "bdata" in axis
        ]
        frames.append(np.concatenate(values) if values else np.zeros(0))
    return frames


pytestmark = pytest.mark.usefixtures("clear_streamlit_caches")


def test_the_transform_page_says_diverged_and_draws_the_kept_weights(
    open_page, animation_spec, counters
):
    at = open_page("pages/1_Transform.py", query=DIVERGING, timeout=120)
    trainer = at.session_state["transform"].trainer
    assert trainer.diverged is not None and trainer.kept_epoch < trainer.epoch
    assert trainer.history.rows[-1, 2] > EXPLODED  # the explosion is still in the history
    metrics = counters(at)  # drawn by the live canvas above its picture
    assert metrics["Epoch"] == f"{trainer.epoch:,}"
    assert [metrics[k] for k in ("Train accuracy", "Test accuracy", "Test loss")] == [
        "diverged"
    ] * 3
    note = f"every picture shows the weights of epoch {trainer.kept_epoch:,}"
    assert any(note in caption.value for caption in at.caption)
    spec = animation_spec(at)
    frames = _frame_coordinates(spec)
    assert len(frames) > 40  # input frame + 3 layers × stages × frames per stage
    assert all(np.isfinite(frame).any() for frame in frames)  # no blank frame
    assert max(np.nanmax(np.abs(frame)) for frame in frames) < 1e5  # was 3e9

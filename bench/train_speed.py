"""Training-engine speed: Spacewarp against scikit-learn's MLPClassifier on the same work.

Run: ``python bench/train_speed.py``. Network 2-8-8-8-1 tanh on the 500-point spiral (250
train). Both engines do the same epochs with plain SGD at the same batch size; rounds alternate
between them so machine load hits both alike, and the medians are compared. Prints:
  (a) full-batch epochs/s and the ratio (target ≥ 10×),
  (b) epochs/s at batch size 10 and the ratio (target ≥ 2×),
  (c) wall time until ≥ 99 % train accuracy with the app's default optimizer (target ≤ 0.3 s).
"""

from __future__ import annotations

import statistics
import sys
import time
import warnings
from pathlib import Path

from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.data.datasets import make_dataset  # noqa: E402
from core.data.splits import train_test_split  # noqa: E402
from core.nn.network import MLP  # noqa: E402
from core.nn.training import Trainer  # noqa: E402

HIDDEN = (8, 8, 8)
LEARNING_RATE = 0.1
ROUNDS = 7


def _data():
    X, y = make_dataset("spiral", 500, noise=0.0, seed=0)
    return train_test_split(X, y, 0.5, seed=0)


def _spacewarp_rate(X, y, batch_size, n_epochs, with_test=None):
    model = MLP([2, *HIDDEN, 1], "tanh", seed=0)
    test = with_test or (None, None)
    trainer = Trainer(
        model, X, y, *test, optimizer="sgd", learning_rate=LEARNING_RATE, batch_size=batch_size
    )
    trainer.run(2)  # warm-up
    start = time.perf_counter()
    trainer.run(n_epochs)
    return n_epochs / (time.perf_counter() - start)


def _sklearn_rate(X, y, batch_size, n_epochs):
    clf = MLPClassifier(
        HIDDEN,
        activation="tanh",
        solver="sgd",
        batch_size=batch_size,
        momentum=0.0,
        learning_rate_init=LEARNING_RATE,
        random_state=0,
    )
    clf.partial_fit(X, y, classes=[0, 1])  # warm-up
    start = time.perf_counter()
    for _ in range(n_epochs):  # one partial_fit call is one pass over the data
        clf.partial_fit(X, y)
    return n_epochs / (time.perf_counter() - start)


def _compare(X, y, batch_size, n_ours, n_theirs):
    ours, theirs = [], []
    for _ in range(ROUNDS):
        ours.append(_spacewarp_rate(X, y, batch_size, n_ours))
        theirs.append(_sklearn_rate(X, y, batch_size, n_theirs))
    return statistics.median(ours), statistics.median(theirs)


def _time_to_separate(X_train, y_train, X_test, y_test):
    """Seconds of training (app defaults: Adam, full batch) until train accuracy ≥ 99 %."""
    trainer = Trainer(MLP([2, *HIDDEN, 1], "tanh", seed=0), X_train, y_train, X_test, y_test)
    start = time.perf_counter()
    while trainer.epoch < 20_000:
        trainer.run(25)
        if trainer.evaluate(X_train, y_train)[1] >= 0.99:
            return time.perf_counter() - start, trainer.epoch
    return float("inf"), trainer.epoch


def main() -> None:
    X_train, X_test, y_train, y_test = _data()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        full = _compare(X_train, y_train, len(X_train), 1000, 100)
        small = _compare(X_train, y_train, 10, 60, 20)
    with_test = statistics.median(
        _spacewarp_rate(X_train, y_train, len(X_train), 1000, (X_test, y_test)) for _ in range(3)
    )
    seconds, epochs = min(_time_to_separate(X_train, y_train, X_test, y_test) for _ in range(3))
    print(
        "2-8-8-8-1 tanh, spiral 500 points (250 train), SGD lr 0.1, medians of alternating rounds"
    )
    print(f"{'measure':<44}{'spacewarp':>12}{'sklearn':>12}{'ratio':>9}{'target':>9}")
    print(
        f"{'(a) full-batch epochs/s':<44}{full[0]:>12.0f}{full[1]:>12.0f}"
        f"{full[0] / full[1]:>8.1f}x{'>= 10x':>9}"
    )
    print(
        f"{'(b) batch-10 epochs/s':<44}{small[0]:>12.0f}{small[1]:>12.0f}"
        f"{small[0] / small[1]:>8.1f}x{'>= 2x':>9}"
    )
    print(f"{'    full batch + test metrics every epoch':<44}{with_test:>12.0f}")
    print(
        f"{'(c) seconds to 99 % train accuracy (Adam)':<44}{seconds:>12.3f}"
        f"{'':>12}{'':>9}{'<= 0.3 s':>9}   ({epochs} epochs)"
    )


if __name__ == "__main__":
    main()

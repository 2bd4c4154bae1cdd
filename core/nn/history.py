"""A trainer's logs: rows per epoch in bounded memory, and rows whose test metrics wait.

``ThinnedLog`` keeps at most a fixed number of rows (a run of 100,000 epochs uses the memory of
one of 2,000). ``PendingRows`` holds the logged epochs whose test metrics are not measured yet,
with the weights each ended at: the trainer measures the test set at all of them in one stacked
forward pass (``MLP._trace`` with ``params``), several times cheaper than one pass per epoch on
a tiny network, where every NumPy call costs more than its arithmetic.
"""

from __future__ import annotations

import numpy as np

__all__ = ["PendingRows", "ThinnedLog"]

Array = np.ndarray


class ThinnedLog:
    """At most ``capacity`` rows of ``width`` floats, one per recorded epoch.

    Records epochs that are multiples of ``stride``; when full it drops every other row and
    doubles the stride, so the log always spans the whole run at an even spacing.
    """

    def __init__(self, capacity: int, width: int) -> None:
        self.capacity = max(4, capacity - capacity % 2)
        self.stride = 1
        self.size = 0
        self._epochs = np.zeros(self.capacity, dtype=np.int64)
        self._rows = np.zeros((self.capacity, width))

    def wants(self, epoch: int) -> bool:
        return epoch % self.stride == 0

    def append(self, epoch: int, row: Array) -> None:
        if self.size == self.capacity:
            keep = np.flatnonzero(self._epochs % (2 * self.stride) == 0)
            self._epochs[: keep.size] = self._epochs[keep]
            self._rows[: keep.size] = self._rows[keep]
            self.size, self.stride = keep.size, 2 * self.stride
            if not self.wants(epoch):
                return
        self._epochs[self.size] = epoch
        self._rows[self.size] = row
        self.size += 1

    def record(self, epoch: int, row: Array) -> None:
        """Log ``row`` for ``epoch``: replaces the last row if it is that epoch's, else appends."""
        if self.size and self._epochs[self.size - 1] == epoch:
            self._rows[self.size - 1] = row
        else:
            self.append(epoch, row)

    @property
    def epochs(self) -> Array:
        return self._epochs[: self.size].copy()

    @property
    def rows(self) -> Array:
        return self._rows[: self.size].copy()

    @property
    def nbytes(self) -> int:
        return self._epochs.nbytes + self._rows.nbytes


class PendingRows:
    """Up to ``capacity`` logged epochs waiting for their test metrics: each one's epoch, train
    metrics and the weights (n_params,) it ended at, in order."""

    def __init__(self, capacity: int, n_params: int) -> None:
        self.capacity = max(1, capacity)
        self._params = np.zeros((self.capacity, n_params))
        self.epochs: list[int] = []
        self.train: list[tuple[float, ...]] = []

    @property
    def full(self) -> bool:
        return len(self.epochs) == self.capacity

    def add(self, epoch: int, params: Array, train: tuple[float, ...]) -> None:
        self._params[len(self.epochs)] = params
        self.epochs.append(epoch)
        self.train.append(train)

    def take(self) -> tuple[list[int], Array, list[tuple[float, ...]]]:
        """The pending epochs, their weights (n_pending, n_params) and train metrics; empties
        the list (the weights are a view, valid until the next ``add``)."""
        epochs, train, params = self.epochs, self.train, self._params[: len(self.epochs)]
        self.epochs, self.train = [], []
        return epochs, params, train

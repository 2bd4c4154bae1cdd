"""The Loss-surface page's cache keys: exact digests of the weights and data."""

import numpy as np

from core.nn.network import MLP
from pages._ui.exact_slice import fingerprint, run_key


def test_fingerprint_is_exact_and_small():
    a = np.arange(10.0)
    assert fingerprint(a) == fingerprint(a.copy()) and len(fingerprint(a)) == 16
    b = a.copy()
    b[7] += 1e-12
    assert fingerprint(a) != fingerprint(b)
    assert fingerprint(a) != fingerprint(a.reshape(2, 5))


def test_run_key_changes_with_any_weight():
    model = MLP([2, 3, 1], seed=0)
    X, targets = np.zeros((4, 2)), np.zeros((4, 1))
    key = run_key(model, X, targets, "binary_cross_entropy")
    assert key == run_key(model.copy(), X, targets, "binary_cross_entropy")
    assert key != run_key(model, X, targets, "mse")
    model.params[5] += 1e-9
    assert key != run_key(model, X, targets, "binary_cross_entropy")

"""Initialisers: seeded, right shapes, and the variances their papers promise."""

import numpy as np
import pytest

from core.nn.initializers import INITIALIZERS, get_initializer

EXPECTED_STD = {
    "normal": lambda fan_in, fan_out, scale: scale,
    "uniform": lambda fan_in, fan_out, scale: scale / np.sqrt(3),
    "xavier_normal": lambda fan_in, fan_out, scale: np.sqrt(2 / (fan_in + fan_out)),
    "xavier_uniform": lambda fan_in, fan_out, scale: np.sqrt(2 / (fan_in + fan_out)),
    "he_normal": lambda fan_in, fan_out, scale: np.sqrt(2 / fan_in),
    "he_uniform": lambda fan_in, fan_out, scale: np.sqrt(2 / fan_in),
}


@pytest.mark.parametrize("name", list(INITIALIZERS))
def test_shape_seed_and_standard_deviation(name):
    init = INITIALIZERS[name]
    scale = init.default_scale or 1.0
    W = init.init(np.random.default_rng(0), 300, 200, scale)
    assert W.shape == (300, 200)
    np.testing.assert_array_equal(W, init.init(np.random.default_rng(0), 300, 200, scale))
    assert not np.array_equal(W, init.init(np.random.default_rng(1), 300, 200, scale))
    assert W.std() == pytest.approx(EXPECTED_STD[name](300, 200, scale), rel=0.02)
    assert abs(W.mean()) < 0.01


def test_registry_covers_the_issue_list():
    assert set(INITIALIZERS) == set(EXPECTED_STD)
    with pytest.raises(ValueError, match="'orthogonal'"):
        get_initializer("orthogonal")

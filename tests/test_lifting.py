"""Lifting by hand: the right extra feature makes a linear model enough."""

import numpy as np
import pytest

from core.data.datasets import make_dataset
from core.labs.lifting import fit_lifted


def test_the_fit_is_on_the_drawn_data_and_scored_on_it():
    fit = fit_lifted("moons", 200, 0.1, 3, ("x1x2",))
    X, y = make_dataset("moons", 200, 0.1, 3)
    np.testing.assert_array_equal(fit.X, X)
    np.testing.assert_array_equal(fit.y, y)
    assert fit.model.features == ("x1", "x2", "x1x2")
    predicted = (fit.model.forward(X)[:, 0] > 0.5).astype(int)
    assert fit.accuracy == pytest.approx(np.mean(predicted == y))
    low, high = fit.extent[:2]
    assert low <= X[:, 0].min() and X[:, 0].max() <= high


@pytest.mark.parametrize(("dataset", "feature"), [("circles", "r2"), ("xor", "x1x2")])
def test_one_feature_separates_what_a_line_cannot(dataset, feature):
    flat = fit_lifted(dataset, 400, 0.0, 0, ())
    lifted = fit_lifted(dataset, 400, 0.0, 0, (feature,))
    assert flat.accuracy < 0.8
    assert lifted.accuracy == 1.0


def test_several_classes_get_one_score_each():
    fit = fit_lifted("blobs3", 150, 0.0, 1, ("x1sq", "x2sq"))
    assert fit.model.forward(fit.X).shape == (150, 3)
    assert fit.accuracy > 0.9

"""The NumPy rasteriser: shapes, and pixels that agree with the model and the data drawn."""

import numpy as np
import pytest

from core.nn.network import MLP
from core.render import raster
from core.render.theme import CLASS_COLORS, hex_to_rgb

EXTENT = (-1.0, 1.0, -1.0, 1.0)
ORANGE, BLUE, GREEN = (np.array(hex_to_rgb(c), dtype=float) for c in CLASS_COLORS[:3])
WHITE = np.full(3, 255.0)
NO_POINTS = np.zeros((0, 2))
NO_LABELS = np.zeros(0, dtype=int)


def _model(layer_sizes, activation, weights, biases=None):
    """An MLP whose parameters are set by hand."""
    model = MLP(layer_sizes, activation)
    for i, W in enumerate(weights):
        model.weights[i][...] = W
        model.biases[i][...] = 0.0 if biases is None else biases[i]
    return model


def _vertical_boundary():
    """p(class 1) = sigmoid(8 x): class 0 left of x = 0, class 1 right of it."""
    return _model([2, 1], "tanh", [[[8.0], [0.0]]])


def _nearest_class(pixel, colors=(ORANGE, BLUE, GREEN)):
    """The class whose white-to-colour ramp passes closest to ``pixel`` (shades included)."""
    offset = np.asarray(pixel, dtype=float) - WHITE
    misses = []
    for color in colors:
        ramp = color - WHITE
        share = np.clip(offset @ ramp / (ramp @ ramp), 0.0, 1.0)
        misses.append(np.linalg.norm(offset - share * ramp))
    return int(np.argmin(misses))


def _pixel_of(x, y, size, extent=EXTENT):
    x_min, x_max, y_min, y_max = extent
    col = int((x - x_min) / (x_max - x_min) * size)
    row = int((y_max - y) / (y_max - y_min) * size)
    return row, col


def test_probability_grid_rows_run_from_top_to_bottom():
    model = _model([2, 1], "tanh", [[[0.0], [3.0]]])  # p(class 1) rises with y
    xs, ys, probs = raster.probability_grid(model, (-2.0, 1.0, -1.0, 3.0), resolution=7)
    assert probs.shape == (7, 7, 2)
    assert xs[0] == -2.0 and xs[-1] == 1.0 and np.all(np.diff(xs) > 0)
    assert ys[0] == 3.0 and ys[-1] == -1.0 and np.all(np.diff(ys) < 0)
    assert np.all(np.diff(probs[:, 0, 1]) < 0)  # row 0 is the top: most class 1
    expected = model.predict_proba([[xs[4], ys[2]]])[0]
    np.testing.assert_allclose(probs[2, 4], expected)


@pytest.mark.parametrize("bad", [(1.0, -1.0, 0.0, 1.0), (0, 1, 0, np.nan), (0, 1, 0), "abcd"])
def test_probability_grid_rejects_a_bad_extent(bad):
    with pytest.raises(ValueError, match="extent"):
        raster.probability_grid(_vertical_boundary(), bad)


def test_boundary_image_shades_each_side_by_the_predicted_class():
    image = raster.boundary_image(_vertical_boundary(), EXTENT, NO_POINTS, NO_LABELS, size=100)
    assert image.shape == (100, 100, 3) and image.dtype == np.uint8
    assert _nearest_class(image[50, 10]) == 0
    assert _nearest_class(image[50, 90]) == 1
    # Near-white where the model is unsure, darkest on the boundary line itself.
    assert image[50, 45].astype(int).sum() > image[50, 10].astype(int).sum()
    boundary_row = image[50, 45:55].astype(int).sum(axis=1)
    assert 45 + boundary_row.argmin() in (49, 50) and boundary_row.min() < 500


def test_boundary_image_agrees_with_a_random_multiclass_model():
    model = MLP([2, 6, 3], "tanh", init="normal", init_scale=2.0, seed=3)
    size = 120
    image = raster.boundary_image(model, EXTENT, NO_POINTS, NO_LABELS, size=size)
    rng = np.random.default_rng(0)
    rows, cols = rng.integers(0, size, 200), rng.integers(0, size, 200)
    centres = np.column_stack([-1 + (cols + 0.5) * 2 / size, 1 - (rows + 0.5) * 2 / size])
    probs = model.predict_proba(centres)
    sure = np.sort(probs, axis=1)[:, -1] - np.sort(probs, axis=1)[:, -2] > 0.3
    assert sure.sum() > 50
    predicted = probs.argmax(axis=1)
    drawn = [_nearest_class(image[r, c].astype(float)) for r, c in zip(rows, cols, strict=True)]
    np.testing.assert_array_equal(np.array(drawn)[sure], predicted[sure])


def test_train_and_test_points_have_different_rings():
    flat = _model([2, 1], "tanh", [[[0.0], [0.0]]])  # p = 0.5 everywhere: a white field
    point = np.array([[0.0, 0.0]])
    label = np.array([1])
    train = raster.boundary_image(flat, EXTENT, point, label, size=81)
    test = raster.boundary_image(flat, EXTENT, NO_POINTS, NO_LABELS, point, label, size=81)
    centre, ring = (40, 40), (40, 40 + 3)  # the fill has radius 2.5, the ring 2.5..3.5
    assert _nearest_class(train[centre]) == 1 and _nearest_class(test[centre]) == 1
    assert train[ring].min() > 200  # white ring
    assert test[ring].max() < 120  # dark ring
    assert (train[40, 50] == test[40, 50]).all()  # same background away from the point


def test_neuron_images_one_per_hidden_unit():
    model = MLP([2, 3, 4, 5, 1], "relu", seed=0)
    images = raster.neuron_images(model, EXTENT, resolution=16)
    assert [len(layer) for layer in images] == [3, 4, 5]
    assert all(im.shape == (16, 16, 3) and im.dtype == np.uint8 for la in images for im in la)


@pytest.mark.parametrize("activation", ["tanh", "identity", "relu", "sigmoid"])
def test_each_neuron_image_varies_along_its_own_input(activation):
    # Unit 0 computes x1 and unit 1 computes x2 (before the activation).
    model = _model([2, 2, 1], activation, [np.eye(2), np.ones((2, 1))])
    unit_x, unit_y = raster.neuron_images(model, EXTENT, resolution=20)[0]
    unit_x, unit_y = unit_x.astype(int), unit_y.astype(int)
    assert (unit_x == unit_x[:1]).all() and (unit_y == unit_y[:, :1]).all()
    assert (unit_x[:, 0] != unit_x[:, -1]).any() and (unit_y[0] != unit_y[-1]).any()
    if model.activation.zero_centred:  # diverging: orange left (a < 0), blue right (a > 0)
        assert _nearest_class(unit_x[0, 0]) == 0 and _nearest_class(unit_x[0, -1]) == 1
    else:  # sequential: white at the unit's minimum (left), blue at its maximum (right)
        assert (unit_x[0, 0] == 255).all() and _nearest_class(unit_x[0, -1]) == 1


def test_tile_places_images_row_by_row():
    images = [np.full((2, 3, 3), k, dtype=np.uint8) for k in (10, 20, 30)]
    tiled = raster.tile(images, n_columns=2, pad=1, background=(255, 0, 0))
    assert tiled.shape == (5, 7, 3)
    assert (tiled[:2, :3] == 10).all() and (tiled[:2, 4:] == 20).all()
    assert (tiled[3:, :3] == 30).all()
    assert (tiled[3:, 4:] == [255, 0, 0]).all() and (tiled[2] == [255, 0, 0]).all()
    with pytest.raises(ValueError, match="one shape"):
        raster.tile([images[0], np.zeros((3, 3, 3), np.uint8)], 2)


def test_representation_image_draws_points_and_lines_where_they_are():
    points = np.array([[-0.5, 0.5], [0.5, -0.5], [np.nan, 0.0]])
    labels = np.array([0, 1, 0])
    s = np.linspace(-0.9, 0.9, 2)
    lines = np.vstack(
        [np.column_stack([s, np.zeros(2)]), [[np.nan, np.nan]], np.column_stack([s, s + 0.5])]
    )
    image = raster.representation_image(points, labels, lines, size=100, extent=EXTENT)
    assert image.shape == (100, 100, 3) and image.dtype == np.uint8
    assert _nearest_class(image[_pixel_of(-0.5, 0.5, 100)]) == 0
    assert _nearest_class(image[_pixel_of(0.5, -0.5, 100)]) == 1
    grey = image.astype(int).sum(axis=2) < 3 * 255 - 30
    assert grey[49:51, 6:94].any(axis=0).all()  # the horizontal line, without gaps
    # The diagonal y = x + 0.5 is continuous: every column it spans has an inked pixel.
    assert all(grey[max(r - 1, 0) : r + 2, c].any() for r, c in _diagonal_pixels(100))
    assert not grey[_pixel_of(-0.3, -0.5, 100)]  # blank elsewhere
    assert not grey[_pixel_of(0.0, -0.2, 100)]  # no segment across the NaN break


def _diagonal_pixels(size):
    for x in np.linspace(-0.85, 0.45, 30):
        yield _pixel_of(x, x + 0.5, size)


def test_representation_image_default_extent_shows_every_point():
    points = np.array([[0.0, 0.0], [10.0, 10.0], [10.0, 0.0]])
    image = raster.representation_image(points, np.array([0, 1, 2]), size=60)
    inked = image.astype(int).sum(axis=2) < 600
    assert inked[30:, :30].any() and inked[:30, 30:].any() and inked[30:, 30:].any()
    assert not inked[:30, :30].any()
    assert not inked[0].any() and not inked[-1].any()  # padded: nothing touches the edge

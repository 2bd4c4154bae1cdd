"""Drawing primitives: discs drawn in order, bilinear resampling that keeps a linear field."""

import numpy as np
import pytest

from core.render import draw
from core.render.theme import CLASS_COLORS, hex_to_rgb

ORANGE, BLUE, GREEN = (np.array(hex_to_rgb(c), dtype=float) for c in CLASS_COLORS[:3])


def test_later_discs_are_drawn_on_top():
    image = np.full((20, 20, 3), 255.0, dtype=np.float32)
    centres = np.array([[10.0, 10.0], [10.0, 10.0], [np.nan, 3.0]])
    draw.draw_discs(image, centres, np.array([ORANGE, BLUE, GREEN]), np.zeros(3))
    np.testing.assert_allclose(image[10, 10], BLUE)
    assert (image[0, :] == 255).all()  # the NaN disc is skipped


@pytest.mark.parametrize("shape", [(40, 40), (17, 64), (5, 3)])
def test_upsample_samples_a_linear_field_at_pixel_centres(shape):
    # Values on a 7 x 9 grid spanning [0, 1]^2 corner to corner; a linear field is
    # reproduced exactly by bilinear interpolation at every pixel centre.
    rows, cols = np.linspace(0, 1, 7), np.linspace(0, 1, 9)
    field = 3.0 * rows[:, None] - 2.0 * cols[None, :] + 0.5
    fine = draw.upsample(field, shape)
    centre_rows = (np.arange(shape[0]) + 0.5) / shape[0]
    centre_cols = (np.arange(shape[1]) + 0.5) / shape[1]
    expected = 3.0 * centre_rows[:, None] - 2.0 * centre_cols[None, :] + 0.5
    assert fine.shape == shape and fine.dtype == np.float32
    np.testing.assert_allclose(fine, expected, atol=1e-5)


def test_upsample_keeps_trailing_value_axes_apart():
    grid = np.stack([np.zeros((4, 4)), np.ones((4, 4))], axis=-1)
    fine = draw.upsample(grid, (10, 12))
    assert fine.shape == (10, 12, 2)
    assert (fine[..., 0] == 0).all() and (fine[..., 1] == 1).all()

"""Tests of core.render.png: the hand-written PNG encoder decodes (by Pillow) to its pixels."""

import base64
import io

import numpy as np
import pytest
from PIL import Image

from core.render.png import png_data_uri


@pytest.mark.parametrize("shape", [(37, 53, 3), (1, 9, 3), (20, 11, 4), (15, 8)])
def test_png_data_uri_decodes_to_the_same_pixels(shape):
    rng = np.random.default_rng(sum(shape))
    image = rng.integers(0, 256, size=shape, dtype=np.uint8)
    image[shape[0] // 2 :] = image[0]  # repeated rows: the Up filter's zeros
    uri = png_data_uri(image)
    assert uri.startswith("data:image/png;base64,")
    decoded = Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1])))
    np.testing.assert_array_equal(np.asarray(decoded), image)

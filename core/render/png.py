"""PNG encoding of the NumPy pictures, as inline ``data:`` URIs.

The live pictures are swapped in place as inline images; an image whose picture arrives with
the page's data never shows an empty frame, unlike a URL the browser must fetch first.
"""

from __future__ import annotations

import base64
import struct
import zlib

import numpy as np

__all__ = ["png_data_uri"]


def png_data_uri(image: np.ndarray) -> str:
    """A ``data:image/png;base64,…`` URI of a uint8 image: RGB (H, W, 3), RGBA (H, W, 4) or
    grey (H, W).

    The live view swaps these inline: an ``<img>`` whose new picture arrives in the same HTML
    never shows an empty frame, unlike a URL the browser must fetch first (measured: with
    ``st.image`` about half of the browser's frames had an undecoded image while playing).
    Written here rather than by Pillow: every row "Up"-filtered (its difference from the row
    above, which the smooth maps and flat backgrounds make mostly zeros) and deflated at zlib's
    fastest level, about half of Pillow's time (it tries every filter on every row) for about
    5 % more bytes; these images live a fraction of a second.
    """
    image = np.ascontiguousarray(image, dtype=np.uint8)
    height, width = image.shape[:2]
    channels = 1 if image.ndim == 2 else image.shape[2]
    rows = image.reshape(height, width * channels)
    raw = np.empty((height, 1 + rows.shape[1]), dtype=np.uint8)
    raw[:, 0] = _UP
    raw[0, 0] = 0  # the first row has no row above: unfiltered
    raw[0, 1:] = rows[0]
    np.subtract(rows[1:], rows[:-1], out=raw[1:, 1:])  # modulo 256, as PNG's Up filter
    header = struct.pack(">IIBBBBB", width, height, 8, _COLOUR_TYPES[channels], 0, 0, 0)
    body = zlib.compress(raw.tobytes(), 1)
    chunks = [_chunk(b"IHDR", header), _chunk(b"IDAT", body), _chunk(b"IEND", b"")]
    png = _SIGNATURE + b"".join(chunks)
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_UP = 2  # PNG filter type: each byte minus the byte above it
_COLOUR_TYPES = {1: 0, 3: 2, 4: 6}  # channels -> PNG colour type (grey, RGB, RGBA)


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

"""Shared look: class colours, fonts and figure layout used by every figure builder.

Colours are hex strings for Plotly and RGB tuples (0..255) for the NumPy rasteriser, defined
once here so the live images and the Plotly animations agree.
"""

from __future__ import annotations

__all__ = [
    "BACKGROUND",
    "CLASS_COLORS",
    "FONT_FAMILY",
    "GRID_COLOR",
    "INK",
    "MUTED",
    "PRIMARY",
    "class_color",
    "hex_to_rgb",
]

# Orange/blue as in TensorFlow Playground for two classes, then well-separated hues.
CLASS_COLORS = (
    "#f59322",
    "#0877bd",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)
PRIMARY = "#5b4bdb"
INK = "#1f1d2e"
MUTED = "#6b6880"
GRID_COLOR = "#9a96b8"
BACKGROUND = "#ffffff"
FONT_FAMILY = "Source Sans Pro, sans-serif"


def class_color(label: int) -> str:
    """Hex colour of class ``label``."""
    return CLASS_COLORS[int(label) % len(CLASS_COLORS)]


def hex_to_rgb(color: str) -> tuple[int, int, int]:
    """``"#f59322"`` → ``(245, 147, 34)``."""
    color = color.lstrip("#")
    return int(color[0:2], 16), int(color[2:4], 16), int(color[4:6], 16)

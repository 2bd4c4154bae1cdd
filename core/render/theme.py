"""Shared look: class colours, fonts and figure layout used by every figure builder.

Colours are hex strings for Plotly and RGB tuples (0..255) for the NumPy rasteriser, defined
once here so the live images and the Plotly animations agree. ``figure_layout`` is the layout
every Plotly figure starts from.
"""

from __future__ import annotations

__all__ = [
    "AXIS_GRID_COLOR",
    "BACKGROUND",
    "CLASS_COLORS",
    "FONT_FAMILY",
    "GRID_COLOR",
    "INK",
    "MUTED",
    "PLANE_OPACITY",
    "PRIMARY",
    "SCENE_GRID_COLOR",
    "class_color",
    "figure_layout",
    "hex_to_rgb",
    "rgba",
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
# A separating plane in a 3-D scene, drawn in PRIMARY over the points behind it: at 0.35 it
# turned orange points brown; at 0.12 a point keeps its colour within 24 of 255 a channel.
PLANE_OPACITY = 0.12
INK = "#1f1d2e"
MUTED = "#6b6880"
GRID_COLOR = "#9a96b8"  # the data's grid carried through the network, and axis lines
# Reference grids of the axes, lighter than the data's grid so they stay behind it.
AXIS_GRID_COLOR = "#ecebf4"  # 2-D plots
SCENE_GRID_COLOR = "#e4e2f0"  # 3-D scenes, a shade darker
BACKGROUND = "#ffffff"
FONT_FAMILY = "Source Sans Pro, sans-serif"


def class_color(label: int) -> str:
    """Hex colour of class ``label``."""
    return CLASS_COLORS[int(label) % len(CLASS_COLORS)]


def hex_to_rgb(color: str) -> tuple[int, int, int]:
    """``"#f59322"`` → ``(245, 147, 34)``."""
    color = color.lstrip("#")
    return int(color[0:2], 16), int(color[2:4], 16), int(color[4:6], 16)


def rgba(color: str, alpha: float) -> str:
    """``"#5b4bdb"``, 0.1 → ``"rgba(91, 75, 219, 0.1)"``: a theme colour made translucent."""
    red, green, blue = hex_to_rgb(color)
    return f"rgba({red}, {green}, {blue}, {alpha:g})"


def figure_layout(height: int, font_size: int | None = None, **overrides) -> dict:
    """The layout a Plotly figure starts from: the theme's font, white paper and plot area.

    ``overrides`` (any layout keys: margin, legend, title, ...) replace the defaults; pass it to
    ``figure.update_layout(**figure_layout(...))``.
    """
    font = {"family": FONT_FAMILY, "color": MUTED}
    if font_size is not None:
        font["size"] = font_size
    base = {"height": height, "font": font, "paper_bgcolor": BACKGROUND, "plot_bgcolor": BACKGROUND}
    return {**base, **overrides}

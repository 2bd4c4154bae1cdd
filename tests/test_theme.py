"""The theme: colours agree between Plotly strings and the rasteriser, layouts start alike."""

from core.render.theme import BACKGROUND, INK, PRIMARY, figure_layout, hex_to_rgb, rgba


def test_rgba_is_the_hex_colour_made_translucent():
    assert hex_to_rgb(PRIMARY) == (91, 75, 219)
    assert rgba(PRIMARY, 0.1) == "rgba(91, 75, 219, 0.1)"
    assert rgba(INK, 0.25) == "rgba(31, 29, 46, 0.25)"


def test_figure_layout_defaults_and_overrides():
    layout = figure_layout(300)
    assert layout["height"] == 300 and "size" not in layout["font"]
    assert layout["paper_bgcolor"] == layout["plot_bgcolor"] == BACKGROUND
    sized = figure_layout(200, 13, margin={"l": 5}, plot_bgcolor="black")
    assert sized["font"]["size"] == 13 and sized["margin"] == {"l": 5}
    assert sized["plot_bgcolor"] == "black" and sized["paper_bgcolor"] == BACKGROUND

"""Every 3-D figure draws its axis titles whole, inside its scene, in real headless Chromium.

Plotly fits a 3-D scene to its height and cuts whatever sticks out at the sides of its canvas:
the Loss-surface page's z-axis title "loss" showed as "ss" (or not at all). Each figure is
drawn at the size its page gives it in a 1280 × 900 window (measured on the pages: the loss
surface 820 × 540 px, Compare's lifted data 460 × 440, the Tour's 3-unit hidden space
301 × 400), once as built and once per axis with that axis's title blanked, each on a fresh
page (a second plot on one page can be projected differently). Then, from the screenshots:

- nothing is drawn on the scene's border (something that crossed it would be cut there);
- blanking a title changes as many pixels as a whole title has (a title cut off or drawn
  outside the canvas changes fewer, or none).
"""

from __future__ import annotations

import base64
import copy
import json

import numpy as np
import plotly.io as pio
import pytest

from core.figures.landscape import surface_figure
from core.figures.lifting import lift_figure
from core.figures.tour import hidden_figure
from core.labs.lifting import fit_lifted
from core.labs.tour import HiddenSpace
from core.render.theme import hex_to_rgb

pytestmark = pytest.mark.browser

AXES = ("xaxis", "yaxis", "zaxis")
TITLE_PIXELS = 25  # the fewest pixels a whole title changes ("h3" at 12 px: about 60)

# Draw the figure; return its scene's box in pixels [left, top, right, bottom].
DRAW_JS = """async (spec) => {
  const gd = document.getElementById('gd');
  await Plotly.newPlot(gd, spec.data, spec.layout);
  await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  const size = gd._fullLayout._size, domain = gd._fullLayout.scene.domain;
  return [size.l + domain.x[0] * size.w, size.t + (1 - domain.y[1]) * size.h,
          size.l + domain.x[1] * size.w, size.t + (1 - domain.y[0]) * size.h].map(Math.round);
}"""

# A base64 PNG decoded to its ImageData, in the page (the counting scripts below start with it).
DECODE_JS = """  const decode = async (png) => {
    const blob = await (await fetch('data:image/png;base64,' + png)).blob();
    const bitmap = await createImageBitmap(blob);
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d');
    context.drawImage(bitmap, 0, 0);
    return context.getImageData(0, 0, bitmap.width, bitmap.height);
  };
"""

# From base64 PNGs: pixels on the scene's border unlike the background (the figure's corner),
# and for each blanked picture the pixels that differ from the full one.
COUNT_JS = (
    """async ([full, blanked, box]) => {
"""
    + DECODE_JS
    + """  const picture = await decode(full), width = picture.width, f = picture.data;
  const differs = (a, i, b, j) => [0, 1, 2].some(c => Math.abs(a[i + c] - b[j + c]) > 40);
  const at = (x, y) => (y * width + x) * 4;
  const [left, top, right, bottom] = box;
  let border = 0;
  for (let x = left; x < right; x++)
    for (const y of [top, bottom - 1]) if (differs(f, at(x, y), f, 0)) border++;
  for (let y = top; y < bottom; y++)
    for (const x of [left, right - 1]) if (differs(f, at(x, y), f, 0)) border++;
  const titles = [];
  for (const png of blanked) {
    const b = (await decode(png)).data;
    let changed = 0;
    for (let i = 0; i < f.length; i += 4) if (differs(f, i, b, i)) changed++;
    titles.push(changed);
  }
  return {border, titles};
}"""
)


def _loss_surface():
    axis = np.linspace(-1.5, 2.5, 41)
    x, y = np.meshgrid(axis, axis)
    values = 0.03 + 5 * (1 - np.exp(-((x - 0.3) ** 2 + (y - 0.7) ** 2)))
    marks = [(0.3, 0.7, 0.03, "trained weights θ*")]
    titles = ("W1[0, 0]", "W1[1, 0]")
    return surface_figure(axis, axis, values, log_scale=True, titles=titles, marks=marks)


def _lifted():
    fit = fit_lifted("circles", 400, 0.0, 0, ("r2",))
    return lift_figure(fit.X, fit.y, fit.model, fit.extent)


def _hidden_space():
    data = np.tanh(2 * np.random.default_rng(0).normal(size=(200, 3)))
    space = HiddenSpace(data, data[:50].copy(), np.array([1.0, -1.0, 0.5]), 0.1)
    return hidden_figure(space, (data[:, 0] > 0).astype(int), height=400)


FIGURES = {
    "loss surface": (_loss_surface, (820, 540)),
    "lifted data": (_lifted, (460, 440)),
    "hidden space": (_hidden_space, (301, 400)),
}


@pytest.fixture(scope="module")
def blank_page(tmp_path_factory):
    """An offline page with plotly.js (the one plotly.py ships) and an empty plot div."""
    path = tmp_path_factory.mktemp("scenes") / "plot.html"
    blank = pio.to_html({"data": [], "layout": {}}, include_plotlyjs=True, div_id="gd")
    path.write_text(blank)
    return path.as_uri()


def _draw(browser, url: str, spec: dict, size: tuple[int, int]) -> tuple[list[int], str]:
    page = browser.new_page(viewport={"width": size[0] + 40, "height": size[1] + 40})
    try:
        page.goto(url)
        box = page.evaluate(DRAW_JS, spec)
        png, previous = page.locator("#gd").screenshot(), None
        while png != previous:  # WebGL may draw again once its fonts are in: wait until still
            previous, png = png, page.locator("#gd").screenshot()
    finally:
        page.close()
    return box, base64.b64encode(png).decode()


@pytest.mark.parametrize("name", FIGURES)
def test_axis_titles_are_drawn_whole_inside_the_scene(browser, blank_page, name):
    build, (width, height) = FIGURES[name]
    spec = json.loads(build().update_layout(width=width, height=height).to_json())
    box, full = _draw(browser, blank_page, spec, (width, height))
    blanked = []
    for axis in AXES:
        bare = copy.deepcopy(spec)
        bare["layout"]["scene"][axis]["title"]["text"] = ""
        blanked.append(_draw(browser, blank_page, bare, (width, height))[1])
    page = browser.new_page()
    try:
        page.goto(blank_page)
        counted = page.evaluate(COUNT_JS, [full, blanked, box])
    finally:
        page.close()
    assert counted["border"] == 0, f"{name}: something is cut at the scene's edge"
    for axis, changed in zip(AXES, counted["titles"], strict=True):
        assert changed >= TITLE_PIXELS, f"{name}: the {axis} title is cut ({changed} px)"


# From base64 PNGs drawn with and without the separating plane: of the pixels that show a
# class's colour without the plane (a point), how many keep it (every channel within
# ``tolerance``) once the plane is drawn, and how many pixels the plane changes at all.
TINT_JS = (
    """async ([full, bare, colors, tolerance]) => {
"""
    + DECODE_JS
    + """  const f = (await decode(full)).data, b = (await decode(bare)).data;
  const near = (a, i, rgb) => [0, 1, 2].every(c => Math.abs(a[i + c] - rgb[c]) <= tolerance);
  let points = 0, kept = 0, changed = 0;
  for (let i = 0; i < f.length; i += 4) {
    if ([0, 1, 2].some(c => Math.abs(f[i + c] - b[i + c]) > 12)) changed++;
    const rgb = colors.find(color => near(b, i, color));
    if (!rgb) continue;
    points++;
    if (near(f, i, rgb)) kept++;
  }
  return {points, kept, changed};
}"""
)
PLANES = {"lifted data": (_lifted, (460, 440), 3), "hidden space": (_hidden_space, (301, 400), 2)}


@pytest.mark.parametrize("name", PLANES)
def test_points_behind_the_separating_plane_keep_their_colour(browser, blank_page, name):
    """The plane between the classes is drawn over the points behind it: at opacity 0.35 it
    tinted them (the Tour's hidden space: 27 % of the points' pixels, orange turned brown).
    Drawn with and without it, nine in ten pixels of a point keep their class colour, and
    the plane still shows."""
    build, (width, height), plane = PLANES[name]
    spec = json.loads(build().update_layout(width=width, height=height).to_json())
    bare = copy.deepcopy(spec)
    bare["data"][plane]["visible"] = False
    colors = sorted({hex_to_rgb(c) for c in _marker_colors(spec)})
    pictures = [_draw(browser, blank_page, s, (width, height))[1] for s in (spec, bare)]
    page = browser.new_page()
    try:
        page.goto(blank_page)
        counted = page.evaluate(TINT_JS, [*pictures, [list(c) for c in colors], 24])
    finally:
        page.close()
    assert counted["points"] > 200, counted  # the points were drawn and found
    assert counted["kept"] >= 0.9 * counted["points"], f"{name}: points tinted: {counted}"
    assert counted["changed"] > 2000, f"{name}: the plane is not seen: {counted}"


def _marker_colors(spec: dict) -> list[str]:
    colors = []
    for trace in spec["data"]:
        if trace.get("mode") == "markers":
            color = trace["marker"]["color"]
            colors += [color] if isinstance(color, str) else color
    return colors

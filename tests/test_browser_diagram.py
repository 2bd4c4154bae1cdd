"""The network diagram in real headless Chromium: drawn live, any shape, a click inspects."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

DIAGRAM = '[data-testid="network-diagram"]'
# What the diagram shows now: painted units, outlined units, and the colour near a unit's corner
# (at the plane's centre a unit with no bias yet outputs 0: white).
DIAGRAM_JS = """() => {
  const root = document.querySelector('[data-testid="network-diagram"]');
  const canvas = root && root.querySelector('canvas');
  if (!canvas || !canvas.getAttribute('data-units')) return null;
  const rect = root.querySelector('rect.unit[data-column="1"][data-unit="0"]');
  const x = Number(rect.getAttribute('x')) + 3, y = Number(rect.getAttribute('y')) + 3;
  const d = canvas.width / Number(root.querySelector('svg').getAttribute('width'));
  const pixel = Array.from(canvas.getContext('2d').getImageData(x * d, y * d, 1, 1).data
    .slice(0, 3));
  return {units: Number(canvas.getAttribute('data-units')),
          epoch: Number(canvas.getAttribute('data-epoch')),
          outlined: root.querySelectorAll('rect.unit').length, pixel,
          links: Number(canvas.getAttribute('data-lines'))};
}"""


def _open(page, base: str, query: str = "") -> dict:
    """Open the Transform page (tall, so the whole page shows) and wait for the diagram."""
    page.set_viewport_size({"width": 1400, "height": 2600})
    page.goto(f"{base}/Transform{query}")
    page.wait_for_function(f"() => ({DIAGRAM_JS})() !== null")
    return page.evaluate(DIAGRAM_JS)


def _no_exception(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0


def _inspect(page, column: int, unit: int, title: str) -> None:
    page.locator(f'{DIAGRAM} rect.unit[data-column="{column}"][data-unit="{unit}"]').click()
    page.get_by_text(f"Inspecting {title}").wait_for()
    big = page.locator('[data-testid="live-images"] img[alt^="' + title + ': its output"]')
    big.wait_for(state="visible")
    page.wait_for_function(
        "img => img.complete && img.naturalWidth === 280", arg=big.element_handle()
    )
    page.locator('img[alt^="incoming weights and bias"]').wait_for(state="visible")


def test_default_net_is_drawn_live_and_a_click_inspects(page, app, streamlit_server, screenshot):
    shown = _open(page, streamlit_server)
    assert shown["units"] == shown["outlined"] == 2 + 8 + 8 + 8 + 1
    assert min(shown["pixel"]) < 230 and shown["links"] > 4  # a coloured map, and links
    app.click(page.get_by_role("button", name="Play"))
    # Live: the diagram is repainted with the epochs trained, without a remount.
    page.wait_for_function(f"() => (({DIAGRAM_JS})() || {{epoch: 0}}).epoch >= 200")
    handle = page.locator(f"{DIAGRAM} canvas").element_handle()
    page.wait_for_function(
        f"([c, e]) => c.isConnected && ({DIAGRAM_JS})().epoch > e", arg=[handle, 300]
    )
    _no_exception(page)
    screenshot("diagram_default_playing")
    app.pause()
    _inspect(page, 2, 3, "layer 2 · unit 4")
    _no_exception(page)
    screenshot("diagram_default_inspect")


def test_sixteen_wide_and_eight_deep(page, streamlit_server, screenshot):
    shown = _open(page, streamlit_server, "?layers=16,16,16,16,16,16,16,16&act=relu")
    assert shown["units"] == shown["outlined"] == 2 + 16 * 8 + 1
    page.get_by_text("16 units in the widest layer").wait_for()
    _inspect(page, 5, 9, "layer 5 · unit 10")
    _no_exception(page)
    screenshot("diagram_16x8_inspect")


def test_three_classes_one_output_unit_each(page, streamlit_server, screenshot):
    shown = _open(page, streamlit_server, "?data=blobs3&layers=8,8&epochs=100")
    assert shown["units"] == 2 + 8 + 8 + 3
    for k in range(3):
        page.locator(f"{DIAGRAM} svg text", has_text=f"class {k}").first.wait_for()
    _inspect(page, 3, 2, "output · class 2")
    _no_exception(page)
    screenshot("diagram_3class_inspect")

"""The Transform page at a phone's width (390 × 844) in Chromium: the stage table fits the
screen (one card per layer, pages/_ui/stage_table.py) and the network diagram's labels stay
readable (it scrolls in its own box instead of shrinking, assets/diagram.js)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

# The stage table's box and widest content against the screen, and how large the diagram's
# 11-unit labels are drawn (its SVG is scaled to the width it is shown at).
MEASURE_JS = """() => {
  const table = document.querySelector('[data-testid="stage-table"]');
  const svg = document.querySelector('[data-testid="network-diagram-svg"]');
  if (!table || !svg) return null;
  const scroller = document.querySelector('[data-testid="network-diagram-scroll"]');
  const box = table.getBoundingClientRect();
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return {right: box.right, inner: table.scrollWidth, outer: table.clientWidth,
          screen: document.documentElement.clientWidth,
          page: document.documentElement.scrollWidth, label: 11 * scale,
          scroller: scroller.getBoundingClientRect().right,
          hint: getComputedStyle(document.querySelector(
            '[data-testid="network-diagram-hint"]')).display};
}"""


def test_the_stage_table_and_the_diagram_read_on_a_phone(page, streamlit_server):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{streamlit_server}/Transform")
    page.wait_for_function(f"() => ({MEASURE_JS})() !== null")
    page.locator('[data-testid="stage-table"]').scroll_into_view_if_needed()
    seen = page.evaluate(MEASURE_JS)
    assert seen["page"] <= seen["screen"] == 390, seen  # nothing runs off the screen
    assert seen["right"] <= seen["screen"] and seen["inner"] <= seen["outer"], seen  # all shown
    assert seen["label"] >= 9.5, seen  # the diagram's labels at 10 px, not the 5 px of 100 %
    assert seen["scroller"] <= seen["screen"] and seen["hint"] == "block", seen
    # One card per layer: no header row; each value is drawn after its column's name.
    names = page.evaluate("""() => [...document.querySelectorAll(
        '[data-testid="stage-table"] tbody tr:first-child > *')]
        .map(cell => getComputedStyle(cell, '::before').content)""")
    assert names[:3] == ['"layer"', '"reflect (Vᵀ has det −1)"', '"rotate by Vᵀ"'], names
    head = page.locator('[data-testid="stage-table"] thead')
    assert head.evaluate("h => getComputedStyle(h).display") == "none"
    assert page.locator('[data-testid="stException"]').count() == 0

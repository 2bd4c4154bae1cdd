"""The Compare page in real headless Chromium: both nets train live; a lifted feature shows 3-D."""

from __future__ import annotations

import re

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips these tests (fails them under CI)
    expect = None

pytestmark = pytest.mark.browser

# The race's epoch, from its "Epoch **N** · both trained with ..." line (-1 while absent).
EPOCH_JS = r"""() => {
  const line = [...document.querySelectorAll('[data-testid="stMarkdownContainer"] p')]
    .map(p => /^Epoch ([0-9,]+)/.exec(p.innerText)).find(Boolean);
  return line ? Number(line[1].replace(/,/g, '')) : -1;
}"""


def _epoch(page) -> int:
    return page.evaluate(EPOCH_JS)


def _no_exception(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0


def test_train_both_then_lift_by_hand(page, app, streamlit_server, screenshot):
    page.set_viewport_size({"width": 1400, "height": 2600})
    # A link that sets up the lifting section: XOR, no extra feature yet.
    page.goto(f"{streamlit_server}/Compare?cmp_ldata=xor&cmp_feat=")
    page.get_by_role("heading", name="Compare").first.wait_for(state="visible")
    page.locator('[data-testid="live-images"] img').first.wait_for(state="visible")
    page.get_by_text("Pick exactly one extra feature").wait_for(state="visible")
    assert _epoch(page) == 0
    _no_exception(page)

    app.click(page.get_by_role("button", name="Train", exact=True))
    page.wait_for_function(f"({EPOCH_JS})() >= 100")  # the two nets train while playing
    expect(page.get_by_text("Linear regions", exact=True)).to_have_count(2)

    # Lift by hand while the race goes on: x₁·x₂ makes XOR linearly separable.
    app.choose(page.locator('[data-testid="stMultiSelect"]'), "x₁·x₂")
    page.keyboard.press("Escape")
    page.get_by_text("Boundary: x₁·x₂").wait_for(state="visible")
    page.locator(".js-plotly-plot").first.wait_for(state="visible")
    expect(page).to_have_url(re.compile(r"(?=.*cmp_feat=x1x2)(?=.*cmp_ldata=xor)"))
    # The race goes on beside the lifted picture.
    page.wait_for_function(f"n => ({EPOCH_JS})() > n", arg=_epoch(page))
    app.next_paint()  # the 3-D chart's first paint before the picture
    _no_exception(page)
    path = screenshot("compare_training_lifted")
    assert path.exists()

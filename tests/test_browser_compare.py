"""The Compare page in real headless Chromium: both nets train live; a lifted feature shows 3-D."""

from __future__ import annotations

import re
import time

import pytest

pytestmark = pytest.mark.browser


def _epoch(page) -> int:
    line = page.get_by_text(re.compile(r"^Epoch [0-9,]+")).first.inner_text()
    return int(re.match(r"Epoch ([0-9,]+)", line).group(1).replace(",", ""))


def _no_exception(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0


def _choose(page, widget, option: str) -> None:
    """Open a selectbox or multiselect and click one option (retried: the page may rerun)."""
    for _ in range(5):
        widget.click()
        choice = page.get_by_role("option", name=option, exact=True)
        try:
            choice.click(timeout=5_000)
            return
        except Exception:  # noqa: BLE001 - playwright's TimeoutError; open it again
            page.keyboard.press("Escape")
    raise AssertionError(f"could not choose {option!r}")


def test_train_both_then_lift_by_hand(page, streamlit_server, screenshot):
    page.set_viewport_size({"width": 1400, "height": 2600})
    # A link that sets up the lifting section: XOR, no extra feature yet.
    page.goto(f"{streamlit_server}/Compare?cmp_ldata=xor&cmp_feat=")
    page.get_by_role("heading", name="Compare").first.wait_for(state="visible")
    page.locator('[data-testid="live-images"] img').first.wait_for(state="visible")
    page.get_by_text("Pick exactly one extra feature").wait_for(state="visible")
    assert _epoch(page) == 0
    _no_exception(page)

    page.get_by_role("button", name="Train", exact=True).click()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and _epoch(page) < 100:
        time.sleep(0.25)
    assert _epoch(page) >= 100, "the two nets did not train while playing"
    assert page.get_by_text("Linear regions", exact=True).count() == 2

    # Lift by hand while the race goes on: x₁·x₂ makes XOR linearly separable.
    _choose(page, page.locator('[data-testid="stMultiSelect"]'), "x₁·x₂")
    page.keyboard.press("Escape")
    page.get_by_text("Boundary: x₁·x₂").wait_for(state="visible", timeout=30_000)
    page.locator(".js-plotly-plot").first.wait_for(state="visible", timeout=30_000)
    assert "cmp_feat=x1x2" in page.url and "cmp_ldata=xor" in page.url
    time.sleep(1.0)  # a few more ticks and the 3-D chart's first paint before the picture
    _no_exception(page)
    assert _epoch(page) > 100
    path = screenshot("compare_training_lifted")
    assert path.exists()

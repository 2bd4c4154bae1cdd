"""Draw your own data in real headless Chromium: click points of two classes on the canvas,
train, export them as CSV, and restore them exactly from the share link."""

from __future__ import annotations

import csv
import io
from urllib.parse import parse_qs, urlparse

import pytest

from core.exchange.drawn_points import from_level

pytestmark = pytest.mark.browser

CANVAS = '[data-testid="draw-canvas"]'
SIZE = 320  # pages/_ui/draw_canvas.SIZE: the canvas is drawn 1:1
ORANGE = [(40, 40), (80, 60), (60, 100)]  # canvas pixels, from the top left
BLUE = [(260, 260), (240, 280), (280, 220)]


def _points_shown(page) -> int:
    return int(page.locator(CANVAS).get_attribute("data-points") or 0)


def _click_canvas(page, app, x: int, y: int) -> None:
    expected = _points_shown(page) + 1
    with app.expect_rerun():
        page.locator(CANVAS).click(position={"x": x, "y": y})
    page.locator(f'{CANVAS}[data-points="{expected}"]').wait_for(state="attached")


def _exported_rows(page) -> list[tuple[str, str, str]]:
    page.get_by_text("Export this run, or bring your own data or model").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Dataset (CSV)").click()
    text = download.value.path().read_text()
    reader = csv.DictReader(io.StringIO(text))
    return sorted((row["x1"], row["x2"], row["label"]) for row in reader)


def _expected(pixel: tuple[int, int], label: int) -> tuple[float, float, str]:
    level = lambda v: round(v / SIZE * 255)  # noqa: E731 - the canvas's own rounding
    x, y = level(pixel[0]), level(SIZE - pixel[1])
    return (float(from_level(x)), float(from_level(y)), str(label))


def test_drawn_points_train_export_and_travel_in_the_link(page, app, streamlit_server, browser):
    page.set_viewport_size({"width": 1400, "height": 2000})
    page.goto(f"{streamlit_server}/Transform?data=drawn")
    page.locator(CANVAS).wait_for(state="visible")
    assert _points_shown(page) == 0
    for x, y in ORANGE:
        _click_canvas(page, app, x, y)
    app.click(page.get_by_text("Class 1 (blue)", exact=True))
    for x, y in BLUE:
        _click_canvas(page, app, x, y)
    assert _points_shown(page) == 6
    app.click(page.get_by_role("button", name="Step"))
    app.wait_for_metric("Epoch", "v >= 1")
    assert page.locator('[data-testid="stException"]').count() == 0

    rows = _exported_rows(page)
    expected = sorted([_expected(p, 0) for p in ORANGE] + [_expected(p, 1) for p in BLUE])
    got = sorted((float(a), float(b), c) for a, b, c in rows)
    assert [c for *_, c in got] == [c for *_, c in expected]  # 3 orange, 3 blue
    step = 2 / 255  # one level: where in a pixel the browser puts the click may round either way
    for (x, y, _), (ex, ey, _) in zip(got, expected, strict=True):
        assert abs(x - ex) <= step + 1e-12 and abs(y - ey) <= step + 1e-12
    assert all(from_level(round((v + 1) * 255 / 2)) == v for x, y, _ in got for v in (x, y))

    # The address bar is the share link: a fresh browser restores the very same points.
    link = page.url
    assert "pts" in parse_qs(urlparse(link).query)
    context = browser.new_context(viewport={"width": 1400, "height": 2000})
    try:
        receiver = context.new_page()
        receiver.goto(link)
        receiver.locator(f'{CANVAS}[data-points="6"]').wait_for(state="visible", timeout=90_000)
        assert _exported_rows(receiver) == rows  # exactly: the same text, point by point
    finally:
        context.close()

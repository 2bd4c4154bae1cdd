"""Uploads in real Chromium: Markdown and HTML in labels and file names render as plain text.

AppTest sees the Markdown a message sends; only the browser shows what Streamlit's renderer
makes of it. A CSV whose labels are a link and an image, with a file name that is an image
too, must give messages with neither an ``<a>`` nor an ``<img>`` in them, and the text itself
on screen.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

LINK = "[x](http://evil.example)"
IMAGE = "![](http://127.0.0.1:1/p)"
BARE = ("www.evil.example", "me@evil.example", "https://evil.example/a_b", ":red[red]")
WORD_JOINER = "\u2060"  # pages._ui.text breaks bare autolinks with it; it does not show


def _text(locator) -> str:
    return locator.inner_text().replace(WORD_JOINER, "")


def _csv(labels: tuple[str, ...], extra: str = "") -> bytes:
    rows = [f"{i / 10},{(-1) ** i * i / 7},{labels[i % len(labels)]}" for i in range(24)]
    return ("\n".join(["x,y,label", *rows]) + "\n" + extra).encode()


def _upload(page, name: str, content: bytes, kind: str):
    """Upload through the CSV uploader and return the message (an alert of ``kind``)."""
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": content}
    )
    alert = page.locator(f'[data-testid="stAlertContent{kind}"]').first
    alert.wait_for(state="visible", timeout=60_000)
    page.get_by_title(name, exact=True).wait_for(state="attached")  # the uploader lists it
    # The rest of the page still runs after the message: upload again only once it is done.
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidgetRunningIcon\"]')"
    )
    return alert


def test_hostile_labels_and_names_are_shown_as_text(page, streamlit_server):
    page.set_viewport_size({"width": 1400, "height": 2000})
    page.goto(f"{streamlit_server}/Transform")
    page.get_by_role("heading", name="Transform").first.wait_for(state="visible")
    page.get_by_text("Export this run, or bring your own data or model").click()

    success = _upload(page, f"{IMAGE}.csv", _csv((LINK, IMAGE, *BARE)), "Success")
    assert success.locator("a, img, span[style]").count() == 0, success.inner_html()
    text = _text(success)
    assert all(f"'{label}'" in text for label in (LINK, IMAGE, *BARE)), text
    assert f"'{IMAGE}.csv'" in text

    bad = _csv(("a", "b"), f"1,2,{LINK}\n3,4,<img src=x onerror=alert(1)>\n")
    error = _upload(page, f"{LINK}.csv", bad, "Error")
    assert error.locator("a, img").count() == 0, error.inner_html()
    text = _text(error)
    assert f"class '{LINK}' has only 1 row" in text
    assert "class '<img src=x onerror=alert(1)>' has only 1 row" in text
    assert page.locator('[data-testid="stException"]').count() == 0

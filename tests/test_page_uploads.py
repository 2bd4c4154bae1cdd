"""Hostile uploads through the Transform page (AppTest): explained, echoed as text, harmless.

Every malformed CSV of ``test_uploads.MALFORMED`` and every hostile model of
``test_model_io.HOSTILE_MODELS`` is uploaded into a session that already shows an uploaded
dataset: the page never raises, says what is wrong, and keeps the data and the run it had.
Whatever the page echoes (file names, labels, values) must not render as Markdown: no link, no
image, no HTML, whatever the strangers put in them.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest
from test_model_io import HOSTILE_MODELS
from test_uploads import MALFORMED

from core.exchange.uploads import UploadError, parse_dataset_csv
from pages._ui.state import EXPERIMENT, UPLOADED_DATA
from pages._ui.text import WORD_JOINER

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGE = "pages/1_Transform.py"
LINK = "[x](http://evil.example)"
IMAGE = "![](http://127.0.0.1:1/p)"
MARKUP = set("[]()!<>:*_`#|$~")  # what would open a link, image, tag, emphasis, code or math


def unescaped(markdown: str) -> set[str]:
    """The Markdown punctuation in ``markdown`` that is not backslash-escaped."""
    found, i = set(), 0
    while i < len(markdown):
        if markdown[i] == "\\":
            i += 2  # the escaped character shows as itself
            continue
        if markdown[i] in MARKUP:
            found.add(markdown[i])
        i += 1
    return found


def read(markdown: str) -> str:
    """The text a reader sees: the escapes resolved, the invisible word joiners gone."""
    return re.sub(r"\\(.)", r"\1", markdown).replace(WORD_JOINER, "")


def labelled_csv(labels: tuple[str, ...], n_rows: int = 24) -> bytes:
    rows = [f"{i / 10},{(-1) ** i * i / 7},{labels[i % len(labels)]}" for i in range(n_rows)]
    return ("\n".join(["x,y,label", *rows]) + "\n").encode()


pytestmark = pytest.mark.usefixtures("clear_streamlit_caches")


@pytest.fixture(scope="module")
def app() -> AppTest:
    """The Transform page, showing an uploaded dataset (the previous data every test keeps)."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page(PAGE).run()
    at.file_uploader(key="upload_csv").upload("good.csv", labelled_csv(("a", "b"))).run()
    assert not at.exception and at.selectbox(key="dataset").value == "uploaded"
    return at


def test_hostile_labels_and_file_name_are_shown_as_text(app):
    name = f"{IMAGE}{'n' * 300}.csv"
    app.file_uploader(key="upload_csv").upload(name, labelled_csv((LINK, IMAGE))).run()
    assert not app.exception
    (message,) = app.success
    assert unescaped(message.value) == set(), message.value
    assert rf"\[x\]\(http\:{WORD_JOINER}\/\/evil\.example\)" in message.value
    assert rf"\!\[\]\(http\:{WORD_JOINER}\/\/127\.0\.0\.1\:{WORD_JOINER}1\/p\)" in message.value
    assert f"'{LINK}'" in read(message.value) and f"'{IMAGE}'" in read(message.value)
    assert f"(cut from {len(name)} characters)" in read(message.value)
    assert "n" * 16 not in message.value
    assert set(app.session_state[UPLOADED_DATA].class_names) == {LINK, IMAGE}  # the data keeps them
    shown_name = app.session_state[UPLOADED_DATA].file_name
    assert shown_name == name[:40] + "…"  # the sidebar's "Your CSV (…)"


def test_a_hostile_label_in_an_error_is_shown_as_text(app):
    before = app.session_state[UPLOADED_DATA]
    content = labelled_csv(("a", "b")) + f"1,2,{IMAGE}\n3,4,<img src=x onerror=alert(1)>\n".encode()
    app.file_uploader(key="upload_csv").upload("bad.csv", content).run()
    assert not app.exception
    (error,) = app.error
    assert unescaped(error.value) == set(), error.value
    assert f"class '{IMAGE}' has only 1 row (row 26)" in read(error.value)
    assert "class '<img src=x onerror=alert(1)>' has only 1 row (row 27)" in read(error.value)
    assert read(error.value).startswith("'bad.csv' has 2 problems. The data shown is unchanged.")
    assert app.session_state[UPLOADED_DATA] is before


@pytest.mark.parametrize("data", [data for data, _ in MALFORMED.values()], ids=MALFORMED.keys())
def test_every_malformed_csv_is_explained_and_the_previous_data_stays(app, data):
    before, run = app.session_state[UPLOADED_DATA], app.session_state[EXPERIMENT]
    content = data.encode() if isinstance(data, str) else data
    app.file_uploader(key="upload_csv").upload(f"{IMAGE}.csv", content).run()
    assert not app.exception, [e.value for e in app.exception]
    (error,) = app.error
    assert unescaped(error.value) == set(), error.value
    text = read(error.value)
    assert text.startswith(f"'{IMAGE}.csv'") and "The data shown is unchanged." in text
    with pytest.raises(UploadError) as info:
        parse_dataset_csv(content)
    assert all(problem in text for problem in info.value.problems), text  # each one listed
    if info.value.count > len(info.value.problems):
        assert f"and {info.value.count - len(info.value.problems):,} more" in text
    assert app.session_state[UPLOADED_DATA] is before
    assert app.session_state[EXPERIMENT] is run and app.selectbox(key="dataset").value == "uploaded"


@pytest.mark.parametrize("text, message", HOSTILE_MODELS.values(), ids=HOSTILE_MODELS.keys())
def test_every_hostile_model_is_refused_and_nothing_changes(app, text, message):
    run = app.session_state[EXPERIMENT]
    params = run.model.params.copy()
    app.file_uploader(key="upload_model").upload(f"{LINK}.json", text.encode()).run()
    assert not app.exception, [e.value for e in app.exception]
    (error,) = app.error
    assert unescaped(error.value) == set(), error.value
    assert re.search(message, read(error.value)), read(error.value)
    assert read(error.value).endswith("Nothing was changed.")
    assert app.session_state[EXPERIMENT] is run
    np.testing.assert_array_equal(run.model.params, params)

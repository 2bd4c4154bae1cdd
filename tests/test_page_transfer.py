"""Export and import through the Transform page (AppTest): uploads switch the run or explain."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from core.exchange.exports import model_json
from core.nn.network import MLP
from pages._ui.state import EXPERIMENT, UPLOADED_DATA

PAGE = str(Path(__file__).resolve().parents[1] / "pages" / "1_Transform.py")


def shown(elements) -> str:
    """What the messages read on screen: their Markdown with the backslash escapes resolved."""
    text = " ".join(re.sub(r"\\(.)", r"\1", element.value) for element in elements)
    return text.replace("\u2060", "")  # the word joiners that break bare autolinks


pytestmark = pytest.mark.usefixtures("clear_streamlit_caches")


@pytest.fixture
def app(open_script) -> AppTest:
    return open_script(PAGE)


def _csv(n=40, classes=("cat", "dog")) -> bytes:
    rng = np.random.default_rng(0)
    rows = ["width,height,animal"]
    for i in range(n):
        label = classes[i % len(classes)]
        centre = 3.0 * classes.index(label)
        rows.append(f"{centre + rng.normal():.4f},{rng.normal() * 10:.4f},{label}")
    return "\n".join(rows).encode()


def test_downloads_are_offered(app):
    keys = {b.proto.id for b in app.get("download_button")}
    assert len(keys) == 4  # model, dataset, history, animation


def test_uploaded_csv_becomes_the_dataset(app):
    app.file_uploader(key="upload_csv").upload("animals.csv", _csv(), "text/csv").run()
    assert not app.exception
    assert app.selectbox(key="dataset").value == "uploaded"
    upload = app.session_state[UPLOADED_DATA]
    assert upload.file_name == "animals.csv" and upload.class_names == ("cat", "dog")
    assert "Your CSV (animals.csv)" in app.selectbox(key="dataset").options
    experiment = app.session_state[EXPERIMENT]
    assert len(experiment.X_train) + len(experiment.X_test) == 40
    assert np.abs(experiment.X).max() <= 1.0 + 1e-12  # rescaled for display
    assert "Loaded 40 rows of 'animals.csv' with classes 'cat', 'dog'" in shown(app.success)
    app.button(key="step").click().run()
    assert not app.exception and app.session_state[EXPERIMENT].epoch == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"x1,x2,label\n1,2,a\n3,abc,b\n" + b"1,2,a\n" * 20, "row 3"),
        (b"x1,x2,label\n" + b"1,2,a\n" * 20, "class"),
    ],
)
def test_bad_csv_is_explained_and_nothing_changes(app, content, message):
    before = app.session_state[EXPERIMENT]
    app.file_uploader(key="upload_csv").upload("bad.csv", content, "text/csv").run()
    assert not app.exception
    errors = shown(app.error)
    assert "'bad.csv'" in errors and message in errors
    assert app.session_state[EXPERIMENT] is before
    assert app.selectbox(key="dataset").value == "spiral"


def test_imported_model_is_shown_with_its_weights(app):
    model = MLP([2, 5, 3, 1], "relu", seed=42)
    upload = model_json(model).encode()
    app.file_uploader(key="upload_model").upload("net.json", upload, "application/json").run()
    assert not app.exception
    experiment = app.session_state[EXPERIMENT]
    assert experiment.model.layer_sizes == (2, 5, 3, 1)
    np.testing.assert_array_equal(experiment.model.params, model.params)
    assert app.slider(key="depth").value == 2 and app.selectbox(key="activation").value == "relu"


def test_model_that_does_not_fit_is_refused(app):
    model = MLP([2, 4, 3], "tanh", seed=0)  # three classes; the spiral has two
    app.file_uploader(key="upload_model").upload("net.json", model_json(model).encode()).run()
    assert not app.exception
    assert "3 outputs" in shown(app.error)
    assert app.session_state[EXPERIMENT].model.layer_sizes == (2, 8, 8, 8, 1)


def test_invalid_json_is_refused(app):
    app.file_uploader(key="upload_model").upload("net.json", b"{not json").run()
    assert not app.exception
    assert "not valid JSON" in shown(app.error)

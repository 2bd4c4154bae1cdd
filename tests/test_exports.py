"""Downloads: model JSON, dataset and history CSV read back exactly; the HTML page is offline."""

import base64
import csv
import gzip
import io
import json
import re
from html.parser import HTMLParser

import numpy as np
import plotly.graph_objects as go
import pytest

from core.data.datasets import make_dataset
from core.data.splits import train_test_split
from core.exchange.exports import (
    MAX_MODEL_BYTES,
    dataset_csv,
    figure_html,
    history_csv,
    model_from_json,
    model_json,
)
from core.exchange.model_io import mlp_to_dict
from core.exchange.offline_page import GL3D_JS, PLOTLY_JS, SIGNIFICANT_BITS, bundle_for
from core.exchange.uploads import parse_dataset_csv
from core.experiment import Settings
from core.figures.transform import transform_figure
from core.labs.network_stages import network_animation
from core.labs.plane import grid_lines
from core.nn.metrics import REGRESSION_METRICS
from core.nn.network import MLP
from core.nn.training import Trainer


def _model(sizes=(2, 5, 4, 3), activation="tanh", seed=3):
    model = MLP(list(sizes), activation, seed=seed)
    model.params[...] = np.random.default_rng(seed).normal(size=model.n_parameters)
    return model


@pytest.mark.parametrize(
    "sizes, activation", [((2, 5, 4, 3), "tanh"), ((2, 8, 1), "relu"), ((2, 3, 3, 3, 1), "sigmoid")]
)
def test_model_json_round_trip_predicts_identically(sizes, activation):
    model = _model(sizes, activation)
    restored = model_from_json(model_json(model))
    X = np.random.default_rng(0).uniform(-3, 3, size=(200, 2))
    assert restored.layer_sizes == model.layer_sizes
    assert restored.activation.name == activation
    np.testing.assert_array_equal(restored.params, model.params)
    np.testing.assert_array_equal(restored.predict_proba(X), model.predict_proba(X))


def test_model_json_carries_metadata_the_reader_ignores():
    model = _model()
    text = model_json(model, {"settings": Settings(hidden=(5, 4)), "epoch": np.int64(120)})
    data = json.loads(text)
    assert data["spacewarp"]["epoch"] == 120
    assert data["spacewarp"]["settings"]["hidden"] == [5, 4]
    assert data["format"] == "spacewarp.mlp"
    assert text.startswith('{\n "format"')  # indent 1
    restored = model_from_json(b"\xef\xbb\xbf" + text.encode())  # bytes, even with a BOM
    np.testing.assert_array_equal(restored.params, model.params)


def test_model_json_rejects_metadata_json_cannot_hold():
    with pytest.raises(TypeError, match="object"):
        model_json(_model(), {"thing": object()})


def _model_text_with(**changes):
    data = mlp_to_dict(_model())
    data.update(changes)
    return json.dumps(data)


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "empty"),
        ("  \n", "empty"),
        ('{\n "format": "spacewarp.mlp",\n oops\n}', "not valid JSON: .* line 3, column 2"),
        ("{'format': 'spacewarp.mlp'}", "not valid JSON: .* line 1, column 2"),
        ('{"format": "spacewarp.mlp"} trailing', "not valid JSON: Extra data at line 1"),
        ("[1, 2]", "must be a JSON object, got list"),
        ('{"format": "keras"}', "not a Spacewarp model: format is 'keras'"),
        (_model_text_with(activation="nope"), "unknown activation 'nope'"),
        (_model_text_with(layer_sizes=[2, 2000, 3]), "width must be 1..16, got 2000"),
        (_model_text_with(weights=[[[1.0]]] * 3), r"weights\[0\] must have shape \(2, 5\)"),
        (_model_text_with(biases=None), "biases must be a list of 3 layers"),
        ('{"format": "spacewarp.mlp", "x": ' + "1" * 5000 + "}", "too many digits"),
        ("[" * 100_000, "nested too deeply"),
        (b"\xff\xfe{}", "not UTF-8 text"),
        ("x" * (MAX_MODEL_BYTES + 1), "1,000,001 bytes; the limit is 1,000,000"),
        (b" " * (MAX_MODEL_BYTES + 1), "1,000,001 bytes"),
    ],
    ids=lambda value: None if isinstance(value, str | bytes) and len(value) < 40 else "...",
)
def test_model_from_json_rejects_bad_files_clearly(text, message):
    with pytest.raises(ValueError, match=message):
        model_from_json(text)


def _split(n_samples=60, dataset="spiral"):
    X, y = make_dataset(dataset, n_samples, 0.1, seed=1)
    return train_test_split(X, y, 0.7, seed=1)


def test_dataset_csv_layout():
    X_train, X_test, y_train, y_test = _split()
    lines = dataset_csv(X_train, y_train, X_test, y_test).splitlines()
    assert lines[0] == "x1,x2,label,split"
    assert len(lines) == 1 + 60
    rows = list(csv.reader(lines[1:]))
    assert [row[3] for row in rows] == ["train"] * len(X_train) + ["test"] * len(X_test)
    assert [float(v) for v in rows[0][:2]] == X_train[0].tolist()
    assert rows[0][2] == str(y_train[0])


@pytest.mark.parametrize("dataset", ["spiral", "blobs5"])
def test_dataset_csv_uploads_again_unchanged(dataset):
    X_train, X_test, y_train, y_test = _split(dataset=dataset)
    parsed = parse_dataset_csv(dataset_csv(X_train, y_train, X_test, y_test).encode())
    np.testing.assert_array_equal(parsed.X, np.vstack([X_train, X_test]))  # bit for bit
    np.testing.assert_array_equal(parsed.y, np.concatenate([y_train, y_test]))
    assert parsed.class_names == tuple(str(k) for k in range(y_train.max() + 1))
    assert parsed.feature_names == ("x1", "x2")


def test_dataset_csv_with_awkward_class_and_feature_names_round_trips():
    X_train, X_test, y_train, y_test = _split(dataset="spiral3")
    names = ['dog, "small"', "cat", "bird;tab\there"]
    text = dataset_csv(
        X_train, y_train, X_test, y_test, class_names=names, feature_names=("len", "wid")
    )
    parsed = parse_dataset_csv(text)
    assert parsed.feature_names == ("len", "wid")
    assert sorted(parsed.class_names) == sorted(names)
    written = [names[k] for k in np.concatenate([y_train, y_test])]
    assert [parsed.class_names[k] for k in parsed.y] == written


@pytest.mark.parametrize(
    "arguments, message",
    [
        ((np.zeros((3, 3)), np.zeros(3, int), np.zeros((0, 2)), np.zeros(0, int)), r"\(3, 3\)"),
        ((np.zeros((3, 2)), np.zeros(2, int), np.zeros((0, 2)), np.zeros(0, int)), r"\(2,\)"),
        ((np.zeros((3, 2)), np.zeros(3), np.zeros((1, 2)), np.zeros(1, int)), "integers"),
        ((np.full((1, 2), np.nan), np.zeros(1, int), np.zeros((0, 2)), np.zeros(0, int)), "NaN"),
    ],
)
def test_dataset_csv_rejects_bad_arrays(arguments, message):
    with pytest.raises(ValueError, match=message):
        dataset_csv(*arguments)


def test_dataset_csv_needs_a_name_for_every_label():
    with pytest.raises(ValueError, match="1 class_names for labels 0..1"):
        dataset_csv(np.zeros((2, 2)), np.array([0, 1]), np.zeros((0, 2)), [], class_names=["a"])


def _read_history(text):
    rows = list(csv.reader(io.StringIO(text)))
    return rows[0], np.array([int(r[0]) for r in rows[1:]]), np.array(rows[1:])[:, 1:]


def test_history_csv_reads_back_the_same_numbers():
    X_train, X_test, y_train, y_test = _split()
    trainer = Trainer(MLP([2, 6, 3], seed=0), X_train, y_train, X_test, y_test, history_capacity=8)
    trainer.run(25)  # thinned: strides and uneven epochs
    epochs, rows = trainer.history.epochs, trainer.history.rows
    header, read_epochs, read_rows = _read_history(history_csv(epochs, rows))
    assert header == ["epoch", "train_loss", "train_accuracy", "test_loss", "test_accuracy"] + [
        "penalty"
    ]
    np.testing.assert_array_equal(read_epochs, epochs)
    np.testing.assert_array_equal(read_rows.astype(float), rows)  # repr: exact


def test_history_csv_writes_missing_test_metrics_as_nan():
    text = history_csv([1, 2], [[0.5, 1 / 3, np.nan, np.nan, 0], [0.25, 0.5, np.nan, np.nan, 0]])
    lines = ["1,0.5,0.3333333333333333,nan,nan,0.0", "2,0.25,0.5,nan,nan,0.0"]
    assert text.splitlines()[1:] == lines
    np.testing.assert_array_equal(_read_history(text)[2].astype(float)[:, 2:4], np.nan)


def test_history_csv_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match=r"got \(3,\) and \(2, 4\)"):
        history_csv(np.arange(3), np.zeros((2, 4)))


@pytest.fixture(scope="module")
def small_figure():
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, size=(30, 2))
    model = MLP([2, 3, 1], seed=0)
    anim = network_animation(model, X, grid_lines((-1.2, 1.2, -1.2, 1.2), 4, 6), n_frames=3)
    return transform_figure(anim, (X[:, 0] > 0).astype(int))


class _Links(HTMLParser):
    """Every src and href attribute of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.urls += [value or "" for name, value in attrs if name in ("src", "href")]


def _inflated(html: str, element: str) -> bytes:
    """What the page's loader inflates from one of its packed ``<script>`` elements."""
    packed = re.search(rf'<script id="{element}"[^>]*>([^<]*)</script>', html).group(1)
    return gzip.decompress(base64.b64decode(packed))


def _spec(html: str) -> dict:
    return json.loads(_inflated(html, "figure-json"))


def _version(bundle: bytes) -> str:
    return re.search(rb"plotly\.js (?:\([^)]*\) )?v(\d+\.\d+\.\d+)", bundle[:400]).group(1).decode()


def test_figure_html_is_a_standalone_offline_page(small_figure):
    html = figure_html(small_figure)
    assert html.lower().startswith("<!doctype html>") and html.rstrip().endswith("</html>")
    assert "Plotly.newPlot" in html and "Plotly.addFrames" in html
    links = _Links()
    links.feed(html)
    assert not [url for url in links.urls if re.match(r"\s*(https?:)?//", url)]
    assert "Plotly.animate" not in html  # waits for Play
    # plotly.js is inside, compressed: the 3-D figure gets the official gl3d bundle.
    assert _inflated(html, "plotly-js") == gzip.decompress(GL3D_JS.read_bytes())


def test_the_gl3d_bundle_is_the_plotly_packages_version():
    gl3d = gzip.decompress(GL3D_JS.read_bytes())
    assert _version(gl3d) == _version(PLOTLY_JS.read_bytes())  # update vendor/ with plotly
    assert b"gl3d - minified" in gl3d[:200]


def test_a_trace_outside_the_gl3d_bundle_gets_the_full_one(small_figure):
    assert bundle_for(json.loads(small_figure.to_json())) == "gl3d"
    heatmap = {"data": [{"type": "scatter"}], "frames": [{"data": [{"type": "heatmap"}]}]}
    assert bundle_for(heatmap) == "full"
    assert bundle_for({"data": [{"x": [1]}]}) == "gl3d"  # no type: a scatter
    html = figure_html(go.Figure(go.Heatmap(z=[[1, 2], [3, 4]])))
    assert _inflated(html, "plotly-js") == PLOTLY_JS.read_bytes()


def test_figure_html_explains_itself_and_escapes_what_it_shows(small_figure):
    html = figure_html(
        small_figure,
        title="Spacewarp: moons, epoch 120",
        description="What it shows.",
        facts={"Epoch": "120", "Dataset": "<b>moons</b>"},
        table=[{"layer": "1 (2→3)", "Σ": "s₁ = 2.0"}],
    )
    assert "<title>Spacewarp: moons, epoch 120</title>" in html
    assert "<dt>Epoch</dt><dd>120</dd>" in html and "&lt;b&gt;moons&lt;/b&gt;" in html
    assert "<th>layer</th><th>Σ</th>" in html and "<td>s₁ = 2.0</td>" in html


def test_figure_html_stores_coordinates_as_rounded_float32(small_figure):
    html = figure_html(small_figure)
    x = _spec(html)["data"][0]["x"]
    assert x["dtype"] == "f4"
    decoded = np.frombuffer(base64.b64decode(x["bdata"]), dtype="<f4")
    original = np.asarray(small_figure.data[0].x, dtype=float)
    np.testing.assert_allclose(decoded, original, rtol=2.0**-SIGNIFICANT_BITS, equal_nan=True)
    finite = decoded[np.isfinite(decoded)]
    low_bits = finite.view("<u4") & np.uint32((1 << (24 - SIGNIFICANT_BITS)) - 1)
    assert finite.size and not low_bits.any()  # rounded: the dropped bits are zero
    assert np.array_equal(np.isnan(decoded), np.isnan(original))  # line breaks stay breaks
    assert b'"dtype":"f8"' not in _inflated(html, "figure-json")


def test_figure_html_holds_every_frame_and_is_repeatable(small_figure):
    html = figure_html(small_figure)
    names = [frame.name for frame in small_figure.frames]
    assert len(names) > 3
    assert [frame["name"] for frame in _spec(html)["frames"]] == names
    assert figure_html(small_figure) == html


def test_a_regression_exports_its_targets_and_r2_history():
    X, y = make_dataset("plane", 20, 0.0, seed=0)
    text = dataset_csv(X[:12], y[:12], X[12:], y[12:])
    header, *lines = text.strip().split("\n")
    assert header == "x1,x2,target,split" and len(lines) == 20
    written = np.array([float(line.split(",")[2]) for line in lines])
    assert np.array_equal(written, np.concatenate([y[:12], y[12:]]))  # full precision
    history = history_csv([1, 2], np.ones((2, 5)), REGRESSION_METRICS)
    assert history.splitlines()[0] == "epoch,train_loss,train_r2,test_loss,test_r2,penalty"

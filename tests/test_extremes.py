"""Every setting at its extreme, on every activation and optimizer: nothing breaks.

Core level (fast, the full grid): build the run, train a few epochs, then compute every picture
the Transform page draws. Page level (AppTest, a few corners): every page renders.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from core.experiment import Experiment, Settings
from core.figures.transform import transform_figure
from core.labs.network_stages import layer_snapshots, network_animation
from core.labs.plane import grid_lines
from core.labs.probes import layer_separability
from core.nn.activations import ACTIVATIONS
from core.nn.optimizers import OPTIMIZERS
from core.render.raster import boundary_image, neuron_images

ROOT = Path(__file__).resolve().parents[1]
EXTREME = {
    "hidden": (16,) * 8,
    "batch_size": 1,
    "learning_rate": 10.0,
    "noise": 0.3,
    "n_samples": 1000,
    "train_share": 0.9,
}


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
@pytest.mark.parametrize("activation", list(ACTIVATIONS))
def test_extreme_training_is_caught_or_finite_and_every_picture_draws(activation, optimizer):
    settings = Settings(activation=activation, optimizer=optimizer, **EXTREME)
    experiment = Experiment.build(settings)
    if experiment.trainer is not None:
        with np.errstate(all="ignore"):  # the point is what the product does with overflow
            experiment.trainer.run(1)
        trainer = experiment.trainer
        assert trainer.diverged is None or "learning rate 10" in trainer.diverged
        assert np.all(np.isfinite(trainer.model.params))
        assert np.all(np.abs(trainer.model.params) < 1e6)
    model = experiment.view_model
    image = boundary_image(model, experiment.extent, experiment.X_train, experiment.y_train)
    assert image.dtype == np.uint8
    assert len(neuron_images(model, experiment.extent)) == 8
    grid = grid_lines(experiment.extent, 5, 7)
    for points, lines, _ in layer_snapshots(model, experiment.X[:200], grid):
        assert points.shape == (200, 2) and lines.shape[1] == 2
    scores = layer_separability(model, experiment.X_train[:200], experiment.y_train[:200])
    assert len(scores) == 9


@pytest.mark.parametrize("activation", ["relu", "identity", "elu", "tanh"])
def test_extreme_weights_give_a_drawable_animation(activation):
    experiment = Experiment.build(Settings(activation=activation, hidden=(16,) * 8))
    experiment.model.params[...] *= 40  # as large as a diverging run leaves them (< 1e6)
    grid = grid_lines(experiment.extent, 4, 6)
    anim = network_animation(experiment.view_model, experiment.X[:100], grid, n_frames=2)
    figure = transform_figure(anim, experiment.y[:100])
    spec = json.loads(figure.to_json())
    assert "Infinity" not in figure.to_json() and "NaN" not in json.dumps(spec["layout"])


pytestmark = pytest.mark.usefixtures("clear_streamlit_caches")


PAGES = [
    "pages/1_Transform.py",
    "pages/2_Activations.py",
    "pages/3_Loss_surface.py",
    "pages/4_Compare.py",
    "pages/5_Tour.py",
]
CORNERS = [
    {
        "data": "spiral3",
        "layers": "16,16,16,16,16,16,16,16",
        "act": "relu",
        "lr": "10",
        "batch": "1",
        "noise": "0.3",
        "n": "1000",
        "epochs": "3",
    },
    {"data": "blobs5", "layers": "1", "act": "step", "opt": "adagrad"},
    {
        "data": "circles",
        "layers": "none",
        "feat": "x1,x2,x1sq,x2sq,x1x2,sinx1,sinx2,r2",
        "act": "sin",
        "split": "0.1",
        "n": "100",
    },
]


@pytest.mark.parametrize("params", CORNERS, ids=["deep-wide-diverging", "step", "lifted"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_at_the_corners(page, params):
    if not (ROOT / page).exists():
        pytest.skip(f"{page} does not exist yet")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]


GARBAGE = {
    "data": "../../etc/passwd",
    "layers": "abc,-3,1e9",
    "act": "<script>alert(1)</script>",
    "lr": "nan",
    "batch": "0",
    "noise": "inf",
    "n": "-5",
    "seed": "x",
    "split": "2",
    "epochs": "-1",
    "feat": "__import__('os')",
    "opt": "eval",
    "init": "pickle",
    "l2": "1e999",
}


@pytest.mark.parametrize("page", PAGES)
def test_a_garbage_link_is_explained_ignored_and_every_page_still_works(page):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for key, value in GARBAGE.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    notices = " ".join(w.value for w in at.warning)
    for key in GARBAGE:
        assert f"“{key}" in notices, f"no notice for {key}: {notices}"
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not any(value in at.query_params.values() for value in GARBAGE.values())


def test_the_diverging_corner_explains_itself_on_the_transform_page():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for key, value in CORNERS[0].items():
        at.query_params[key] = value
    at.run().switch_page("pages/1_Transform.py").run()
    assert not at.exception
    warning = " ".join(w.value for w in at.warning)
    assert "diverged" in warning and "learning rate 10" in warning and "smaller" in warning

"""The Tour's numbers and arrays (core/labs/tour.py), checked by recomputing them another way."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from core.experiment import Experiment
from core.labs.area_change import MOVES, layer_area_changes
from core.labs.tour import (
    SLICE_START,
    SLICE_STEPS,
    Chapter,
    hidden_space,
    lattice,
    layer_moves,
    neuron,
    read_chapter,
    scores,
    share,
    signed,
    slice_walk,
)
from core.nn.activations import ACTIVATIONS
from core.settings import TOUR_CHAPTERS, TourSettings

TOUR_DIR = Path(__file__).resolve().parents[1] / "assets" / "tour"


def test_the_worked_neuron_is_the_articles():
    worked = neuron(1.0)
    assert worked.z == 7.0  # 0·2 + 1·3 + 4
    assert worked.a == pytest.approx(1 / (1 + math.exp(-7)), abs=1e-15)
    assert worked.numbers == {
        "w1": "0", "w2": "1", "b": "4", "x1": "2", "x2": "3", "z": "7", "a": "0.99909"
    }  # fmt: skip
    moved = neuron(-2.5)
    assert moved.z == pytest.approx(3 * -2.5 + 4) and moved.numbers["z"] == "−3.5"
    assert moved.a == pytest.approx(1 / (1 + math.exp(3.5)), abs=1e-15)


def test_scores_are_softmax_and_cross_entropy_per_true_class():
    result = scores([3.0, 1.0, -3.0])
    denominator = math.exp(3) + math.exp(1) + math.exp(-3)
    expected = [math.exp(z) / denominator for z in (3, 1, -3)]
    np.testing.assert_allclose(result.probabilities, expected, rtol=1e-12)
    np.testing.assert_allclose(result.cross_entropy, [-math.log(p) for p in expected], rtol=1e-12)
    assert (result.numbers["p1"], result.numbers["p2"], result.numbers["p3"]) == (
        "0.879",
        "0.119",
        "0.002",
    )
    assert result.numbers["z3"] == "−3" and result.numbers["ce1"] == "0.129"
    shifted = scores([13.0, 11.0, 7.0])  # only differences matter
    np.testing.assert_allclose(shifted.probabilities, result.probabilities, rtol=1e-12)


def test_number_formats():
    assert signed(-3.0) == "−3" and signed(0.5) == "0.5" and signed(7.0) == "7"
    assert share(2.82e-5) == "1/35,000" and share(0.487) == "0.49" and share(20.6) == "21"


def test_every_chapter_text_reads_and_its_slots_are_named():
    for slug in TOUR_CHAPTERS:
        chapter = read_chapter(TOUR_DIR / f"{slug}.md")
        assert chapter.title and chapter.try_it and "{" not in chapter.try_it
        assert chapter.body.count("{") == chapter.body.count("}")
    assert read_chapter(TOUR_DIR / "moves.md").note  # the shading's one sentence
    assert Chapter("t", "z = {z}", "x").filled({"z": "7"}) == "z = 7"


def test_a_chapter_text_without_title_or_try_is_refused(tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_text("No title\n")
    with pytest.raises(ValueError, match="Title"):
        read_chapter(bad)
    bad.write_text("# Title\nA story with nothing to try.\n")
    with pytest.raises(ValueError, match="Try"):
        read_chapter(bad)


def test_lattice_rows_go_up_and_columns_go_right():
    corners = lattice((-1.0, 1.0, -2.0, 2.0), 4)
    assert corners.shape == (5, 5, 2)
    np.testing.assert_allclose(corners[0, :, 0], np.linspace(-1, 1, 5))
    np.testing.assert_allclose(corners[:, 0, 1], np.linspace(-2, 2, 5))


@pytest.mark.parametrize("name", ["tanh", "relu"])
@pytest.mark.parametrize("seed", [0, 1])
def test_layer_moves_end_on_the_layer_and_carry_each_moves_area(name, seed):
    rng = np.random.default_rng(seed)
    X, W, b = rng.uniform(-1, 1, (40, 2)), rng.normal(size=(2, 2)), rng.normal(size=2)
    activation = ACTIVATIONS[name]
    extent = (-1.2, 1.2, -1.2, 1.2)
    panels = layer_moves(X, W, b, activation, extent, n_cells=6)
    assert [p.move for p in panels] == ["input", *MOVES]
    np.testing.assert_array_equal(panels[0].data, X)
    np.testing.assert_allclose(panels[-1].data, activation.fn(X @ W + b), atol=1e-12)
    np.testing.assert_allclose(panels[-2].data, X @ W + b, atol=1e-12)  # after b: z
    corners = lattice(extent, 6)
    np.testing.assert_allclose(panels[-1].corners, activation.fn(corners @ W + b), atol=1e-12)
    areas = layer_area_changes(corners, W, b, activation)
    for panel in panels[1:]:
        np.testing.assert_array_equal(panel.area.log_area, areas[panel.move].log_area)
    # The input panel shows where σ acts, on the cells' starting places.
    np.testing.assert_array_equal(panels[0].area.log_area, areas["σ"].log_area)
    np.testing.assert_array_equal(panels[0].corners, corners)


def test_layer_moves_titles_name_the_numbers_of_each_move():
    W = np.diag([2.0, 0.5])
    b = np.array([0.25, -0.5])
    panels = layer_moves(np.zeros((3, 2)), W, b, ACTIVATIONS["tanh"], (-1, 1, -1, 1), n_cells=4)
    titles = [p.title for p in panels]
    assert titles[2] == "Σ: stretch ×2.00, ×0.50"
    assert titles[4] == "b: shift by (+0.25, -0.50)" and titles[5] == "σ: bend by tanh"
    with pytest.raises(ValueError, match="2-unit"):
        layer_moves(
            np.zeros((3, 2)), np.ones((2, 3)), np.zeros(3), ACTIVATIONS["tanh"], (-1, 1, -1, 1)
        )


def test_hidden_space_is_the_traced_first_layer_and_the_output_unit():
    run = TourSettings(chapter=5, circle_units=3).linked_run()
    experiment = Experiment.build(run.settings)
    experiment.trainer.run(20)
    model = experiment.model
    space = hidden_space(model, experiment.X, experiment.extent)
    np.testing.assert_allclose(
        space.data, np.tanh(experiment.X @ model.weights[0] + model.biases[0])
    )
    # The output unit's cut: on the side weights · h + bias > 0 the net predicts class 1.
    side = space.data @ space.weights + space.bias > 0
    np.testing.assert_array_equal(side, model.predict(experiment.X) == 1)
    assert space.lines.shape[1] == 3 and np.isnan(space.lines).any()


def test_slice_walk_is_the_loss_surface_pages_first_view():
    run = TourSettings(chapter=8).linked_run()
    experiment = Experiment.build(run.settings)
    experiment.trainer.run(50)
    trainer = experiment.trainer
    walk = slice_walk(trainer.model, trainer.X_train, trainer.targets, trainer.loss, 3.0)
    centre = len(walk.axes[0]) // 2
    own = trainer.model.loss_and_gradient(trainer.X_train, trainer.targets, trainer.loss)[0]
    assert walk.values[centre, centre] == pytest.approx(own, rel=1e-9)
    first, second = trainer.model.params[0], trainer.model.params[4]  # W1[0, 0], W1[1, 0]
    assert (walk.axes[0][centre], walk.axes[1][centre]) == pytest.approx((first, second))
    start = np.array([first, second]) + 2.0 * np.array(SLICE_START)  # ± radius 2
    np.testing.assert_allclose(walk.path.points[0], start)
    assert len(walk.path.points) <= SLICE_STEPS + 1 and walk.path.learning_rate == 3.0

"""Transform figure: structure, fixed axes, and data equal to the core's arrays (float32)."""

import json

import numpy as np
import pytest

from core.data.datasets import make_dataset
from core.data.splits import data_extent
from core.figures.plotly_frames import checked_copy
from core.figures.transform import frame_positions, transform_figure
from core.labs.network_stages import network_animation, project
from core.labs.plane import grid_lines
from core.nn.network import MLP


def _setup(sizes, activation="tanh", n=40, seed=0, lines=(4, 6)):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, size=(n, 2))
    y = (X[:, 0] > 0).astype(int) if sizes[-1] == 1 else rng.integers(0, sizes[-1], n)
    model = MLP(sizes, activation, seed=seed)
    anim = network_animation(model, X, grid_lines((-1.2, 1.2, -1.2, 1.2), *lines), n_frames=3)
    return model, X, y, anim


@pytest.mark.parametrize("sizes", [[2, 3, 1], [2, 2, 2, 1], [2, 8, 4, 1], [2, 4, 3]])
def test_frame_count_traces_and_slider(sizes):
    _, _, y, anim = _setup(sizes)
    figure = checked_copy(transform_figure(anim, y))
    expected = 1 + sum(1 + len(layer.stages) * 3 for layer in anim.layers)
    assert len(figure.frames) == expected
    n_traces = 1 + len(np.unique(y)) + 1  # grid, one per class, decision boundary
    assert all(len(frame.data) == n_traces for frame in figure.frames)
    steps = figure.layout.sliders[0].steps
    assert len(steps) == 1 + sum(1 + len(layer.stages) for layer in anim.layers)
    assert [b.label for b in figure.layout.updatemenus[0].buttons] == ["▶ Play", "❚❚ Pause"]


def test_true_scale_axes_are_fixed_and_equal():
    _, _, y, anim = _setup([2, 2, 2, 1])
    figure = checked_copy(transform_figure(anim, y, fixed=True))
    x_range, y_range = figure.layout.xaxis.range, figure.layout.yaxis.range
    assert x_range == y_range and x_range[0] == -x_range[1] > -np.inf
    assert all(
        frame.layout.xaxis.range is None for frame in figure.frames
    )  # frames never move axes
    _, _, y3, anim3 = _setup([2, 3, 1])
    scene = checked_copy(transform_figure(anim3, y3, fixed=True)).layout.scene
    assert scene.xaxis.range == scene.yaxis.range == scene.zaxis.range
    assert scene.aspectmode == "cube"


@pytest.mark.parametrize("sizes", [[2, 3, 1], [2, 2, 2, 1], [2, 8, 5, 1]])
def test_each_layer_end_frame_carries_the_traced_activations(sizes):
    model, X, y, anim = _setup(sizes)
    figure = checked_copy(transform_figure(anim, y))
    frames = {frame.name: frame for frame in figure.frames}
    trace = model.forward(X, return_trace=True)
    for layer, view in zip(anim.layers, anim.views, strict=True):
        last = f"L{layer.layer + 1}.{len(layer.stages) - 1}.2"
        expected = project(
            np.hstack([trace[layer.layer].a, np.zeros((len(X), layer.dim - layer.fan_out))]), view
        )
        for trace_index, label in enumerate(np.unique(y), start=1):
            shown = frames[last].data[trace_index]
            keys = ("x", "y", "z")[: anim.figure_dim]
            got = np.column_stack([np.asarray(getattr(shown, k)) for k in keys])
            assert got.dtype == np.float32
            np.testing.assert_allclose(got, expected[y == label], rtol=1e-6, atol=1e-6)


def test_decision_boundary_only_in_the_last_frame_and_on_the_right_line():
    model, X, y, anim = _setup([2, 2, 1])
    figure = checked_copy(transform_figure(anim, y))
    visible = [frame.data[-1].visible for frame in figure.frames]
    assert visible[-1] is True and not any(visible[:-1])
    line = figure.frames[-1].data[-1]
    points = np.column_stack([line.x, line.y])
    points = points[np.isfinite(points).all(axis=1)]  # NaN rows separate the segments
    assert len(points) == 2
    w, b = model.weights[-1][:, 0], model.biases[-1][0]
    np.testing.assert_allclose(points @ w + b, 0, atol=1e-9)  # 2-D layer: view is the identity


@pytest.mark.parametrize("sizes", [[2, 2, 3], [2, 2, 4], [2, 3, 3], [2, 5, 4], [2, 6, 3, 5]])
def test_multiclass_boundaries_tie_the_two_top_logits_of_the_real_output_layer(sizes):
    model, X, y, anim = _setup(sizes, n=80)
    figure = checked_copy(transform_figure(anim, y))
    boundary = figure.frames[-1].data[-1]
    assert boundary.visible is True
    assert not any(frame.data[-1].visible for frame in figure.frames[:-1])
    keys = ("x", "y", "z")[: anim.figure_dim]
    points = np.column_stack([getattr(boundary, key) for key in keys])
    points = points[np.isfinite(points).all(axis=1)]
    assert len(points) >= 2, "a K-class boundary was not drawn"
    # Back from view coordinates to the last hidden representation, then the model's own
    # output layer: the two largest logits are equal everywhere on the drawn boundary.
    view = anim.views[-1]
    hidden = view.mean + points @ view.basis.T
    hidden = hidden[:, : model.weights[-1].shape[0]]  # a narrowing layer's view is padded
    logits = np.sort(hidden @ model.weights[-1] + model.biases[-1], axis=1)
    np.testing.assert_allclose(logits[:, -1], logits[:, -2], atol=1e-8)
    if anim.figure_dim == 3:  # triangles index existing vertices
        faces = np.column_stack([boundary.i, boundary.j, boundary.k])
        assert len(faces) and faces.max() < len(points) and faces.min() >= 0


def test_default_figure_payload_under_two_megabytes():
    X, y = make_dataset("spiral", 500, 0.0, 0)
    anim = network_animation(MLP([2, 8, 8, 8, 1], "tanh", seed=0), X, grid_lines(data_extent(X)))
    size = len(transform_figure(anim, y).to_json())
    assert size <= 2_000_000, size


def test_frame_titles_name_the_stage_and_numbers():
    _, _, y, anim = _setup([2, 8, 1])
    titles = [spec.title for spec in frame_positions(anim)]
    assert titles[0] == "The input plane"
    assert any("stretch by Σ" in t and "lifts 2-D into 8-D" in t for t in titles)
    assert any("PCA view" in t and "% of variance" in t for t in titles)
    json.loads(transform_figure(anim, y).to_json())  # serialisable


def test_values_float32_cannot_hold_become_gaps_not_infinities():
    model, X, y, anim = _setup([2, 3, 1], "relu")
    model.params[...] *= 1e40  # an exploded net: activations far beyond float32
    anim = network_animation(model, X, grid_lines((-1.2, 1.2, -1.2, 1.2), 4, 6), n_frames=2)
    figure = checked_copy(transform_figure(anim, y))
    for frame in figure.frames:
        for trace in frame.data[:2]:
            values = np.asarray(trace.x, dtype=np.float64)
            assert not np.isinf(values).any()


@pytest.mark.parametrize("width", [1, 2, 3, 8])
def test_every_frame_says_its_layer_stage_and_numbers(width):
    _, _, y, anim = _setup([2, width, width, 1])
    spec = transform_figure(anim, y).to_dict()
    titles = [frame["layout"]["title"]["text"] for frame in spec["frames"]]
    names = [frame["name"] for frame in spec["frames"]]
    keys = {step["args"][0][0] for step in spec["layout"]["sliders"][0]["steps"]}
    assert spec["layout"]["title"]["text"] == titles[0]
    previous = None
    for name, title in zip(names, titles, strict=True):
        if name == "input":
            assert title.startswith("The input plane")
            continue
        layer = int(name[1:].split(".")[0])
        assert title.startswith(f"Layer {layer} of 2 ({2 if layer == 1 else width}→{width})")
        if "." in name:  # a stage frame names its stage and carries its numbers
            _, s, _ = name.split(".")
            stage = anim.layers[layer - 1].stages[int(s)]
            assert stage.title in title and stage.detail in title
            # σ is the activation, never a singular value
            assert ("σ" in title) == (stage.kind == "bend"), title
        if name in keys:  # where the slider stops and a player sees it, the title moved on
            assert title != previous, (name, title)
            previous = title


def test_the_flat_input_plane_shows_no_z_ticks_and_the_layers_do():
    """The input plane of a 3-D animation is a flat sheet: its z ticks labelled a height one
    cannot see, floating beside it. Each frame says whether its z ticks show (a frame's layout
    changes only what it names): hidden while the data lie at one height (the input, the turn
    before the stretch lifts it), shown once the layer has lifted them."""
    _, _, y, anim = _setup([2, 3, 1])
    assert anim.figure_dim == 3
    frames = transform_figure(anim, y).to_dict()["frames"]
    shown = [frame["layout"]["scene"]["zaxis"]["showticklabels"] for frame in frames]
    heights = [np.ptp(spec.positions[: anim.n_data, 2]) for spec in frame_positions(anim)]
    assert shown == [bool(height > 1e-6) for height in heights]
    assert shown[0] is False and shown[-1] is True  # the input plane; the lifted last layer


@pytest.mark.parametrize("sizes", [[2, 2, 1], [2, 3, 1]])
def test_tick_labels_read_horizontally_and_fit_on_the_left(sizes):
    """Plotly tilts crowded 2-D tick labels, and a 3-D scene lays them along their axis (the
    camera turns the input plane about 45 degrees): every axis pins them upright, and no frame
    undoes it. A 2-D figure keeps room on its left for the y labels drawn outside the plot
    ("−0.25" at 10 px, about 28 px): at 10 px of margin they were cut on a phone."""
    _, _, y, anim = _setup(sizes)
    figure = transform_figure(anim, y).to_dict()
    layout = figure["layout"]
    axes = (
        [layout["xaxis"], layout["yaxis"]]
        if anim.figure_dim == 2
        else [layout["scene"][f"{a}axis"] for a in "xyz"]
    )
    assert [axis.get("tickangle") for axis in axes] == [0] * len(axes)
    for frame in figure["frames"]:
        frame_axes = [frame["layout"].get(k, {}) for k in ("xaxis", "yaxis")]
        frame_axes += [frame["layout"].get("scene", {}).get(f"{a}axis", {}) for a in "xyz"]
        assert all("tickangle" not in axis for axis in frame_axes)
    if anim.figure_dim == 2:
        assert layout["margin"]["l"] >= 30

"""Geometry stages: exact end points, true rotations, reflections and dimension changes."""

import numpy as np
import pytest
from scipy.stats import special_ortho_group

from core.labs.layer_stages import interpolated_rotation, layer_stages, proper_svd, rotation_angles
from core.nn.activations import ACTIVATIONS

SHAPES = [(2, 2), (2, 3), (3, 2), (2, 8), (8, 8), (8, 3), (5, 1), (1, 1), (1, 3)]


@pytest.mark.parametrize("dim", [2, 3, 4, 5, 8])
def test_interpolated_rotation_is_a_rotation_from_identity_to_target(dim):
    R = special_ortho_group.rvs(dim, random_state=dim)
    np.testing.assert_allclose(interpolated_rotation(R, 0.0), np.eye(dim), atol=1e-12)
    np.testing.assert_allclose(interpolated_rotation(R, 1.0), R, atol=1e-12)
    for t in (0.2, 0.5, 0.9):
        Rt = interpolated_rotation(R, t)
        np.testing.assert_allclose(Rt @ Rt.T, np.eye(dim), atol=1e-10)
        assert np.linalg.det(Rt) == pytest.approx(1.0, abs=1e-10)
    # Halfway twice is the whole way: the path turns at a constant rate.
    half = interpolated_rotation(R, 0.5)
    np.testing.assert_allclose(half @ half, R, atol=1e-9)


def test_half_turns_are_interpolated_too():
    R = np.diag([-1.0, -1.0, 1.0])  # a rotation by π about the z axis
    quarter = interpolated_rotation(R, 0.5)
    np.testing.assert_allclose(quarter @ quarter, R, atol=1e-12)
    assert rotation_angles(R) == pytest.approx([180.0])
    theta = np.radians(30)
    assert rotation_angles(
        np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
    ) == pytest.approx([30.0])


@pytest.mark.parametrize(("fan_in", "fan_out"), SHAPES)
def test_proper_svd_reconstructs_and_avoids_needless_reflections(fan_in, fan_out):
    rng = np.random.default_rng(fan_in * 10 + fan_out)
    for _ in range(10):
        M = rng.normal(size=(fan_out, fan_in))
        U, S, Vt = proper_svd(M)
        k = S.size
        np.testing.assert_allclose(U[:, :k] * S @ Vt[:k], M, atol=1e-12)
        if fan_in != fan_out or np.linalg.det(M) > 0:
            assert np.linalg.det(U) > 0 and np.linalg.det(Vt) > 0
        else:
            assert np.linalg.det(U) > 0 and np.linalg.det(Vt) < 0


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
@pytest.mark.parametrize(("fan_in", "fan_out"), SHAPES)
def test_last_frame_is_the_layer_output(activation, fan_in, fan_out):
    rng = np.random.default_rng(7)
    W, b = rng.normal(size=(fan_in, fan_out)), rng.normal(size=fan_out)
    X = rng.normal(size=(40, fan_in))
    stages = layer_stages(X, W, b, ACTIVATIONS[activation], n_frames=4)
    expected = ACTIVATIONS[activation].fn(X @ W + b)
    assert np.max(np.abs(stages.end - expected)) <= 1e-9
    for stage in stages.stages:
        assert stage.frames.shape == (4, 40, max(fan_in, fan_out))


def test_stages_are_continuous_and_start_at_the_input():
    rng = np.random.default_rng(3)
    W, b = rng.normal(size=(2, 3)), rng.normal(size=3)
    X = rng.normal(size=(30, 2))
    stages = layer_stages(X, W, b, ACTIVATIONS["tanh"], n_frames=30)
    np.testing.assert_array_equal(stages.start[:, :2], X)
    previous = stages.start
    for stage in stages.stages:
        # The first frame (t = 1/30) is a small step from where the last stage ended.
        step = np.max(np.abs(stage.frames[0] - previous))
        whole = np.max(np.abs(stage.frames[-1] - previous))
        assert step <= whole / 10 + 1e-12
        previous = stage.frames[-1]


def test_rotation_stages_preserve_distances():
    rng = np.random.default_rng(4)
    W, b = rng.normal(size=(3, 3)), rng.normal(size=3)
    X = rng.normal(size=(20, 3))
    stages = layer_stages(X, W, b, ACTIVATIONS["relu"], n_frames=5)
    previous = stages.start
    for stage in stages.stages:
        if stage.kind.startswith("rotate"):
            before = np.linalg.norm(previous[:, None] - previous[None], axis=-1)
            for frame in stage.frames:
                after = np.linalg.norm(frame[:, None] - frame[None], axis=-1)
                np.testing.assert_allclose(after, before, atol=1e-10)
        previous = stage.frames[-1]


def test_reflection_is_its_own_labelled_stage():
    W = np.array([[0.0, 1.0], [1.0, 0.0]])  # swaps the axes: det −1
    stages = layer_stages(np.eye(2), W, np.zeros(2), ACTIVATIONS["identity"])
    kinds = [stage.kind for stage in stages.stages]
    assert kinds[0] == "reflect_in"
    assert "reflect" in stages.stages[0].title and "det −1" in stages.stages[0].title
    positive = layer_stages(np.eye(2), np.diag([2.0, 0.5]), np.zeros(2), ACTIVATIONS["identity"])
    assert not any(s.kind.startswith("reflect") for s in positive.stages)


def test_lifting_2d_to_3d_starts_flat_and_ends_tilted():
    rng = np.random.default_rng(5)
    W = rng.normal(size=(2, 3))
    X = rng.normal(size=(25, 2))
    stages = {s.kind: s for s in layer_stages(X, W, np.zeros(3), ACTIVATIONS["identity"]).stages}
    assert np.all(stages["stretch"].frames[-1][:, 2] == 0)  # Σ embeds the sheet flat in 3-D
    assert np.any(np.abs(stages["rotate_out"].frames[-1][:, 2]) > 1e-3)  # U tilts it
    assert "lifts 2-D into 3-D" in stages["stretch"].detail


def test_flattening_3d_to_2d_collapses_the_extra_axis():
    rng = np.random.default_rng(6)
    W = rng.normal(size=(3, 2))
    stages = {
        s.kind: s
        for s in layer_stages(
            rng.normal(size=(25, 3)), W, np.zeros(2), ACTIVATIONS["identity"]
        ).stages
    }
    assert np.all(stages["stretch"].frames[-1][:, 2] == 0)
    assert "flattens 3-D to 2-D" in stages["stretch"].detail


def test_bend_stage_blends_linearly():
    X = np.array([[0.5, -2.0], [3.0, 1.0]])
    stages = layer_stages(X, np.eye(2), np.zeros(2), ACTIVATIONS["tanh"], n_frames=2)
    bend = stages.stages[-1]
    z = X
    np.testing.assert_allclose(bend.frames[0], 0.5 * z + 0.5 * np.tanh(z), atol=1e-12)

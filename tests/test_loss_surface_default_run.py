"""The Loss-surface page's own default run is trained once per process, copied per session,
within one request's compute budget like every other training a script run does."""

from __future__ import annotations

import numpy as np
import pytest

import core.nn.budget
from core.nn.budget import Budget
from core.nn.training import Trainer

PAGE = "pages/3_Loss_surface.py"

pytestmark = pytest.mark.usefixtures("clear_streamlit_caches")


def test_two_first_visits_train_the_default_network_once(monkeypatch, open_page):
    runs = []
    original = Trainer.run

    def counted(self, n_epochs=1):
        runs.append(n_epochs)
        return original(self, n_epochs)

    monkeypatch.setattr(Trainer, "run", counted)
    first, second = open_page(PAGE, timeout=90), open_page(PAGE, timeout=90)
    assert sum(runs) == 300  # in budgeted chunks, all by the first visit
    own_first, own_second = (at.session_state["loss_surface_own"] for at in (first, second))
    assert own_first is not own_second  # each session its own copy: never shared mutable state
    np.testing.assert_array_equal(own_first.model.params, own_second.model.params)
    assert own_first.epoch == 300


def test_the_default_run_stops_at_the_budget_says_so_and_is_retried(monkeypatch, open_page):
    monkeypatch.setattr(core.nn.budget, "REPLAY", Budget.of(1e-9))  # spent by any one epoch
    at = open_page(PAGE, timeout=90)
    own = at.session_state["loss_surface_own"]
    assert own.epoch < 300
    note = next(box.value for box in at.info if "trained its own" in box.value)
    assert f"{own.epoch:,} of its 300 epochs" in note
    monkeypatch.undo()  # a quiet server again: the next visit trains the whole run
    assert open_page(PAGE, timeout=90).session_state["loss_surface_own"].epoch == 300

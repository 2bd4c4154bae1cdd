"""Setting a weight or bias by hand, and the hand edits a share link carries.

The inspected unit's incoming weights and bias can be set to a typed number: parsed by
``core.nn.edits.parse_value`` (never evaluated; refused with the reason, or clamped to
±``EDIT_LIMIT``), applied by ``Experiment.edit`` (which also measures the loss again), after
which the cached animation and probes are dropped and the whole page reruns, so the boundary,
the representations, the layer-by-layer animation and the loss all show the edited network.
The run's edits are written to the URL as ``edit=W2[1,3]:0.5;b1[2]:-1@300`` (1-based, each
group stamped with its epoch); a visitor's link replays its training to each stamp and applies
the edits there (``replay_link``). A new network (Reset, or a setting that needs one) drops
them and says so once.
"""

from __future__ import annotations

import weakref

import streamlit as st

from core.experiment import Experiment
from core.labs.network_diagram import column_titles, unit_labels
from core.nn.edits import EDIT_LIMIT, Edit, format_edits, parse_edits, parse_value
from pages._ui.state import EXPERIMENT
from pages._ui.text import plain_text
from pages._ui.visitor_link import link_notices, replay

__all__ = [
    "EDIT_KEY",
    "reset_help",
    "replay_link",
    "sync_edits",
    "take_link_edits",
    "weight_editor",
]

EDIT_KEY = "edit"  # the URL key
TARGET_KEY, VALUE_KEY, APPLY_KEY = "edit_target", "edit_value", "edit_apply"
MESSAGE = "edit_message"  # (applied: bool, text) of the last Apply
RERUN = "edit_rerun"  # an edit was applied in the live view: rerun the whole page
WRITTEN = "_url_written_edits"  # the edit list this session last put in the URL
OWNER = "_edits_owner"  # (experiment, its edit text): to notice edits a new network dropped
# Session caches that hold pictures of the old weights (see pages/1_Transform.py).
CACHES = ("transform_figure_cache", "separability")
GO_ON = "Press Play to go on."


def _target_edit(target: str, column: int, unit: int, value: float, epoch: int) -> Edit:
    if target == "b":
        return Edit("b", column - 1, unit, None, value, epoch)
    return Edit("W", column - 1, int(target[1:]), unit, value, epoch)


def _targets(layer_sizes: tuple[int, ...], column: int) -> list[str]:
    """The parameters of a unit in ``column``: its bias, then a weight per unit below."""
    return ["b", *(f"W{row}" for row in range(layer_sizes[column - 1]))]


def _apply(column: int, unit: int) -> None:
    """Apply's callback (before the script reruns): parse, edit, drop the stale pictures."""
    experiment = st.session_state.get(EXPERIMENT)
    if experiment is None:
        return
    value, note = parse_value(st.session_state.get(VALUE_KEY, ""))
    if value is None:
        st.session_state[MESSAGE] = (False, f"Nothing changed: {note}")
        return
    target = st.session_state.get(TARGET_KEY, "b")
    edit = _target_edit(target, column, unit, value, experiment.epoch)
    try:
        before = edit.current(experiment.model)
        experiment.edit([edit])
    except (ValueError, IndexError) as error:  # a unit of a network that is gone
        st.session_state[MESSAGE] = (False, f"Nothing changed: {error}")
        return
    for key in CACHES:
        st.session_state.pop(key, None)
    done = f"{edit.name} set to {value:g} (was {before:.4g}) at epoch {experiment.epoch:,}."
    st.session_state[MESSAGE] = (True, f"{done} {note}".strip())
    st.session_state[RERUN] = True


def weight_editor(experiment: Experiment, column: int, unit: int) -> None:
    """Set one of the inspected unit's parameters by hand (inside the live view)."""
    if st.session_state.pop(RERUN, False):
        st.rerun(scope="app")  # the animation and the rest of the page show the new weights
    sizes = experiment.model.layer_sizes
    labels = unit_labels(experiment.view_model)
    targets = _targets(sizes, column)
    if st.session_state.get(TARGET_KEY) not in targets:
        st.session_state[TARGET_KEY] = "b"
    below = column_titles(sizes)[column - 1]

    def label(target: str) -> str:
        edit = _target_edit(target, column, unit, 0.0, 0)
        now = edit.current(experiment.model)
        if target == "b":
            return f"bias {edit.name} (now {now:+.3f})"
        return f"weight from {below} {labels[column - 1][int(target[1:])]}, {edit.name} " \
            f"(now {now:+.3f})"  # fmt: skip

    st.markdown("**Set a parameter by hand**")
    left, middle, right = st.columns([3, 2, 1], vertical_alignment="bottom")
    left.selectbox("Parameter", targets, key=TARGET_KEY, format_func=label)
    middle.text_input(
        "New value",
        key=VALUE_KEY,
        max_chars=40,
        placeholder=f"a number, −{EDIT_LIMIT:g} to {EDIT_LIMIT:g}",
        help=f"A plain number such as 0.5, -1 or 2e-3; values beyond ±{EDIT_LIMIT:g} are "
        "clamped. The edit goes into the share link.",
    )
    right.button("Apply", key=APPLY_KEY, on_click=_apply, args=(column, unit), width="stretch")
    message = st.session_state.get(MESSAGE)
    if message:
        applied, text = message
        (st.success if applied else st.error)(plain_text(text))
    if experiment.edits:
        names = ", ".join(f"{e.name} = {e.value:g}" for e in experiment.edits[-8:])
        more = f" (and {len(experiment.edits) - 8} earlier)" if len(experiment.edits) > 8 else ""
        st.caption(f"Hand edits so far, in the share link: {names}{more}. Reset discards them.")


def reset_help(experiment: Experiment) -> str:
    """The Reset button's help: what a new network discards."""
    text = "New weights from the seed: the same settings give the same start"
    if experiment.edits:
        text += f"; discards your {len(experiment.edits)} hand edit(s)"
    return text


def take_link_edits() -> str | None:
    """A visitor link's ``edit=`` text, once (None when this session wrote the URL's own).

    A link's edits belong to the run it describes: the session's run is dropped, so the page
    builds it afresh from the link before ``replay_link`` applies them.
    """
    text = st.query_params.get(EDIT_KEY)
    if not text or text == st.session_state.get(WRITTEN):
        return None
    st.session_state[WRITTEN] = text  # taken: a rerun does not apply it twice
    st.session_state.pop(EXPERIMENT, None)
    return text


def replay_link(experiment: Experiment, epochs: int | None, edits_text: str | None) -> None:
    """Train a link's run to its epochs, applying its hand edits at their epochs on the way
    (edits stamped later than the link trains, or unstamped, apply at the end)."""
    edits, notices = parse_edits(edits_text, experiment.model.layer_sizes) if edits_text else (
        [], [])  # fmt: skip
    link_notices(notices)
    trainer, target, stopped = experiment.trainer, epochs or 0, False
    for edit in edits:
        stop = target if edit.epoch is None else min(edit.epoch, target)
        if trainer is not None and not stopped and experiment.epoch < stop:
            stopped = replay(trainer.run, experiment.epoch, stop, GO_ON).out_of_budget
        experiment.edit([edit])
    if trainer is not None and not stopped and experiment.epoch < target:
        replay(trainer.run, experiment.epoch, target, GO_ON)
    if edits:
        for key in CACHES:
            st.session_state.pop(key, None)


def sync_edits(experiment: Experiment) -> str:
    """Write the run's edits to the URL (or drop the key); say once what a new network
    dropped. Returns the edit text, for the share link."""
    text = format_edits(experiment.edits)
    if text:
        st.query_params[EDIT_KEY] = text
    elif EDIT_KEY in st.query_params:
        del st.query_params[EDIT_KEY]
    st.session_state[WRITTEN] = text or None
    owner, owned = st.session_state.get(OWNER, (None, ""))
    if owner is not None and owner() is not experiment and owned:
        n_edits = owned.count(";") + 1
        st.info(
            f"The new network discarded {n_edits} hand edit(s) of the old one: "
            f"{plain_text(owned)}.",
            icon=":material/undo:",
        )
    st.session_state[OWNER] = (weakref.ref(experiment), text)  # never keeps an old run alive
    return text

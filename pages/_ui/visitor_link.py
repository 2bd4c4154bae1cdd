"""A visitor's shared link, besides its settings: notices on what was changed, and its training.

A link is written by anyone. ``link_notices`` shows everything ``core.exchange.query`` changed
in it in one box, its values as plain text; ``replay`` trains towards the link's epochs within
one request's budget (``core.nn.budget.REPLAY``) and says how far it got when the budget ends
first. The Transform and Compare pages call both; ``settings_panel.adopt_shared_settings``
does for the pages without a settings sidebar.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from core.nn.budget import REPLAY, Progress, train_within
from pages._ui.text import plain_text

__all__ = ["link_notices", "replay"]


def link_notices(notices: list[str]) -> None:
    """Everything ``from_query`` changed in a shared link, in one box.

    The notices quote the link's values, which anyone can write: each goes through
    ``plain_text``, so ``seed=[Log in](https://evil.example)`` shows as those characters and
    never as a link or an image.
    """
    if notices:
        items = "\n".join(f"- {plain_text(notice)}" for notice in notices)
        st.warning(f"**Shared link**\n\n{items}", icon=":material/link:")


def replay(train: Callable[[int], int], epoch: int, target: int, go_on: str) -> Progress:
    """Train a link's run from ``epoch`` towards its ``target`` epoch within one request's
    budget (``core.nn.budget.REPLAY``); if the budget ends first, say how far it got and
    ``go_on`` (what to press to train on)."""
    # Seconds of training before the first picture: say so (after Streamlit's half-second delay).
    with st.spinner(f"Replaying the link's training to epoch {target:,}…"):
        progress = train_within(train, target - epoch, REPLAY)
    if progress.out_of_budget:
        st.info(
            f"Replayed {epoch + progress.epochs:,} of the link's {target:,} epochs: one page "
            f"view trains for at most {REPLAY.cpu_seconds:g} s of computing here. {go_on}",
            icon=":material/timer:",
        )
    return progress

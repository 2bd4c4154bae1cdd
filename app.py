"""Spacewarp home page: what the app shows, how to read it, and links to every page.

Run with `streamlit run app.py`. Pages are the plain `pages/N_Name.py` files; this page lists
whatever is there. No `st.navigation`: together with a `pages/` folder it misbehaved on the
first request to a fresh server, which is what a shared link meets when a hosted app wakes up
(a deep link ran its page without this script, or a false "Page not found" dialog blocked
clicks); the plain `pages/` convention deep-links cleanly.
"""

import streamlit as st

from pages._ui import (
    ASSETS_DIR,
    PAGE_ICON,
    discover_pages,
    tune_server_process,
    warm_up_process,
)
from pages._ui.navigation import style_and_navigation
from pages._ui.state import EXPERIMENT

TITLE = "Spacewarp"
TAGLINE = "Watch a neural network bend the plane until the classes come apart."
PITCH = (
    "A neural network classifier is a chain of simple moves on space. Each layer's weight "
    "matrix **:primary[W]** rotates and stretches the plane, and can lift it into more "
    "dimensions or flatten it into fewer; the bias **:primary[b]** slides it; the activation "
    "**:primary[σ]** bends it. Spacewarp trains a small NumPy network on 2-D data and shows "
    "every one of those moves, layer by layer, until the tangled classes are pulled apart far "
    "enough that a single straight line separates them."
)
TOUR_LINK = "New here? Take the guided tour, in nine short steps"
TRANSFORM = "pages/1_Transform.py"
# What the Transform page shows, one move per column: the whole idea fits on one screen.
MOVES = (
    (
        ":primary[W] · rotate and stretch",
        "The weight matrix W = UΣVᵀ: a rotation, a stretch along perpendicular axes, and "
        "another rotation. A wider layer lifts the plane into more dimensions, a narrower one "
        "flattens it.",
    ),
    (
        ":primary[b] · shift",
        "The bias slides the whole space without changing its shape.",
    ),
    (
        ":primary[σ] · bend",
        "The activation (tanh, ReLU, ...) acts on each coordinate separately and folds or "
        "squashes space: the only move that is not linear.",
    ),
)
REPEAT = (
    "**Then repeat**, layer after layer. The last layer draws one straight line; training moves "
    "every W and b until the warped classes land on either side of it. On the Transform page "
    "press **Play** and watch it happen, live."
)
tune_server_process()  # first: once per server process, cheap gc and few malloc arenas
st.set_page_config(page_title=TITLE, page_icon=PAGE_ICON, layout="wide")
style_and_navigation()
if st.query_params or EXPERIMENT in st.session_state:
    # Only a shared link or a running network needs the settings (and so the engine and
    # scikit-learn): a first visitor's home page shows without waiting for those imports.
    from pages._ui.settings_panel import adopt_shared_settings

    adopt_shared_settings()  # a shared link may land here: its run is ready on every page

pages = discover_pages()
tour = next((page for page in pages if page.label == "Tour"), None)
# One screen to start: what it is and the way in on the left, the picture on the right; what
# you will see and every page below, across the whole width.
text_column, side_column = st.columns([3, 2], gap="large", vertical_alignment="center")
with text_column:
    st.title(TITLE)
    st.markdown(f"#### {TAGLINE}")
    st.markdown(PITCH)
    if st.button(
        "Start: train a network", key="start", type="primary", icon=":material/play_arrow:"
    ):
        st.switch_page(TRANSFORM)
    if tour is not None:
        st.page_link(tour.link_target, label=TOUR_LINK, icon=":material/school:")
with side_column:
    hero = ASSETS_DIR / "hero.png"
    if hero.is_file():
        st.image(hero, width="stretch")

st.subheader("What you will see")
for column, (move, text) in zip(st.columns(len(MOVES), gap="medium"), MOVES, strict=True):
    with column.container(border=True):
        st.markdown(f"**{move}**")
        st.caption(text)
st.markdown(REPEAT)

st.subheader("Pages")
if not pages:
    st.caption("No pages yet: each `pages/N_Name.py` file will be listed here.")
for column, page in zip(st.columns(max(len(pages), 1), gap="small"), pages, strict=False):
    with column.container(border=True, height="stretch"):
        st.page_link(page.link_target, label=page.label, icon=":material/arrow_forward:")
        if page.summary:  # "Transform: train a network live …" under the link "Transform"
            summary = page.summary.removeprefix(f"{page.label}: ")
            st.caption(summary[:1].upper() + summary[1:])

warm_up_process()  # last: once per process, what the other pages import, in the background

"""Settings widgets drawn from a settings table, kept in step with the URL and across pages.

Each widget is drawn from its ``core.settings`` field (label, help, choices, range) by ``draw``.
Widgets are created without default values: their state is filled in first by
``restore_widgets``, from (in this order) a URL that changed since this session last wrote it
(a shared link, back/forward), the session's running settings (so leaving a page and coming
back keeps them), or the table's defaults. After the widgets are read, ``write_url`` rewrites
the address bar to match, so it is always a link to what is on screen; ``share_panel`` offers
that link, optionally with the epochs trained. The Transform and Compare pages use the same
functions with their own table; parsing and clamping live in ``core.exchange.query``.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

import streamlit as st

from core.exchange.drawn_points import LINK_POINTS
from core.exchange.query import Field, Table, from_query, to_query
from core.experiment import UPLOADED, Experiment, Settings
from core.settings import DRAWN, TRANSFORM
from pages._ui.state import EXPERIMENT, UPLOADED_DATA
from pages._ui.visitor_link import link_notices, replay

DEFAULT_WIDTH = 8  # a newly added hidden layer's width
DEPTH = "depth"  # the widths field is drawn as a depth slider and one slider per layer


def _width_key(i: int) -> str:
    return f"width_{i}"


def widget_key(table: Table, f: Field) -> str:
    """The ``key`` of a setting's widget (also its ``st.session_state`` key)."""
    return f.key if table.keyed_by_url else f.name


def _widget_values(table: Table, settings: object) -> dict[str, object]:
    values: dict[str, object] = {}
    for f in table.fields:
        value = getattr(settings, f.name)
        if f.kind == "widths":
            values[DEPTH] = len(value)
            values.update({_width_key(i): width for i, width in enumerate(value)})
        else:
            shown = list(value) if f.kind == "some" else value
            values[widget_key(table, f)] = f.none_as if value is None else shown
    return values


def _incoming() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def _written(table: Table) -> str:
    return f"_url_written_{table.name}"  # the query parameters this session last put in the URL


def _from_new_link(table: Table) -> tuple[object, int | None, list[str]] | None:
    """The link's settings if the URL names some of ``table``'s keys and this session did not
    write it (a shared link, or back/forward); else None."""
    incoming = _incoming()
    ours = {k: v for k, v in incoming.items() if k in table.keys}
    if ours and ours != st.session_state.get(_written(table)):
        return from_query(incoming, table)
    return None


def restore_widgets(table: Table, current: object | None) -> tuple[list[str], int | None]:
    """Fill the widgets' state before they are drawn; returns (URL notices, URL epochs)."""
    linked = _from_new_link(table)
    if linked:  # a new link wins over whatever the widgets showed
        settings, epochs, notices = linked
        for key, value in _widget_values(table, settings).items():
            st.session_state[key] = value
    else:
        epochs, notices = None, []
        for key, value in _widget_values(table, current or table.settings()).items():
            st.session_state.setdefault(key, value)
    for f in table.fields:
        if f.kind == "widths":  # sliders for layers added later start at a sensible width
            for i in range(f.max_count):
                st.session_state.setdefault(_width_key(i), DEFAULT_WIDTH)
    return notices, epochs


def _widths(f: Field, where) -> tuple[int, ...]:
    depth = where.slider(f.label, 0, f.max_count, key=DEPTH, help=f.help)
    return tuple(
        where.slider(f"Width of layer {i + 1}", f.low, f.high, key=_width_key(i))
        for i in range(depth)
    )


def draw(table: Table, name: str, where=None, **options) -> object:
    """Draw one setting's widget from its table entry; returns the value it shows.

    ``where`` is a container (default: the sidebar); ``options`` go to the widget
    (``placeholder=``...), and ``choices`` replaces the table's for a "one" or "some" field.
    """
    f, where = table[name], where or st.sidebar
    if f.kind == "widths":
        return _widths(f, where)
    choices = options.pop("choices", f.choices)
    kwargs = {"key": widget_key(table, f), "help": f.help, **options}
    if f.kind in ("one", "some"):
        kwargs.setdefault("format_func", f.option_label)
        widget = where.selectbox if f.kind == "one" else where.multiselect
        value = widget(f.label, choices, **kwargs)
        return tuple(value) if f.kind == "some" else value
    if f.kind == "levels":
        levels = (*f.choices, f.none_as) if f.none_as else f.choices
        value = where.select_slider(f.label, levels, **kwargs)
        return None if f.none_as and value == f.none_as else value
    if f.kind == "flag":
        return where.toggle(f.label, **kwargs)
    if f.kind == "points":  # no widget: the page's canvas (pages._ui.draw_canvas) sets it
        return st.session_state.get(kwargs["key"], f.default)
    if f.widget == "number":
        return int(where.number_input(f.label, f.low, f.high, step=f.step, **kwargs))
    return where.slider(f.label, f.low, f.high, step=f.step, **kwargs)


def draw_group(table: Table, group: str, where=None, **options) -> dict[str, object]:
    """Draw every setting of ``group`` in table order; ``options[name]`` go to that widget."""
    return {
        f.name: draw(table, f.name, where, **options.get(f.name, {}))
        for f in table.fields
        if f.group == group
    }


def _dataset_options() -> dict[str, object]:
    upload = st.session_state.get(UPLOADED_DATA)  # an UploadedDataset, set by pages._ui.transfer
    offered = list(TRANSFORM["dataset"].choices)  # the datasets and "Draw your own"
    choices = [*offered, UPLOADED] if upload else offered
    if st.session_state.get("dataset") not in choices:
        st.session_state["dataset"] = Settings().dataset
    field = TRANSFORM["dataset"]
    return {
        "choices": choices,
        "format_func": lambda k: (
            f"Your CSV ({upload.file_name})" if k == UPLOADED else field.option_label(k)
        ),
    }


def _regenerate() -> None:
    seeds = TRANSFORM["data_seed"]
    st.session_state["data_seed"] = (st.session_state.get("data_seed", 0) + 1) % (seeds.high + 1)


def _data_options() -> dict[str, dict]:
    """The Data group's widget options: the dataset list, and for an upload (whose points are
    what they are) Noise, Points and Data sample switched off with the reason."""
    options = {"dataset": _dataset_options()}
    if st.session_state.get("dataset") in (UPLOADED, DRAWN):
        reason = {"disabled": True, "help": "Your own points (a CSV or a drawing) are used as "
                  "they are."}  # fmt: skip
        options |= dict.fromkeys(("noise", "n_samples", "data_seed"), reason)
    return options


def settings_sidebar() -> Settings:
    """Draw the Transform settings in the sidebar, a heading per group; returns them."""
    values: dict[str, object] = {}
    for group in dict.fromkeys(f.group for f in TRANSFORM.fields):
        st.sidebar.header(group)
        values |= draw_group(TRANSFORM, group, st.sidebar, **_data_options())
        if group == TRANSFORM["data_seed"].group:
            st.sidebar.button(
                "Regenerate",
                key="regenerate",
                icon=":material/refresh:",
                on_click=_regenerate,
                disabled=values["dataset"] in (UPLOADED, DRAWN),
                help="Draw a new sample of the same dataset; the network keeps training.",
            )
    features = TRANSFORM["features"]
    if len(values["features"]) < features.min_count:
        st.sidebar.warning("Pick at least one input feature; using x₁, x₂.")
        values["features"] = features.default
    return Settings(**values)


def write_url(table: Table, settings: object) -> None:
    """Make the address bar describe ``settings`` (other pages' parameters are kept)."""
    params = to_query(settings, table)
    others = {k: v for k, v in _incoming().items() if k not in table.keys}
    st.query_params.from_dict({**others, **params})
    st.session_state[_written(table)] = {k: [v] for k, v in params.items()}


def share_link(
    table: Table, settings: object, epochs: int | None = None, extra: dict | None = None
) -> str:
    """A link to this page that rebuilds the run (and trains it to ``epochs``); ``extra``
    query parameters (the Transform page's hand edits) are added at the end."""
    base = st.context.url or ""
    query = urlencode({**to_query(settings, table, epochs), **(extra or {})})
    return f"{base}?{query}" if query else base


def share_panel(
    table: Table, settings: object, epochs: int, key: str, extra: dict | None = None
) -> None:
    """The sidebar's Share box: a copyable link to this run, with its training if asked."""
    side = st.sidebar
    side.header("Share")
    if (
        getattr(settings, "dataset", None) == DRAWN
        and len(settings.drawn) > table["drawn"].max_chars
    ):
        side.warning(
            f"Your drawing has more than {LINK_POINTS} points: a link cannot carry them, so the "
            "receiver would get an empty canvas. Send the dataset CSV (Export → Dataset) too.",
            icon=":material/link:",
        )
    if getattr(settings, "dataset", None) == UPLOADED:
        side.warning(
            "Your uploaded data cannot travel in a link: the receiver would get a notice and the "
            "default dataset instead. Send the CSV itself (Export → Dataset) with the link below, "
            "which carries every other setting.",
            icon=":material/link:",
        )
        settings = replace(settings, dataset=table.settings().dataset)
    with_epochs = side.toggle(
        f"Include training ({epochs:,} epochs)",
        key=key,
        help="The receiver's browser retrains from the same seed to the same weights.",
    )
    # In a popover, drawn only when opened: ``st.code`` needs the frontend's syntax highlighter
    # (1.5 MB of JavaScript), which a first visitor's browser would otherwise fetch with the
    # page's first pictures and hold them back (bench/first_visit.py).
    with side.popover("Link to this run", icon=":material/link:", width="stretch"):
        st.code(
            share_link(table, settings, epochs if with_epochs else None, extra),
            language=None,
            wrap_lines=True,
        )
        st.caption(
            "Copy the link (icon at its top right). It restores every setting on this page; "
            "changes made while training (e.g. the learning rate) are not replayed."
        )


def adopt_shared_settings(state_key: str = EXPERIMENT) -> None:
    """For pages without the settings sidebar: honour a shared link's settings, keep the URL.

    A link such as ``/Activations?data=circles&layers=3`` builds that run (trained towards
    ``epochs`` if given, within the request budget) as the session's experiment, which every
    page reads; afterwards the address bar names the session's run on this page too, so it
    can be shared from here.
    """
    running = st.session_state.get(state_key)
    linked = _from_new_link(TRANSFORM)
    if linked:
        settings, epochs, notices = linked
        link_notices(notices)
        if running is None or running.settings != settings or epochs:
            running = Experiment.build(settings)
            st.session_state[state_key] = running
            st.session_state.playing = False
            # Before the replay: a rerun asked for meanwhile finds the link taken, and keeps
            # this run instead of building and replaying it again.
            write_url(TRANSFORM, settings)
            if epochs and running.trainer is not None:
                go_on = "Press Play on the Transform page to train on."
                replay(running.trainer.run, 0, epochs, go_on)
    if running is not None:
        write_url(TRANSFORM, running.settings)

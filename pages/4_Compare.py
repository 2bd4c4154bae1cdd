"""Compare: a deep, narrow net races a shallow, wide one of the same size; then lift by hand."""

from __future__ import annotations

import streamlit as st

from core.experiment import Race
from core.figures.lifting import lift_figure, plane_equation
from core.labs.deep_vs_wide import joint_history
from core.labs.lifting import fit_lifted
from core.labs.linear_regions import max_regions, region_map, why_not_counted
from core.labs.probes import SEPARABLE, layer_separability
from core.nn.optimizers import OPTIMIZERS
from core.render.png import png_data_uri
from core.render.raster import boundary_image
from core.render.regions import regions_image
from core.render.svg import curves_svg, svg_data_uri
from core.render.theme import PRIMARY, class_color
from core.settings import COMPARE, COMPARE_N_SAMPLES, CompareSettings
from pages._ui import PAGE_ICON, image_row, tune_server_process
from pages._ui.navigation import style_and_navigation
from pages._ui.regression_stage import regression_note
from pages._ui.settings_panel import draw, draw_group, restore_widgets, share_panel, write_url
from pages._ui.state import weights_digest
from pages._ui.visitor_link import link_notices, replay

tune_server_process()  # first: once per server process, cheap gc and few malloc arenas
st.set_page_config(page_title="Compare · Spacewarp", page_icon=PAGE_ICON, layout="wide")
style_and_navigation()

STATE, LAST, PLAYING = "compare", "cmp_last", "cmp_playing"
DRAWN = "cmp_drawn"  # {net name: (what its weights were, what was drawn of them)}
TICK_SECONDS = 0.2  # fragment timer; each tick also draws 4 pictures and fits 7 probes
TRAIN_SECONDS = 0.06  # training time inside each tick
PICTURE = 240  # pixels; the region map is counted on a grid of the same size
NAMES = {"deep": "Deep and narrow", "wide": "Shallow and wide"}
COLORS = {"deep": PRIMARY, "wide": class_color(2)}
RACE, LIFT = "Deep vs wide", "Lifting by hand"  # the groups of COMPARE's fields


def race_sidebar() -> dict[str, object]:
    """The race's settings in the sidebar; returns them by field name."""
    st.sidebar.header(RACE)
    values = draw_group(COMPARE, RACE)
    st.sidebar.caption("Both nets share the data, optimizer, learning rate, seed and epochs.")
    return values


def current_race(settings: CompareSettings) -> Race:
    race = st.session_state.get(STATE)
    if race is None or settings.needs_reset(race.settings):
        race = Race.build(settings)
        st.session_state[STATE] = race
        st.session_state[PLAYING] = False
    else:
        race.apply_live(settings)
    return race


def _toggle() -> None:
    st.session_state[PLAYING] = not st.session_state.get(PLAYING, False)


def _step() -> None:
    race = st.session_state.get(STATE)
    if race is not None:
        race.run(10)
    st.session_state[PLAYING] = False


def _reset() -> None:
    st.session_state.pop(STATE, None)  # rebuilt from the seed on this rerun
    st.session_state[PLAYING] = False


def controls() -> None:
    playing = st.session_state.get(PLAYING, False)
    cols = st.columns([1.2, 1, 1, 5])
    cols[0].button(
        "Pause" if playing else "Train",
        key="cmp_play",
        icon=":material/pause:" if playing else ":material/play_arrow:",
        on_click=_toggle,
        type="primary",
        width="stretch",
    )
    cols[1].button("Step", key="cmp_step", on_click=_step, width="stretch", help="10 epochs")
    cols[2].button(
        "Reset", key="cmp_reset", on_click=_reset, width="stretch", help="New weights from the seed"
    )


def _shape(model) -> str:
    return " → ".join(map(str, model.layer_sizes))


def _separability(scores: list[float]) -> None:
    for layer, score in enumerate(scores):
        where = "input" if layer == 0 else f"layer {layer}"
        mark = " ✓" if score >= SEPARABLE else ""
        st.progress(min(max(score, 0.0), 1.0), text=f"{where}: {score:.1%}{mark}")


def _measured(race: Race, name: str) -> dict:
    """One net's accuracies, region count, pictures and probe scores at its current weights.

    Kept in the session for the weights it was drawn from: a rerun that did not train (any
    widget of the lifting section, a paused race) redraws them instead of computing region
    maps, pictures and seven probes again (most of the page's rerun)."""
    trainer, model = race.trainers[name], race.trainers[name].model
    digest = (race.settings, weights_digest(model.params))  # the settings fix the data
    kept = st.session_state.setdefault(DRAWN, {}).get(name)
    if kept is not None and kept[0] == digest:
        return kept[1]
    found = region_map(model, race.extent, PICTURE)
    boundary = boundary_image(
        model, race.extent, race.X_train, race.y_train, race.X_test, race.y_test, size=PICTURE
    )
    pictures = [(png_data_uri(boundary), "decision boundary")]
    if found is not None:
        pictures.append((png_data_uri(regions_image(*found)), "linear regions"))
    measured = {
        "train": trainer.evaluate(race.X_train, race.y_train)[1],
        "test": trainer.evaluate(race.X_test, race.y_test)[1],
        "regions": None if found is None else len(found[1]),
        "pictures": pictures,
        "scores": layer_separability(model, race.X_train, race.y_train),
    }
    st.session_state[DRAWN][name] = (digest, measured)
    return measured


def contender(race: Race, name: str) -> None:
    """One net: its shape and size, accuracy, boundary, linear regions and separability."""
    trainer = race.trainers[name]
    model = trainer.model
    st.html(
        f'<div style="font-size:1.3rem;font-weight:650;color:{COLORS[name]}">{NAMES[name]}</div>'
    )
    st.caption(f"{_shape(model)} · **{model.n_parameters:,} parameters**")
    measured = _measured(race, name)
    metrics = st.columns(3)
    metrics[0].metric("Train accuracy", f"{measured['train']:.1%}")
    metrics[1].metric("Test accuracy", f"{measured['test']:.1%}")
    metrics[2].metric(
        "Linear regions",
        "—" if measured["regions"] is None else f"{measured['regions']:,}",
        help=f"Distinct on/off patterns of the hidden units over a {PICTURE}×{PICTURE} grid: "
        "on each such piece the network is one linear map.",
    )
    image_row(measured["pictures"], width=PICTURE)
    if measured["regions"] is not None:
        most = max_regions(model.layer_sizes[1:-1])
        st.caption(f"At most {most:,} regions are possible with this shape.")
    if trainer.diverged:
        st.warning(trainer.diverged, icon=":material/warning:")
    st.markdown("**Linear separability per layer**")
    _separability(measured["scores"])


def _curves(race: Race) -> list[tuple[str, str]]:
    epochs, rows = joint_history(race.trainers)
    charts = []
    for title, column, log_y in (("Loss (log scale)", 0, True), ("Accuracy", 1, False)):
        series = {}
        for name, values in rows.items():
            series[f"{name} train"] = (values[:, column], COLORS[name], "")
            series[f"{name} test"] = (values[:, column + 2], COLORS[name], "4 3")
        svg = curves_svg(epochs, series, width=520, height=170, title=title, log_y=log_y)
        charts.append((svg_data_uri(svg), ""))
    return charts


def live_view(race: Race) -> None:
    """Everything that moves while the nets train: redrawn by the fragment's timer."""
    if st.session_state.get(PLAYING):
        race.advance(TRAIN_SECONDS)
        if not race.running:  # both diverged: stop the timer and show why
            st.session_state[PLAYING] = False
            st.rerun(scope="app")
    settings = race.settings
    st.markdown(
        f"Epoch **{race.epoch:,}** · both trained with {OPTIMIZERS[settings.optimizer].label}, "
        f"learning rate {settings.learning_rate:g}, full batch, seed {settings.seed}"
    )
    columns = st.columns(2, gap="large")
    for column, name in zip(columns, NAMES, strict=True):
        with column:
            contender(race, name)
    if race.trainers["deep"].history.size:
        st.markdown("**Loss and accuracy** (solid: train, dashed: test)")
        image_row(_curves(race), width=520)


def deep_vs_wide(values: dict[str, object], url_epochs: int | None) -> Race:
    """The race section: explanation, controls and the live view; returns the race."""
    st.subheader(RACE)
    st.markdown(
        "Two nets with (nearly) the same number of parameters: several narrow layers against "
        "one wide layer. A ReLU net is linear on each piece of the plane its units cut out; a "
        "deeper layer can fold the pieces below it and cut them all at once, so depth can "
        "multiply the pieces where width only adds to them. Trained nets use only a sliver of "
        "that room (Hanin & Rolnick, 2019): watch the accuracy as well as the count."
    )
    race = current_race(CompareSettings(**values))
    if url_epochs and race.epoch < url_epochs:
        # Same seed + settings + epochs: the same weights.
        replay(race.run, race.epoch, url_epochs, "Press Train to go on.")
    reason = why_not_counted(race.settings.activation)
    if reason:
        st.info(reason)
    controls()
    run_every = TICK_SECONDS if st.session_state.get(PLAYING) else None
    st.fragment(run_every=run_every)(live_view)(race)
    return race


@st.cache_data(max_entries=64)
def lifted(dataset: str, noise: float, seed: int, features: tuple[str, ...]) -> dict:
    """The linear model on x1, x2 + ``features``: accuracy, boundary picture, 3-D figure."""
    fit = fit_lifted(dataset, COMPARE_N_SAMPLES, noise, seed, features)
    picture = boundary_image(fit.model, fit.extent, fit.X, fit.y, size=300)
    one_extra = len(features) == 1
    return {
        "accuracy": fit.accuracy,
        "equation": plane_equation(fit.model),
        "picture": png_data_uri(picture),
        "figure": lift_figure(fit.X, fit.y, fit.model, fit.extent) if one_extra else None,
    }


def lifting_section(seed: int) -> dict[str, object]:
    """Pick extra input features; see the linear model they allow. Returns the settings."""
    st.subheader(LIFT)
    st.markdown(
        "Instead of letting hidden layers find new coordinates, add them yourself. A linear "
        "model (no hidden layer) reads x₁, x₂ and the features you pick. Pick exactly one to "
        "see the data lifted into 3-D with the plane the model puts between the classes."
    )
    cols = st.columns([1.2, 1.2, 2.6], gap="medium")
    dataset = draw(COMPARE, "lift_dataset", cols[0])
    noise = draw(COMPARE, "lift_noise", cols[1])
    chosen = draw(COMPARE, "features", cols[2], placeholder="none: a straight line in the plane")
    features = tuple(name for name in COMPARE["features"].choices if name in chosen)  # one order
    result = lifted(dataset, noise, seed, features)
    left, right = st.columns([3, 2], gap="large")
    with left:
        if result["figure"] is not None:
            st.plotly_chart(result["figure"], key="cmp_lift_figure", config={"displaylogo": False})
        else:
            st.info(
                "Pick exactly one extra feature to see (x₁, x₂, f) in 3-D. "
                f"Now the linear model reads {2 + len(features)} inputs."
            )
    with right:
        st.metric("Linear model's accuracy", f"{result['accuracy']:.1%}")
        if result["equation"]:
            st.markdown(f"Boundary: **{result['equation']}**")
        else:
            st.caption("One linear score per class; a boundary is where two scores tie.")
        image_row([(result["picture"], "its boundary back in the plane")], width=300)
    return {"lift_dataset": dataset, "lift_noise": noise, "features": features}


st.title("Compare")
st.caption("Deep against wide at one parameter budget, and new input features added by hand.")
regression_note()
url_notices, url_epochs = restore_widgets(COMPARE, st.session_state.get(LAST))
link_notices(url_notices)
race_values = race_sidebar()
race = deep_vs_wide(race_values, url_epochs)
st.divider()
settings = CompareSettings(**race_values, **lifting_section(race_values["seed"]))
st.session_state[LAST] = settings
write_url(COMPARE, settings)
share_panel(COMPARE, settings, race.epoch, key="cmp_share_epochs")

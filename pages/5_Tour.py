"""Tour: from one neuron to a deep net, one short chapter a screen, told as moves of space."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from core.experiment import Experiment, Race
from core.figures.activations import gradient_figure, softmax_figure
from core.figures.race import race_figure
from core.figures.tour import hidden_figure, moves_figure, neuron_figure, thawed
from core.labs.activation_lab import derivative_max
from core.labs.gradient_lab import gradient_norm_grid
from core.labs.tour import (
    hidden_space,
    layer_moves,
    neuron,
    read_chapter,
    scores,
    share,
    slice_walk,
)
from core.render.png import png_data_uri
from core.render.raster import boundary_image, probability_grid
from core.settings import TOUR, TOUR_CHAPTERS, TourSettings
from pages._ui import (
    ASSETS_DIR,
    CHART,
    PAGE_ICON,
    discover_pages,
    image_row,
    tune_server_process,
)
from pages._ui.navigation import style_and_navigation
from pages._ui.settings_panel import draw, draw_group, restore_widgets, widget_key, write_url
from pages._ui.visitor_link import link_notices

tune_server_process()  # first: once per server process, cheap gc and few malloc arenas
st.set_page_config(page_title="Tour · Spacewarp", page_icon=PAGE_ICON, layout="wide")
style_and_navigation()

LAST, CHAPTER, AREA = "tour_last", "chapter", "tour_area_on"  # state keys (CHAPTER: TOUR's)
PAGES = {page.label: page.link_target for page in discover_pages()}  # label → file
NEURON_EXTENT = (-5.0, 5.0, -5.0, 5.0)  # holds the worked example's point (2, 3)
PICTURE = 320  # pixels of a decision-boundary picture
MAX_ENTRIES = 32


def _percent(value: float) -> str:
    return f"{value:.0%}"


@st.cache_data(max_entries=len(TOUR_CHAPTERS), show_spinner=False)
def chapter_text(slug: str):
    return read_chapter(ASSETS_DIR / "tour" / f"{slug}.md")


@st.cache_data(max_entries=MAX_ENTRIES, show_spinner=False)
def neuron_picture(w2: float) -> dict:
    worked = neuron(w2)
    xs, ys, probs = probability_grid(worked.model, NEURON_EXTENT, resolution=81)
    W, b = worked.model.weights[0][:, 0], float(worked.model.biases[0][0])
    figure = neuron_figure(xs, ys, probs[..., 1], worked.x, W, b)
    return {"figure": figure.to_dict(), "numbers": worked.numbers}


def _trained(settings, epochs: int | None) -> Experiment:
    experiment = Experiment.build(settings)
    experiment.trainer.run(epochs or 0)  # the full page trains the same epochs from its link
    return experiment


def _boundary(experiment: Experiment) -> str:
    e = experiment
    picture = boundary_image(
        e.view_model, e.extent, e.X_train, e.y_train, e.X_test, e.y_test, size=PICTURE
    )
    return png_data_uri(picture)


def _train_accuracy(experiment: Experiment) -> float:
    trainer = experiment.trainer
    return trainer.evaluate(trainer.X_train, trainer.y_train)[1]


@st.cache_data(max_entries=MAX_ENTRIES, show_spinner=False)
def boundary_picture(settings, epochs: int | None) -> dict:
    experiment = _trained(settings, epochs)
    return {"image": _boundary(experiment), "accuracy": _train_accuracy(experiment)}


@st.cache_data(max_entries=MAX_ENTRIES, show_spinner=False)
def moves_picture(settings, epochs: int, shade: bool) -> dict:
    e = _trained(settings, epochs)
    model = e.model
    panels = layer_moves(e.X, model.weights[0], model.biases[0], model.activation, e.extent)
    return {"figure": moves_figure(panels, e.y, shade=shade).to_dict()}


@st.cache_data(max_entries=MAX_ENTRIES, show_spinner=False)
def circles_picture(settings, epochs: int) -> dict:
    e = _trained(settings, epochs)
    space = hidden_space(e.model, e.X, e.extent)
    figure = hidden_figure(space, e.y, height=400)
    return {"image": _boundary(e), "figure": figure.to_dict(), "accuracy": _train_accuracy(e)}


@st.cache_data(max_entries=MAX_ENTRIES, show_spinner=False)
def depth_picture(settings, epochs: int) -> dict:
    race = Race.build(settings)
    race.run(epochs)
    pictures, numbers = [], {"epochs": f"{epochs:,}", "budget": f"{settings.budget}"}
    for name, trainer in race.trainers.items():
        model = trainer.model
        image = boundary_image(
            model, race.extent, race.X_train, race.y_train, race.X_test, race.y_test, size=260
        )
        accuracy = trainer.evaluate(trainer.X_test, trainer.y_test)[1]
        shape = "-".join(map(str, model.layer_sizes[1:-1]))
        pictures.append((png_data_uri(image), f"{name}: hidden {shape} · test {accuracy:.0%}"))
        numbers[f"{name}_accuracy"] = _percent(accuracy)
    deep, wide = (race.trainers[k].model.layer_sizes for k in ("deep", "wide"))
    numbers |= {"deep_layers": f"{len(deep) - 2}", "deep_units": f"{deep[1]}"}
    return {"images": pictures, "numbers": numbers | {"wide_units": f"{wide[1]}"}}


@st.cache_data(max_entries=MAX_ENTRIES, show_spinner=False)
def descent_picture(settings, epochs: int, rate: float) -> dict:
    trainer = _trained(settings, epochs).trainer
    walk = slice_walk(trainer.model, trainer.X_train, trainer.targets, trainer.loss, rate)
    titles = ("w₁", "w₂")
    path = [walk.path]
    figure = race_figure(*walk.axes, walk.values, path, log_scale=True, titles=titles, height=480)
    return {"figure": figure.to_dict(), "verdict": walk.path.message}


@st.cache_data(max_entries=MAX_ENTRIES, show_spinner=False)
def vanishing_picture(depth: int, init: str) -> dict:
    grid = gradient_norm_grid(depth, 8, ("sigmoid", "tanh", "relu"), (init,), seed=0)
    ratios = {f"{name}_ratio": grid.first_to_last[i, 0] for i, name in enumerate(grid.activations)}
    return {"figure": gradient_figure(grid, height=400).to_dict(), "ratios": ratios}


# -- each chapter: its control(s) in ``where``, its picture here, its numbers for the story --
def area_toggle(where) -> str:
    """The shading switch (a toggle, while the setting and the URL say "on" or "off")."""
    key = widget_key(TOUR, TOUR["area"])
    st.session_state[AREA] = st.session_state.get(key) == "on"
    where.toggle(TOUR["area"].label, key=AREA, on_change=_area_switched)
    return st.session_state[key]


def _area_switched() -> None:
    st.session_state[widget_key(TOUR, TOUR["area"])] = "on" if st.session_state[AREA] else "off"


def controls(slug: str, where) -> dict:
    if slug == "moves":
        return {
            "moves_activation": draw(TOUR, "moves_activation", where),
            "area": area_toggle(where),
        }
    if slug == "softmax":
        columns = where.columns(3)
        return {name: draw(TOUR, name, columns[i]) for i, name in enumerate(("z1", "z2", "z3"))}
    return draw_group(TOUR, slug, where)


def show_neuron(settings: TourSettings, run) -> dict:
    picture = neuron_picture(settings.w2)
    st.plotly_chart(thawed(picture["figure"]), key="tour_neuron", config=CHART)
    return picture["numbers"]


def show_boundary(settings: TourSettings, run) -> dict:
    picture = boundary_picture(run.settings, run.epochs)
    caption = "filled: training points, ringed: test points; shade: the predicted class"
    image_row([(picture["image"], caption)], width=PICTURE)
    hidden = run.settings.hidden
    units = f"one hidden layer of {hidden[0]} units" if hidden else "no hidden layer"
    numbers = {"accuracy": _percent(picture["accuracy"]), "epochs": f"{run.epochs or 0:,}"}
    return numbers | {"units_text": units}


def show_moves(settings: TourSettings, run) -> dict:
    picture = moves_picture(run.settings, run.epochs, settings.area == "on")
    st.plotly_chart(thawed(picture["figure"]), key="tour_moves", config=CHART)
    return {"epochs": f"{run.epochs:,}"}


def show_circles(settings: TourSettings, run) -> dict:
    picture = circles_picture(run.settings, run.epochs)
    left, right = st.columns([1, 1.6])
    with left:
        image_row([(picture["image"], "the input plane and the net's cut")], width=240)
    with right:
        space = f"The hidden layer's {settings.circle_units}-D space"
        st.caption(f"{space} (orange: the ring, blue: the disc) and the output's cut (purple)")
        st.plotly_chart(thawed(picture["figure"]), key="tour_circles", config=CHART)
    return {"accuracy": _percent(picture["accuracy"]), "units": f"{settings.circle_units}"}


def show_depth(settings: TourSettings, run) -> dict:
    picture = depth_picture(run.settings, run.epochs)
    image_row(picture["images"], width=260)
    return picture["numbers"]


@st.cache_data(max_entries=MAX_ENTRIES, show_spinner=False)
def softmax_picture(logits: tuple[float, float, float]) -> dict:
    result = scores(logits)
    return {
        "figure": softmax_figure(result.logits, result.probabilities).to_dict(),
        "numbers": result.numbers,
    }


def show_softmax(settings: TourSettings, run) -> dict:
    picture = softmax_picture((settings.z1, settings.z2, settings.z3))
    st.plotly_chart(thawed(picture["figure"]), key="tour_softmax", config=CHART)
    return picture["numbers"]


def show_descent(settings: TourSettings, run) -> dict:
    picture = descent_picture(run.settings, run.epochs, settings.descent_rate)
    st.plotly_chart(thawed(picture["figure"]), key="tour_descent", config=CHART)
    numbers = {"units": f"{run.settings.hidden[0]}", "rate": f"{settings.descent_rate:g}"}
    return numbers | {"verdict": picture["verdict"]}


def show_vanishing(settings: TourSettings, run) -> dict:
    picture = vanishing_picture(settings.vanish_depth, run.settings.init)
    st.plotly_chart(thawed(picture["figure"]), key="tour_vanishing", config=CHART)
    numbers = {name: share(value) for name, value in picture["ratios"].items()}
    slope = derivative_max("sigmoid")
    return numbers | {"depth": f"{settings.vanish_depth}", "slope": f"{slope:.2f}"}


PICTURES = {
    "neuron": show_neuron,
    "line": show_boundary,
    "xor": show_boundary,
    "moves": show_moves,
    "circles": show_circles,
    "depth": show_depth,
    "softmax": show_softmax,
    "descent": show_descent,
    "vanishing": show_vanishing,
}


def full_page_link(run) -> None:
    help_text = "The full page, with this chapter's settings (and its training, if any)."
    st.page_link(
        PAGES[run.page],
        label=f"Open it on the {run.page} page",
        icon=":material/open_in_new:",
        help=help_text,
        query_params=run.query,
    )


def chapter_view(settings: TourSettings) -> TourSettings:
    """One chapter: story, what to try (its control), the link, and the picture."""
    text = chapter_text(settings.slug)
    left, right = st.columns([1.6, 3], gap="large")
    with left:
        st.subheader(text.title)
        story = st.container()
        st.markdown(f"**Try:** {text.try_it}")
        settings = replace(settings, **controls(settings.slug, left))
        if settings.slug == "moves" and settings.area == "on":
            st.caption(text.note)
    run = settings.linked_run()
    with right:
        numbers = PICTURES[settings.slug](settings, run)
    story.markdown(text.filled(numbers))
    with left:
        full_page_link(run)
    return settings


def _turn(step: int) -> None:
    chapter = st.session_state.get(CHAPTER, 1) + step
    st.session_state[CHAPTER] = min(max(chapter, 1), len(TOUR_CHAPTERS))


def navigation(chapter: int) -> None:
    back, forward, where = st.columns([1, 1, 5], vertical_alignment="center")
    last, both = len(TOUR_CHAPTERS), {"on_click": _turn, "width": "stretch"}
    back.button(
        "Back",
        key="tour_back",
        icon=":material/arrow_back:",
        args=(-1,),
        disabled=chapter == 1,
        **both,
    )
    forward.button(
        "Next",
        key="tour_next",
        icon=":material/arrow_forward:",
        args=(1,),
        disabled=chapter == last,
        type="primary",
        **both,
    )
    where.progress(chapter / last, text=f"Chapter {chapter} of {last}")


st.title("Tour")
st.caption("From one neuron to a deep net in nine short steps, each a move of space.")
notices, _ = restore_widgets(TOUR, st.session_state.get(LAST))
link_notices(notices)  # one box, each notice as plain text (it quotes part of the link)
current = TourSettings(**{f.name: st.session_state[widget_key(TOUR, f)] for f in TOUR.fields})
current = chapter_view(current)
navigation(current.chapter)
st.session_state[LAST] = current
write_url(TOUR, current)

"""Every setting of every page kind, declared once: one table a page kind, read by one codec.

``TRANSFORM_FIELDS`` (the Transform page, and the Activations and Loss-surface pages that show
its run) and ``COMPARE_FIELDS`` list each setting as a ``core.exchange.query.Field``: attribute,
URL key, default, what it may be, whether a change needs a new model, and its widget's label
and help. ``Settings`` and ``CompareSettings`` are the frozen dataclasses the pages pass
around; their defaults come from the tables. ``TRANSFORM`` and ``COMPARE`` tie each table to
its dataclass for the codec: ``to_query(settings, TRANSFORM)`` and
``from_query(params, TRANSFORM)`` (clamps, snaps, drops with notices, never raises). Every range
here is what the page's widget offers, so a link can only ask for what a user could have
clicked; adding a setting is one line here and its widget.

``TOUR_FIELDS`` is the Tour's table: the chapter (``?chapter=3``) and each chapter's one
control. ``TourSettings.linked_run`` names the run a chapter's picture is made from, as the
full page it links to reads it (``to_query`` of that page's table, with the epochs trained), so
the link opens that page on exactly the network the chapter showed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from core.data.datasets import DATASETS
from core.data.features import DEFAULT_FEATURES, FEATURES
from core.exchange.drawn_points import LINK_POINTS, encoded_chars
from core.exchange.query import Field, Table, from_query, to_query
from core.labs.deep_vs_wide import budget_choices
from core.nn.activations import ACTIVATIONS
from core.nn.initializers import INITIALIZERS
from core.nn.optimizers import OPTIMIZERS

__all__ = [
    "COMPARE",
    "COMPARE_FIELDS",
    "CLASSIFICATION",
    "COMPARE_N_SAMPLES",
    "COMPARE_TRAIN_SHARE",
    "DRAWN",
    "LIFT_FEATURES",
    "TOUR",
    "TOUR_CHAPTERS",
    "TOUR_FIELDS",
    "TRAINABLE",
    "TRANSFORM",
    "TRANSFORM_FIELDS",
    "TRANSFORM_MAX_LAYERS",
    "TRANSFORM_MAX_WIDTH",
    "CompareSettings",
    "Field",
    "LinkedRun",
    "Settings",
    "Table",
    "TourSettings",
    "from_query",
    "to_query",
]

# What the pages offer; the engine's own caps are core.nn.network.MAX_HIDDEN_LAYERS/MAX_WIDTH.
LEARNING_RATES = (0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
BATCH_SIZES = (1, 2, 5, 10, 25, 50, 100)  # and "full" (None): every training point at once
L2_RATES = (0.0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1)
L1_RATES = L2_RATES  # Playground offers one list of regularisation rates for both kinds
TRANSFORM_MAX_LAYERS, TRANSFORM_MAX_WIDTH = 8, 16  # what the Transform sidebar can show
TRANSFORM_MAX_EPOCHS = 20_000
COMPARE_N_SAMPLES, COMPARE_TRAIN_SHARE = 400, 0.5  # fixed on the Compare page
COMPARE_MAX_EPOCHS = 5_000
TRAINABLE = tuple(name for name, a in ACTIVATIONS.items() if a.trainable)
LIFT_FEATURES = tuple(name for name in FEATURES if name not in DEFAULT_FEATURES)
# The Compare page counts linear regions and separability between classes: classes only.
CLASSIFICATION = tuple(name for name, d in DATASETS.items() if not d.regression)
DRAWN = "drawn"  # the dataset name of points drawn by hand (they travel in the link as pts=)


def _named(registry: Mapping, names: tuple[str, ...] | None = None) -> dict[str, object]:
    """A field's choices (all of a registry's names, or ``names``) and their widget labels."""
    labels = {name: getattr(item, "label", name) for name, item in registry.items()}
    return {"choices": tuple(names or registry), "labels": labels}


_TRANSFORM_DATASETS = _named(DATASETS, (*DATASETS, DRAWN))
_TRANSFORM_DATASETS["labels"][DRAWN] = "Draw your own"

OFFERED_NOISE = {"low": 0.0, "high": 0.3, "step": 0.01}
OFFERED_SEEDS = {"low": 0, "high": 9999, "widget": "number"}  # a slider would be too coarse
LIVE = {"resets_model": False}
DATA, NETWORK, TRAINING, VIEW = "Data", "Network", "Training", "View"
RACE, LIFT = "Deep vs wide", "Lifting by hand"
# fmt: off
TRANSFORM_FIELDS = (
    Field("dataset", "data", "spiral", "Dataset", "one", **_TRANSFORM_DATASETS, group=DATA),
    Field("noise", "noise", 0.0, "Noise", "range", **OFFERED_NOISE, group=DATA),
    Field("n_samples", "n", 500, "Points", "range", low=100, high=1000, step=50, group=DATA),
    Field("train_share", "split", 0.5, "Training share", "range", low=0.1, high=0.9, step=0.05,
          group=DATA),
    Field("seed", "seed", 0, "Seed", "range", **OFFERED_SEEDS, group=DATA),
    Field("drawn", "pts", "", "Drawn points", "points", group=DATA,
          max_chars=encoded_chars(LINK_POINTS)),
    Field("data_seed", "dseed", 0, "Data sample", "range", **OFFERED_SEEDS, group=DATA, **LIVE,
          help="Another sample of the same dataset; the network and its training are kept."),
    Field("hidden", "layers", (8, 8, 8), "Hidden layers", "widths", low=1,
          high=TRANSFORM_MAX_WIDTH, max_count=TRANSFORM_MAX_LAYERS, group=NETWORK),
    Field("features", "feat", DEFAULT_FEATURES, "Input features", "some", **_named(FEATURES),
          min_count=1, group=NETWORK,
          help="What the first layer reads. Add x₁² + x₂² and the circles need no hidden layer."),
    Field("activation", "act", "tanh", "Activation", "one", **_named(ACTIVATIONS), group=NETWORK),
    Field("init", "init", "xavier_uniform", "Initialiser", "one", **_named(INITIALIZERS),
          group=NETWORK),
    Field("optimizer", "opt", "adam", "Optimizer", "one", **_named(OPTIMIZERS), group=TRAINING),
    Field("learning_rate", "lr", 0.03, "Learning rate", "levels", LEARNING_RATES, group=TRAINING,
          **LIVE),
    Field("batch_size", "batch", None, "Batch size", "levels", BATCH_SIZES, none_as="full",
          group=TRAINING, **LIVE),
    Field("l2", "l2", 0.0, "L2 regularisation", "levels", L2_RATES, group=TRAINING, **LIVE,
          help="Adds rate/2 · Σ W²: shrinks every weight in proportion to its size."),
    Field("l1", "l1", 0.0, "L1 regularisation", "levels", L1_RATES, group=TRAINING, **LIVE,
          help="Adds rate · Σ |W|: pushes small weights to exactly zero (a sparser network)."),
    Field("discretize", "disc", False, "Discretize output", "flag", group=VIEW, **LIVE,
          help="Colour the input plane by the predicted class only, without the shading of "
          "how sure the network is."),
    Field("show_test", "test", True, "Show test data", "flag", group=VIEW, **LIVE),
)
COMPARE_FIELDS = (
    Field("dataset", "cmp_data", "spiral", "Dataset", "one", **_named(DATASETS, CLASSIFICATION),
          group=RACE, help="Classification datasets: both nets are judged by their accuracy."),
    Field("noise", "cmp_noise", 0.0, "Noise", "range", **OFFERED_NOISE, group=RACE),
    Field("budget", "cmp_budget", 200, "Parameter budget", "levels", budget_choices(),
          group=RACE, help="Weights and biases"),
    Field("depth", "cmp_depth", 4, "Hidden layers of the deep net", "range", low=2, high=6,
          group=RACE),
    Field("activation", "cmp_act", "relu", "Activation", "one",
          **_named(ACTIVATIONS, TRAINABLE), group=RACE),
    Field("optimizer", "cmp_opt", "adam", "Optimizer", "one", **_named(OPTIMIZERS), group=RACE),
    Field("learning_rate", "cmp_lr", 0.01, "Learning rate", "levels", LEARNING_RATES,
          group=RACE, **LIVE),
    Field("seed", "cmp_seed", 0, "Seed", "range", **OFFERED_SEEDS, group=RACE),
    Field("lift_dataset", "cmp_ldata", "circles", "Dataset", "one",
          **_named(DATASETS, CLASSIFICATION),
          group=LIFT, **LIVE),
    Field("lift_noise", "cmp_lnoise", 0.0, "Noise", "range", **OFFERED_NOISE, group=LIFT, **LIVE),
    Field("features", "cmp_feat", ("r2",), "Extra input features", "some",
          **_named(FEATURES, LIFT_FEATURES), group=LIFT, **LIVE),
)
# fmt: on
_TRANSFORM_DEFAULTS = {f.name: f.default for f in TRANSFORM_FIELDS}
_COMPARE_DEFAULTS = {f.name: f.default for f in COMPARE_FIELDS}


@dataclass(frozen=True)
class Settings:
    """Everything that determines a Transform run; the same seed and settings give the same
    run. Defaults and ranges: ``TRANSFORM_FIELDS``."""

    dataset: str = _TRANSFORM_DEFAULTS["dataset"]
    noise: float = _TRANSFORM_DEFAULTS["noise"]
    n_samples: int = _TRANSFORM_DEFAULTS["n_samples"]
    train_share: float = _TRANSFORM_DEFAULTS["train_share"]
    seed: int = _TRANSFORM_DEFAULTS["seed"]
    hidden: tuple[int, ...] = _TRANSFORM_DEFAULTS["hidden"]
    activation: str = _TRANSFORM_DEFAULTS["activation"]
    optimizer: str = _TRANSFORM_DEFAULTS["optimizer"]
    learning_rate: float = _TRANSFORM_DEFAULTS["learning_rate"]
    batch_size: int | None = _TRANSFORM_DEFAULTS["batch_size"]  # None: full batch
    l2: float = _TRANSFORM_DEFAULTS["l2"]
    l1: float = _TRANSFORM_DEFAULTS["l1"]
    drawn: str = _TRANSFORM_DEFAULTS["drawn"]  # core.exchange.drawn_points' encoding, or ""
    data_seed: int = _TRANSFORM_DEFAULTS["data_seed"]  # 0: the sample the seed has always drawn
    discretize: bool = _TRANSFORM_DEFAULTS["discretize"]  # shown only; the model is the same
    show_test: bool = _TRANSFORM_DEFAULTS["show_test"]
    init: str = _TRANSFORM_DEFAULTS["init"]
    features: tuple[str, ...] = _TRANSFORM_DEFAULTS["features"]  # what the first layer reads

    def needs_reset(self, other: Settings) -> bool:
        """Whether moving from ``other`` to these settings needs a new model."""
        return TRANSFORM.needs_reset(self, other)

    def with_changes(self, **changes) -> Settings:
        return replace(self, **changes)


@dataclass(frozen=True)
class CompareSettings:
    """Every setting of the Compare page; the same settings and seed give the same race.
    Defaults and ranges: ``COMPARE_FIELDS``."""

    dataset: str = _COMPARE_DEFAULTS["dataset"]
    noise: float = _COMPARE_DEFAULTS["noise"]
    budget: int = _COMPARE_DEFAULTS["budget"]
    depth: int = _COMPARE_DEFAULTS["depth"]
    activation: str = _COMPARE_DEFAULTS["activation"]
    optimizer: str = _COMPARE_DEFAULTS["optimizer"]
    learning_rate: float = _COMPARE_DEFAULTS["learning_rate"]
    seed: int = _COMPARE_DEFAULTS["seed"]
    lift_dataset: str = _COMPARE_DEFAULTS["lift_dataset"]
    lift_noise: float = _COMPARE_DEFAULTS["lift_noise"]
    features: tuple[str, ...] = _COMPARE_DEFAULTS["features"]  # beside x1, x2 when lifting

    def needs_reset(self, other: CompareSettings) -> bool:
        """Whether moving from ``other`` to these settings needs two new nets."""
        return COMPARE.needs_reset(self, other)


TRANSFORM = Table("transform", Settings, TRANSFORM_FIELDS, "epochs", TRANSFORM_MAX_EPOCHS)
COMPARE = Table(
    "compare", CompareSettings, COMPARE_FIELDS, "cmp_epochs", COMPARE_MAX_EPOCHS, keyed_by_url=True
)


# -- the Tour ---------------------------------------------------------------------------------
# Chapters in the order the story is told; a chapter's number is its place here, from 1.
TOUR_CHAPTERS = (
    "neuron",
    "line",
    "xor",
    "moves",
    "circles",
    "depth",
    "softmax",
    "descent",
    "vanishing",
)
TOUR_LINE_EPOCHS = (0, 3, 10, 30, 100, 300)
TOUR_DESCENT_RATES = (0.3, 1.0, 3.0, 10.0, 30.0, 100.0)
TOUR_MOVES_ACTIVATIONS = ("tanh", "relu", "sigmoid")
# What each chapter trains (the full page rebuilds the same weights from seed and epochs).
TOUR_EPOCHS = {"xor": 300, "moves": 300, "circles": 100, "depth": 300, "descent": 300}
TOUR_MOVES_DATA = "moons"
TOUR_XOR_DESCENT = 4  # the descent chapter walks the XOR net with 4 hidden units
LOGIT = {"kind": "range", "low": -6.0, "high": 6.0, "step": 0.1, "group": "softmax"}
# fmt: off
TOUR_FIELDS = (
    Field("chapter", "chapter", 1, "Chapter", "range", low=1, high=len(TOUR_CHAPTERS)),
    Field("w2", "w2", 1.0, "Weight w₂", "range", low=-3.0, high=3.0, step=0.5, group="neuron"),
    Field("line_epochs", "line_epochs", 0, "Epochs of training", "levels", TOUR_LINE_EPOCHS,
          group="line"),
    Field("xor_units", "xor_units", 0, "Hidden units (0: no hidden layer)", "range", low=0,
          high=4, group="xor"),
    Field("moves_activation", "moves_act", "tanh", "Activation σ", "one",
          **_named(ACTIVATIONS, TOUR_MOVES_ACTIVATIONS), group="moves"),
    Field("area", "area", "off", "Shade area change and folds", "one", ("off", "on"),
          group="moves"),
    Field("circle_units", "circle_units", 2, "Units in the hidden layer", "range", low=2, high=3,
          group="circles"),
    Field("deep_layers", "deep_layers", 3, "Hidden layers of the deep net", "range", low=2,
          high=5, group="depth"),
    Field("z1", "z1", 3.0, "Score z₁", **LOGIT),
    Field("z2", "z2", 1.0, "Score z₂", **LOGIT),
    Field("z3", "z3", -3.0, "Score z₃", **LOGIT),
    Field("descent_rate", "descent_lr", 0.3, "Learning rate η", "levels", TOUR_DESCENT_RATES,
          group="descent"),
    Field("vanish_depth", "vanish_depth", 6, "Hidden layers", "range", low=2,
          high=TRANSFORM_MAX_LAYERS, group="vanishing"),
)
# fmt: on
_TOUR_DEFAULTS = {f.name: f.default for f in TOUR_FIELDS}


@dataclass(frozen=True)
class LinkedRun:
    """The run a Tour chapter shows, as the full page that opens it reads it from a link."""

    page: str  # the page's label: "Transform", "Activations", "Loss surface" or "Compare"
    table: Table
    settings: object  # an instance of table.settings
    epochs: int | None = None

    @property
    def query(self) -> dict[str, str]:
        """The link's query parameters (``to_query`` of the page's own table)."""
        return to_query(self.settings, self.table, self.epochs)


@dataclass(frozen=True)
class TourSettings:
    """Where the Tour is and what each chapter's control is set to. Defaults and ranges:
    ``TOUR_FIELDS``; every chapter keeps its own value while the reader moves on."""

    chapter: int = _TOUR_DEFAULTS["chapter"]
    w2: float = _TOUR_DEFAULTS["w2"]
    line_epochs: int = _TOUR_DEFAULTS["line_epochs"]
    xor_units: int = _TOUR_DEFAULTS["xor_units"]
    moves_activation: str = _TOUR_DEFAULTS["moves_activation"]
    area: str = _TOUR_DEFAULTS["area"]
    circle_units: int = _TOUR_DEFAULTS["circle_units"]
    deep_layers: int = _TOUR_DEFAULTS["deep_layers"]
    z1: float = _TOUR_DEFAULTS["z1"]
    z2: float = _TOUR_DEFAULTS["z2"]
    z3: float = _TOUR_DEFAULTS["z3"]
    descent_rate: float = _TOUR_DEFAULTS["descent_rate"]
    vanish_depth: int = _TOUR_DEFAULTS["vanish_depth"]

    @property
    def slug(self) -> str:
        """The chapter's name in ``TOUR_CHAPTERS``."""
        return TOUR_CHAPTERS[self.chapter - 1]

    def linked_run(self) -> LinkedRun:
        """The run this chapter's picture is made from, for the page the chapter links to."""
        slug = self.slug
        if slug == "depth":
            race = replace(CompareSettings(), depth=self.deep_layers)
            return LinkedRun("Compare", COMPARE, race, TOUR_EPOCHS[slug])
        xor = (self.xor_units,) if self.xor_units else ()
        moves = {"hidden": (2,), "activation": self.moves_activation}
        runs = {  # chapter → (page, the Transform settings that differ from the defaults)
            "neuron": ("Transform", {"dataset": "linear", "hidden": ()}),
            "line": ("Transform", {"dataset": "linear", "hidden": ()}),
            "xor": ("Transform", {"dataset": "xor", "hidden": xor}),
            "moves": ("Transform", {"dataset": TOUR_MOVES_DATA, **moves}),
            "circles": ("Transform", {"dataset": "circles", "hidden": (self.circle_units,)}),
            "softmax": ("Transform", {"dataset": "blobs3"}),
            "descent": ("Loss surface", {"dataset": "xor", "hidden": (TOUR_XOR_DESCENT,)}),
            "vanishing": (
                "Activations",
                {"activation": "sigmoid", "hidden": (8,) * self.vanish_depth},
            ),
        }
        page, changes = runs[slug]
        epochs = self.line_epochs if slug == "line" else TOUR_EPOCHS.get(slug)
        return LinkedRun(page, TRANSFORM, Settings(**changes), epochs)


# A chapter trains its own fixed epochs (TOUR_EPOCHS): "tour_epochs" reads nothing but 0.
TOUR = Table("tour", TourSettings, TOUR_FIELDS, "tour_epochs", 0, keyed_by_url=True)

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
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from core.data.datasets import DATASETS
from core.data.features import DEFAULT_FEATURES, FEATURES
from core.exchange.query import Field, Table, from_query, to_query
from core.labs.deep_vs_wide import budget_choices
from core.nn.activations import ACTIVATIONS
from core.nn.initializers import INITIALIZERS
from core.nn.optimizers import OPTIMIZERS

__all__ = [
    "COMPARE",
    "COMPARE_FIELDS",
    "COMPARE_N_SAMPLES",
    "COMPARE_TRAIN_SHARE",
    "LIFT_FEATURES",
    "TRAINABLE",
    "TRANSFORM",
    "TRANSFORM_FIELDS",
    "TRANSFORM_MAX_LAYERS",
    "TRANSFORM_MAX_WIDTH",
    "CompareSettings",
    "Field",
    "Settings",
    "Table",
    "from_query",
    "to_query",
]

# What the pages offer; the engine's own caps are core.nn.network.MAX_HIDDEN_LAYERS/MAX_WIDTH.
LEARNING_RATES = (0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
BATCH_SIZES = (1, 2, 5, 10, 25, 50, 100)  # and "full" (None): every training point at once
L2_RATES = (0.0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1)
TRANSFORM_MAX_LAYERS, TRANSFORM_MAX_WIDTH = 8, 16  # what the Transform sidebar can show
TRANSFORM_MAX_EPOCHS = 20_000
COMPARE_N_SAMPLES, COMPARE_TRAIN_SHARE = 400, 0.5  # fixed on the Compare page
COMPARE_MAX_EPOCHS = 5_000
TRAINABLE = tuple(name for name, a in ACTIVATIONS.items() if a.trainable)
LIFT_FEATURES = tuple(name for name in FEATURES if name not in DEFAULT_FEATURES)


def _named(registry: Mapping, names: tuple[str, ...] | None = None) -> dict[str, object]:
    """A field's choices (all of a registry's names, or ``names``) and their widget labels."""
    labels = {name: getattr(item, "label", name) for name, item in registry.items()}
    return {"choices": tuple(names or registry), "labels": labels}


OFFERED_NOISE = {"low": 0.0, "high": 0.3, "step": 0.01}
OFFERED_SEEDS = {"low": 0, "high": 9999, "widget": "number"}  # a slider would be too coarse
LIVE = {"resets_model": False}
DATA, NETWORK, TRAINING = "Data", "Network", "Training"
RACE, LIFT = "Deep vs wide", "Lifting by hand"
# fmt: off
TRANSFORM_FIELDS = (
    Field("dataset", "data", "spiral", "Dataset", "one", **_named(DATASETS), group=DATA),
    Field("noise", "noise", 0.0, "Noise", "range", **OFFERED_NOISE, group=DATA),
    Field("n_samples", "n", 500, "Points", "range", low=100, high=1000, step=50, group=DATA),
    Field("train_share", "split", 0.5, "Training share", "range", low=0.1, high=0.9, step=0.05,
          group=DATA),
    Field("seed", "seed", 0, "Seed", "range", **OFFERED_SEEDS, group=DATA),
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
    Field("l2", "l2", 0.0, "L2 regularisation", "levels", L2_RATES, group=TRAINING, **LIVE),
)
COMPARE_FIELDS = (
    Field("dataset", "cmp_data", "spiral", "Dataset", "one", **_named(DATASETS), group=RACE),
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
    Field("lift_dataset", "cmp_ldata", "circles", "Dataset", "one", **_named(DATASETS),
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

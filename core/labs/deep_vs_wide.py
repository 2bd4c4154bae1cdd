"""Deep vs wide at one parameter budget: the two shapes, their settings and the side-by-side run.

``deep_and_wide`` proposes a deep, narrow net and a shallow, wide one of (nearly) the same size.
The rule: the deep net has ``depth`` hidden layers of one width h ≥ 2, the h whose parameter
count is nearest the budget; the wide net has one hidden layer, the width whose count is nearest
the *deep net's* (ties: nearer the budget). Its counts are ``n_inputs + n_outputs + 1`` apart, so
the two differ only in shape and by at most half that (unless the width cap ``MAX_WIDTH`` binds).
``CompareSettings`` declares the Compare page's settings once, with their defaults, and reads
and writes them as short ``cmp_`` URL parameters, clamping what it can and dropping what it
cannot (with a notice each time; it never raises). ``Race`` holds the seeded data split and the
two trainers, which share the optimizer, learning rate, batch and seed, and always train the
same number of epochs.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from core.data.datasets import DATASETS, data_extent, make_dataset, train_test_split
from core.data.features import FEATURES
from core.labs.linear_regions import KINKED
from core.nn.activations import ACTIVATIONS
from core.nn.network import MAX_HIDDEN_LAYERS, MAX_WIDTH, MLP
from core.nn.optimizers import OPTIMIZERS
from core.nn.training import Trainer
from core.settings import LEARNING_RATES

__all__ = [
    "BUDGETS",
    "CompareSettings",
    "Race",
    "budget_choices",
    "count_parameters",
    "deep_and_wide",
    "joint_history",
]

Array = np.ndarray
BUDGETS = (50, 75, 100, 150, 200, 250, 300, 400, 500, 750, 1000, 1500, 2000)
DEPTHS = (2, 6)  # hidden layers of the deep net
MIN_DEEP_WIDTH = 2
NOISE = (0.0, 0.3, 0.01)  # min, max, step
SEED = (0, 9999)
N_SAMPLES, TRAIN_SHARE = 400, 0.5
MAX_SHARED_EPOCHS = 5000
TRAINABLE = tuple(name for name, a in ACTIVATIONS.items() if a.trainable)
LIFT_FEATURES = tuple(name for name in FEATURES if name not in ("x1", "x2"))


def count_parameters(layer_sizes: tuple[int, ...] | list[int]) -> int:
    """Weights and biases of a dense net ``[n_in, *hidden, n_out]``: Σ (fan_in + 1)·fan_out."""
    return sum((fan_in + 1) * fan_out for fan_in, fan_out in pairwise(layer_sizes))


def max_budget(n_inputs: int = 2, n_outputs: int = 1) -> int:
    """The largest budget a one-hidden-layer net can match (its width is capped at MAX_WIDTH)."""
    return count_parameters([n_inputs, MAX_WIDTH, n_outputs])


def budget_choices(n_inputs: int = 2, n_outputs: int = 1) -> tuple[int, ...]:
    """The offered ``BUDGETS`` both shapes can meet (binary output is the tightest case)."""
    return tuple(b for b in BUDGETS if b <= max_budget(n_inputs, n_outputs))


def deep_and_wide(
    budget: int, n_inputs: int = 2, n_outputs: int = 1, depth: int = 4
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Hidden widths of a deep, narrow net and a shallow, wide net of about ``budget`` parameters.

    Parameters
    ----------
    budget : int
        Target number of weights and biases, 1..``max_budget``; below the smallest deep net
        (width 2) that net is the nearest.
    n_inputs, n_outputs : int
        Shared by both nets.
    depth : int
        Hidden layers of the deep net, 2..MAX_HIDDEN_LAYERS.

    Returns
    -------
    (deep_hidden, wide_hidden) : ``(h,) * depth`` and ``(w,)``, by the rule above.
    """
    if not 2 <= depth <= MAX_HIDDEN_LAYERS:
        raise ValueError(f"depth must be 2..{MAX_HIDDEN_LAYERS}, got {depth}")
    high = max_budget(n_inputs, n_outputs)
    if not 1 <= budget <= high:  # below the smallest deep net, that net is the nearest
        raise ValueError(
            f"budget must be 1..{high} for {n_inputs} inputs and {n_outputs} outputs, got {budget}"
        )

    def deep(h: int) -> int:
        return count_parameters([n_inputs, *[h] * depth, n_outputs])

    h = min(range(MIN_DEEP_WIDTH, MAX_WIDTH + 1), key=lambda h: (abs(deep(h) - budget), h))
    target = deep(h)

    def wide(w: int) -> int:
        return count_parameters([n_inputs, w, n_outputs])

    w = min(range(1, MAX_WIDTH + 1), key=lambda w: (abs(wide(w) - target), abs(wide(w) - budget)))
    return (h,) * depth, (w,)


# -- settings and their URL form -------------------------------------------------------------
@dataclass(frozen=True)
class CompareSettings:
    """Every setting of the Compare page; the same settings and seed give the same run."""

    dataset: str = "spiral"
    noise: float = 0.0
    budget: int = 200
    depth: int = 4
    activation: str = "relu"
    optimizer: str = "adam"
    learning_rate: float = 0.01
    seed: int = 0
    lift_dataset: str = "circles"
    lift_noise: float = 0.0
    features: tuple[str, ...] = ("r2",)  # extra inputs beside x1, x2 in "Lifting by hand"

    def race_key(self) -> tuple:
        """What the two trainers are built from: a change here restarts the race."""
        fields = ("dataset", "noise", "budget", "depth", "activation", "optimizer", "seed")
        return tuple(getattr(self, name) for name in fields)

    def to_query_params(self, epochs: int | None = None) -> dict[str, str]:
        """Short ``cmp_`` URL parameters for the settings that differ from the defaults."""
        defaults = CompareSettings()
        params = {
            key: _format(getattr(self, name))
            for key, name in QUERY_KEYS.items()
            if getattr(self, name) != getattr(defaults, name)
        }
        if epochs:
            params["cmp_epochs"] = str(int(epochs))
        return params

    @classmethod
    def from_query_params(
        cls, query: Mapping[str, object]
    ) -> tuple[CompareSettings, int | None, list[str]]:
        """Settings from URL parameters (str or list of str values); never raises.

        Returns (settings, epochs to train to or None, notices naming what was changed).
        """
        values, notices = {}, []
        for key, (name, parse) in _QUERY.items():
            text = _last(query.get(key))
            if text is None:
                continue
            try:
                value = parse(text)
            except (ValueError, OverflowError):
                default = _format(getattr(cls(), name)) or "none"
                notices.append(f"“{key}={text[:40]}” is not usable; using the default {default}.")
                continue
            if _changed(text, value):
                notices.append(f"“{key}={text[:40]}” was changed to {_format(value) or 'none'}.")
            values[name] = value
        epochs = _epochs(_last(query.get("cmp_epochs")), notices)
        return cls(**values), epochs, notices


def _last(values: object) -> str | None:
    if values is None:
        return None
    values = [values] if isinstance(values, str) else list(values)  # type: ignore[arg-type]
    return str(values[-1])[:200] if values else None


def _number(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def _nearest(value: float, choices) -> float:
    return min(choices, key=lambda c: (abs(math.log10(c) - math.log10(max(value, 1e-12))), c))


def _member(text: str, choices: Mapping | tuple) -> str:
    if text not in choices:
        raise ValueError(text)
    return text


def _features(text: str) -> tuple[str, ...]:
    if text.strip().lower() in ("", "none"):
        return ()
    # Unknown names are dropped (the caller's notice shows what was kept); x1, x2 are implied.
    names = [part.strip() for part in text.split(",")]
    return tuple(dict.fromkeys(n for n in names if n in LIFT_FEATURES))


def _noise(text: str) -> float:
    step = NOISE[2]
    return round(min(max(round(_number(text) / step) * step, NOISE[0]), NOISE[1]), 2)


# URL key → (settings field, parser). A parser clamps or snaps; ValueError means unusable.
_QUERY = {
    "cmp_data": ("dataset", lambda t: _member(t, DATASETS)),
    "cmp_noise": ("noise", _noise),
    "cmp_budget": ("budget", lambda t: int(_nearest(_number(t), budget_choices()))),
    "cmp_depth": ("depth", lambda t: int(min(max(round(_number(t)), DEPTHS[0]), DEPTHS[1]))),
    "cmp_act": ("activation", lambda t: _member(t, TRAINABLE)),
    "cmp_opt": ("optimizer", lambda t: _member(t, OPTIMIZERS)),
    "cmp_lr": ("learning_rate", lambda t: _nearest(_number(t), LEARNING_RATES)),
    "cmp_seed": ("seed", lambda t: int(min(max(round(_number(t)), SEED[0]), SEED[1]))),
    "cmp_ldata": ("lift_dataset", lambda t: _member(t, DATASETS)),
    "cmp_lnoise": ("lift_noise", _noise),
    "cmp_feat": ("features", _features),
}
QUERY_KEYS = {key: name for key, (name, _) in _QUERY.items()}


def _format(value: object) -> str:
    if isinstance(value, tuple):
        return ",".join(value)
    return f"{value:g}" if isinstance(value, float) else str(value)


def _changed(text: str, value: object) -> bool:
    try:
        return float(text) != float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return text.strip() != _format(value)


def _epochs(text: str | None, notices: list[str]) -> int | None:
    if text is None:
        return None
    try:
        epochs = int(_number(text))
    except (ValueError, OverflowError):
        notices.append(f"“cmp_epochs={text[:40]}” is not a number; training starts at 0.")
        return None
    if not 0 <= epochs <= MAX_SHARED_EPOCHS:
        notices.append(f"cmp_epochs is limited to 0..{MAX_SHARED_EPOCHS:,}.")
    return min(max(epochs, 0), MAX_SHARED_EPOCHS) or None


# -- the side-by-side run --------------------------------------------------------------------
@dataclass
class Race:
    """The seeded data split and two trainers, deep and wide, trained in lockstep."""

    settings: CompareSettings
    X_train: Array
    X_test: Array
    y_train: Array
    y_test: Array
    extent: tuple[float, float, float, float]
    trainers: dict[str, Trainer]  # "deep", "wide"

    @classmethod
    def build(cls, settings: CompareSettings) -> Race:
        """Data, both models (same init scheme and seed) and both trainers for ``settings``."""
        X, y = make_dataset(settings.dataset, N_SAMPLES, settings.noise, settings.seed)
        X_train, X_test, y_train, y_test = train_test_split(X, y, TRAIN_SHARE, settings.seed)
        n_classes = DATASETS[settings.dataset].n_classes
        n_outputs = 1 if n_classes == 2 else n_classes
        shapes = deep_and_wide(settings.budget, 2, n_outputs, settings.depth)
        init = "he_uniform" if settings.activation in KINKED else "xavier_uniform"
        shared = {
            "optimizer": settings.optimizer,
            "learning_rate": settings.learning_rate,
            "seed": settings.seed,  # full batch (the default), so the same for both
        }
        trainers = {}
        for name, hidden in zip(("deep", "wide"), shapes, strict=True):
            model = MLP([2, *hidden, n_outputs], settings.activation, init=init, seed=settings.seed)
            trainers[name] = Trainer(model, X_train, y_train, X_test, y_test, **shared)
        return cls(settings, X_train, X_test, y_train, y_test, data_extent(X), trainers)

    @property
    def epoch(self) -> int:
        """Epochs trained (the larger, if one net diverged and stopped early)."""
        return max(t.epoch for t in self.trainers.values())

    @property
    def running(self) -> bool:
        return any(t.diverged is None for t in self.trainers.values())

    def apply_live(self, settings: CompareSettings) -> None:
        """Take a new learning rate (or lifting settings) without restarting."""
        for trainer in self.trainers.values():
            trainer.learning_rate = settings.learning_rate
        self.settings = settings

    def run(self, n_epochs: int) -> None:
        """Train both nets ``n_epochs`` more epochs (a diverged one stays where it stopped)."""
        for trainer in self.trainers.values():
            trainer.run(n_epochs)

    def advance(self, seconds: float, chunk: int = 10) -> int:
        """Train both in chunks of ``chunk`` epochs for about ``seconds``; returns epochs run."""
        start, done = time.perf_counter(), 0
        while time.perf_counter() - start < seconds and self.running:
            self.run(chunk)
            done += chunk
        return done


def joint_history(trainers: Mapping[str, Trainer]) -> tuple[Array, dict[str, Array]]:
    """Both logs on one epoch axis: (epochs (m,), {name: rows (m, 4)}), NaN where one has none.

    The logs thin themselves independently only once one net stops early; otherwise their
    epochs are equal and nothing is NaN.
    """
    epochs = np.unique(np.concatenate([t.history.epochs for t in trainers.values()]))
    rows = {}
    for name, trainer in trainers.items():
        aligned = np.full((len(epochs), 4), np.nan)
        aligned[np.searchsorted(epochs, trainer.history.epochs)] = trainer.history.rows
        rows[name] = aligned
    return epochs, rows

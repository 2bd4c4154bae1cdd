"""Settings ↔ URL query parameters: short readable keys, and forgiving parsing.

``?data=spiral&layers=8,8,8&act=tanh&lr=0.03&seed=7`` names a run. ``settings_to_query``
writes only what differs from the defaults; ``settings_from_query`` reads any mapping of
strings (as a browser sends them), clamps numbers into range, snaps rates to the offered
choices and drops what it cannot use, returning a plain-language notice for each change. It
never raises. Every range here is the one the pages' widgets offer, so a link can only ask for
what a user could have clicked.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import fields

from core.data.datasets import DATASETS
from core.data.features import parse_features
from core.experiment import Settings
from core.nn.activations import ACTIVATIONS
from core.nn.initializers import INITIALIZERS
from core.nn.optimizers import OPTIMIZERS

__all__ = [
    "BATCH_SIZES",
    "L2_RATES",
    "LEARNING_RATES",
    "MAX_EPOCHS",
    "QUERY_KEYS",
    "settings_from_query",
    "settings_to_query",
]

LEARNING_RATES = (0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
BATCH_SIZES = (1, 2, 5, 10, 25, 50, 100, "full")
L2_RATES = (0.0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1)
NOISE = (0.0, 0.3, 0.01)  # min, max, step
N_SAMPLES = (100, 1000, 50)
TRAIN_SHARE = (0.1, 0.9, 0.05)
SEED = (0, 9999)
MAX_DEPTH, MAX_WIDTH = 8, 16
MAX_EPOCHS = 20_000
MAX_VALUE_CHARS = 100

# URL key → Settings field. "epochs" is extra: how far to train before showing.
QUERY_KEYS = {
    "data": "dataset",
    "noise": "noise",
    "n": "n_samples",
    "split": "train_share",
    "seed": "seed",
    "layers": "hidden",
    "act": "activation",
    "init": "init",
    "opt": "optimizer",
    "lr": "learning_rate",
    "batch": "batch_size",
    "l2": "l2",
    "feat": "features",
}
_CHOICES = {
    "dataset": DATASETS,
    "activation": ACTIVATIONS,
    "init": INITIALIZERS,
    "optimizer": OPTIMIZERS,
}


def _number(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def _clamp_step(value: float, low: float, high: float, step: float) -> float:
    snapped = low + round((min(max(value, low), high) - low) / step) * step
    return round(snapped, 10)


def _nearest(value: float, choices: Sequence[float]) -> float:
    # Rates span decades: nearest on a log scale (0 is its own choice).
    if value <= 0:
        return min(choices)
    positive = [c for c in choices if c > 0]
    return min(positive, key=lambda c: abs(math.log10(c) - math.log10(value)))


def _parse_layers(text: str) -> tuple[int, ...]:
    if text.strip().lower() in ("", "none", "0"):
        return ()
    widths = [int(float(part)) for part in text.split(",")]
    return tuple(min(max(w, 1), MAX_WIDTH) for w in widths[:MAX_DEPTH])


def _parse(field: str, text: str):
    """One value from text; raises ValueError/OverflowError when unusable."""
    if field in _CHOICES:
        if text not in _CHOICES[field]:
            raise ValueError(text)
        return text
    parsers = {
        "noise": lambda t: _clamp_step(_number(t), *NOISE),
        "n_samples": lambda t: int(_clamp_step(_number(t), *N_SAMPLES)),
        "train_share": lambda t: _clamp_step(_number(t), *TRAIN_SHARE),
        "seed": lambda t: int(min(max(_number(t), SEED[0]), SEED[1])),
        "hidden": _parse_layers,
        "learning_rate": lambda t: _nearest(_number(t), LEARNING_RATES),
        "batch_size": lambda t: (
            None
            if t == "full"
            else int(_nearest(_number(t), [b for b in BATCH_SIZES if b != "full"]))
        ),
        "l2": lambda t: _nearest(_number(t), L2_RATES),
    }
    return parsers[field](text)


def _format(field: str, value) -> str:
    if field == "hidden":
        return ",".join(map(str, value)) if value else "none"
    if field == "features":
        return ",".join(value)
    if field == "batch_size":
        return "full" if value is None else str(value)
    return f"{value:g}" if isinstance(value, float) else str(value)


def settings_to_query(settings: Settings, epochs: int | None = None) -> dict[str, str]:
    """The URL parameters that describe ``settings`` (defaults left out), plus ``epochs``."""
    defaults = Settings()
    params = {
        key: _format(field, getattr(settings, field))
        for key, field in QUERY_KEYS.items()
        if getattr(settings, field) != getattr(defaults, field)
    }
    if epochs:
        params["epochs"] = str(int(epochs))
    return params


def _single(key: str, values, notices: list[str]) -> str | None:
    values = [values] if isinstance(values, str) else list(values)
    if not values:
        return None
    if len(values) > 1:
        notices.append(f"“{key}” was given {len(values)} times; the last value was used.")
    value = str(values[-1])
    if len(value) > MAX_VALUE_CHARS:
        notices.append(f"“{key}” was {len(value):,} characters long and was ignored.")
        return None
    return value


def settings_from_query(
    params: Mapping[str, str | Sequence[str]], base: Settings | None = None
) -> tuple[Settings, int | None, list[str]]:
    """Settings from URL parameters on top of ``base`` (default: the defaults).

    Returns (settings, epochs or None, notices). Unknown keys are ignored silently (another
    page may own them); bad values are dropped or clamped with a notice naming them.
    """
    values = {f.name: getattr(base or Settings(), f.name) for f in fields(Settings)}
    notices: list[str] = []
    for key, field in QUERY_KEYS.items():
        if key not in params or (text := _single(key, params[key], notices)) is None:
            continue
        if field == "features":  # keep the usable names, say which were dropped
            values[field], dropped = parse_features(text)
            notices += [f"“feat”: {notice}." for notice in dropped]
            continue
        try:
            value = _parse(field, text.strip())
        except (ValueError, OverflowError):
            notices.append(f"“{key}={text[:30]}” is not a usable value and was ignored.")
            continue
        if _format(field, value) != text.strip() and field not in _CHOICES:
            notices.append(f"“{key}={text[:30]}” was adjusted to {_format(field, value)}.")
        values[field] = value
    epochs = None
    if "epochs" in params and (text := _single("epochs", params["epochs"], notices)):
        try:
            epochs = int(min(max(_number(text), 0), MAX_EPOCHS))
            if str(epochs) != text.strip():
                notices.append(f"“epochs={text[:30]}” was adjusted to {epochs}.")
        except (ValueError, OverflowError):
            notices.append(f"“epochs={text[:30]}” is not a usable value and was ignored.")
    return Settings(**values), epochs, notices

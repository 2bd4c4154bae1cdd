"""Experiments: settings → seeded data, models and trainers. The pages hold one in session state.

``Experiment.build`` validates a Transform ``Settings`` and makes the seeded data split, model
and trainer; ``Settings.needs_reset`` tells which changes rebuild and which (learning rate, L2,
batch size) ``apply_live`` hands to the running trainer. ``Race`` is the Compare page's
experiment: one data split and two trainers, deep and wide, that share everything but their
shape and always train the same number of epochs. The settings themselves are declared in
``core.settings``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from core.data.datasets import DATASETS, make_dataset
from core.data.features import LiftedModel, check_features, lift
from core.data.splits import data_extent, train_test_split
from core.exchange.drawn_points import drawn_dataset
from core.labs.deep_vs_wide import deep_and_wide
from core.labs.linear_regions import KINKED
from core.nn.budget import Budget, train_within
from core.nn.edits import Edit, apply_edits
from core.nn.network import MLP
from core.nn.training import Trainer
from core.settings import (
    COMPARE_N_SAMPLES,
    COMPARE_TRAIN_SHARE,
    DRAWN,
    CompareSettings,
    Settings,
)

# Settings is re-exported: it is what an Experiment is built from.
__all__ = ["UPLOADED", "Experiment", "Race", "Settings", "sample_seed"]

Array = np.ndarray
UPLOADED = "uploaded"  # the dataset name of a user's CSV upload (never in a shared link)


def sample_seed(seed: int, data_seed: int) -> int:
    """The seed a dataset is drawn with: ``seed`` itself for data sample 0 (as every link
    before "Regenerate" drew it), else one mixed from both, so no two pairs share a sample."""
    if data_seed == 0:
        return seed
    return int(np.random.SeedSequence([seed, data_seed]).generate_state(1)[0])


def _check_drawn(y: np.ndarray) -> None:
    """A drawn set must be trainable: 4 values, or 2 classes with 2 points each."""
    if y.dtype.kind == "f":
        if len(y) < 4:
            raise ValueError(f"draw at least 4 points to fit (so far {len(y)})")
        return
    counts = np.bincount(y, minlength=2) if len(y) else np.zeros(2, int)
    if np.count_nonzero(counts) < 2 or counts[counts > 0].min() < 2:
        raise ValueError(
            "draw at least 2 points of each of 2 classes (a class with one point "
            "cannot be both trained on and tested)"
        )


def _split(
    settings: Settings, data: tuple[np.ndarray, np.ndarray] | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The seeded train/test split of the named dataset (or of ``data``, an upload)."""
    if settings.dataset == UPLOADED:
        if data is None:
            raise ValueError("no uploaded dataset in this session; upload a CSV first")
        X, y = data
    elif settings.dataset == DRAWN:
        X, y = drawn_dataset(settings.drawn)
        _check_drawn(y)
    else:
        if settings.dataset not in DATASETS:
            raise ValueError(f"unknown dataset {settings.dataset!r}")
        seed = sample_seed(settings.seed, settings.data_seed)
        X, y = make_dataset(settings.dataset, settings.n_samples, settings.noise, seed)
    return train_test_split(X, y, settings.train_share, settings.seed)


@dataclass
class Experiment:
    """The seeded data split, the model and its trainer for one ``Settings``."""

    settings: Settings
    X_train: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray
    model: MLP
    trainer: Trainer | None  # None when the activation cannot be trained (step)
    extent: tuple[float, float, float, float]
    first_separable: dict[int, int] = field(default_factory=dict)
    edits: list[Edit] = field(default_factory=list)  # set by hand, in order (the share link's)

    @classmethod
    def build(
        cls,
        settings: Settings,
        data: tuple[np.ndarray, np.ndarray] | None = None,
        params: np.ndarray | None = None,
    ) -> Experiment:
        """Make data, model and trainer; ``ValueError`` names any bad setting.

        ``data`` (X (n, 2), y (n,) labels 0..K-1) replaces the named dataset when
        ``settings.dataset`` is ``UPLOADED`` (a user's CSV). ``params`` (n_params,) replaces
        the seeded initial weights (an imported model).
        """
        X_train, X_test, y_train, y_test = _split(settings, data)
        regression = y_train.dtype.kind == "f"  # continuous targets: one linear output unit
        n_classes = 0 if regression else int(max(y_train.max(), y_test.max())) + 1
        if not regression and settings.dataset in DATASETS:
            n_classes = DATASETS[settings.dataset].n_classes  # every class, even if unsampled
        n_outputs = 1 if n_classes in (0, 2) else n_classes
        features = check_features(settings.features)
        model = MLP(
            [len(features), *settings.hidden, n_outputs],
            settings.activation,
            init=settings.init,
            seed=settings.seed,
            output="values" if regression else "classes",
        )
        if params is not None:
            model.set_parameters(params)
        batch = None if settings.batch_size is None else min(settings.batch_size, len(X_train))
        trainer = None
        if model.activation.trainable:
            trainer = Trainer(
                model,
                lift(X_train, features),
                y_train,
                lift(X_test, features),
                y_test,
                optimizer=settings.optimizer,
                learning_rate=settings.learning_rate,
                batch_size=batch,
                l1=settings.l1,
                l2=settings.l2,
                seed=settings.seed,
            )
        extent = data_extent(np.concatenate([X_train, X_test]))
        return cls(settings, X_train, X_test, y_train, y_test, model, trainer, extent)

    @property
    def regression(self) -> bool:
        """Whether this run fits values (a regression dataset) rather than classes."""
        return self.model.regression

    @property
    def view_model(self) -> LiftedModel:
        """The model driven with points of the plane (it lifts them to its input features);
        everything drawn over the input plane uses this."""
        return LiftedModel(self.model, self.settings.features)

    @property
    def epoch(self) -> int:
        return self.trainer.epoch if self.trainer else 0

    @property
    def X(self) -> np.ndarray:
        """Train then test points, (n_samples, 2)."""
        return np.concatenate([self.X_train, self.X_test])

    @property
    def y(self) -> np.ndarray:
        return np.concatenate([self.y_train, self.y_test])

    def apply_live(self, settings: Settings) -> None:
        """Take the live settings (learning rate, L1, L2, batch size, a new data sample)
        without resetting the network."""
        if settings.data_seed != self.settings.data_seed and settings.dataset in DATASETS:
            self.X_train, self.X_test, self.y_train, self.y_test = _split(settings, None)
            self.extent = data_extent(self.X)
            features = settings.features
            if self.trainer is not None:
                train, test = lift(self.X_train, features), lift(self.X_test, features)
                self.trainer.set_data(train, self.y_train, test, self.y_test)
        if self.trainer is not None:
            self.trainer.learning_rate = settings.learning_rate
            self.trainer.l1 = settings.l1
            self.trainer.l2 = settings.l2
            n_train = len(self.X_train)
            self.trainer.batch_size = min(settings.batch_size or n_train, n_train)
        self.settings = settings

    def edit(self, edits: list[Edit]) -> None:
        """Set weights or biases by hand (``core.nn.edits``; a bad edit changes nothing) and
        remember them for the share link; the losses of this epoch are measured again."""
        apply_edits(self.model, edits)
        self.edits.extend(edits)
        if self.trainer is not None:
            self.trainer.remeasure()

    def advance(self, seconds: float) -> int:
        """Train for at most about ``seconds`` of wall time; returns epochs run."""
        if self.trainer is None:
            return 0
        return train_within(self.trainer.run, None, Budget.of(seconds)).epochs


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
        X, y = make_dataset(settings.dataset, COMPARE_N_SAMPLES, settings.noise, settings.seed)
        X_train, X_test, y_train, y_test = train_test_split(
            X, y, COMPARE_TRAIN_SHARE, settings.seed
        )
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

    def run(self, n_epochs: int) -> int:
        """Train both nets ``n_epochs`` more epochs (a diverged one stays where it stopped);
        returns how far the race moved on (fewer than asked once both have stopped)."""
        return max(trainer.run(n_epochs) for trainer in self.trainers.values())

    def advance(self, seconds: float) -> int:
        """Train both for at most about ``seconds`` of wall time; returns epochs run."""
        return train_within(self.run, None, Budget.of(seconds)).epochs

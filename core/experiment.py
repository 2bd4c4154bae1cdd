"""One experiment: settings → data, model and trainer. The pages hold one in session state.

``Settings`` declares every setting once with its default (as TensorFlow Playground's
``state.ts`` does); ``Experiment.build`` validates them and makes the seeded data split, model
and trainer. ``needs_reset`` tells which changes rebuild and which (learning rate, L2, batch
size) apply to the running trainer.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field, replace

import numpy as np

from core.data.datasets import DATASETS, data_extent, make_dataset, train_test_split
from core.data.features import DEFAULT_FEATURES, LiftedModel, check_features, lift
from core.nn.network import MLP
from core.nn.training import Trainer

__all__ = ["LIVE_SETTINGS", "UPLOADED", "Experiment", "Settings"]

UPLOADED = "uploaded"  # the dataset name of a user's CSV upload (never in a shared link)

# Settings a running trainer can take without starting over.
LIVE_SETTINGS = frozenset({"learning_rate", "l2", "batch_size"})


@dataclass(frozen=True)
class Settings:
    """Everything that determines a run; the same seed and settings give the same run."""

    dataset: str = "spiral"
    noise: float = 0.0
    n_samples: int = 500
    train_share: float = 0.5
    seed: int = 0
    hidden: tuple[int, ...] = (8, 8, 8)
    activation: str = "tanh"
    optimizer: str = "adam"
    learning_rate: float = 0.03
    batch_size: int | None = None  # None: full batch
    l2: float = 0.0
    init: str = "xavier_uniform"
    features: tuple[str, ...] = DEFAULT_FEATURES  # what the first layer reads (lifting by hand)

    def needs_reset(self, other: Settings) -> bool:
        """Whether moving from ``other`` to these settings needs a new model."""
        a, b = asdict(self), asdict(other)
        return any(a[k] != b[k] for k in a if k not in LIVE_SETTINGS)

    def with_changes(self, **changes) -> Settings:
        return replace(self, **changes)


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
        if settings.dataset == UPLOADED:
            if data is None:
                raise ValueError("no uploaded dataset in this session; upload a CSV first")
            X, y = data
            n_classes = int(y.max()) + 1
        else:
            dataset = DATASETS.get(settings.dataset)
            if dataset is None:
                raise ValueError(f"unknown dataset {settings.dataset!r}")
            X, y = make_dataset(settings.dataset, settings.n_samples, settings.noise, settings.seed)
            n_classes = dataset.n_classes
        X_train, X_test, y_train, y_test = train_test_split(
            X, y, settings.train_share, settings.seed
        )
        n_outputs = 1 if n_classes == 2 else n_classes
        features = check_features(settings.features)
        model = MLP(
            [len(features), *settings.hidden, n_outputs],
            settings.activation,
            init=settings.init,
            seed=settings.seed,
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
                l2=settings.l2,
                seed=settings.seed,
            )
        return cls(settings, X_train, X_test, y_train, y_test, model, trainer, data_extent(X))

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
        """Take the live settings (learning rate, L2, batch size) without resetting."""
        if self.trainer is not None:
            self.trainer.learning_rate = settings.learning_rate
            self.trainer.l2 = settings.l2
            n_train = len(self.X_train)
            self.trainer.batch_size = min(settings.batch_size or n_train, n_train)
        self.settings = settings

    def advance(self, seconds: float, chunk: int = 10) -> int:
        """Train for about ``seconds`` of wall time in chunks; returns epochs run."""
        if self.trainer is None:
            return 0
        start, done = time.perf_counter(), 0
        while time.perf_counter() - start < seconds and self.trainer.diverged is None:
            done += self.trainer.run(chunk)
        return done

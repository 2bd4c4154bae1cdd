"""Lifting by hand: extra input features computed from (x₁, x₂), and a model that reads them.

TensorFlow Playground lets a network read x₁², x₂², x₁·x₂, sin x₁ and sin x₂ besides x₁ and
x₂; with the right feature a problem that needs hidden layers in the plane becomes linear (the
circles are split by a plane in (x₁, x₂, x₁² + x₂²)). ``FEATURES`` is a registry keyed by
URL-safe names; ``lift`` turns points of the plane into feature columns. ``LiftedModel`` wraps an
``MLP`` whose inputs are lifted features and takes points of the *plane*, so everything that
draws over the input plane (boundary images, unit maps, probes) works on it unchanged; its
trace is the MLP's trace on the lifted points (``trace[0].inputs`` are the features).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy.linalg import LinAlgWarning

if TYPE_CHECKING:
    from sklearn.linear_model import LogisticRegression

from core.nn.network import MLP, LayerTrace, validate_inputs

__all__ = [
    "DEFAULT_FEATURES",
    "FEATURES",
    "Feature",
    "LiftedModel",
    "LogisticFit",
    "check_features",
    "fit_linear_model",
    "fit_logistic",
    "lift",
    "parse_features",
]

Array = np.ndarray
DEFAULT_FEATURES = ("x1", "x2")
# C = 1e4 is weak enough regularisation to find a separating plane with a small margin, yet
# keeps the problem strictly convex so Newton's method converges in a few steps. Measured on
# 250 x 8 hidden activations of trained nets: 2-7 ms per fit, and 1.0 on every layer an exact
# LP test calls separable (barring margins near float precision). lbfgs was 2-4x slower;
# LinearSVC's one-vs-rest missed separable multiclass layers.
LINEAR_C = 1e4


@dataclass(frozen=True)
class Feature:
    """One input feature: ``fn(X (n, 2)) -> (n,)``; ``name`` is the URL key, ``label`` the UI's."""

    name: str
    label: str
    fn: Callable[[Array], Array]
    description: str


FEATURES: dict[str, Feature] = {
    f.name: f
    for f in [
        Feature("x1", "x₁", lambda X: X[:, 0], "the first coordinate"),
        Feature("x2", "x₂", lambda X: X[:, 1], "the second coordinate"),
        Feature("x1sq", "x₁²", lambda X: X[:, 0] ** 2, "grows away from the vertical axis"),
        Feature("x2sq", "x₂²", lambda X: X[:, 1] ** 2, "grows away from the horizontal axis"),
        Feature("x1x2", "x₁·x₂", lambda X: X[:, 0] * X[:, 1], "its sign is the XOR quadrant"),
        Feature("sinx1", "sin x₁", lambda X: np.sin(X[:, 0]), "a wave along x₁"),
        Feature("sinx2", "sin x₂", lambda X: np.sin(X[:, 1]), "a wave along x₂"),
        Feature(
            "r2",
            "x₁² + x₂²",
            lambda X: X[:, 0] ** 2 + X[:, 1] ** 2,
            "the squared distance from the origin",
        ),
    ]
}


def check_features(names: Any) -> tuple[str, ...]:
    """Validate a list of feature names: known, at least one, no repeats. Returns a tuple."""
    if isinstance(names, str) or not isinstance(names, Sequence):
        raise ValueError(f"features must be a list of names such as ['x1', 'x2'], got {names!r}")
    names = tuple(names)
    unknown = [n for n in names if not isinstance(n, str) or n not in FEATURES]
    if unknown:
        known = ", ".join(FEATURES)
        raise ValueError(f"unknown features {unknown!r}; choose from: {known}")
    if not names:
        raise ValueError("need at least one input feature, got none")
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ValueError(f"each feature may appear once; repeated: {repeated}")
    return names


def lift(X: Any, names: Sequence[str] = DEFAULT_FEATURES) -> Array:
    """Feature columns of points in the plane.

    Parameters
    ----------
    X : array_like of shape (n_samples, 2)
    names : sequence of str
        Keys of ``FEATURES``, in the column order wanted.

    Returns
    -------
    ndarray of shape (n_samples, len(names)), float64
    """
    names = check_features(names)
    X = validate_inputs(X, 2)
    return np.column_stack([FEATURES[name].fn(X) for name in names]).reshape(len(X), len(names))


def parse_features(text: str) -> tuple[tuple[str, ...], list[str]]:
    """Feature names from a URL value such as ``"x1,x2,r2"``; never raises.

    Unknown and repeated names are dropped with a notice; an empty result falls back to
    ``DEFAULT_FEATURES``. Returns (names, notices).
    """
    parts = [part.strip() for part in str(text).split(",") if part.strip()]
    names, notices = [], []
    for part in parts:
        if part not in FEATURES:
            notices.append(f"unknown feature “{part[:20]}” was ignored")
        elif part not in names:
            names.append(part)
    if not names:
        notices.append("no usable feature was given; using x1, x2")
        return DEFAULT_FEATURES, notices
    return tuple(names), notices


class LiftedModel:
    """An ``MLP`` reading lifted features, driven with points of the plane.

    Parameters
    ----------
    model : MLP
        Its input size must equal ``len(features)``.
    features : sequence of str
        Keys of ``FEATURES``: what ``lift`` computes from each point before the MLP sees it.
    """

    def __init__(self, model: MLP, features: Sequence[str] = DEFAULT_FEATURES) -> None:
        self.features = check_features(features)
        if model.layer_sizes[0] != len(self.features):
            raise ValueError(
                f"the model reads {model.layer_sizes[0]} inputs but {len(self.features)} "
                f"features were given: {list(self.features)}"
            )
        self.model = model

    # The MLP's own description: the lifted features are its inputs.
    layer_sizes = property(lambda self: self.model.layer_sizes)
    activation = property(lambda self: self.model.activation)
    weights = property(lambda self: self.model.weights)
    biases = property(lambda self: self.model.biases)
    params = property(lambda self: self.model.params)
    n_layers = property(lambda self: self.model.n_layers)
    n_outputs = property(lambda self: self.model.n_outputs)
    n_classes = property(lambda self: self.model.n_classes)
    n_parameters = property(lambda self: self.model.n_parameters)
    output = property(lambda self: self.model.output)
    regression = property(lambda self: self.model.regression)

    @property
    def labels(self) -> list[str]:
        """UI labels of the input features, in column order."""
        return [FEATURES[name].label for name in self.features]

    def lift(self, X: Any) -> Array:
        """Points of the plane (n, 2) → the MLP's inputs (n, len(features))."""
        return lift(X, self.features)

    def forward(self, X: Any, *, return_trace: bool = False) -> Array | list[LayerTrace]:
        """The MLP's forward pass on ``lift(X)``; X is (n_samples, 2) points of the plane."""
        return self.model.forward(self.lift(X), return_trace=return_trace)

    def predict_proba(self, X: Any) -> Array:
        """Class probabilities (n_samples, n_classes) at points X (n_samples, 2)."""
        return self.model.predict_proba(self.lift(X))

    def predict(self, X: Any) -> Array:
        """Predicted labels (n_samples,) at points X (n_samples, 2)."""
        return self.model.predict(self.lift(X))

    def copy(self) -> LiftedModel:
        """An independent copy (the MLP's parameters are copied)."""
        return LiftedModel(self.model.copy(), self.features)

    def __repr__(self) -> str:
        return f"LiftedModel({', '.join(self.features)} → {self.model!r})"


@dataclass(frozen=True)
class LogisticFit:
    """A logistic regression fitted to standardised columns: x ↦ (x − mean) / spread."""

    classifier: LogisticRegression
    mean: Array  # (n_features,)
    spread: Array  # (n_features,), 1 for a constant column

    def predict(self, features: Array) -> Array:
        """Predicted labels (n_samples,) of unstandardised ``features`` (n_samples, n_features)."""
        return self.classifier.predict((features - self.mean) / self.spread)


def fit_logistic(features: Array, y: Array, max_iter: int = 100) -> LogisticFit:
    """Fit a weakly regularised (C = ``LINEAR_C``) logistic regression on standardised columns.

    Parameters
    ----------
    features : ndarray of shape (n_samples, n_features), finite
    y : ndarray of shape (n_samples,), at least two classes
    max_iter : int, Newton steps at most

    Returns
    -------
    LogisticFit
        The classifier and the standardisation it was fitted under.
    """
    # Imported here, not with the module: scikit-learn (and the SciPy it pulls in) took about
    # 2 s of a fresh server, which a page's first picture should not wait for (pages/_ui:
    # ``LATE_IMPORTS``).
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression

    mean, spread = features.mean(axis=0), features.std(axis=0)
    # A constant column carries no information; dividing by 1 keeps it at 0 (weight 0), not NaN.
    spread = np.where(spread > 0, spread, 1.0)
    classifier = LogisticRegression(C=LINEAR_C, solver="newton-cholesky", max_iter=max_iter)
    with warnings.catch_warnings():
        # Separable data push the weights outwards for ever; stopping early is fine because
        # only the predicted labels and the plane's position matter, not the converged weights.
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", LinAlgWarning)
        classifier.fit((features - mean) / spread, y)
    return LogisticFit(classifier, mean, spread)


def fit_linear_model(X: Any, y: Any, features: Sequence[str] = DEFAULT_FEATURES) -> LiftedModel:
    """The linear classifier (no hidden layer) a weakly regularised logistic regression finds.

    Parameters
    ----------
    X : array_like of shape (n_samples, 2)
        Points of the plane.
    y : array_like of shape (n_samples,)
        Integer labels 0..K-1 (K ≥ 2).
    features : sequence of str
        The inputs it may use, keys of ``FEATURES``.

    Returns
    -------
    LiftedModel
        Around an ``MLP([len(features), n_outputs])`` (sigmoid for two classes, softmax
        otherwise) with the fitted plane(s) as its one weight layer, in unstandardised units.
    """
    lifted = lift(X, features)
    y = np.asarray(y)
    n_classes = int(y.max()) + 1
    fit = fit_logistic(lifted, y, max_iter=200)
    coef = fit.classifier.coef_ / fit.spread
    intercept = fit.classifier.intercept_ - coef @ fit.mean
    model = MLP([lifted.shape[1], 1 if n_classes == 2 else n_classes], "identity", seed=0)
    model.weights[0][...] = coef.T
    model.biases[0][...] = intercept
    return LiftedModel(model, features)

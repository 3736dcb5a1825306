"""Small, transparent learned decisions: logistic regression (binary and multinomial) in numpy.

A model is a JSON file in ``geo/models/``: its feature names, its weights, the decision
threshold, how it was fitted (script, data fingerprint, date) and its honest scores
(k-fold by article, held-apart corpora).  ``weights_sha256`` covers names and weights, so
a hand-edited or truncated file is refused.  Fitting lives here too, so the fit script
and a test share one implementation; run time needs nothing but numpy.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["LinearModel", "load_model", "fit_binary", "fit_choice", "fit_multinomial", "plateau_threshold", "MODEL_DIR",
           "weights_digest"]

MODEL_DIR = Path(__file__).parent / "models"


@dataclass
class LinearModel:
    """Logistic regression over named features: one class (binary) or several (softmax)."""

    name: str
    features: tuple[str, ...]
    classes: tuple[str, ...]  # ("yes",) for a binary model
    weights: np.ndarray  # (n_classes, n_features)
    threshold: float = 0.5
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def binary(self) -> bool:
        return len(self.classes) == 1

    def scores(self, rows: Sequence[Sequence[float]]) -> np.ndarray:
        """Probabilities: shape (n,) for a binary model, (n, n_classes) for a multinomial one."""
        x = np.asarray(rows, dtype=np.float64).reshape(-1, len(self.features))
        z = x @ self.weights.T
        if self.binary:
            return 1.0 / (1.0 + np.exp(-z[:, 0]))
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def explain(self, row: Sequence[float], cls: int = 0) -> list[tuple[str, float]]:
        """Each feature's contribution to the score of class ``cls``, largest first (for debugging)."""
        parts = [(name, float(w * v)) for name, w, v in zip(self.features, self.weights[cls], row) if v]
        return sorted(parts, key=lambda p: -abs(p[1]))

    def as_json(self) -> dict[str, Any]:
        weights = [[round(float(w), 6) for w in row] for row in self.weights]
        return {"name": self.name, "features": list(self.features), "classes": list(self.classes),
                "weights": weights, "threshold": round(self.threshold, 4),
                "weights_sha256": weights_digest(self.features, self.classes, weights), **self.meta}

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.as_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def weights_digest(features: Sequence[str], classes: Sequence[str], weights: Sequence[Sequence[float]]) -> str:
    """sha256 of a model's names and weights as stored (six decimals)."""
    payload = json.dumps([list(features), list(classes), [[round(float(w), 6) for w in row] for row in weights]])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@cache
def load_model(name: str, directory: Path = MODEL_DIR) -> LinearModel:
    """The shipped model ``name`` (``geo/models/<name>.json``), checked against its digest."""
    path = directory / f"{name}.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    features, classes, weights = document["features"], document["classes"], document["weights"]
    if weights_digest(features, classes, weights) != document.get("weights_sha256"):
        raise ValueError(f"{path}: weights do not match their weights_sha256; refit with scripts/fit_models.py")
    meta = {k: v for k, v in document.items()
            if k not in ("name", "features", "classes", "weights", "threshold", "weights_sha256")}
    return LinearModel(document["name"], tuple(features), tuple(classes), np.asarray(weights, dtype=np.float64),
                       float(document.get("threshold", 0.5)), meta)


def plateau_threshold(grid: Sequence[float], scores: Sequence[float], window: int = 2) -> float:
    """The threshold of ``grid`` whose score, averaged with those ``window`` grid steps either side, is highest:
    the middle of a flat maximum, not its sharpest peak, which any small change of the weights moves, and the
    held-out figures with it (a random feature on 1 % of the names moved GeoVirus by 0.006)."""
    smooth = [float(np.mean(scores[max(0, k - window):k + window + 1])) for k in range(len(grid))]
    return float(grid[int(np.argmax(smooth))])


def fit_binary(x: np.ndarray, y: np.ndarray, *, l2: float = 1.0, sample_weight: np.ndarray | None = None,
               iterations: int = 50) -> np.ndarray:
    """Weights (n_features,) of an L2-regularised logistic regression, by Newton's method.

    The first column is taken to be the bias and is not regularised.
    """
    n, d = x.shape
    sw = np.ones(n) if sample_weight is None else sample_weight
    w = np.zeros(d)
    penalty = np.full(d, l2)
    penalty[0] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        gradient = x.T @ (sw * (p - y)) + penalty * w
        hessian = (x * (sw * p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-6)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-7:
            break
    return w


def fit_multinomial(x: np.ndarray, y: np.ndarray, n_classes: int, *, l2: float = 1.0,
                    sample_weight: np.ndarray | None = None, iterations: int = 3000,
                    rate: float = 0.05) -> np.ndarray:
    """Weights (n_classes, n_features) of an L2-regularised softmax regression (Adam, full batch).

    The first column is the bias and is not regularised.
    """
    n, d = x.shape
    sw = np.ones(n) if sample_weight is None else sample_weight
    onehot = np.zeros((n, n_classes))
    onehot[np.arange(n), y] = 1.0
    penalty = np.full(d, l2)
    penalty[0] = 0.0
    total = sw.sum()

    def gradient(w: np.ndarray) -> np.ndarray:
        z = x @ w.T
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        return ((p - onehot) * sw[:, None]).T @ x / total + w * penalty / total

    return _adam(gradient, np.zeros((n_classes, d)), iterations, rate)


def fit_choice(x: np.ndarray, starts: np.ndarray, y: np.ndarray, *, l2: float = 1.0,
               group_weight: np.ndarray | None = None, iterations: int = 1500, rate: float = 0.05) -> np.ndarray:
    """Weights (n_features,) of a conditional logit (Adam, full batch): within each group of rows (the
    readings of one name, ``starts`` the first row of each, in order) a softmax over ``x @ w``, fitted to
    put the group's probability on its right rows (``y`` 1; several may be right).  The likeliest row of
    a group is the one a :class:`LinearModel` with these weights scores highest.

    The first column is the bias (constant within a group, so it stays 0) and is not regularised.
    """
    n, d = x.shape
    sizes = np.diff(np.append(starts, n))
    group_of = np.repeat(np.arange(len(starts)), sizes)
    gw = np.ones(len(starts)) if group_weight is None else group_weight
    penalty = np.full(d, l2)
    penalty[0] = 0.0
    total = gw.sum()

    def gradient(w: np.ndarray) -> np.ndarray:
        z = x @ w
        z -= np.maximum.reduceat(z, starts)[group_of]
        e = np.exp(z)
        p = e / np.add.reduceat(e, starts)[group_of]
        right = p * y
        q = right / np.add.reduceat(right, starts)[group_of]
        return x.T @ ((p - q) * gw[group_of]) / total + w * penalty / total

    return _adam(gradient, np.zeros(d), iterations, rate)


def _adam(gradient: Callable[[np.ndarray], np.ndarray], w: np.ndarray, iterations: int, rate: float) -> np.ndarray:
    """``w`` after ``iterations`` full-batch Adam steps down ``gradient`` (updated in place and returned)."""
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    for t in range(1, iterations + 1):
        g = gradient(w)
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g ** 2
        w -= rate * (m / (1 - 0.9 ** t)) / (np.sqrt(v / (1 - 0.999 ** t)) + 1e-8)
    return w

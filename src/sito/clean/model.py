"""The line model: a small neural network scores each line, an HMM over keep/drop smooths the sequence.

Why this design (and not a CRF): a page's lines come in runs — menus, then the article, then related links and
the footer — so a line's label depends on its neighbours' labels as well as on its own shape. The per-line
scorer is a one-hidden-layer perceptron (features of the line, its neighbours and the page; see
`features.py`), which captures interactions a linear model misses (a short line is fine inside prose, bad
among links) and trains in seconds with numpy. Its probabilities are turned into HMM emission scores
(p(state | x) / p(state), the usual hybrid NN/HMM trick) and Viterbi finds the best keep/drop sequence under
transition probabilities counted on the training pages. A linear-chain CRF would learn features and transitions
jointly, but needs a training library that sito would otherwise not depend on and gives little over the
hybrid once neighbour features are in the scorer; the hybrid keeps inference to two matrix products and a
2-state Viterbi loop, which is what the speed target (thousands of pages per second per core) needs.

The model is plain data — `resources/cleaner/model.npz` (weights, feature scaling, transitions, threshold),
loaded with `allow_pickle=False` — and `sito train` rebuilds it reproducibly (fixed seed).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from .features import FEATURE_NAMES

MODEL_RESOURCE = "resources/cleaner/model.npz"


@dataclass
class LineModel:
    mean: np.ndarray
    scale: np.ndarray
    W1: np.ndarray
    b1: np.ndarray
    w2: np.ndarray
    b2: float
    log_trans: np.ndarray        # (2, 2) log P(next state | state), state 0 = drop, 1 = keep
    log_start: np.ndarray        # (2,)
    log_prior: np.ndarray        # (2,) log P(state) over training lines
    threshold: float = 0.5       # on the smoothed posterior-free decision: bias added to keep emission
    smooth: float = 1.0          # weight of the transition scores against the emissions
    meta: dict | None = None

    def proba(self, X: np.ndarray) -> np.ndarray:
        """p(keep) for each row of X (rows = lines, columns = FEATURE_NAMES)."""
        if len(X) == 0:
            return np.zeros(0, dtype=np.float32)
        Z = (X - self.mean) * self.scale
        H = np.maximum(Z @ self.W1 + self.b1, 0.0)
        z = H @ self.w2 + self.b2
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))

    def decode(self, p: np.ndarray) -> np.ndarray:
        """Viterbi over keep/drop given p(keep) per line; returns a bool array (True = keep)."""
        n = len(p)
        if n == 0:
            return np.zeros(0, dtype=bool)
        eps = 1e-6
        pk = np.clip(p, eps, 1 - eps)
        bias = math.log(self.threshold / (1 - self.threshold)) if 0 < self.threshold < 1 else 0.0
        e1 = (np.log(pk) - self.log_prior[1] - bias).tolist()
        e0 = (np.log(1 - pk) - self.log_prior[0]).tolist()
        t = (self.log_trans * self.smooth).tolist()
        t00, t01, t10, t11 = t[0][0], t[0][1], t[1][0], t[1][1]
        s0 = self.log_start[0] * self.smooth + e0[0]
        s1 = self.log_start[1] * self.smooth + e1[0]
        back = bytearray(2 * n)
        for i in range(1, n):
            a, b = s0 + t00, s1 + t10
            if a >= b:
                n0 = a
            else:
                n0 = b
                back[2 * i] = 1
            a, b = s0 + t01, s1 + t11
            if a >= b:
                n1 = a
            else:
                n1 = b
                back[2 * i + 1] = 1
            s0, s1 = n0 + e0[i], n1 + e1[i]
        out = np.zeros(n, dtype=bool)
        state = 1 if s1 > s0 else 0
        for i in range(n - 1, -1, -1):
            out[i] = bool(state)
            state = back[2 * i + state]
        return out

    def save(self, path: str | Path) -> None:
        meta = dict(self.meta or {})
        meta["features"] = list(FEATURE_NAMES)
        np.savez_compressed(
            path, mean=self.mean, scale=self.scale, W1=self.W1, b1=self.b1, w2=self.w2,
            b2=np.array([self.b2]), log_trans=self.log_trans, log_start=self.log_start, log_prior=self.log_prior,
            threshold=np.array([self.threshold]), smooth=np.array([self.smooth]),
            meta=np.array(json.dumps(meta, sort_keys=True)),
        )

    @classmethod
    def load(cls, path_or_file) -> "LineModel":
        with np.load(path_or_file, allow_pickle=False) as z:
            meta = json.loads(str(z["meta"]))
            if meta.get("features") != list(FEATURE_NAMES):
                raise ValueError("cleaner model does not match this version's features; rebuild it with `sito train`")
            f32 = lambda k: z[k].astype(np.float32)  # noqa: E731
            return cls(f32("mean"), f32("scale"), f32("W1"), f32("b1"), f32("w2"), float(z["b2"][0]),
                       z["log_trans"].astype(np.float64), z["log_start"].astype(np.float64),
                       z["log_prior"].astype(np.float64), float(z["threshold"][0]), float(z["smooth"][0]), meta)


@lru_cache(maxsize=1)
def default_model() -> LineModel:
    """The model shipped with sito (resources/cleaner/model.npz)."""
    ref = resources.files("sito").joinpath(MODEL_RESOURCE)
    with ref.open("rb") as f:
        return LineModel.load(f)

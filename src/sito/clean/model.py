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
2-state Viterbi loop, which is what the speed target (thousands of pages per second per core) needs. At clean
time both run as compiled kernels (`kernels.py`); `proba_reference`, `_mlp` and `context_of` are their numpy
definitions, which training uses.

The model may hold several scorers trained alike from different seeds (`members`, `sito train --members`):
p(keep) is their mean, which evens out the variation between retrained weights that single pages are
sensitive to.

The scorer is stacked in two stages: the second network sees the line's features plus the first network's
p(keep) for the line and its neighbourhood (`CONTEXT_NAMES`), trained on out-of-fold first-stage
probabilities — a cheap way to let the decision of a line depend on how article-like its surroundings look.

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
from .kernels import compiled

MODEL_RESOURCE = "resources/cleaner/model.npz"
# Second-stage inputs: the first stage's p(keep) of the line and of its neighbourhood.
CONTEXT_NAMES = ["p", "p_prev", "p_next", "p_prev2", "p_next2", "p_win3", "p_win10", "p_max3", "p_min3"]


def _mlp(Z: np.ndarray, W1, b1, w2, b2) -> np.ndarray:
    # einsum's own loops instead of BLAS: single-threaded and deterministic (multi-threaded BLAS results depended
    # on the thread count, and its threads cost more than they saved on a page's few hundred rows)
    H = np.maximum(np.einsum("ij,jk->ik", Z, W1) + b1, 0.0)
    z = np.einsum("ij,j->i", H, w2) + b2
    return 1.0 / (1.0 + np.exp(-np.minimum(np.maximum(z, -30.0), 30.0)))


def context_of(p: np.ndarray) -> np.ndarray:
    """The stacked context features (CONTEXT_NAMES) of one page's first-stage probabilities."""
    n = len(p)
    p = p.astype(np.float32)
    pad2 = np.concatenate(([0.0, 0.0], p, [0.0, 0.0])).astype(np.float32)
    c = np.concatenate(([0.0], np.cumsum(p, dtype=np.float64)))
    i = np.arange(n)

    def win(w):
        lo, hi = np.maximum(i - w, 0), np.minimum(i + w + 1, n)
        return ((c[hi] - c[lo]) / (hi - lo)).astype(np.float32)

    stack3 = np.stack([pad2[1:n + 1], pad2[2:n + 2], pad2[3:n + 3]])
    return np.stack([p, pad2[1:n + 1], pad2[3:n + 3], pad2[0:n], pad2[4:n + 4], win(3), win(10),
                     stack3.max(axis=0), stack3.min(axis=0)], axis=1)


def _mean(ps: list[np.ndarray]) -> np.ndarray:
    """The mean of the scorers' p(keep), summed in order in float32 (one scorer: its own array)."""
    p = ps[0]
    for q in ps[1:]:
        p = p + q
    return p if len(ps) == 1 else (p / np.float32(len(ps))).astype(np.float32)


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
    stage2: dict | None = None   # second stage: mean, scale, W1, b1, w2, b2 over FEATURE_NAMES + CONTEXT_NAMES
    members: tuple = ()          # more scorers of the same shape (other seeds): p(keep) is the mean of all of them

    def proba1(self, X: np.ndarray) -> np.ndarray:
        return _mlp((X - self.mean) * self.scale, self.W1, self.b1, self.w2, self.b2)

    def proba(self, X: np.ndarray) -> np.ndarray:
        """p(keep) for each row of X (one page: rows = its lines in order, columns = FEATURE_NAMES): the mean of
        the scorers' (this one's and its `members`'), all computed in one compiled call."""
        if len(X) == 0:
            return np.zeros(0, dtype=np.float32)
        X = np.ascontiguousarray(X, dtype=np.float32)
        return compiled().proba(X, *self._packed())

    def proba_reference(self, X: np.ndarray) -> np.ndarray:
        """`proba` with numpy (the definition the compiled kernel follows; training uses these pieces)."""
        if len(X) == 0:
            return np.zeros(0, dtype=np.float32)
        return _mean([m._proba_reference_one(X) for m in (self, *self.members)])

    def _proba_reference_one(self, X: np.ndarray) -> np.ndarray:
        p = self.proba1(X)
        if self.stage2 is None:
            return p
        s = self.stage2
        X2 = np.concatenate([X, context_of(p)], axis=1)
        return _mlp((X2 - s["mean"]) * s["scale"], s["W1"], s["b1"], s["w2"], s["b2"])

    def _packed(self) -> tuple:
        """The weights of every scorer as the kernel takes them (`_compiled.proba`), built once per model: each
        network's input scaling (x - mean) * scale folded into its first layer (W' = scale * W, b' = b - (mean *
        scale) @ W, in float64, then float32), the first layers side by side in one matrix."""
        packed = self.__dict__.get("_packed_cache")
        if packed is None:
            scorers = (self, *self.members)
            d = len(self.mean)
            f64 = lambda a: np.asarray(a, dtype=np.float64)  # noqa: E731

            def fold(mean, scale, W1, b1):
                W1, scale = f64(W1), f64(scale)
                return scale[:, None] * W1, f64(b1) - (f64(mean) * scale) @ W1

            first = [fold(m.mean, m.scale, m.W1, m.b1) for m in scorers]
            stacked = self.stage2 is not None
            second = [fold(m.stage2["mean"], m.stage2["scale"], m.stage2["W1"], m.stage2["b1"]) for m in scorers] \
                if stacked else []
            W = np.concatenate([w for w, _ in first] + [w[:d] for w, _ in second], axis=1)
            b = np.concatenate([c for _, c in first] + [c for _, c in second])
            h = first[0][0].shape[1]
            Wc = (np.stack([w[d:] for w, _ in second]) if stacked
                  else np.zeros((len(scorers), len(CONTEXT_NAMES), h)))
            f32 = lambda a: np.ascontiguousarray(a, dtype=np.float32)  # noqa: E731
            w2 = f32([m.w2 for m in scorers])
            b2 = f32([m.b2 for m in scorers])
            w2b = f32([m.stage2["w2"] for m in scorers]) if stacked else w2
            b2b = f32([m.stage2["b2"] for m in scorers]) if stacked else b2
            packed = (f32(W), f32(b), w2, b2, f32(Wc), w2b, b2b, stacked)
            self.__dict__["_packed_cache"] = packed
        return packed

    def decode(self, p: np.ndarray, threshold: float | None = None, smooth: float | None = None) -> np.ndarray:
        """Viterbi over keep/drop given p(keep) per line; returns a bool array (True = keep).
        `threshold` / `smooth` replace the model's own decision threshold and transition weight."""
        threshold = self.threshold if threshold is None else threshold
        smooth = self.smooth if smooth is None else smooth
        bias = math.log(threshold / (1 - threshold)) if 0 < threshold < 1 else 0.0
        t = self.log_trans * smooth
        return compiled().viterbi(np.ascontiguousarray(p, dtype=np.float32), float(self.log_prior[0]),
                                  float(self.log_prior[1]), bias, float(t[0, 0]), float(t[0, 1]), float(t[1, 0]),
                                  float(t[1, 1]), float(self.log_start[0] * smooth), float(self.log_start[1] * smooth))

    def _arrays(self, prefix: str = "") -> dict:
        """The scorer's weights as named arrays (the members' with prefix "m<k>_")."""
        out = {"mean": self.mean, "scale": self.scale, "W1": self.W1, "b1": self.b1, "w2": self.w2,
               "b2": np.array([self.b2])}
        if self.stage2:
            out.update({f"s2_{k}": np.asarray(v) for k, v in self.stage2.items()})
        return {prefix + k: v for k, v in out.items()}

    def save(self, path: str | Path) -> None:
        meta = dict(self.meta or {})
        meta["features"] = list(FEATURE_NAMES)
        arrays = self._arrays()
        for k, m in enumerate(self.members):
            arrays.update(m._arrays(f"m{k}_"))
        np.savez_compressed(
            path, log_trans=self.log_trans, log_start=self.log_start, log_prior=self.log_prior,
            threshold=np.array([self.threshold]), smooth=np.array([self.smooth]),
            meta=np.array(json.dumps(meta, sort_keys=True)), **arrays,
        )

    @classmethod
    def load(cls, path_or_file) -> "LineModel":
        with np.load(path_or_file, allow_pickle=False) as z:
            meta = json.loads(str(z["meta"]))
            if meta.get("features") != list(FEATURE_NAMES):
                raise ValueError("cleaner model does not match this version's features; rebuild it with `sito train`")
            hmm = (z["log_trans"].astype(np.float64), z["log_start"].astype(np.float64),
                   z["log_prior"].astype(np.float64), float(z["threshold"][0]), float(z["smooth"][0]))

            def scorer(prefix: str, meta, members=()) -> "LineModel":
                f32 = lambda k: z[prefix + k].astype(np.float32)  # noqa: E731
                stage2 = None
                if prefix + "s2_W1" in z.files:
                    stage2 = {k: f32(f"s2_{k}") for k in ("mean", "scale", "W1", "b1", "w2")}
                    stage2["b2"] = float(z[prefix + "s2_b2"].reshape(-1)[0])
                return cls(f32("mean"), f32("scale"), f32("W1"), f32("b1"), f32("w2"),
                           float(z[prefix + "b2"].reshape(-1)[0]), *hmm, meta, stage2, members)

            n = 0
            while f"m{n}_W1" in z.files:
                n += 1
            return scorer("", meta, tuple(scorer(f"m{k}_", None) for k in range(n)))


@lru_cache(maxsize=1)
def default_model() -> LineModel:
    """The model shipped with sito (resources/cleaner/model.npz), of the package this module is in (a copy of
    sito under another name, as `benchmarks/bench_cleaner.py --against` makes, loads its own)."""
    ref = resources.files(__name__.split(".")[0]).joinpath(MODEL_RESOURCE)
    with ref.open("rb") as f:
        return LineModel.load(f)

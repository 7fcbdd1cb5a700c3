"""How sure a difference between two systems is: a paired bootstrap over pages.

`sito eval --compare` scores sito and another extractor on the same pages. On a set of 28 pages a difference of
0.002 in mean token F1 is one page's worth, so the difference alone says little. The paired bootstrap resamples
the pages with replacement (the same draw for both systems, so each page's two scores stay paired), recomputes
each metric for both systems on every resample, and reports the 2.5th and 97.5th percentiles of the difference
(a 95 % percentile interval) and the share of resamples in which the first system is ahead. The token F1 is the
mean over the resampled pages; the snippet score is recomputed from the resampled pages' summed counts, as the
metric itself is defined over a set of pages.

Written with numpy rather than `scipy.stats.bootstrap`: one matrix of resampled page indices serves both
metrics and both systems, and the result does not depend on which scipy version is installed (its seeding
argument changed name across the versions sito accepts). A fixed seed makes the report reproducible.
"""

from __future__ import annotations

import numpy as np

RESAMPLES = 2000
SEED = 0


def _resamples(n: int, resamples: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, n, size=(resamples, n))


def _summary(diff: float, boot: np.ndarray) -> dict:
    lo, hi = np.percentile(boot, [2.5, 97.5])
    return {"diff": float(diff), "lo": float(lo), "hi": float(hi), "ahead": float(np.mean(boot > 0))}


def mean_difference(a, b, resamples: int = RESAMPLES, seed: int = SEED) -> dict | None:
    """Mean of a − b over pages (per-page scores of two systems, same pages in the same order), with its 95 %
    bootstrap interval `lo`..`hi` and `ahead`, the share of resamples where a's mean is above b's."""
    d = np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64)
    if d.ndim != 1 or not len(d):
        return None
    idx = _resamples(len(d), resamples, seed)
    return _summary(d.mean(), d[idx].mean(axis=1))


def _f1(tp, fp, fn):
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(tp + fp > 0, tp / np.maximum(tp + fp, 1), 0.0)
        r = np.where(tp + fn > 0, tp / np.maximum(tp + fn, 1), 0.0)
        return np.where(p + r > 0, 2 * p * r / np.where(p + r > 0, p + r, 1.0), 0.0)


def snippet_difference(a, b, resamples: int = RESAMPLES, seed: int = SEED) -> dict | None:
    """Snippet F of system a minus system b, from per-page (tp, fp, fn) counts of both (same pages, same order),
    with its 95 % bootstrap interval and the share of resamples where a is ahead."""
    A = np.asarray(a, dtype=np.float64).reshape(-1, 3)
    B = np.asarray(b, dtype=np.float64).reshape(-1, 3)
    if len(A) != len(B) or not len(A):
        return None
    fa, fb = _f1(*A.sum(axis=0)), _f1(*B.sum(axis=0))
    idx = _resamples(len(A), resamples, seed)
    SA, SB = A[idx].sum(axis=1), B[idx].sum(axis=1)       # (resamples, 3) summed counts
    boot = _f1(SA[:, 0], SA[:, 1], SA[:, 2]) - _f1(SB[:, 0], SB[:, 1], SB[:, 2])
    return _summary(float(fa - fb), boot)

"""LSH banding for MinHash: the probability that a pair becomes a candidate, and bands x rows from a threshold.

A pair with Jaccard s shares one band of r rows with probability s**r, so it becomes a candidate with
P(s) = 1 - (1 - s**r)**b. `optimal_bands` chooses (b, r) with b * r <= num_perm minimising the weighted area of
false positives (P(s) below the threshold) plus false negatives (1 - P(s) above it), the method of text-dedup's
`optimal_param` (ChenghaoMou/text-dedup, src/text_dedup/config/algorithms/minhash.py), itself from
datasketch's `_optimal_param` (whose weights, 0.5 / 0.5, are this function's defaults). sito's near-duplicate
stage (`MinHashParams`) weights false negatives far higher (fn_weight=0.98, fp_weight=0.02) because candidates
are verified afterwards (by default the true Jaccard of the stored shingle sets), which removes false positives
cheaply while a missed pair is lost for good. `recall_curve` is the table printed in docs/dedup.md and the report.
"""

from __future__ import annotations

import numpy as np


def candidate_probability(s: float | np.ndarray, bands: int, rows: int) -> float | np.ndarray:
    """Probability that a pair with Jaccard `s` shares at least one of `bands` bands of `rows` rows."""
    return 1.0 - (1.0 - np.asarray(s, dtype=float) ** rows) ** bands


def _area(f, lo: float, hi: float, steps: int = 400) -> float:
    if hi <= lo:
        return 0.0
    x = np.linspace(lo, hi, steps + 1)
    y = f(x)
    return float(np.sum((y[1:] + y[:-1]) * 0.5 * np.diff(x)))


def optimal_bands(threshold: float, num_perm: int, fp_weight: float = 0.5, fn_weight: float = 0.5) -> tuple[int, int]:
    """(bands, rows) minimising fp_weight * false-positive area + fn_weight * false-negative area."""
    if not 0.0 < threshold < 1.0:
        raise ValueError(f"threshold must be in (0, 1), got {threshold}")
    if num_perm < 1:
        raise ValueError("num_perm must be at least 1")
    best, best_err = (1, 1), float("inf")
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            fp = _area(lambda s: candidate_probability(s, b, r), 0.0, threshold)
            fn = _area(lambda s: 1.0 - candidate_probability(s, b, r), threshold, 1.0)
            err = fp_weight * fp + fn_weight * fn
            if err < best_err - 1e-12:
                best, best_err = (b, r), err
    return best


def recall_curve(bands: int, rows: int, points=(0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)) -> list[tuple[float, float]]:
    """[(jaccard, probability of becoming a candidate)] for a banding."""
    return [(float(s), float(candidate_probability(s, bands, rows))) for s in points]

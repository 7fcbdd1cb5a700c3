"""LSH banding: the candidate probability formula and the optimum search, checked against brute force."""

from __future__ import annotations

import numpy as np
import pytest

from sito.dedup.lsh import _area, candidate_probability, optimal_bands, recall_curve


def test_candidate_probability_known_values():
    # FineWeb-2's 14 x 8: 1 - (1 - 0.8**8)**14
    assert candidate_probability(0.8, 14, 8) == pytest.approx(1 - (1 - 0.8 ** 8) ** 14)
    assert candidate_probability(0.0, 14, 8) == 0.0
    assert candidate_probability(1.0, 14, 8) == 1.0
    p = candidate_probability(np.linspace(0, 1, 50), 22, 5)
    assert np.all(np.diff(p) >= 0)


def test_optimal_bands_is_the_brute_force_optimum():
    for threshold, fp, fn in ((0.7, 0.5, 0.5), (0.8, 0.5, 0.5), (0.7, 0.02, 0.98)):
        b, r = optimal_bands(threshold, 64, fp, fn)
        assert b * r <= 64

        def err(bb, rr):
            return (fp * _area(lambda s: candidate_probability(s, bb, rr), 0, threshold)
                    + fn * _area(lambda s: 1 - candidate_probability(s, bb, rr), threshold, 1))

        best = err(b, r)
        for bb in range(1, 65):
            for rr in range(1, 64 // bb + 1):
                assert best <= err(bb, rr) + 1e-12


def test_recall_weighting_moves_the_curve_left():
    b1, r1 = optimal_bands(0.7, 112)
    b2, r2 = optimal_bands(0.7, 112, fp_weight=0.02, fn_weight=0.98)
    assert (b2, r2) == (22, 5)
    assert dict(recall_curve(b2, r2))[0.7] > dict(recall_curve(b1, r1))[0.7]
    assert dict(recall_curve(b2, r2))[0.7] > 0.98


def test_bad_threshold_raises():
    with pytest.raises(ValueError):
        optimal_bands(1.0, 112)

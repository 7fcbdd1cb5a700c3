"""The paired bootstrap of `sito eval --compare`: the difference, its interval and who is ahead."""

from __future__ import annotations

import numpy as np
import pytest

from sito.evaluate.metrics import SnippetCounts
from sito.evaluate.paired import mean_difference, snippet_difference


def test_identical_systems_differ_by_nothing():
    f = [0.9, 0.5, 1.0, 0.0, 0.75]
    d = mean_difference(f, f)
    assert d == {"diff": 0.0, "lo": 0.0, "hi": 0.0, "ahead": 0.0}


def test_better_on_every_page_is_ahead_in_every_resample():
    rng = np.random.default_rng(1)
    b = rng.uniform(0.5, 0.9, 40)
    d = mean_difference(b + 0.05, b)
    assert d["diff"] == pytest.approx(0.05)
    assert 0.0 < d["lo"] <= d["diff"] <= d["hi"] and d["ahead"] == 1.0


def test_one_page_deciding_a_small_set_gives_an_interval_across_zero():
    # 27 ties and one page where the first system loses 0.056: mean -0.002, like 28 pages of a small dev set
    a, b = [0.95] * 28, [0.95] * 28
    a[3] = 0.894
    d = mean_difference(a, b)
    assert d["diff"] == pytest.approx(-0.002)
    assert d["lo"] < d["diff"] and d["hi"] == 0.0 and d["ahead"] == 0.0
    # and one page won back by as much: the interval spans zero on both sides
    a[7] = 1.0
    b[7] = 0.944
    d = mean_difference(a, b)
    assert d["lo"] < 0.0 < d["hi"] and 0.2 < d["ahead"] < 0.8


def test_snippet_difference_is_the_f_of_the_summed_counts():
    a = [(3, 1, 0), (2, 0, 1), (4, 0, 0), (1, 2, 2)]
    b = [(3, 0, 0), (1, 0, 2), (4, 1, 0), (2, 1, 1)]
    fa = sum((SnippetCounts(tp, fn, fp) for tp, fp, fn in a), SnippetCounts()).prf().f1
    fb = sum((SnippetCounts(tp, fn, fp) for tp, fp, fn in b), SnippetCounts()).prf().f1
    d = snippet_difference(a, b)
    assert d["diff"] == pytest.approx(fa - fb)
    assert d["lo"] <= d["diff"] <= d["hi"] and 0.0 <= d["ahead"] <= 1.0


def test_the_same_seed_gives_the_same_interval_and_empty_input_gives_none():
    rng = np.random.default_rng(2)
    a, b = rng.uniform(size=30), rng.uniform(size=30)
    assert mean_difference(a, b) == mean_difference(a, b)
    assert mean_difference([], []) is None and snippet_difference([], []) is None

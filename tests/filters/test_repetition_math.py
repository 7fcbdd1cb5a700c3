"""The compiled n-gram statistics equal datatrove's string-based ones on any word sequence."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from sito.filters.gopher_repetition import find_duplicates
from sito.filters.ngrams import word_list_ngram_stats as ngram_stats

dt = pytest.importorskip("datatrove.pipeline.filters.gopher_repetition_filter",
                         reason="datatrove (test extra) is needed for the reference implementation")

# no two distinct n-grams of this alphabet have the same concatenation (datatrove joins them without a separator)
# (a two-word alphabet makes long repeated n-grams and overlapping skips frequent)
words_st = st.one_of(
    st.lists(st.sampled_from(["a", "b", "cc", "ddd", "ee", ","]), min_size=0, max_size=80),
    st.lists(st.sampled_from(["a", "bb"]), min_size=0, max_size=80),
    st.lists(st.sampled_from(["x", "yy", "zzz"]), min_size=0, max_size=400),
)


@settings(max_examples=150, deadline=None)
@given(words_st)
def test_duplicate_ngram_chars_equals_datatrove(words):
    _, dups = ngram_stats(words, [], list(range(1, 11)))
    assert dups == [dt.find_all_duplicate(words, n) for n in range(1, 11)]


@settings(max_examples=150, deadline=None)
@given(words_st)
def test_top_ngram_chars_equals_datatrove(words):
    tops, _ = ngram_stats(words, [1, 2, 3, 4, 7], [])
    for n, top in zip([1, 2, 3, 4, 7], tops):
        grams = dt.get_n_grams(words, n)
        assert top == (dt.find_top_duplicate(grams) if grams else None)


def test_real_page_equals_datatrove():
    from pathlib import Path

    from sito.filters.words import split_words

    text = (Path(__file__).resolve().parents[2] / "examples" / "pl_news_scraped.txt").read_text(encoding="utf-8")
    words = split_words(text, "pol_Latn")
    tops, dups = ngram_stats(words, [2, 3, 4], list(range(5, 11)))
    assert tops == [dt.find_top_duplicate(dt.get_n_grams(words, n)) for n in (2, 3, 4)]
    assert dups == [dt.find_all_duplicate(words, n) for n in range(5, 11)]
    assert max(dups) > 0  # the page repeats whole lines: the scan has work to do


@given(st.lists(st.sampled_from(["x", "y", "", "zz"]), max_size=30))
def test_find_duplicates_equals_datatrove(items):
    assert find_duplicates(items) == dt.find_duplicates(items)

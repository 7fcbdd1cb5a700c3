"""The vectorised n-gram statistics equal datatrove's string-based ones on any word sequence."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from sito.filters.gopher_repetition import NGramStats, find_duplicates

dt = pytest.importorskip("datatrove.pipeline.filters.gopher_repetition_filter",
                         reason="datatrove (test extra) is needed for the reference implementation")

# no two distinct n-grams of this alphabet have the same concatenation (datatrove joins them without a separator)
# (a two-word alphabet makes long repeated n-grams and overlapping skips frequent)
words_st = st.one_of(
    st.lists(st.sampled_from(["a", "b", "cc", "ddd", "ee", ","]), min_size=0, max_size=80),
    st.lists(st.sampled_from(["a", "bb"]), min_size=0, max_size=80),
)


@settings(max_examples=150, deadline=None)
@given(words_st)
def test_duplicate_ngram_chars_equals_datatrove(words):
    ng = NGramStats(words)
    for n in range(5, 11):
        assert ng.duplicate_ngram_chars(n) == dt.find_all_duplicate(words, n)


@settings(max_examples=150, deadline=None)
@given(words_st)
def test_top_ngram_chars_equals_datatrove(words):
    ng = NGramStats(words)
    for n in (2, 3, 4):
        grams = dt.get_n_grams(words, n)
        expected = dt.find_top_duplicate(grams) if grams else None
        assert ng.top_ngram_chars(n) == expected


@given(st.lists(st.sampled_from(["x", "y", "", "zz"]), max_size=30))
def test_find_duplicates_equals_datatrove(items):
    assert find_duplicates(items) == dt.find_duplicates(items)

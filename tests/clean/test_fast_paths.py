"""The cleaner's shortcuts compute the same thing as the plain definitions they replace.

- the language guess counts stop words through a word -> languages index; it must name the same language as
  counting each language's stop words directly;
- `page_features` keeps per-line results in a cache between the re-reading passes; features from a warm cache
  must equal features computed from scratch;
- the line model multiplies matrices with einsum; it must agree with the plain matrix product.
"""

from pathlib import Path

import numpy as np
import pytest

from sito.clean.cues import guess_language, language_from_counts, load_stopwords, stop_counts
from sito.clean.features import page_features
from sito.clean.model import _mlp, default_model

EX = Path(__file__).resolve().parents[2] / "examples"
PAGE = (EX / "pl_news_scraped.txt").read_text("utf-8")


def _guess_plain(tokens, min_share=0.05):
    """The definition: the language whose stop-word list covers most tokens of 2+ letters (ties: the first)."""
    tokens = [t for t in tokens if len(t) > 1]
    if not tokens:
        return None
    best, best_n = None, 0
    for lang, words in load_stopwords().items():
        n = sum(t in words for t in tokens)
        if n > best_n:
            best, best_n = lang, n
    return best if best_n >= min_share * len(tokens) else None


TEXTS = [
    PAGE,
    "The government said on Tuesday that it would raise taxes on imported steel by ten percent next year.",
    "Die Bundesregierung will die Steuern im kommenden Jahr deutlich senken, wie ein Sprecher mitteilte.",
    "a i w o",                       # only one-letter words: no guess
    "漢字 かな 한국어",               # no stop words of any shipped language
    "",
]


@pytest.mark.parametrize("text", TEXTS)
def test_language_guess_matches_the_definition(text):
    import re

    toks = re.findall(r"\w+", text.lower())
    assert guess_language(toks) == _guess_plain(toks)
    # counts of a concatenation are the sums of the parts' counts
    half = len(toks) // 2
    (ca, ta), (cb, tb), (cab, tab) = stop_counts(toks[:half]), stop_counts(toks[half:]), stop_counts(toks)
    assert [a + b for a, b in zip(ca, cb)] == cab and ta + tb == tab
    assert language_from_counts(cab, tab) == _guess_plain(toks)


def test_features_from_a_warm_cache_equal_fresh_ones():
    lines = PAGE.splitlines()
    cold = page_features(lines)
    cache: dict = {}
    page_features(lines, cache=cache)
    # a re-reading view: every other non-blank line, separated by blank lines, from the same warm cache
    view = []
    for s in [s for s in lines if s.strip()][::2]:
        view += [s, ""]
    warm, warm_view = page_features(lines, cache=cache), page_features(view, cache=cache)
    assert np.array_equal(cold.X, warm.X) and cold.cue == warm.cue and cold.norm == warm.norm
    fresh_view = page_features(view)
    assert np.array_equal(fresh_view.X, warm_view.X) and fresh_view.language == warm_view.language
    assert fresh_view.first_of == warm_view.first_of and fresh_view.doubled_at == warm_view.doubled_at


def test_model_products_agree_with_matmul():
    m = default_model()
    X = page_features(PAGE.splitlines()).X
    Z = (X - m.mean) * m.scale
    H = np.maximum(Z.astype(np.float64) @ m.W1.astype(np.float64) + m.b1, 0.0)
    want = 1.0 / (1.0 + np.exp(-(H @ m.w2.astype(np.float64) + m.b2)))
    assert np.allclose(_mlp(Z, m.W1, m.b1, m.w2, m.b2), want, atol=1e-5)


def test_prefix_factored_patterns_match_the_plain_alternation():
    import json
    import re

    from sito.clean.cues import _trie_pattern

    data = json.loads((Path(__file__).resolve().parents[2] / "src/sito/resources/cleaner/cues.json").read_text("utf-8"))
    lines = [s.lower() for s in PAGE.splitlines()] + ["all rights reserved 2024", "fot. pap", "we use cookies",
                                                      "privacy", "ab", "abc", "b"]
    for key in ("legal", "credit_contains", "consent_words", "months"):
        phrases = sorted({p.lower() for ps in data[key].values() for p in ps})
        alt, trie = "|".join(map(re.escape, phrases)), _trie_pattern(phrases)
        for wrap in ("(?:%s)", r"\b(?:%s)\b"):  # as cues.py uses them: plain, and as whole words (months)
            plain, fast = re.compile(wrap % alt), re.compile(wrap % trie)
            assert [bool(plain.search(s)) for s in lines + phrases] == [bool(fast.search(s)) for s in lines + phrases]
        assert all(re.fullmatch(trie, p) for p in phrases)
    assert re.fullmatch(_trie_pattern(["ab", "abc", "b", "a.c"]), "a.c") and not re.search(_trie_pattern(["a.c"]), "abc")

"""The vectorised word / shingle / signature kernel against plain-Python references on real texts."""

from __future__ import annotations

import random

import numpy as np
import pytest

from planted import edit_words, load_texts
from sito.dedup import hashing
from sito.dedup.hashing import (MinHasher, estimated_jaccard, jaccard, reference_shingles, reference_word_hash,
                                reference_words, word_hashes)

TEXTS = [r["text"] for r in load_texts()]
EXAMPLE = (hashing.__file__ and __import__("pathlib").Path(__file__).resolve().parents[2] / "examples" / "pl_news_scraped.txt")


def test_words_and_word_hashes_match_the_reference():
    texts = TEXTS[:20] + [EXAMPLE.read_text("utf-8"), "", "„Cytat” — tak… «oui» ¿qué? 2024-05-01 e-mail", "a\u00a0b\u3000c"]
    wh, off = word_hashes(texts)
    for i, t in enumerate(texts):
        words = reference_words(t)
        assert off[i + 1] - off[i] == len(words), t[:80]
        assert wh[off[i]:off[i + 1]].tolist() == [reference_word_hash(w) for w in words]
    assert reference_words("„Cytat” — tak… «oui» ¿qué? 2024-05-01 e-mail") == ["cytat", "tak", "oui", "qué", "2024",
                                                                               "05", "01", "e", "mail"]


def test_distinct_words_get_distinct_hashes():
    words = sorted({w for t in TEXTS for w in reference_words(t)})
    wh, _ = word_hashes([" ".join(words)])
    assert len(set(wh.tolist())) == len(words)


def test_shingle_count_matches_reference_sets():
    mh = MinHasher()
    vals, soff = mh.shingle_values(TEXTS[:10] + ["one two", "", "a b c d e"])
    for i, t in enumerate(TEXTS[:10] + ["one two", "", "a b c d e"]):
        ref = reference_shingles(t)
        got = vals[soff[i]:soff[i + 1]]
        assert len(set(got.tolist())) == len(ref)


def test_signatures_do_not_depend_on_batching_or_chunking(monkeypatch):
    mh = MinHasher(num_perm=64)
    batch, _ = mh.signatures(TEXTS[:12])
    single = np.vstack([mh.signatures([t])[0] for t in TEXTS[:12]])
    assert np.array_equal(batch, single)
    monkeypatch.setattr(hashing, "CHUNK_BYTES", 700)  # every text is cut into many pieces at whitespace
    chunked, _ = mh.signatures(TEXTS[:12])
    assert np.array_equal(batch, chunked)


def test_signatures_are_seeded_and_deterministic():
    a, _ = MinHasher(seed=1).signatures(TEXTS[:3])
    b, _ = MinHasher(seed=1).signatures(TEXTS[:3])
    c, _ = MinHasher(seed=2).signatures(TEXTS[:3])
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)


def test_estimate_tracks_true_jaccard_without_bias():
    rng = random.Random(3)
    mh = MinHasher(num_perm=128)
    errs = []
    for t in TEXTS[:60]:
        t2 = edit_words(t, rng.uniform(0.0, 0.2), rng)
        true = jaccard(reference_shingles(t), reference_shingles(t2))
        sig, _ = mh.signatures([t, t2])
        errs.append(float(estimated_jaccard(sig[0], sig[1])) - true)
    errs = np.array(errs)
    assert abs(errs.mean()) < 0.02  # no bias
    assert errs.std() < 0.07  # binomial noise sqrt(J(1-J)/128) <= 0.044, plus hash collisions


def test_short_and_empty_texts():
    mh = MinHasher()
    sig, nw = mh.signatures(["", "!!! ...", "jedno", "dwa słowa", "dwa  SŁOWA!"])
    assert nw.tolist() == [0, 0, 1, 2, 2]
    assert (sig[0] == 0xFFFFFFFF).all() and (sig[1] == 0xFFFFFFFF).all()
    assert np.array_equal(sig[3], sig[4])  # one shingle of all words: same words, same signature
    assert not np.array_equal(sig[2], sig[3])


def test_bad_parameters_raise():
    with pytest.raises(ValueError):
        MinHasher(num_perm=0)

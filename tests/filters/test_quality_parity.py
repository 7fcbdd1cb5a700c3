"""Always-on parity: sito's filters and datatrove's give the same decision and reason on the in-repo documents.

Filter by filter (each alone on the original text; C4 also its kept text) and as chains: English FineWeb
(GopherRepetition, GopherQuality, C4 without the terminal-punctuation rule, FineWebQuality) and FineWeb-2's
chains for Polish, German and Spanish (French, whose spaCy tokenizer takes long to build, runs with the dev
data in test_dev_parity.py).
"""

from __future__ import annotations

import pytest

pytest.importorskip("datatrove", reason="datatrove (test extra) is the reference implementation")
pytest.importorskip("spacy", reason="spaCy (test extra) is datatrove's tokenizer")

from .parity import compare  # noqa: E402


@pytest.mark.parametrize("key", ["en", "pl", "de", "es"])
def test_fixture_documents_same_decisions_as_datatrove(key, fixture_docs):
    docs = fixture_docs[key]
    res = compare(key, docs)
    assert res["diffs"] == []
    assert res["chain_agree"] == len(docs)
    # the fixtures exercise rejections and keeps, not only one side
    rejected = sum(v["rejected_dt"] for v in res["filters"].values())
    assert 0 < rejected < len(docs) * len(res["filters"])


@pytest.mark.parametrize("key,lang", [("en", "eng"), ("pl", "pol_Latn")])
def test_sentence_counts_equal_datatrove(key, lang, fixture_docs):
    from datatrove.utils.text import split_into_sentences

    from sito.filters.c4 import count_sentences

    lines = [ln.strip() for t in fixture_docs[key] for ln in t.splitlines() if len(ln.split()) >= 3]
    lines += ["Dr. Smith arrived.  Then he left!\tReally? Yes...", "Tak. „Cytat.” – powiedział. Koniec"]
    assert len(lines) > 100
    for line in lines:
        assert count_sentences(line, lang) == len(split_into_sentences(line, lang)), line

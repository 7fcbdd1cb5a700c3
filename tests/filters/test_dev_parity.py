"""Parity with datatrove on documents built from the dev pages (skipped when the dev data is absent).

English FineWeb settings on 3,000 documents and FineWeb-2's pol_Latn, deu_Latn, fra_Latn and spa_Latn chains on
1,000 documents each: the page texts (inscriptis full page and trafilatura output) and seeded recombinations of
their lines (see parity_docs.py). Each filter alone and each chain must give datatrove's decision and reason on
at least 99.5 % of the documents; every difference is printed with the document so its cause can be read.

Cost: the first run builds the page texts and datatrove's verdicts (several minutes: datatrove is the slow side)
and caches both under build/filters-parity/; later runs only recompute sito's side.
"""

from __future__ import annotations

import pytest

pytest.importorskip("datatrove", reason="datatrove (test extra) is the reference implementation")
pytest.importorskip("spacy", reason="spaCy (test extra) is datatrove's tokenizer")

from .parity import compare  # noqa: E402
from .parity_docs import base_texts, recombine  # noqa: E402

SIZES = {"en": 3000, "pl": 1000, "de": 1000, "fr": 1000, "es": 1000}
PAGE_LIMIT = {"en": 150}  # English pages read (all pages for the other languages)
MIN_AGREEMENT = 0.995


@pytest.mark.parametrize("key", list(SIZES))
def test_dev_documents_same_decisions_as_datatrove(key, dev_dir):
    docs = recombine(base_texts(key, PAGE_LIMIT.get(key)), SIZES[key])
    assert len(docs) == SIZES[key]
    res = compare(key, docs)
    for d in res["diffs"]:
        print(key, d, repr(docs[d["doc"]][:300]))
    n = res["n"]
    for name, f in res["filters"].items():
        assert f["agree"] / n >= MIN_AGREEMENT, (name, f)
        assert 0 < f["rejected_dt"] < n  # documents on both sides of the filter's thresholds
    assert res["chain_agree"] / n >= MIN_AGREEMENT

"""Exact dedup on normalised text: copies removed, representative by policy and global order, bad input."""

from __future__ import annotations

import pytest

from planted import load_texts, shard
from sito.dedup import ExactParams, run_dedup, run_exact
from sito.dedup.exact import normalize_text
from sito.document import Document

T = [r["text"] for r in load_texts()]


def test_normalisations():
    assert normalize_text(" A  b\n", "none") == " A  b\n"
    assert normalize_text(" A  b\n", "whitespace") == "A b"
    assert normalize_text(" A  b\n", "lower") == "a b"
    assert normalize_text("A, b!", "words") == "a b"
    with pytest.raises(ValueError):
        ExactParams(normalize="stem")


def _docs():
    return [
        Document(id="a", text=T[0]),
        Document(id="b", text=T[1]),
        Document(id="a-upper", text=T[0].upper()),
        Document(id="a-spaces", text=T[0].replace(" ", "  ")),
        Document(id="b-punct", text=T[1].replace(".", "")),
        Document(id="empty", text="  \n "),
        Document(id="a", text=T[0]),  # same id and text, as in two input files
        Document(id="c", text=T[2]),
    ]


def test_copies_removed_with_reason(tmp_path):
    out, stats = run_dedup([_docs()[:4], _docs()[4:]], tmp_path, kinds=("exact",))
    a, b = out
    assert [d.rejection.code if d.rejection else None for d in a + b] == [
        None, None, "exact_duplicate", "exact_duplicate", None, "empty_text", "exact_duplicate", None]
    assert a[2].rejection.detail == "exact duplicate of a" and a[2].rejection.value == 1.0
    assert b[2].metadata["exact_duplicate_of"] == {"id": "a", "task": 0, "position": 0}
    assert b[2].rejection.detail == "exact duplicate of a (another document with the same id: task 0, position 0)"
    assert a[0].metadata["exact_dup_count"] == 4
    assert stats.read == 8 == stats.kept + stats.rejected


def test_words_normalisation_catches_punctuation(tmp_path):
    [out] = run_exact([_docs()], tmp_path, ExactParams(normalize="words"))
    assert out[4].rejection.detail == "exact duplicate of b"


def test_longest_policy_and_task_independence(tmp_path):
    docs = [Document(id="short", text="Ala ma kota"), Document(id="long", text="Ala  ma  kota")]
    [out] = run_exact([docs], tmp_path / "a", ExactParams(keep="longest"))
    assert [d.rejection is None for d in out] == [False, True]
    many = [Document(id=f"d{i}", text=T[i % 7]) for i in range(40)]
    res = []
    for n in (1, 4):
        out = run_exact(shard([Document(id=d.id, text=d.text) for d in many], n), tmp_path / f"n{n}",
                        ExactParams(partitions=3))
        res.append([(d.id, d.rejection.detail if d.rejection else None) for s in out for d in s])
    assert res[0] == res[1]
    assert res[0][7] == ("d7", "exact duplicate of d0")

"""The vectorised word / shingle / signature kernel against plain-Python references on real texts."""

from __future__ import annotations

import random

import numpy as np
import pytest

from planted import edit_words, load_texts
from sito.dedup import hashing
from sito.dedup.exact import normalize_text
from sito.dedup.hashing import (MinHasher, estimated_jaccard, jaccard, reference_shingles, reference_word_hash,
                                reference_words, word_hashes)
from sito.dedup.lines import normalize_line

TEXTS = [r["text"] for r in load_texts()]
# a news paragraph as Chinese sites write it: full-width punctuation, no spaces between words
ZH = ("据新华社北京3月5日电，十四届全国人大二次会议今天上午在人民大会堂开幕。国务院总理在政府工作报告中表示：今年国内生产"
      "总值增长预期目标为5％左右；城镇新增就业1200万人以上！报告指出，要坚持稳中求进、以进促稳、先立后破（见附表一）。"
      "记者注意到，「新质生产力」一词首次写入报告，引发代表委员热议。有代表问：如何把科技创新成果转化为现实生产力？"
      "专家认为，关键在于企业、高校和科研院所的协同。《报告》全文共约一万九千字，分为三个部分。")
# the same paragraph with ASCII punctuation, as other sites (and machine conversions) write it
ZH_ASCII = ZH.translate(str.maketrans({"，": ", ", "。": ". ", "：": ": ", "；": "; ", "！": "! ", "？": "? ", "、": ", ",
                                       "（": " (", "）": ") ", "％": "%", "「": "\"", "」": "\"", "《": "<", "》": ">"}))
EXAMPLE = (hashing.__file__ and __import__("pathlib").Path(__file__).resolve().parents[2] / "examples" / "pl_news_scraped.txt")


def test_words_and_word_hashes_match_the_reference():
    texts = TEXTS[:20] + [EXAMPLE.read_text("utf-8"), "", "„Cytat” — tak… «oui» ¿qué? 2024-05-01 e-mail", "a\u00a0b\u3000c",
                          ZH, ZH_ASCII, "東京｡｢ﾃｽﾄ｣､完了･２０２４年［注］～ＡＢＣ"]
    wh, off = word_hashes(texts)
    for i, t in enumerate(texts):
        words = reference_words(t)
        assert off[i + 1] - off[i] == len(words), t[:80]
        assert wh[off[i]:off[i + 1]].tolist() == [reference_word_hash(w) for w in words]
    assert reference_words("„Cytat” — tak… «oui» ¿qué? 2024-05-01 e-mail") == ["cytat", "tak", "oui", "qué", "2024",
                                                                               "05", "01", "e", "mail"]


def test_cjk_punctuation_separates_words():
    # CJK text has no spaces: its words are the runs between punctuation marks (clauses), whichever punctuation
    # style the text uses, so two copies that differ only by that style have the same words and signature
    words = reference_words(ZH)
    assert words[:4] == ["据新华社北京3月5日电", "十四届全国人大二次会议今天上午在人民大会堂开幕", "国务院总理在政府工作报告中表示",
                         "今年国内生产总值增长预期目标为5"]
    assert len(words) == 23
    assert reference_words(ZH_ASCII) == words
    wh, off = word_hashes([ZH, ZH_ASCII])
    assert off.tolist() == [0, 23, 46] and wh[:23].tolist() == wh[23:].tolist()
    sig, _ = MinHasher().signatures([ZH, ZH_ASCII])
    assert np.array_equal(sig[0], sig[1])
    # every full-width form of ASCII punctuation and every half-width CJK mark is a separator; full-width letters
    # and digits, and half-width katakana, are not
    marks = "".join(chr(0xFF00 + ord(c) - 0x20) for c in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~") + "｟｠｡｢｣､･\u3000"
    assert reference_words(marks) == [] and word_hashes([marks])[1].tolist() == [0, 0]
    assert reference_words("东京｡｢ﾃｽﾄ｣､２０２４年［注］ＡＢＣ～完了") == ["东京", "ﾃｽﾄ", "２０２４年", "注", "ａｂｃ", "完了"]
    # exact dedup's "words" normalisation and repeated lines' normalisation use the same words
    assert normalize_text(ZH, "words") == normalize_text(ZH_ASCII, "words")
    assert normalize_line(ZH) == normalize_line(ZH_ASCII)


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

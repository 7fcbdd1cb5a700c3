"""Gopher quality filter (Rae et al. 2021, "Scaling Language Models", section A.1.1) with datatrove's definitions.

Same statistics, order and defaults as `datatrove.pipeline.filters.GopherQualityFilter`: number of non-symbol
words (words with a character outside datatrove's punctuation set), their mean length, `#` and ellipsis counts
per word, share of lines starting with a bullet / ending with an ellipsis, share of words with a letter, and the
number of distinct stop words present. Words come from `sito.filters.words`. One difference by default: blank
lines are not lines in the bullet and ellipsis shares (`blank_lines`, `sito.filters.text`).

Why not datatrove's code: the per-word tests are computed once per distinct word (`sito.filters.words.Vocabulary`
keeps them for every word a process has seen), so a document costs a few array look-ups over its word ids, and
the tokenizer is sito's fast one.
"""

from __future__ import annotations

from itertools import repeat
from typing import Any, Iterable

import numpy as np

from ..document import Document
from .base import FilterStep
from .text import check_blank_lines
from .words import Vocabulary, word_ids

# Gopher's rules (Rae et al. 2021, A.1.1) as datatrove sets them by default.
MIN_DOC_WORDS = 50
MAX_DOC_WORDS = 100_000
MIN_AVG_WORD_LENGTH = 3
MAX_AVG_WORD_LENGTH = 10
MAX_SYMBOL_WORD_RATIO = 0.1
MAX_BULLET_LINES_RATIO = 0.9
MAX_ELLIPSIS_LINES_RATIO = 0.3
MAX_NON_ALPHA_WORDS_RATIO = 0.8  # datatrove's name; it is the MINIMUM share of words with a letter
MIN_STOP_WORDS = 2
# Gopher's English stop words (datatrove's STOP_WORDS)
STOP_WORDS = ("the", "be", "to", "of", "and", "that", "have", "with")


def word_stats(ids: np.ndarray, vocab: Vocabulary, stop_words: Iterable[str]) -> dict[str, Any]:
    """Gopher's word counts for a document given as word ids (`sito.filters.words.word_ids`)."""
    n_words = int(ids.shape[0])
    lengths = vocab.length[ids]
    symbol = vocab.symbol[ids]
    n_sym = int(np.count_nonzero(symbol))
    n_ns = n_words - n_sym
    ns_chars = int(lengths.sum()) - int(lengths[symbol].sum()) if n_sym else int(lengths.sum())
    stop_ids = [i for i in map(vocab.index.get, set(stop_words)) if i is not None]
    return {
        "n_words": n_words,
        "n_non_symbol_words": n_ns,
        "avg_word_length": ns_chars / n_ns if n_ns else None,
        "alpha_words_ratio": int(np.count_nonzero(vocab.alpha[ids])) / n_words if n_words else None,
        "stop_words": vocab.count_present(stop_ids, ids),
    }


class GopherQuality(FilterStep):
    """Rejects documents that do not look like prose (Gopher, datatrove's `GopherQualityFilter`).

    Thresholds set to None (or 0) are off, as in datatrove. `stop_words` defaults to Gopher's English list;
    `language` chooses the word splitter ("auto": the document's detected language).
    """

    name = "gopher_quality"

    def __init__(
        self,
        min_doc_words: int | None = MIN_DOC_WORDS,
        max_doc_words: int | None = MAX_DOC_WORDS,
        min_avg_word_length: float | None = MIN_AVG_WORD_LENGTH,
        max_avg_word_length: float | None = MAX_AVG_WORD_LENGTH,
        max_symbol_word_ratio: float | None = MAX_SYMBOL_WORD_RATIO,
        max_bullet_lines_ratio: float | None = MAX_BULLET_LINES_RATIO,
        max_ellipsis_lines_ratio: float | None = MAX_ELLIPSIS_LINES_RATIO,
        max_non_alpha_words_ratio: float | None = MAX_NON_ALPHA_WORDS_RATIO,
        min_stop_words: int | None = MIN_STOP_WORDS,
        stop_words: Iterable[str] | None = None,
        blank_lines: str = "skip",
        language: str = "en",
        **kw: Any,
    ):
        super().__init__(language=language, **kw)
        self.min_doc_words = min_doc_words
        self.max_doc_words = max_doc_words
        self.min_avg_word_length = min_avg_word_length
        self.max_avg_word_length = max_avg_word_length
        self.max_symbol_word_ratio = max_symbol_word_ratio
        self.max_bullet_lines_ratio = max_bullet_lines_ratio
        self.max_ellipsis_lines_ratio = max_ellipsis_lines_ratio
        self.max_non_alpha_words_ratio = max_non_alpha_words_ratio
        self.min_stop_words = min_stop_words
        self.stop_words = frozenset(STOP_WORDS if stop_words is None else stop_words)
        self.blank_lines = check_blank_lines(blank_lines)

    def measure(self, text: str, language: str, stop_words: Iterable[str] | None = None) -> dict[str, Any]:
        ids, vocab = word_ids(text, language)
        st = word_stats(ids, vocab, self.stop_words if stop_words is None else stop_words)
        n = st["n_words"]
        st["hash_ratio"] = text.count("#") / n if n else None
        st["ellipsis_ratio"] = (text.count("...") + text.count("…")) / n if n else None
        lines = text.splitlines()
        if self.blank_lines == "skip":
            lines = list(filter(str.strip, lines))
        if lines:
            n = len(lines)
            st["bullet_lines_ratio"] = sum(map(str.startswith, map(str.lstrip, lines), repeat(("•", "-")))) / n
            st["ellipsis_lines_ratio"] = sum(map(str.endswith, map(str.rstrip, lines), repeat(("...", "…")))) / n
        else:
            st["bullet_lines_ratio"] = st["ellipsis_lines_ratio"] = None
        return st

    def judge(self, doc: Document) -> Document:
        st = self.measure(doc.text or "", self.doc_language(doc))
        self.store(doc, {k: (round(v, 6) if isinstance(v, float) else v) for k, v in st.items()})
        return self.apply(doc, st)

    def apply(self, doc: Document, st: dict[str, Any], min_stop_words: int | None = None) -> Document:
        nsw = st["n_non_symbol_words"]
        if self.min_doc_words and nsw < self.min_doc_words:
            return self.fail(doc, "short_doc", nsw, self.min_doc_words)
        if self.max_doc_words and nsw > self.max_doc_words:
            return self.fail(doc, "long_doc", nsw, self.max_doc_words)
        avg = st["avg_word_length"]
        if avg is not None:
            if self.min_avg_word_length and avg < self.min_avg_word_length:
                return self.fail(doc, "avg_word_length_low", avg, self.min_avg_word_length)
            if self.max_avg_word_length and avg > self.max_avg_word_length:
                return self.fail(doc, "avg_word_length_high", avg, self.max_avg_word_length)
        if st["n_words"] == 0:
            return self.fail(doc, "no_words", 0, None, "no words")
        if self.max_symbol_word_ratio and st["hash_ratio"] > self.max_symbol_word_ratio:
            return self.fail(doc, "hash_ratio", st["hash_ratio"], self.max_symbol_word_ratio)
        if self.max_symbol_word_ratio and st["ellipsis_ratio"] > self.max_symbol_word_ratio:
            return self.fail(doc, "ellipsis_ratio", st["ellipsis_ratio"], self.max_symbol_word_ratio)
        if st["bullet_lines_ratio"] is None:
            return self.fail(doc, "no_lines", 0, None, "no lines")
        if self.max_bullet_lines_ratio and st["bullet_lines_ratio"] > self.max_bullet_lines_ratio:
            return self.fail(doc, "bullet_lines", st["bullet_lines_ratio"], self.max_bullet_lines_ratio)
        if self.max_ellipsis_lines_ratio and st["ellipsis_lines_ratio"] > self.max_ellipsis_lines_ratio:
            return self.fail(doc, "ellipsis_lines", st["ellipsis_lines_ratio"], self.max_ellipsis_lines_ratio)
        if self.max_non_alpha_words_ratio and st["alpha_words_ratio"] < self.max_non_alpha_words_ratio:
            return self.fail(doc, "alpha_words", st["alpha_words_ratio"], self.max_non_alpha_words_ratio)
        msw = self.min_stop_words if min_stop_words is None else min_stop_words
        if msw and st["stop_words"] < msw:
            return self.fail(doc, "stop_words", st["stop_words"], msw)
        return doc


# datatrove's reason strings for sito's check names (for comparisons and users coming from datatrove)
DATATROVE_REASONS = {
    "short_doc": "gopher_short_doc", "long_doc": "gopher_long_doc",
    "avg_word_length_low": "gopher_below_avg_threshold", "avg_word_length_high": "gopher_above_avg_threshold",
    "hash_ratio": "gopher_too_many_hashes", "ellipsis_ratio": "gopher_too_many_ellipsis",
    "bullet_lines": "gopher_too_many_bullets", "ellipsis_lines": "gopher_too_many_end_ellipsis",
    "alpha_words": "gopher_below_alpha_threshold", "stop_words": "gopher_enough_stop_words",
}

"""Gopher repetition filter (Rae et al. 2021, "Scaling Language Models", Table A1) with datatrove's definitions.

Same statistics, order and defaults as `datatrove.pipeline.filters.GopherRepetitionFilter`: duplicated
paragraphs / lines (share of elements and of characters), the character share of the most frequent 2/3/4-gram
(`" ".join` of its words, times its count; ties go to the n-gram seen first), and the character share of the
duplicated 5..10-grams counted the way datatrove counts them (a left-to-right scan that skips the n words of a
repeated n-gram). Words come from `sito.filters.words` (datatrove's tokenizer for the language).

Why not datatrove's code: it builds every n-gram as a Python string (nine passes over the text); here the n-gram
statistics of all n come from one compiled kernel over integer word ids (`sito.filters.ngrams`).
"""

from __future__ import annotations

import re
from typing import Any, Sequence

from ..document import Document
from .base import FilterStep
from .ngrams import ngram_stats
from .words import word_ids

# Table A1 of https://arxiv.org/pdf/2112.11446.pdf (datatrove's defaults)
DUP_LINE_FRAC = 0.3
DUP_PARA_FRAC = 0.3
DUP_LINE_CHAR_FRAC = 0.2
DUP_PARA_CHAR_FRAC = 0.2
TOP_N_GRAMS = ((2, 0.2), (3, 0.18), (4, 0.16))
DUP_N_GRAMS = ((5, 0.15), (6, 0.14), (7, 0.13), (8, 0.12), (9, 0.11), (10, 0.10))

_PARA = re.compile(r"\n{2,}")
_LINES = re.compile("\n+")


def find_duplicates(items: Sequence[str]) -> tuple[int, int]:
    """(number of elements equal to an earlier one, their total characters) — datatrove's `find_duplicates`.

    Duplicates are equal strings, so both numbers are "all elements minus the distinct ones" (in C, no loop).
    """
    distinct = set(items)
    return len(items) - len(distinct), sum(map(len, items)) - sum(map(len, distinct))


def _split_newline_runs(text: str) -> list[str]:
    """`re.split("\\n+", text)` without the regex: inner empty pieces are dropped, the first and last kept."""
    parts = text.split("\n")
    if len(parts) <= 2:
        return parts
    return [parts[0], *filter(None, parts[1:-1]), parts[-1]]


class GopherRepetition(FilterStep):
    """Rejects documents with too much repeated content (Gopher, datatrove's `GopherRepetitionFilter`).

    A threshold of 0 or None turns its check off (as in datatrove). `language` chooses the word splitter
    ("auto": the document's detected language).
    """

    name = "gopher_repetition"
    uses_ngram_kernel = True

    def __init__(
        self,
        dup_line_frac: float | None = DUP_LINE_FRAC,
        dup_para_frac: float | None = DUP_PARA_FRAC,
        dup_line_char_frac: float | None = DUP_LINE_CHAR_FRAC,
        dup_para_char_frac: float | None = DUP_PARA_CHAR_FRAC,
        top_n_grams: Sequence[Sequence[float]] = TOP_N_GRAMS,
        dup_n_grams: Sequence[Sequence[float]] = DUP_N_GRAMS,
        language: str = "en",
        **kw: Any,
    ):
        super().__init__(language=language, **kw)
        self.dup_line_frac = dup_line_frac
        self.dup_para_frac = dup_para_frac
        self.dup_line_char_frac = dup_line_char_frac
        self.dup_para_char_frac = dup_para_char_frac
        self.top_n_grams = [(int(n), float(f)) for n, f in top_n_grams]
        self.dup_n_grams = [(int(n), float(f)) for n, f in dup_n_grams]

    def measure(self, text: str, language: str) -> dict[str, Any]:
        n_chars = len(text)
        st: dict[str, Any] = {}
        if self.dup_para_frac or self.dup_para_char_frac:  # (both off in FineWeb-2: not computed)
            paragraphs = _PARA.split(text.strip())
            p_dup, p_chars = find_duplicates(paragraphs)
            st["dup_para_frac"] = p_dup / len(paragraphs)
            st["dup_para_char_frac"] = p_chars / n_chars
        lines = _split_newline_runs(text)
        l_dup, l_chars = find_duplicates(lines)
        st["dup_line_frac"] = l_dup / len(lines)
        st["dup_line_char_frac"] = l_chars / n_chars
        ids, vocab = word_ids(text, language)
        tops, dups = ngram_stats(ids, vocab.length[ids], [n for n, _ in self.top_n_grams],
                                 [n for n, _ in self.dup_n_grams])
        for (n, _), top in zip(self.top_n_grams, tops):
            st[f"top_{n}_gram"] = None if top is None else top / n_chars
        for (n, _), chars in zip(self.dup_n_grams, dups):
            st[f"duplicated_{n}_n_grams"] = chars / n_chars
        return st

    def judge(self, doc: Document) -> Document:
        text = doc.text
        if not text:
            return self.fail(doc, "empty", 0, None, "empty text")
        st = self.measure(text, self.doc_language(doc))
        self.store(doc, {k: (round(v, 6) if isinstance(v, float) else v) for k, v in st.items()})
        for check, thr in (("dup_para_frac", self.dup_para_frac), ("dup_para_char_frac", self.dup_para_char_frac),
                           ("dup_line_frac", self.dup_line_frac), ("dup_line_char_frac", self.dup_line_char_frac)):
            if thr and st.get(check, 0) > thr:
                return self.fail(doc, check, st[check], thr)
        for n, thr in self.top_n_grams:
            v = st[f"top_{n}_gram"]
            if v is not None and v > thr:
                return self.fail(doc, f"top_{n}_gram", v, thr)
        for n, thr in self.dup_n_grams:
            v = st[f"duplicated_{n}_n_grams"]
            if v > thr:
                return self.fail(doc, f"duplicated_{n}_n_grams", v, thr)
        return doc

"""Gopher repetition filter (Rae et al. 2021, "Scaling Language Models", Table A1) with datatrove's definitions.

Same statistics, order and defaults as `datatrove.pipeline.filters.GopherRepetitionFilter`: duplicated
paragraphs / lines (share of elements and of characters), the character share of the most frequent 2/3/4-gram
(`" ".join` of its words, times its count; ties go to the n-gram seen first), and the character share of the
duplicated 5..10-grams counted the way datatrove counts them (a left-to-right scan that skips the n words of a
repeated n-gram). Words come from `sito.filters.words` (datatrove's tokenizer for the language).

Why not datatrove's code: it builds every n-gram as a Python string (nine passes over the text); here words are
hashed once and n-gram hashes are combined with numpy, so all n-gram statistics cost a few vectorised passes, and
the sequential scan of the duplicate n-grams only visits positions whose n-gram occurred before.
"""

from __future__ import annotations

import bisect
import re
from typing import Any, Sequence

import numpy as np

from ..document import Document
from .base import FilterStep
from .words import split_words

# Table A1 of https://arxiv.org/pdf/2112.11446.pdf (datatrove's defaults)
DUP_LINE_FRAC = 0.3
DUP_PARA_FRAC = 0.3
DUP_LINE_CHAR_FRAC = 0.2
DUP_PARA_CHAR_FRAC = 0.2
TOP_N_GRAMS = ((2, 0.2), (3, 0.18), (4, 0.16))
DUP_N_GRAMS = ((5, 0.15), (6, 0.14), (7, 0.13), (8, 0.12), (9, 0.11), (10, 0.10))

_PARA = re.compile(r"\n{2,}")
_LINES = re.compile("\n+")
_MULT = np.uint64(0x9E3779B97F4A7C15)


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


class NGramStats:
    """Hashes of all n-grams of a word list, and datatrove's top / duplicate n-gram statistics over them.

    A repeated n-gram starts with a repeated k-gram for every k < n, so the positions whose shorter prefix is
    not repeated can be left out of the n-gram counting: on ordinary text almost nothing is left to sort.
    """

    def __init__(self, words: list[str]):
        self.n_words = len(words)
        self.h1 = np.fromiter(map(hash, words), dtype=np.int64, count=self.n_words).view(np.uint64)
        lens = np.fromiter(map(len, words), dtype=np.int64, count=self.n_words)
        self.cum = np.concatenate(([0], np.cumsum(lens)))
        self._n = 1
        self._h = self.h1
        # n -> positions whose n-gram occurs more than once (sorted); None when not computed
        self._rep: dict[int, np.ndarray] = {}

    def hashes(self, n: int) -> np.ndarray:
        """Hash of the n-gram starting at each position (length n_words - n + 1)."""
        if n < self._n:
            self._n, self._h = 1, self.h1
        with np.errstate(over="ignore"):
            while self._n < n:
                k = self._n + 1
                self._h = self._h[:-1] * _MULT + self.h1[k - 1:]
                self._n = k
        return self._h

    def chars(self, n: int) -> np.ndarray:
        """Characters of the words of each n-gram (without separators)."""
        return self.cum[n:] - self.cum[:-n]

    def _repeated(self, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(positions whose n-gram occurs more than once, first position of that n-gram, its count)."""
        prev = n - 1 if (n - 1) in self._rep else max((k for k in self._rep if k < n), default=None)
        if prev is not None and self._rep[prev].size == 0:  # nothing shorter repeats: nothing longer does
            self._rep[n] = self._rep[prev]
            return self._rep[prev], self._rep[prev], self._rep[prev]
        h = self.hashes(n)
        m = h.shape[0]
        if prev is None:
            pos = np.arange(m)
        else:
            pos = self._rep[prev]
            pos = pos[pos < m]
        if pos.size == 0:
            self._rep[n] = pos
            return pos, pos, pos
        sub = h[pos]
        _, first, inverse, counts = np.unique(sub, return_index=True, return_inverse=True, return_counts=True)
        inverse = inverse.reshape(-1)
        cnt = counts[inverse]
        keep = cnt > 1
        rpos = pos[keep]
        self._rep[n] = rpos
        return rpos, pos[first[inverse]][keep], cnt[keep]

    def top_ngram_chars(self, n: int) -> int | None:
        """`len(" ".join(top n-gram)) * its count`, the top n-gram being the most frequent, first seen on ties."""
        m = self.n_words - n + 1
        if m <= 0:
            return None
        rpos, first, cnt = self._repeated(n)
        if rpos.size == 0:  # every n-gram occurs once: the first one is the top
            return int(self.chars(n)[0] + n - 1)
        top = cnt.max()
        i0 = int(first[cnt == top].min())
        return int((self.chars(n)[i0] + n - 1) * top)

    def duplicate_ngram_chars(self, n: int) -> int:
        """datatrove's `find_all_duplicate`: characters of repeated n-grams, skipping n words after each one."""
        m = self.n_words - n + 1
        if m <= 1:
            return 0
        rpos, first, _ = self._repeated(n)
        later = rpos != first  # occurrences after the first one: the only positions that can count
        cands = rpos[later]
        if cands.size == 0:
            return 0
        h = self.hashes(n)
        chars = self.chars(n)
        dup_starts: list[int] = []  # positions of counted duplicates: the n-1 following positions are skipped
        added: set[int] = set()  # hashes added to the "seen" set at a candidate position
        skip_until = 0
        total = 0
        hl = h[cands].tolist()
        fl = first[later].tolist()
        cl = chars[cands].tolist()
        for j, i in enumerate(cands.tolist()):
            if i < skip_until:
                continue
            hv = hl[j]
            seen = hv in added
            if not seen:
                f = fl[j]  # first occurrence: in the seen set unless a duplicate's skip covered it
                k = bisect.bisect_right(dup_starts, f) - 1
                seen = not (k >= 0 and f < dup_starts[k] + n)
            if seen:
                total += cl[j]
                dup_starts.append(i)
                skip_until = i + n
            else:
                added.add(hv)
        return total


class GopherRepetition(FilterStep):
    """Rejects documents with too much repeated content (Gopher, datatrove's `GopherRepetitionFilter`).

    A threshold of 0 or None turns its check off (as in datatrove). `language` chooses the word splitter
    ("auto": the document's detected language).
    """

    name = "gopher_repetition"

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
        ng = NGramStats(split_words(text, language))
        for n, _ in self.top_n_grams:
            top = ng.top_ngram_chars(n)
            st[f"top_{n}_gram"] = None if top is None else top / n_chars
        for n, _ in self.dup_n_grams:
            st[f"duplicated_{n}_n_grams"] = ng.duplicate_ngram_chars(n) / n_chars
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

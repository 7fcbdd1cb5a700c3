"""FineWeb quality filter (Penedo et al. 2024, "The FineWeb Datasets") with datatrove's definitions.

Same statistics, order and defaults as `datatrove.pipeline.filters.FineWebQualityFilter`, over the non-blank
lines: share of lines ending with terminal punctuation, share of short lines, characters in duplicated lines per
character, and newlines per word. Words come from `sito.filters.words`. One difference by default: a blank line
between paragraphs adds no newline of its own to the newlines per word (`blank_lines`, `sito.filters.text`).
"""

from __future__ import annotations

from itertools import repeat
from typing import Any, Sequence

from ..document import Document
from .base import FilterStep
from .gopher_repetition import find_duplicates
from .text import TERMINAL_PUNCTUATION, check_blank_lines, line_breaks
from .words import word_ids

# FineWeb's thresholds (datatrove's defaults, https://huggingface.co/spaces/HuggingFaceFW/blogpost-fineweb-v1)
LINE_PUNCT_THR = 0.12
SHORT_LINE_THR = 0.67
SHORT_LINE_LENGTH = 30
CHAR_DUPLICATES_RATIO = 0.01
NEW_LINE_RATIO = 0.3


class FineWebQuality(FilterStep):
    """Rejects list-like and boilerplate-heavy documents (datatrove's `FineWebQualityFilter`)."""

    name = "fineweb_quality"

    def __init__(
        self,
        line_punct_thr: float = LINE_PUNCT_THR,
        line_punct_exclude_zero: bool = False,
        stop_chars: Sequence[str] | None = None,
        short_line_thr: float = SHORT_LINE_THR,
        short_line_length: int = SHORT_LINE_LENGTH,
        char_duplicates_ratio: float = CHAR_DUPLICATES_RATIO,
        new_line_ratio: float = NEW_LINE_RATIO,
        blank_lines: str = "skip",
        language: str = "en",
        **kw: Any,
    ):
        super().__init__(language=language, **kw)
        self.line_punct_thr = line_punct_thr
        self.line_punct_exclude_zero = line_punct_exclude_zero
        self.stop_chars = tuple(stop_chars) if stop_chars is not None else tuple(TERMINAL_PUNCTUATION)
        self.short_line_thr = short_line_thr
        self.short_line_length = short_line_length
        self.char_duplicates_ratio = char_duplicates_ratio
        self.new_line_ratio = new_line_ratio
        self.blank_lines = check_blank_lines(blank_lines)

    def measure(self, text: str, language: str) -> dict[str, Any] | None:
        lines = list(filter(str.strip, text.split("\n")))  # the non-blank lines
        if not lines:
            return None
        n = len(lines)
        stop = self.stop_chars
        short = self.short_line_length
        st: dict[str, Any] = {
            "line_punct_ratio": sum(map(str.endswith, lines, repeat(stop))) / n,
            "short_line_ratio": sum(map(short.__ge__, map(len, lines))) / n,
        }
        denom = len(text) - text.count("\n")
        st["char_dup_ratio"] = find_duplicates(lines)[1] / denom if denom else 0.0
        n_words = len(word_ids(text, language)[0])
        st["list_ratio"] = line_breaks(text, self.blank_lines) / n_words if n_words else None
        return st

    def judge(self, doc: Document) -> Document:
        st = self.measure(doc.text or "", self.doc_language(doc))
        if st is None:
            self.store(doc, {})
            return self.fail(doc, "empty", 0, None, "no non-blank line")
        self.store(doc, {k: (round(v, 6) if isinstance(v, float) else v) for k, v in st.items()})
        r = st["line_punct_ratio"]
        if r < self.line_punct_thr and not (r == 0 and self.line_punct_exclude_zero):
            return self.fail(doc, "line_punct_ratio", r, self.line_punct_thr)
        if st["short_line_ratio"] > self.short_line_thr:
            return self.fail(doc, "short_line_ratio", st["short_line_ratio"], self.short_line_thr)
        if st["char_dup_ratio"] > self.char_duplicates_ratio:
            return self.fail(doc, "char_dup_ratio", st["char_dup_ratio"], self.char_duplicates_ratio)
        if st["list_ratio"] is None:
            return self.fail(doc, "no_words", 0, None, "no words")
        if st["list_ratio"] > self.new_line_ratio:
            return self.fail(doc, "list_ratio", st["list_ratio"], self.new_line_ratio)
        return doc

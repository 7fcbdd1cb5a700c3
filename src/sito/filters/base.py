"""What every quality filter step shares: per-document language resolution, statistics stored in the document's
metadata, rejections that name the filter, the failing statistic, its value and its threshold, counters, and a
guard against texts too large to judge.

A filter computes all of its statistics (so users can re-threshold a corpus from `metadata["quality"]` without
re-running), then applies its checks in datatrove's order; the first failing check is the rejection, as in
datatrove, and its code is `"<filter>:<check>"`.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Iterable, Iterator

from ..document import Document
from ..pipeline import RunStats, Step
from .languages import config_name, lid_code
from .ngrams import warm_up

# Texts longer than this are rejected before any statistic is computed (a 50 MB line would otherwise cost
# hundreds of MB of word lists): no web article or FineWeb document comes near it (Gopher's own maximum is
# 100,000 words, Rae et al. 2021, Table A1), so the limit changes no decision on real pages.
MAX_CHARS = 5_000_000


class FilterStep(Step):
    """Base of the quality filters: subclasses set `name` and implement `measure` and `checks`."""

    name = "filter"
    # steps that compute Gopher's n-gram statistics load the compiled kernel when their stream starts, not inside
    # the first document's time limit (a new process needs about a second for it)
    uses_ngram_kernel = False

    def __init__(self, language: str = "auto", max_chars: int | None = MAX_CHARS):
        self.language = language
        self.max_chars = max_chars
        self.counters: Counter = Counter()

    # -- language -------------------------------------------------------------------------------------------
    def doc_language(self, doc: Document) -> str:
        """The language whose rules apply: the step's `language`, or with "auto" the document's detected one."""
        if self.language != "auto":
            return self.language
        return doc_language(doc) or "eng_Latn"

    # -- running ----------------------------------------------------------------------------------------------
    def run(self, docs: Iterable[Document], stats: RunStats) -> Iterator[Document]:
        self.counters = stats.step(self.name).counters
        if self.uses_ngram_kernel:
            warm_up()
        return super().run(docs, stats)

    def process(self, doc: Document) -> Document:
        text = doc.text or ""
        if self.max_chars is not None and len(text) > self.max_chars:
            return doc.reject(f"{self.name}:too_long", step=self.name, value=len(text), threshold=self.max_chars,
                              detail="text longer than max_chars is not measured")
        return self.judge(doc)

    def judge(self, doc: Document) -> Document:  # pragma: no cover - interface
        raise NotImplementedError

    def store(self, doc: Document, stats: dict[str, Any], key: str | None = None) -> None:
        doc.metadata.setdefault("quality", {})[key or self.name] = stats

    def fail(self, doc: Document, check: str, value: Any, threshold: Any, detail: str = "") -> Document:
        self.counters[f"rejected:{check}"] += 1
        if isinstance(value, float):
            value = round(value, 6)
        if not detail and _number(value) and _number(threshold) and value != threshold:
            side = "below" if value < threshold else "above"
            detail = f"{check.replace('_', ' ')} {value:g} is {side} the threshold {threshold:g}"
        return doc.reject(f"{self.name}:{check}", step=self.name, value=value, threshold=threshold, detail=detail)


def _number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def doc_language(doc: Document) -> str | None:
    """The FineWeb-2 config name of the document's detected language (from the language step's metadata)."""
    md = doc.metadata
    name = md.get("language_fineweb2")
    if name:
        return name
    lang = md.get("language")
    if lang and isinstance(lang, str):
        # the language step writes a lid.176 label ("pl"); a WET record carries Common Crawl's ISO 639-3 codes,
        # most likely first ("pol,eng")
        first = lang.split(",")[0].strip()
        name = config_name(first)
        if name is None:
            try:
                return lid_code(first)   # "eng" -> "en": no config, named as the language step names it
            except ValueError:
                return first
        return name
    return None

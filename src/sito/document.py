"""The data that flows through sito: Document, Rejection, Line and Article.

A `Document` is one input record (a page, a JSON line, a WARC record). Steps either change it (the cleaner
fills `article` and replaces `text` with the clean body) or reject it by setting `rejection`; a rejected
document keeps flowing to the end of the pipeline so that the writer can put it in `rejected/` with its reason.
Nothing is ever dropped silently: `read == kept + rejected`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Rejection:
    """Why a document was removed: a short stable `code`, the step, and the measured value against its threshold."""

    code: str
    step: str = ""
    value: Any = None
    threshold: Any = None
    detail: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "step": self.step,
            "value": self.value,
            "threshold": self.threshold,
            "detail": self.detail,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Rejection":
        return cls(
            code=str(d.get("code", "")),
            step=str(d.get("step", "")),
            value=d.get("value"),
            threshold=d.get("threshold"),
            detail=str(d.get("detail", "")),
        )


@dataclass(slots=True)
class Line:
    """One input line of a page: its role, whether it is kept, and why not."""

    index: int
    text: str
    role: str
    keep: bool
    reason: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"index": self.index, "text": self.text, "role": self.role, "keep": self.keep, "reason": self.reason}


@dataclass(slots=True)
class Article:
    """The clean article and its structure, as `clean_text` / `clean_html` return it.

    `text` is the body without the title: kept lines, verbatim, in order, paragraphs separated by one blank
    line. The other fields are the structure the page showed (title, lead, captions…), and `lines` explains
    every input line.
    """

    text: str = ""
    title: str | None = None
    lead: str | None = None
    headings: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    credits: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    quotes: list[dict[str, Any]] = field(default_factory=list)
    language: str | None = None
    lines: list[Line] = field(default_factory=list)
    # page metadata (HTML input): author, date (ISO 8601), sitename, url, description
    author: str | None = None
    date: str | None = None
    sitename: str | None = None
    url: str | None = None
    description: str | None = None
    # whether `language` was given to the cleaner rather than guessed from stop words (not written out)
    language_given: bool = field(default=False, repr=False, compare=False)

    def as_dict(self, *, with_lines: bool = True) -> dict[str, Any]:
        d = {
            "text": self.text,
            "title": self.title,
            "lead": self.lead,
            "headings": list(self.headings),
            "captions": list(self.captions),
            "credits": list(self.credits),
            "related": list(self.related),
            "quotes": [dict(q) for q in self.quotes],
            "language": self.language,
            "author": self.author,
            "date": self.date,
            "sitename": self.sitename,
            "url": self.url,
            "description": self.description,
        }
        if with_lines:
            d["lines"] = [ln.as_dict() for ln in self.lines]
        return d


# Fields of Article written to output records (besides `text`, which is the document's text).
# the most lines of one document the pipeline cleans (`clean.v1`, `html.v1`): the line cleaner holds a few KB per
# line, and the longest dev page has 5,080 (its full-page text); more is a list or a dump, not one article
MAX_LINES = 50_000

ARTICLE_FIELDS = (
    "title", "lead", "headings", "captions", "credits", "related", "quotes", "language",
    "author", "date", "sitename", "description", "lines",
)


@dataclass(slots=True)
class Document:
    """One record of the corpus. `source` says where it came from (file and line / record number)."""

    id: str
    text: str
    url: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    source: str = ""
    rejection: Rejection | None = None
    article: Article | None = None
    # raw page bytes/str for HTML input, dropped once the page has been turned into text
    html: str | bytes | None = None

    @property
    def rejected(self) -> bool:
        return self.rejection is not None

    def reject(self, code: str, step: str = "", value: Any = None, threshold: Any = None, detail: str = "") -> "Document":
        self.rejection = Rejection(code=code, step=step, value=value, threshold=threshold, detail=detail)
        return self

    @classmethod
    def from_record(cls, rec: dict[str, Any]) -> "Document":
        """The inverse of `to_record` (how a later pass reads an earlier pass's output)."""
        article = None
        if "lines" in rec:
            kw = {k: rec.get(k) for k in ARTICLE_FIELDS if k != "lines" and k in rec}
            for k in ("headings", "captions", "credits", "related", "quotes"):
                kw[k] = list(kw.get(k) or [])
            article = Article(text=rec.get("text") or "", **kw)
            article.lines = [Line(int(ln["index"]), ln["text"], ln["role"], bool(ln["keep"]), ln.get("reason"))
                             for ln in rec.get("lines") or []]
        reason = rec.get("reason")
        return cls(
            id=str(rec.get("id")),
            text=rec.get("text") or "",
            url=rec.get("url"),
            metadata=dict(rec.get("metadata") or {}),
            source=rec.get("source") or "",
            rejection=Rejection.from_dict(reason) if isinstance(reason, dict) else None,
            article=article,
        )

    def to_record(self) -> dict[str, Any]:
        """The output record: id, text, url, source, the article's fields when cleaned, metadata, reason."""
        rec: dict[str, Any] = {"id": self.id, "text": self.text, "url": self.url, "source": self.source}
        if self.article is not None:
            a = self.article.as_dict()
            for k in ARTICLE_FIELDS:
                rec[k] = a[k]
        rec["metadata"] = self.metadata
        if self.rejection is not None:
            rec["reason"] = self.rejection.as_dict()
        return rec

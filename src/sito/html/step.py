"""The pipeline step `html.v1`: documents that carry raw HTML (`doc.html`) become clean articles.

For every document whose `html` is set (the `.html` and WARC readers put the page there), the page goes through
the sandboxed extraction and the line cleaner; the step sets `doc.article`, `doc.text` (the clean body),
`doc.url` when the reader had none, records the charset and the text source in `doc.metadata["html"]` and the
page metadata (title, author, date, sitename, description) in `doc.metadata["page"]`, and drops the raw page. Documents without HTML pass through untouched. Failures are rejections with the measured
value: `html:too_large` (bytes vs `max_bytes`), `html:timeout` (vs `timeout_s`), `html:parse_error`,
`html:empty` (no text, or the cleaner kept no line), `html:crash` (the worker died, e.g. at its memory limit).
"""

from __future__ import annotations

from typing import Iterable, Iterator

from ..document import Document
from ..pipeline import RunStats, Step
from .errors import HtmlError
from .extract import DEFAULT_MAX_BYTES, source_for
from .sandbox import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_S, Sandbox


class HtmlStep(Step):
    """HTML to article, in a worker process with a per-document time limit. Keyword parameters only."""

    name = "html"

    def __init__(self, *, timeout_s: float = DEFAULT_TIMEOUT_S, max_bytes: int = DEFAULT_MAX_BYTES,
                 memory_mb: int | None = DEFAULT_MEMORY_MB, title_in_text: bool = False, extractors: str = "auto"):
        if timeout_s <= 0:
            raise ValueError(f"html: timeout_s must be > 0, got {timeout_s}")
        if max_bytes <= 0:
            raise ValueError(f"html: max_bytes must be > 0, got {max_bytes}")
        self.timeout_s = float(timeout_s)
        self.max_bytes = int(max_bytes)
        self.memory_mb = memory_mb
        self.title_in_text = bool(title_in_text)
        self.source = source_for(extractors)  # see clean_html: "auto", "both" or "recall"
        self._sandbox: Sandbox | None = None

    def _box(self) -> Sandbox:
        if self._sandbox is None:
            self._sandbox = Sandbox(timeout_s=self.timeout_s, memory_mb=self.memory_mb, max_bytes=self.max_bytes)
        return self._sandbox

    def process(self, doc: Document) -> Document:
        if doc.html is None:
            return doc
        from .article import to_article

        html, doc.html = doc.html, None
        meta = doc.metadata if isinstance(doc.metadata, dict) else {}
        charset = meta.get("http_charset") or meta.get("charset")
        charset = charset if isinstance(charset, str) else None
        try:
            extracted = self._box().extract(html, doc.url, charset=charset, source=self.source)
        except HtmlError as exc:
            return doc.reject(exc.code, step=self.name, value=exc.value, threshold=exc.threshold, detail=exc.detail)
        del html
        art = to_article(extracted, url=doc.url)
        doc.article = art
        doc.text = art.text
        if self.title_in_text and art.title and art.text:
            doc.text = f"{art.title}\n\n{art.text}"
        if not doc.url and art.url:
            doc.url = art.url
        meta["html"] = {"encoding": extracted.get("encoding"), "source": extracted.get("source")}
        # the page metadata also goes to doc.metadata, so it survives a later step that rebuilds doc.article
        meta["page"] = {k: getattr(art, k) for k in ("title", "author", "date", "sitename", "description")}
        doc.metadata = meta
        if not art.text.strip():
            doc.reject("html:empty", step=self.name, value=0, threshold=1,
                       detail=f"the cleaner kept no line of {len(extracted['lines'])}")
        return doc

    def run(self, docs: Iterable[Document], stats: RunStats) -> Iterator[Document]:
        from ..clean.kernels import warm_up

        warm_up()  # the cleaner's compiled kernels load before the first document's time limit starts
        try:
            yield from super().run(docs, stats)
        finally:
            self.close()

    def close(self) -> None:
        if self._sandbox is not None:
            self._sandbox.close()
            self._sandbox = None

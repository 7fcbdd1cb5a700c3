"""The pipeline step "clean.v1": clean each document's text into an Article and keep per-role line counts."""

from __future__ import annotations

import time
from collections import Counter
from itertools import islice
from typing import Iterable, Iterator

from ..document import MAX_LINES, Document
from ..filters.languages import lid_code
from ..pipeline import RunStats, Step, _Deadline
from .cleaner import BATCH, KEPT_ROLES, batchable, clean_text, measure_together
from .kernels import warm_up
from .mojibake import fix_mojibake


class CleanStep(Step):
    """Sets `doc.article`, replaces `doc.text` with the clean text; rejects documents left (nearly) empty.

    Parameters (keyword, from sito.toml): `title_in_text` puts the title first in `text` (one blank line after
    it) for corpora that want it; `min_chars` rejects a document whose clean text is shorter, with code
    `clean:empty`; `language` forces the language instead of guessing it from stop words; `mode` is the cleaner's
    decision mode (`sito.clean.cleaner.MODES`): "page" (default) for full-page or scraped text, "extracted" for
    a corpus of an extractor's output; `batch` is how many documents' lines are measured in one call before they
    are cleaned one by one (as `clean_texts` does: the same articles, sooner on short documents; 1 turns it off);
    `max_lines` rejects a document of more lines (`clean:too_many_lines`; default 50,000, ten times the longest
    dev page: the cleaner holds a few KB per line, so a 50 MB record of short lines would need gigabytes).
    `fix_text` (default true) repairs mojibake in a text that shows signs of it before cleaning it
    (`sito.clean.mojibake`: UTF-8 read as Latin-1 or windows-1252/1250, "RzÄ…d"); counter `text_fixed`.
    The batch's measurement runs under one document's time limit; if it fails or runs out of time, each document
    of the batch is measured on its own, as without batching.
    A record's own "title" field (JSONL / Parquet input: `metadata["title"]`) is the page's known title: a line
    of the text that is that headline is the title, a first subheading is not (`clean_lines(title=...)`), and
    `Article.title` is the record's title, as the metadata title is for HTML input.
    Counters: `lines_removed:<role>` and `lines_kept:<role>` for every line, summed over documents.
    """

    name = "clean"

    def __init__(self, title_in_text: bool = False, min_chars: int = 1, language: str | None = None,
                 mode: str = "page", batch: int = BATCH, max_lines: int = MAX_LINES, fix_text: bool = True):
        from .cleaner import _mode

        _mode(mode)  # an unknown mode fails when the pipeline is built, not on the first document
        for key, value, least in (("min_chars", min_chars, 0), ("batch", batch, 1), ("max_lines", max_lines, 1)):
            if isinstance(value, bool) or not isinstance(value, int) or value < least:
                raise ValueError(f"{key} must be an integer >= {least}, got {value!r}")
        self.mode = mode
        self.title_in_text = bool(title_in_text)
        self.min_chars = min_chars
        self.language = lid_code(language) if language is not None else None   # (a bad code fails here)
        self.batch = batch
        self.max_lines = max_lines
        self.fix_text = bool(fix_text)
        self._shared = None
        self._counts: Counter = Counter()

    def process(self, doc: Document) -> Document:
        if doc.article is not None:
            # already cleaned line by line from its HTML (html.v1, with the page's structure as hints):
            # cleaning its clean text again would lose the title, metadata and those decisions
            art = doc.article
        else:
            language = self.language or _record_language((doc.metadata or {}).get("language"))
            text = doc.text or ""
            if self.fix_text:   # (under the document's time limit: ftfy reads about 1 MB a second)
                fixed = fix_mojibake(text)
                if fixed != text:
                    text = fixed
                    self._counts["text_fixed"] += 1
            lines = len(text.splitlines()) or 1   # (the cleaner's lines: "\r", "\u2028"… break them too)
            if lines > self.max_lines:   # (memory: the cleaner holds a few KB per line)
                return doc.reject("clean:too_many_lines", step=self.name, value=lines, threshold=self.max_lines,
                                  detail=f"{lines} lines is more than max_lines={self.max_lines}: not one article")
            shared = self._shared if batchable(text) else None   # (a long one was not measured with the batch)
            known = (doc.metadata or {}).get("title")
            known = known.strip() if isinstance(known, str) and known.strip() else None
            art = clean_text(text, language=language, url=doc.url, mode=self.mode, measurements=shared,
                             title=known)
            if known:   # the record's title is the article's, as the page's metadata title is for HTML
                art.title = known
        for ln in art.lines:
            if ln.role == "blank":
                continue
            kept = ln.keep and ln.role in KEPT_ROLES
            self._counts[f"lines_{'kept' if kept else 'removed'}:{ln.role}"] += 1
        text = art.text
        if self.title_in_text and art.title:
            text = art.title + ("\n\n" + text if text else "")
        doc.article = art
        doc.text = text
        n = len(art.text.strip())
        if n < self.min_chars:
            doc.reject("clean:empty", step=self.name, value=n, threshold=self.min_chars,
                       detail="no article text left after cleaning" if n == 0 else "article text too short")
        return doc

    def run(self, docs: Iterable[Document], stats: RunStats) -> Iterator[Document]:
        st = stats.step(self.name)
        warm_up()  # load the compiled kernels before the first document's time limit starts
        it = iter(docs)
        try:
            while chunk := list(islice(it, self.batch)):
                if self.batch > 1:
                    self._measure_batch(chunk, st)
                for doc in super().run(chunk, stats):
                    if self._counts:
                        st.counters.update(self._counts)
                        self._counts.clear()
                    yield doc
                self._shared = None
        finally:
            self._shared = None
            if self._counts:
                st.counters.update(self._counts)
                self._counts.clear()

    def _measure_batch(self, chunk: list[Document], st) -> None:
        """Measure the lines of the chunk's documents that this step will clean from text, in one call."""
        texts = [d.text for d in chunk if d.rejection is None and d.article is None and batchable(d.text)]
        self._shared = None
        if len(texts) < 2:
            return
        t0 = time.perf_counter()
        try:
            with _Deadline():
                shared = measure_together(texts)
            self._shared = shared
        except Exception:  # a timeout too: each document is then measured on its own, under its own limit
            pass
        st.seconds += time.perf_counter() - t0


def _record_language(value) -> str | None:
    """A record's own language field as a language code, or None (guessed from stop words) when it names none."""
    if not value:
        return None
    try:
        return lid_code(value)
    except (TypeError, ValueError):
        return None


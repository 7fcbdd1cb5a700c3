"""Turning one page's extracted lines, hints and metadata into an `Article` through sito's line cleaner.

The cleaner (`sito.clean.clean_lines`) decides the role of every line, using the DOM hints as extra evidence;
this module only adds the page metadata trafilatura found (title, author, date, sitename, url, description).
The page's `<title>`/`og:title` metadata wins over a title line the cleaner found in the text, because
trafilatura's output usually starts after the headline and its metadata title is the better source.
"""

from __future__ import annotations

from typing import Any

from ..document import Article


def _cleaner():
    from .. import clean

    fn = getattr(clean, "clean_lines", None)
    if fn is not None:
        return fn, True
    return clean.clean_text, False


# The cleaner's decision mode per text source (sito.clean.cleaner.MODES): trafilatura's lines are judged in
# "html-extracted" mode (lines both trafilatura settings kept are removed only by a rule or a very sure model),
# the full-page fallback in "html-fulltext" mode (page-mode decisions, lines trafilatura kept protected).
# With one trafilatura call ("extractor_recall", `extractors="recall"`) there are no agreement marks: its lines
# are judged in "extracted" mode.
SOURCE_MODE = {"extractor": "html-extracted", "extractor_default": "html-extracted", "fulltext": "html-fulltext",
               "extractor_recall": "extracted"}


def to_article(extracted: dict[str, Any], url: str | None = None, language: str | None = None,
               mode: str | None = None) -> Article:
    """Run the line cleaner on the extracted lines with their hints and fill in the page metadata. `mode`
    overrides the cleaner's decision mode chosen from the text source (`SOURCE_MODE`)."""
    fn, takes_lines = _cleaner()
    lines = extracted["lines"]
    meta = extracted.get("metadata") or {}
    page_url = url or meta.get("url")
    if takes_lines:
        art = fn(lines, hints=extracted.get("hints"), language=language, url=page_url,
                 mode=mode or SOURCE_MODE.get(extracted.get("source"), "page"))
    else:
        art = fn("\n".join(lines), language=language, url=page_url)
    if meta.get("title"):
        art.title = meta["title"]
    for k in ("author", "date", "sitename", "description"):
        if meta.get(k) and not getattr(art, k):
            setattr(art, k, meta[k])
    art.url = page_url
    return art

"""HTML (and WARC records' HTML) to a clean article: `clean_html` and the pipeline step `html.v1`.

How a page becomes an article — the combination that won on the dev TRAIN split (docs/html.md has the numbers
of every combination, on train and held-out):

1. decode the bytes (UTF-8, else the declared charset, else detection) and parse ONCE with a locked-down lxml
   parser (no network, libxml2's depth and size limits on);
2. run trafilatura on that tree, tuned for recall (`favor_recall=True`, `deduplicate=False`, no comments), for
   the candidate article lines and, in the same call, the page metadata (htmldate for the date);
3. when trafilatura's output is tiny (under `MIN_EXTRACTOR_CHARS` characters) read the whole page instead
   (inscriptis full-page text), so a page trafilatura gives up on still gets its article;
4. give every line its DOM evidence (tag, nav/aside/footer/header ancestry, boilerplate class words, link
   density, whether trafilatura kept it) and let sito's line cleaner decide what is article: trafilatura's
   recall mode lets through related-links blocks, captions, credits and share lines that the cleaner removes.

Why this one: on the train split it had the best sum of per-set scores (readability F1 0.960, trafilatura-eval
snippet F 0.922, newspaper4k F1 0.927, wcxb F1 0.836) against trafilatura's lines without hints (the hints lift
recall on listings and collections), full-page text with hints (best on forums/service pages, worse on
articles), trafilatura's balanced output through the cleaner, and fallback thresholds 0–1000 characters.
On held-out pages it does NOT beat trafilatura's default output everywhere (docs/html.md): the gain is in
precision, paid with recall the line cleaner removes.

Steps 1–2 can hang or blow up on hostile pages, so `HtmlStep` runs them in a sandboxed worker process with a
per-document time limit (`sandbox.py`). `clean_html` runs in-process unless given a `Sandbox`.
"""

from __future__ import annotations

from ..document import Article
from .errors import HtmlError
from .extract import DEFAULT_MAX_BYTES, MIN_EXTRACTOR_CHARS, extract_page
from .sandbox import Sandbox
from .step import HtmlStep

__all__ = ["clean_html", "HtmlError", "HtmlStep", "Sandbox", "extract_page", "STEPS", "DEFAULT_MAX_BYTES",
           "MIN_EXTRACTOR_CHARS"]


def clean_html(html: str | bytes, *, url: str | None = None, charset: str | None = None,
               language: str | None = None, sandbox: Sandbox | None = None,
               max_bytes: int = DEFAULT_MAX_BYTES) -> Article:
    """The article of one HTML page (str, or bytes decoded by the declared or detected charset).

    Fills the fields of `clean_text` plus title, author, date (ISO 8601), sitename, url and description.
    Raises `HtmlError` (with `.code`: html:too_large / html:parse_error / html:empty, and html:timeout /
    html:crash when run through a `Sandbox`). Without `sandbox` it runs in this process, with no time limit.
    """
    from .article import to_article

    if sandbox is not None:
        extracted = sandbox.extract(html, url, charset=charset)
    else:
        extracted = extract_page(html, url, charset=charset, max_bytes=max_bytes)
    return to_article(extracted, url=url, language=language)


STEPS = {"html.v1": HtmlStep}

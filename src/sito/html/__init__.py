"""HTML (and WARC records' HTML) to a clean article: `clean_html` and the pipeline step `html.v1`.

How a page becomes an article — the combination that won on the dev TRAIN split (docs/html.md has the numbers
of every combination, on train and held-out):

1. decode the bytes (UTF-8, else the declared charset, else detection) and parse ONCE with a locked-down lxml
   parser (no network, libxml2's depth and size limits on);
2. run trafilatura on that tree tuned for recall (`favor_recall=True`, no comments, `deduplicate=False`), and
   — only when that output is short (under `SECOND_CALL_BELOW`, 1,500 characters: where recall mode tends to
   keep only one part of a thread, listing or service page) — a second time with its default settings
   (balanced, comments included); with two outputs read the longer: the default one when it has over
   `DEFAULT_LONGER` (1.1) times the characters, else the recall-tuned one;
3. when both outputs are tiny (under `MIN_EXTRACTOR_CHARS` characters) read the whole page instead
   (inscriptis full-page text), so a page trafilatura gives up on still gets its article (and when the cleaner
   keeps nothing of the whole page, read trafilatura's short output after all).
   A discussion thread (its URL is a thread's address on a forum, Q&A or Reddit-like site: `sito.pagetype`) is
   read from its whole page as well: every post is article text and trafilatura keeps only part of them;
4. give every line its DOM evidence (tag, nav/aside/footer/header ancestry, boilerplate class words, link
   density) and, with two outputs, whether the OTHER one also has it (`in_extractor`), and let sito's line
   cleaner, whose model reads that evidence as features, decide what is article in a conservative mode (`sito.clean.cleaner.MODES`): one output in
   "extracted" mode; two in "html-extracted", where text both trafilatura settings agree on is removed only by
   a rule that is clearly right (recommendation blocks, credits, doubled captions, repeats) or a model that is
   very sure, and text only one setting found is judged like full-page text. The full-page fallback is cleaned
   in "html-fulltext" mode (lines trafilatura kept are protected unless the model is sure), a thread's page in
   "thread" mode ("page" without the main-block rule).

Why the second call only after a short first output: on the train split that scores as making it on every page, at
about two thirds of the time (`benchmarks/bench_second_call.py`). Why two outputs with agreement marks (when there
are two): on the train split it beat trafilatura's default output on every dev set (readability token F1 0.950 vs
0.933, trafilatura-eval snippet F 0.925 vs 0.922, newspaper4k 0.941 vs 0.914, wcxb 0.847 vs 0.833) and had the best
sum of per-set scores among: the recall-tuned lines alone through the cleaner in "page" mode (the previous choice,
3.645) or in a conservative mode (3.648), trafilatura's default lines through the cleaner (3.644), the longer output
without the agreement marks (3.634), and stricter rules for the lines only one setting kept (p(keep) >= 0.2…0.5:
better on readability, worse on wcxb). docs/html.md has the tables, on train and held-out.

Steps 1–2 can hang or blow up on hostile pages, so `HtmlStep` runs them in a sandboxed worker process with a
per-document time limit (`sandbox.py`). `clean_html` runs in-process unless given a `Sandbox`.
"""

from __future__ import annotations

from ..document import Article
from .errors import HtmlError
from .extract import DEFAULT_MAX_BYTES, MIN_EXTRACTOR_CHARS, extract_page, source_for
from .sandbox import Sandbox
from .step import HtmlStep

__all__ = ["clean_html", "HtmlError", "HtmlStep", "Sandbox", "extract_page", "STEPS", "DEFAULT_MAX_BYTES",
           "MIN_EXTRACTOR_CHARS"]


def clean_html(html: str | bytes, *, url: str | None = None, charset: str | None = None,
               language: str | None = None, sandbox: Sandbox | None = None,
               max_bytes: int = DEFAULT_MAX_BYTES, mode: str | None = None,
               extractors: str = "auto", model=None) -> Article:
    """The article of one HTML page (str, or bytes decoded by the declared or detected charset).

    Fills the fields of `clean_text` plus title, author, date (ISO 8601), sitename, url and description.
    Raises `HtmlError` (with `.code`: html:too_large / html:parse_error / html:empty, and html:timeout /
    html:crash when run through a `Sandbox`). Without `sandbox` it runs in this process, with no time limit.
    `mode` overrides the line cleaner's decision mode, which is otherwise chosen from where the lines came from
    (`sito.html.article.SOURCE_MODE`). `extractors`: "auto" (the default: trafilatura tuned for recall, and
    with its default settings too when that output is short), "both" (both settings on every page: slower,
    scores about the same) or "recall" (the recall-tuned call only: a little less accurate; docs/html.md).
    `model`: the line model (a `sito.clean.model.LineModel`; default: the shipped one), e.g. one `sito train`
    just built, for `sito eval --model`.
    """
    from .article import to_article

    if isinstance(html, memoryview):
        html = html.tobytes()
    if not isinstance(html, (str, bytes, bytearray)):
        raise TypeError(f"html must be str or bytes, not {type(html).__name__}")
    for name, value in (("url", url), ("charset", charset)):
        if value is not None and not isinstance(value, str):
            raise TypeError(f"{name} must be a string, not {type(value).__name__}")
    if sandbox is not None:
        if len(html) > max_bytes:   # (the sandbox has its own limit too)
            raise HtmlError("html:too_large", f"{len(html)} bytes", value=len(html), threshold=max_bytes)
        extracted = sandbox.extract(html, url, charset=charset, source=source_for(extractors))
    else:
        extracted = extract_page(html, url, charset=charset, max_bytes=max_bytes, source=source_for(extractors))
    return to_article(extracted, url=url, language=language, mode=mode, model=model)


STEPS = {"html.v1": HtmlStep}

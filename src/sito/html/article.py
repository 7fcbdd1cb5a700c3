"""Turning one page's extracted lines, hints and metadata into an `Article` through sito's line cleaner.

The cleaner (`sito.clean.clean_lines`) decides the role of every line, using the DOM hints as extra evidence;
this module only adds the page metadata (title, author, date, sitename, url, description) and the captions and
photo credits of the page's figures (`figures.py`), after those the cleaner found among the lines.
The page's metadata title (its one `<h1>` when that is the `<title>`/`og:title` headline, `metadata.headline`)
wins over a title line the cleaner found in the text, because trafilatura's output usually starts after the
headline and the metadata title is the better source. The cleaner
is told that title, so that a first line which is not it (a subheading, a standfirst) stays in the text rather
than being taken for the title and lost.
"""

from __future__ import annotations

from typing import Any

from ..document import Article


# The cleaner's decision mode per text source (sito.clean.cleaner.MODES): trafilatura's lines are judged in
# "html-extracted" mode (lines both trafilatura settings kept are removed only by a rule or a very sure model),
# the full-page fallback in "html-fulltext" mode (page-mode decisions, lines trafilatura kept protected), a
# discussion thread's whole page (`sito.pagetype`) in "thread" mode: full-page text with several blocks.
# With one trafilatura call ("extractor_recall", `extractors="recall"`) there are no agreement marks: its lines
# are judged in "extracted" mode.
SOURCE_MODE = {"extractor": "html-extracted", "extractor_default": "html-extracted", "fulltext": "html-fulltext",
               "thread": "thread", "extractor_recall": "extracted"}


def clean_extracted(extracted: dict[str, Any], url: str | None = None, language: str | None = None,
                    mode: str | None = None, model=None) -> tuple[Article, str]:
    """The line cleaner on `extract_page`'s lines and hints, in the mode of their source (`SOURCE_MODE`, or
    `mode`). When the full-page fallback is cleaned to nothing and trafilatura's short output has text, that
    output is cleaned instead (in "extracted" mode): a page whose article is a few lines, which the whole
    page's menus drown, keeps them. Returns the article and the source it was read from."""
    from ..clean import clean_lines

    source = extracted.get("source")
    title = extracted.get("title", (extracted.get("metadata") or {}).get("title"))
    art = clean_lines(extracted["lines"], hints=extracted.get("hints"), language=language, url=url, model=model,
                      mode=mode or SOURCE_MODE.get(source, "page"), title=title)
    fallback = extracted.get("fallback")
    if fallback and not art.text.strip():  # (only the full-page sources carry one: `extract_page`)
        source = "extractor_recall"
        art = clean_lines(fallback["lines"], hints=fallback.get("hints"), language=language, url=url, model=model,
                          mode=mode or SOURCE_MODE[source], title=title)
    elif source in _INDENTED_SOURCES:
        _drop_layout_indent(art, extracted.get("hints"))
    return art, source


def _title_out_of_text(art: Article, title_key: str) -> None:
    """The text leaves the title out: a first kept line that is the page's title (a sentence-like headline the
    cleaner kept as a heading or as the lead), when more lines follow it, becomes the title line; headlines
    equal to it leave `related`."""
    kept = [ln for ln in art.lines if ln.keep and ln.role != "title"]
    # (a page whose one paragraph is its title keeps it as its text: an empty article would say less)
    if len(kept) > 1 and " ".join(kept[0].text.split()).casefold() == title_key:
        first = kept[0]
        if art.lead is not None and " ".join(art.lead.split()).casefold() == title_key:
            art.lead = None
        first.role = "title"
        _rebuild_text(art)
    art.related = [r for r in art.related if " ".join(r.split()).casefold() != title_key]


# Sources rendered by inscriptis, which draws the page's nesting as indentation (two spaces per <div>, four per
# list: its "relaxed" CSS profile). The cleaner reads the lines as rendered (the indentation is one of its
# features, as in training); the article gives them without it.
_INDENTED_SOURCES = frozenset({"fulltext", "thread"})


def _drop_layout_indent(art: Article, hints: list[dict | None] | None) -> None:
    """Remove the rendering's indentation from the article's lines and text: a line's leading spaces, and from
    the lines of a `<pre>` block (blank lines inside it included) the indentation they all share, so that code
    keeps its own. The text is rebuilt from the kept lines (`_rebuild_text`)."""
    lines = art.lines
    n = len(lines)
    pre = [bool(hints and i < len(hints) and (hints[i] or {}).get("tag") == "pre") for i in range(n)]
    i = 0
    while i < n:
        if not pre[i]:
            lines[i].text = lines[i].text.lstrip(" ")
            i += 1
            continue
        j = i
        while j < n and (pre[j] or (not lines[j].text.strip() and j + 1 < n and pre[j + 1])):
            j += 1
        pad = min(len(lines[k].text) - len(lines[k].text.lstrip(" ")) for k in range(i, j) if pre[k])
        for k in range(i, j):
            lines[k].text = lines[k].text[pad:] if pre[k] else lines[k].text.lstrip(" ")
        i = j
    _rebuild_text(art)


def _rebuild_text(art: Article) -> None:
    """The text from the lines, as `clean_lines` builds it: every kept line but the title, a blank line between."""
    art.text = "\n\n".join(ln.text for ln in art.lines if ln.keep and ln.role != "title")


def to_article(extracted: dict[str, Any], url: str | None = None, language: str | None = None,
               mode: str | None = None, model=None) -> Article:
    """Run the line cleaner on the extracted lines with their hints (`clean_extracted`) and fill in the page
    metadata. `mode` overrides the cleaner's decision mode chosen from the text source (`SOURCE_MODE`); `model`
    the line model (default: the shipped one). When the article comes from the fallback text,
    `extracted["source"]` is updated to say so."""
    meta = extracted.get("metadata") or {}
    page_url = url or meta.get("url")
    art, extracted["source"] = clean_extracted(extracted, url=page_url, language=language, mode=mode,
                                                model=model)
    if meta.get("title"):
        art.title = meta["title"]
        # (the headline line the cleaner kept as a heading is the title, not a heading of the text)
        same = " ".join(art.title.split()).casefold()
        art.headings = [h for h in art.headings if " ".join(h.split()).casefold() != same]
        _title_out_of_text(art, same)
    for k in ("author", "date", "sitename", "description"):
        if meta.get(k) and not getattr(art, k):
            setattr(art, k, meta[k])
    figures = extracted.get("figures") or {}
    for k in ("captions", "credits"):   # the figures' own, after those the cleaner found among the lines
        have = getattr(art, k)
        have.extend(v for v in figures.get(k) or () if v not in have)
    art.url = page_url
    return art

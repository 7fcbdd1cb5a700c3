"""Page metadata — title, author, date, sitename, url, description — with trafilatura's and htmldate's extractors.

This is `trafilatura.metadata.extract_metadata` minus what sito does not output (categories, tags, license):
those three scans cost about a fifth of the metadata time on the dev pages and nothing here uses them. The
order and the rules are trafilatura's: `<meta>` tags, then JSON-LD overriding them, then the DOM (single
`<h1>`, title XPaths, `<title>`), the author from the DOM when the meta tags gave none, the canonical URL, the
date by htmldate (original publication date).

One departure: htmldate runs without its "extensive search" (trafilatura turns it on). On a third of the wcxb
train pages (335) the extensive search found 6 more correct dates of 179 (154 vs 148) but also put a date on 152
of the 156 pages that have none (against 72 without it: mostly copyright years read as YYYY-01-01), and cost
about 33 ms of CPU per page instead of 7 (one page took 3.9 s). On readability's pages both give the same dates
(train 22/23, held-out 8/9).
"""

from __future__ import annotations

import logging
from typing import Any

from htmldate import find_date
from lxml.html import HtmlElement
from trafilatura.metadata import (
    META_URL,
    examine_meta,
    extract_author,
    extract_meta_json,
    extract_sitename,
    extract_title,
    extract_url,
    set_date_params,
)

LOG = logging.getLogger(__name__)
FIELDS = ("title", "author", "date", "sitename", "description", "url")


def page_metadata(tree: HtmlElement, url: str | None = None) -> dict[str, Any]:
    """The metadata fields of one parsed page (None where the page has none); never raises on page content."""
    md = examine_meta(tree)
    if md.author and " " not in md.author:  # trafilatura's rule: a one-word meta author is a handle, not a name
        md.author = None
    try:
        md = extract_meta_json(tree, md)
    except Exception as err:  # trafilatura's JSON-LD parser has bugs on odd pages; keep the <meta> values
        LOG.debug("JSON-LD metadata: %s", err)
    if not md.title:
        md.title = extract_title(tree)
    if not md.author:
        md.author = extract_author(tree)
    if not md.url:
        md.url = extract_url(tree, url)
    params = set_date_params(False)  # no extensive search: see the module docstring
    params["url"] = md.url
    try:
        md.date = find_date(tree, **params)
    except Exception as err:  # htmldate on malformed dates
        LOG.debug("date: %s", err)
        md.date = None
    if not md.sitename:
        md.sitename = extract_sitename(tree)
    if md.sitename:
        md.sitename = md.sitename.lstrip("@")
        if md.sitename and "." not in md.sitename and not md.sitename[0].isupper():
            md.sitename = md.sitename.title()
    elif md.url:
        m = META_URL.match(md.url)
        if m:
            md.sitename = m[1]
    md.clean_and_trim()
    return {k: (getattr(md, k, None) or None) for k in FIELDS}

"""Structural hints from the page's DOM, one dict per text line, for the line cleaner.

The DOM walk splits the page into blocks the way a browser lays them out: every block-level element (p, h1–h6,
li, td, figcaption, blockquote, div…) starts a new block, inline elements (a, span, em…) add their text to the
block they sit in. For each block it records the evidence a reader uses to tell an article from its frame:

- `tag`: the block's own tag ("h2", "p", "li", "figcaption", "td"…);
- `in_nav`, `in_aside`, `in_footer`, `in_header`: an ancestor is `<nav>`/`<aside>`/`<footer>`/`<header>` (or has
  the ARIA role navigation / complementary / contentinfo / banner);
- `in_article`: an ancestor is `<article>` or `<main>` (or role main / article);
- `in_figure`, `in_form`: inside `<figure>` / `<form>`;
- `boilerplate_class`: an ancestor's class or id contains a boilerplate word (nav, menu, share, related, comment,
  cookie, footer, sidebar, promo…), the cue readability.js uses (its `unlikelyCandidates` list);
- `link_density`: the share of the block's characters inside `<a>` (readability.js and jusText use the same
  measure);
- `bold`: nine tenths of the block's characters are inside `<b>` / `<strong>` (a subheading written as
  `<p><strong>…</strong></p>`; only the line's role reads it, not the model's columns);
- `in_extractor`: the line is also in trafilatura's output (set by the caller).

Lines of extracted text are matched to blocks by their whitespace-normalised text (exact, then the first
`_PREFIX` characters for lines an extractor cut or joined). The walk is iterative (no recursion), touches every
element once and never calls `text_content()` on nested blocks, so it stays linear in the page size.
"""

from __future__ import annotations

import re
from typing import Any

from lxml.etree import iterwalk
from lxml.html import HtmlElement

BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption center dd details dialog dir div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html legend li main menu nav ol p pre section summary "
    "table tbody td tfoot th thead tr ul br option select textarea title button label".split()
)
# <noscript> is not skipped: broken pages put their whole <body> inside one, and trafilatura reads it
SKIP_TAGS = frozenset("script style template head svg math iframe object embed canvas".split())
_FLAG_TAGS = {"nav": 1, "aside": 2, "footer": 4, "header": 8, "article": 16, "main": 16, "figure": 32, "form": 64}
_FLAG_ROLES = {"navigation": 1, "menu": 1, "menubar": 1, "complementary": 2, "contentinfo": 4, "banner": 8,
               "main": 16, "article": 16, "figure": 32, "form": 64, "search": 64}
_BOILER = 128
# readability.js's unlikelyCandidates (github.com/mozilla/readability, Readability.js REGEXPS) plus share/cookie words
_BOILER_RE = re.compile(
    r"-ad-|^ad-|\bads?\b|advert|banner|breadcrumb|combx|comment|community|cookie|consent|cover-wrap|disqus|extra|"
    r"footer|gdpr|header|legends|menu|related|remark|replies|rss|share|shoutbox|sidebar|skyscraper|social|"
    r"sponsor|supplemental|pagination|pager|popup|promo|newsletter|subscribe|teaser|recommend|tags?\b|widget|nav\b",
    re.IGNORECASE,
)
_BOILER_CACHE: dict[str, bool] = {}  # "class id" string -> boilerplate word and no "ok" word
# readability.js's okMaybeItsACandidate: these override a boilerplate word ("main-footer-article"…)
_OK_RE = re.compile(r"and|article|body|column|content|main|shadow|story|entry|post", re.IGNORECASE)
_BULLET = re.compile(r"^(?:[*\-•·◦▪–]\s+|\d{1,3}[.)]\s+)")
_BULLET_FIRST = frozenset("*-•·◦▪–")  # the characters a _BULLET match starts with, besides digits
_PREFIX = 40
BOLD_SHARE = 0.9   # of a block's characters inside <b> / <strong> for the block to be set in bold


def norm(line: str) -> str:
    """The key a text line is matched on: whitespace collapsed, list bullets removed."""
    s = " ".join(line.split())  # (str.split() splits on exactly the characters regex \s matches)
    return _BULLET.sub("", s) if s and (s[0] in _BULLET_FIRST or s[0].isdigit()) else s


_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
_NO_BLOCK = {"tag": None, "in_nav": False, "in_aside": False, "in_footer": False, "in_header": False,
             "in_article": False, "in_figure": False, "in_form": False, "boilerplate_class": False,
             "link_density": 0.0, "bold": False}


class BlockMap:
    """Blocks of one page by normalised text, with their hints."""

    __slots__ = ("by_text", "by_prefix", "by_heading", "_tags", "_flags", "_density", "_bold")

    def __init__(self, tree: HtmlElement):
        tags: list[str] = []  # per block: its tag, flags, text pieces and characters inside <a>
        bflags: list[int] = []
        texts: list[list[str]] = []
        links: list[int] = []
        bolds: list[int] = []   # per block: characters inside <b> / <strong>
        boiler_cache = _BOILER_CACHE
        if len(boiler_cache) > 100_000:
            boiler_cache.clear()
        flag_tags, flag_roles, block_tags, skip_tags = _FLAG_TAGS, _FLAG_ROLES, BLOCK_TAGS, SKIP_TAGS

        # stack of [block index, flags, inside <a>, inside <b>/<strong>]; block -1 = inside a skipped subtree
        tags.append("body"), bflags.append(0), texts.append([]), links.append(0), bolds.append(0)
        stack: list[list[Any]] = [[0, 0, False, False]]
        for event, el in iterwalk(tree, events=("start", "end")):
            tag = el.tag
            if not isinstance(tag, str):  # comments / PIs / entities
                continue
            if event == "start":
                pb, pflags, pin_a, pin_b = stack[-1]
                if pb < 0 or tag in skip_tags:
                    stack.append([-1, pflags, pin_a, pin_b])
                    continue
                flags = pflags | flag_tags.get(tag, 0)
                get = el.get
                role = get("role")
                if role:
                    flags |= flag_roles.get(role.strip().lower(), 0)
                if not flags & _BOILER and tag != "html" and tag != "body":
                    c, i = get("class"), get("id")
                    if c or i:
                        ci = (c or "")[:200] + " " + (i or "")[:100]
                        hit = boiler_cache.get(ci)
                        if hit is None:  # pages repeat their class names: each distinct one is searched once
                            hit = boiler_cache[ci] = bool(_BOILER_RE.search(ci) and not _OK_RE.search(ci))
                        if hit:
                            flags |= _BOILER
                in_a = pin_a or tag == "a"
                if tag in block_tags:
                    b = len(tags)
                    tags.append(tag), bflags.append(flags), texts.append([]), links.append(0), bolds.append(0)
                    in_b = False
                else:
                    b = pb
                    in_b = pin_b or tag == "strong" or tag == "b"
                stack.append([b, flags, in_a, in_b])
                text = el.text
                if text:
                    texts[b].append(text)
                    if in_a:
                        links[b] += len(text)
                    if in_b:
                        bolds[b] += len(text)
            else:
                b = stack.pop()[0]
                if not stack:
                    break
                parent = stack[-1]
                pb = parent[0]
                if pb < 0:
                    continue
                if tag in block_tags and b >= 0 or tag == "br":
                    # text after a nested block (or a <br>) is a new line of the parent block
                    nb = len(tags)
                    tags.append(tags[pb]), bflags.append(bflags[pb]), texts.append([]), links.append(0)
                    bolds.append(0)
                    parent[0] = pb = nb
                tail = el.tail
                if tail:
                    texts[pb].append(tail)
                    if parent[2]:
                        links[pb] += len(tail)
                    if parent[3]:
                        bolds[pb] += len(tail)
        # the lookup tables hold block numbers; a hint dict is made only for the lines looked up
        by_text: dict[str, int] = {}
        by_prefix: dict[str, int] = {}
        by_heading: dict[str, int] = {}   # the first heading block of a text that an earlier block also has
        density: list[float] = [0.0] * len(tags)
        bold: list[bool] = [False] * len(tags)
        for b, parts in enumerate(texts):
            if not parts:
                continue
            raw = "".join(parts)
            text = norm(raw)
            if not text:
                continue
            size = max(1, len(raw.strip()))
            density[b] = round(min(1.0, links[b] / size), 3)
            bold[b] = bolds[b] >= BOLD_SHARE * size
            if text not in by_text:
                by_text[text] = b
            elif tags[b] in _HEADINGS and text not in by_heading and tags[by_text[text]] not in _HEADINGS:
                by_heading[text] = b   # (a table of contents' entry, then the heading it links to)
            if len(text) >= _PREFIX and text[:_PREFIX] not in by_prefix:
                by_prefix[text[:_PREFIX]] = b
            if "\n" in raw.strip():
                # hard line breaks inside a block's source text survive in extractor output: index each piece
                for piece in raw.split("\n"):
                    key = norm(piece)
                    if key and key not in by_text:
                        by_text[key] = b
        self.by_text, self.by_prefix, self.by_heading = by_text, by_prefix, by_heading
        self._tags, self._flags, self._density, self._bold = tags, bflags, density, bold

    def _block(self, b: int, tag: str | None = None) -> dict[str, Any]:
        f = self._flags[b]
        return {"tag": tag or self._tags[b], "in_nav": bool(f & 1), "in_aside": bool(f & 2),
                "in_footer": bool(f & 4), "in_header": bool(f & 8), "in_article": bool(f & 16),
                "in_figure": bool(f & 32), "in_form": bool(f & 64), "boilerplate_class": bool(f & _BOILER),
                "link_density": self._density[b], "bold": self._bold[b]}

    def hint(self, line: str, once: bool = False) -> dict[str, Any]:
        """The hints of the block a line of extracted text comes from (tag None when no block matches): a text
        that several blocks have is the first one's. For a line that has its text `once` (it occurs once in the
        extracted lines) and whose text a heading has after a list entry or a link, "heading" names that
        heading's tag too: a table of contents lists the headings before the page shows them, and the extractor
        keeps the heading, not the contents. (Only the line's role reads it; the model's DOM columns read the
        first block, as they were trained: with the heading's tag there, out of fold the HTML path lost 0.021 of
        the four sets' sum, docs/html.md.)"""
        key = norm(line)
        b = self.by_text.get(key)
        if b is None and len(key) >= _PREFIX:
            b = self.by_prefix.get(key[:_PREFIX])
        if b is None and key.startswith("|"):
            # a table row as trafilatura renders it ("| a | b |"): the row's first non-empty cell
            cell = next((c.strip() for c in key.split("|") if c.strip() and set(c.strip()) - set("-:")), "")
            b = self.by_text.get(cell)
            if b is not None:
                return self._block(b, "tr")
        if b is None:
            return dict(_NO_BLOCK)
        h = self._block(b)
        hb = self.by_heading.get(key) if once and line.lstrip()[:1] not in _BULLET_FIRST else None
        if hb is not None:   # (a line the extractor wrote as a list entry, "- …", is the list's)
            h["heading"] = self._tags[hb]
        return h

"""Parsing untrusted HTML into an lxml tree that trafilatura, the hint walk and inscriptis all share.

The parser is libxml2's HTML parser with every door shut: `no_network=True` (no DTD or entity fetched),
`huge_tree=False` (libxml2's default limits stay on: nesting depth is capped at 256 and a single text node or
attribute at 10 MB, so 100,000 nested `<div>`s or a giant attribute cost bounded time and memory), comments
and processing instructions dropped. The HTML parser never expands internal DTD entities, so "billion laughs"
documents stay a few bytes long. The string is first repaired the way trafilatura's `load_html` does
(control characters removed, a self-closing DOCTYPE or `<html/>` fixed), so that the tree is the one trafilatura
would build from the same page.
"""

from __future__ import annotations

import re
from html import unescape

from lxml.etree import ElementDefaultClassLookup, ParserError, XPath
from lxml.html import (HtmlComment, HtmlElement, HtmlEntity, HtmlProcessingInstruction, HTMLParser,
                       document_fromstring, fragment_fromstring, fromstring)
from trafilatura.utils import repair_faulty_html

from .errors import HtmlError

SAFE_PARSER = HTMLParser(
    collect_ids=False,
    default_doctype=False,
    encoding="utf-8",
    remove_comments=True,
    remove_pis=True,
    no_network=True,
    huge_tree=False,
)
# Every element is an HtmlElement: lxml.html's own lookup picks a class per tag (FormElement, InputElement…) in a
# Python call for every element the walks touch, which nothing here or in trafilatura uses
SAFE_PARSER.set_element_class_lookup(ElementDefaultClassLookup(
    element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction, entity=HtmlEntity))


def parse_html(text: str) -> HtmlElement:
    """Parse page text (already decoded) into a tree; raises `HtmlError` (`html:empty` / `html:parse_error`)."""
    if not text.strip():
        raise HtmlError("html:empty", "no content", value=0)
    repaired = repair_faulty_html(text, text[:50].lower())
    data = repaired.encode("utf-8", "replace")
    try:
        tree = fromstring(data, parser=SAFE_PARSER)
        if tree is not None and tree.tag != "html":
            # lxml reads a page that does not open with "<html" or a doctype (a comment, an XML declaration or a
            # PHP warning first) as a fragment under a <div>, where trafilatura and inscriptis indent its text
            tree = document_fromstring(data, parser=SAFE_PARSER)
    except (ParserError, ValueError, TypeError) as exc:
        if "Document is empty" in str(exc):   # (a doctype, a comment or a processing instruction alone)
            raise HtmlError("html:empty", "no content", value=0) from None
        raise HtmlError("html:parse_error", f"{type(exc).__name__}: {exc}"[:300]) from None
    if tree is None:
        raise HtmlError("html:parse_error", "no document tree")
    _drop_huge_attributes(tree)
    _open_noframes(tree)
    _drop_templates(tree)
    return tree


_AMP_TEXT = XPath("//text()[contains(., '&')]")
# an escaped "&" before a name or "#" in the source ("&amp;lt;"): only then can a decoded text hold an entity
_ESCAPED_AMP = re.compile(r"&(?:amp|#0*38|#x0*26);(?=[#a-z])", re.I)


def shows_entities(source: str) -> bool:
    """Whether the page's source has an escaped "&" before a name in its text (not only inside tags, where
    URLs have "&amp;b=2"): the pages `EntitiesAsShown` has work on. About a fifth of dev pages; 0.15 ms a page."""
    for m in _ESCAPED_AMP.finditer(source):
        lt, gt = source.find("<", m.end()), source.find(">", m.end())
        if gt < 0 or 0 <= lt < gt:
            return True
    return False


class EntitiesAsShown:
    """A context in which trafilatura or inscriptis read `tree`: both unescape the text they return
    (`html.unescape`) after lxml has already decoded the page's entities once, so a page that shows "&lt;p&gt;"
    (a code sample, a page about escaping: "&amp;lt;p&amp;gt;" in its source) came out as "<p>". Inside the
    block each text node that unescaping would change has its "&" escaped once more, so their unescape gives back
    the text the browser shows; the nodes are restored on leaving. The nodes are found once (`active=False`, from
    `shows_entities` on the source, skips the search), the object can be entered again."""

    def __init__(self, tree: HtmlElement, active: bool = True):
        self.nodes = []
        for s in (_AMP_TEXT(tree) if active else ()):
            el = s.getparent()
            if el is not None and unescape(s) != s:   # (a plain "&", as in "R&D", is left alone)
                self.nodes.append((el, bool(s.is_text), str(s)))

    def __enter__(self) -> int:
        self._put(escaped=True)
        return len(self.nodes)

    def __exit__(self, *exc) -> None:
        self._put(escaped=False)

    def _put(self, escaped: bool) -> None:
        for el, is_text, value in self.nodes:
            v = value.replace("&", "&amp;") if escaped else value
            if is_text:
                el.text = v
            else:
                el.tail = v


def _drop_templates(tree: HtmlElement) -> None:
    """`<template>` content is never rendered (a script clones it): its placeholder text ("written by {{ author
    }}") is no part of the page, though trafilatura and inscriptis read it. (`drop_tree` keeps the text after it.)"""
    for el in list(tree.iter("template")):
        # (a declarative shadow root, <template shadowrootmode="open">, is rendered: it stays)
        if el.getparent() is not None and not (el.get("shadowrootmode") or el.get("shadowroot")):
            el.drop_tree()


def _open_noframes(tree: HtmlElement) -> None:
    """libxml2 keeps what a frameset page's `<noframes>` holds — the page for browsers without frames, often its
    whole text — as raw markup text: it is parsed (by the same parser) and put in its place."""
    for el in [e for e in tree.iter("noframes") if e.text and "<" in e.text]:
        try:
            frag = fragment_fromstring(el.text.encode("utf-8", "replace"), create_parent="div", parser=SAFE_PARSER)
        except (ParserError, ValueError, TypeError):
            continue
        parent = el.getparent()
        if frag is None or parent is None:
            continue
        if parent.tag == "frameset" and parent.getparent() is not None:   # (the frames' page: its body)
            frag.tag = "body"
            el, parent = parent, parent.getparent()
        frag.tail = el.tail
        parent.replace(el, frag)


# Attribute values above 64 KB (inline data: URIs, serialized app state) carry no article text, and the
# extractor's regexes over attributes take seconds on megabyte-long values: they are removed after parsing.
MAX_ATTRIBUTE_CHARS = 65_536
_HUGE_ATTR = XPath(f"//*[@*[string-length(.) > {MAX_ATTRIBUTE_CHARS}]]")


def _drop_huge_attributes(tree: HtmlElement) -> None:
    for el in _HUGE_ATTR(tree):
        for k, v in list(el.attrib.items()):
            if len(v) > MAX_ATTRIBUTE_CHARS:
                del el.attrib[k]


def within(el, tags: frozenset[str], words, *, self_too: bool = False, ids: bool = False) -> bool:
    """Whether an ancestor of `el` (or `el` itself, with `self_too`) is one of `tags` or has a class (and, with
    `ids`, an id) that `words` (a compiled pattern's `search`) finds something in: a menu, a sidebar, a form…"""
    for a in (el, *el.iterancestors()) if self_too else el.iterancestors():
        if a.tag in tags:
            return True
        c = f"{a.get('class') or ''} {a.get('id') or ''}" if ids else a.get("class")
        if c and c != " " and words(c):
            return True
    return False

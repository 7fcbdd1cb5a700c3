"""Fuzz targets for the two public entry points, run for a bounded number of examples in CI.

Inputs are built from the pieces real pages are made of — tags nested at random, attributes, entities (also
undefined and recursive ones), scripts, comments, CDATA, broken byte sequences, control characters — so that
the generator reaches the parser's and the cleaner's corners rather than only random noise. Raise
`SITO_FUZZ_EXAMPLES` for a longer run.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sito
from sito.html import HtmlError

HTML_CODES = {"html:empty", "html:parse_error", "html:too_large", "html:timeout", "html:crash", "html:binary",
              "html:too_many_lines"}

N = int(os.environ.get("SITO_FUZZ_EXAMPLES", "120"))

TAGS = ["div", "p", "span", "article", "nav", "footer", "aside", "h1", "h2", "li", "ul", "table", "td", "tr",
        "figure", "figcaption", "blockquote", "script", "style", "a", "br", "img", "svg", "math", "noscript",
        "iframe", "template", "select", "option", "textarea", "xmp", "plaintext", "title", "head", "body", "html"]
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)
PIECES = st.one_of(
    TEXT,
    st.sampled_from(["&amp;", "&lt;", "&#0;", "&#x110000;", "&#xD800;", "&nbsp;", "&undefined;", "&lol9;", "&#9999999999;",
                     "<!--", "-->", "<![CDATA[", "]]>", "<!DOCTYPE html>", "<?xml version='1.0'?>",
                     '<!DOCTYPE x [<!ENTITY a "&a;&a;">]>', "\x00", "\x0b", "\u2028", "\ufeff", "\r", "\r\n",
                     "Czytaj także", "Wybrane dla Ciebie", "Źródło zdjęć: © Twitter", "Cookies", "Share"]),
    st.builds(lambda t, a, v: f"<{t} {a}=\"{v}\">", st.sampled_from(TAGS), st.sampled_from(["class", "id", "href",
              "src", "style", "onload", "charset", "content", "http-equiv"]), TEXT),
    st.builds(lambda t: f"</{t}>", st.sampled_from(TAGS)),
    st.builds(lambda t: f"<{t}>", st.sampled_from(TAGS)),
)
PAGES = st.lists(PIECES, max_size=80).map("".join)
BYTES = st.one_of(
    PAGES.map(lambda s: s.encode("utf-8", "surrogatepass")),
    st.tuples(PAGES, st.binary(max_size=40), st.sampled_from(["utf-8", "latin-1", "cp1250", "utf-16"])).map(
        lambda t: t[0].encode(t[2], "replace") + t[1]),
    st.binary(max_size=300),
)


@settings(max_examples=N, deadline=None, suppress_health_check=list(HealthCheck))
@given(BYTES, st.sampled_from([None, "https://example.pl/a", "not a url", "file:///etc/passwd"]))
def test_clean_html_raises_only_its_own_error(page, url):
    """Only sito's documented `HtmlError` (a page with no article: its code becomes the rejection reason)."""
    try:
        a = sito.clean_html(page, url=url)
    except HtmlError as exc:
        assert exc.code.startswith("html:") and exc.code in HTML_CODES, exc.code
        return
    assert isinstance(a.text, str)
    for line in a.lines:
        assert isinstance(line.role, str) and isinstance(line.keep, bool)


@settings(max_examples=N, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.one_of(PIECES, st.just("\n"), st.just("\n\n")), max_size=120).map("".join),
       st.sampled_from([None, "pl", "en", "de", "pol_Latn", "eng", ""]))
def test_clean_text_never_raises_and_keeps_lines_verbatim(text, language):
    a = sito.clean_text(text, language=language)
    inputs = text.splitlines()
    assert len(a.lines) == len(inputs) or len(a.lines) == len(text.split("\n"))
    for line in a.lines:
        if line.keep:
            assert line.text in inputs

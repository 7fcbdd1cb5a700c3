"""The captions and photo credits of a page's figures, read from its `<figcaption>` elements.

trafilatura leaves most figure captions out of its text (and offers no field for them), and the line cleaner can
only name a caption it sees among the lines, so `clean_html` reads them from the DOM: each `<figcaption>` that is
not inside a menu, a sidebar, a footer, a form or a block of teasers gives its text as a caption, and its credit
— the part marked as one ("caption-credit", "source", "copyright"…), or written into the text after a credit's
opening words ("Photo:", "Fot.", "Źródło:"…) — as a photo credit, read as the cleaner reads a credit line
("Źródło: Pixabay" → "Pixabay"). Written here because no library pulls captions apart from their credits.
"""

from __future__ import annotations

import re

from ..clean.cues import load_cues

MAX_FIGURES = 100     # figcaptions read per page
MAX_CAPTION = 1000    # characters: a longer figcaption is a layout element, not a caption
_OUTSIDE_TAGS = frozenset(("nav", "aside", "footer", "header", "form", "menu"))
_OUTSIDE_CLASS = re.compile(r"related|teaser|promo|recommend|sidebar|comment|footer|nav|menu|widget|newsletter",
                            re.I).search
_CREDIT_CLASS = re.compile(r"credit|source|copyright|photographer|attribution", re.I).search
_SEPARATORS = " \t/|·•–—-,;:"
_COURTESY = ("courtesy of", "photo courtesy", "image courtesy")   # credits the cleaner's cue list leaves out


def figure_captions(tree) -> tuple[list[str], list[str]]:
    """(captions, credits) of the page's figures, each once, in page order."""
    cues = load_cues()
    captions: list[str] = []
    credits: list[str] = []
    for n, fc in enumerate(tree.iter("figcaption")):
        if n >= MAX_FIGURES:
            break
        if _outside(fc):   # a menu, a sidebar, a footer, a form, teasers
            continue
        parts = _caption_and_credit(fc)
        if parts is None:
            continue
        caption, credit = parts
        if caption and not credit:
            caption, credit = _credit_in_text(caption, cues)
        elif credit and not caption:   # a credit element that holds the whole caption
            caption, credit = _credit_in_text(credit, cues)
            caption, credit = (caption, credit) if credit else ("", caption)
        if credit:
            credit = cues.credit_value(credit.strip(_SEPARATORS)).strip(_SEPARATORS + ".")
        if caption and caption not in captions and cues.category(caption) != "ad":   # not "Reklama", "Anzeige"
            captions.append(caption)
        if credit and credit not in credits and len(credit) <= 200:
            credits.append(credit)
    return captions, credits


def _outside(fc) -> bool:
    """Whether a figcaption is outside the article: inside one of `_OUTSIDE_TAGS` or an element whose class
    `_OUTSIDE_CLASS` names. The classes of `<body>` and `<html>` describe the page's layout, not a part of it
    (WordPress writes "no-sidebar", "with-subnav", its menus' names there), and a `<header>` inside an
    `<article>` or `<main>` is the article's own, with its lead image."""
    header = False
    for a in fc.iterancestors():
        tag = a.tag
        if tag in ("body", "html"):
            break
        if tag in ("article", "main"):
            header = False
        if tag == "header":
            header = True
        elif tag in _OUTSIDE_TAGS:
            return True
        c = a.get("class")
        if c and _OUTSIDE_CLASS(c):
            return True
    return header


def _caption_and_credit(fc) -> tuple[str, str] | None:
    """The figcaption's text split into the caption and the part marked as a credit by its class; None when it
    is longer than MAX_CAPTION (read only that far: an unclosed figcaption can hold the rest of the page)."""
    in_credit = {fc: False}
    parts: tuple[list[str], list[str]] = ([], [])
    parts[0].append(fc.text or "")
    size = len(parts[0][0])
    for el in fc.iterdescendants():
        if size > 10 * MAX_CAPTION:   # (raw text: indentation counts until whitespace is collapsed)
            return None
        size += len(el.text or "") + len(el.tail or "")
        parent = el.getparent()
        if el.tag is not None and not isinstance(el.tag, str):   # a comment or a processing instruction
            parts[in_credit[parent]].append(el.tail or "")
            continue
        mine = in_credit[parent] or bool(_CREDIT_CLASS(el.get("class") or ""))
        in_credit[el] = mine
        if el.tag not in ("script", "style"):
            parts[mine].append(el.text or "")
        parts[in_credit[parent]].append(el.tail or "")
    caption, credit = (" ".join(" ".join(p).split()) for p in parts)
    if len(caption) > MAX_CAPTION:
        return None
    return caption.strip(_SEPARATORS.replace("-", "")), credit


def _credit_in_text(text: str, cues) -> tuple[str, str]:
    """A credit written at the end of the caption after a credit's opening words ("… Photo: Getty Images"): the
    last such words that start a word ("Main image: … Photograph: …" is credited after "Photograph:")."""
    low = text.lower()
    best = -1
    for p in cues.credit_prefix + _COURTESY:
        i = low.rfind(p)
        while i > 0 and low[i - 1].isalnum():   # the opening words start a word
            i = low.rfind(p, 0, i)
        best = max(best, i)
    if best < 0:
        return text, ""
    return text[:best].rstrip(_SEPARATORS + "(").strip(), text[best:].rstrip(")").strip()

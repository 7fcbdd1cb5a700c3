"""The captions and photo credits of a page's figures, read from its `<figcaption>` elements and the elements
whose class names a caption ("wp-caption-text", "pb-caption", "media__caption": many pages have no figcaption).

trafilatura leaves most figure captions out of its text (and offers no field for them), and the line cleaner can
only name a caption it sees among the lines, so `clean_html` reads them from the DOM: each `<figcaption>` that is
not inside a menu, a sidebar, a footer, a form, a block of teasers or a link to another page (a teaser card) gives
its text as a caption (for an element a class calls a caption: when its text reads as one, `_caption_like`), and
its credit
— the part marked as one ("caption-credit", "source", "copyright"…), or written into the text after a credit's
opening words ("Photo:", "Fot.", "Źródło:", "©", "Credit"…) or as a last sentence naming a photographer and an
agency ("David McNew—Getty Images") — as a photo credit, read as the cleaner reads a credit line
("Źródło: Pixabay" → "Pixabay"). Written here because no library pulls captions apart from their credits.
"""

from __future__ import annotations

import re

from lxml import etree

from ..clean.cues import load_cues

MAX_FIGURES = 100     # figcaptions read per page
MAX_CAPTION = 1000    # characters: a longer figcaption is a layout element, not a caption
_OUTSIDE_TAGS = frozenset(("nav", "aside", "footer", "header", "form", "menu"))
_OUTSIDE_CLASS = re.compile(r"related|teaser|promo|recommend|sidebar|comment|footer|nav|menu|widget|newsletter",
                            re.I).search
_CREDIT_CLASS = re.compile(r"credit|source|copyright|photographer|attribution", re.I).search
_SEPARATORS = " \t/|·•–—-,;:"
CREDIT_ONLY_WORDS = 6   # a caption of at most this many words naming an agency or a stock library is a credit
_COURTESY = ("courtesy of", "photo courtesy", "image courtesy")   # credits the cleaner's cue list leaves out
# more of a credit's opening words: a copyright sign, "Credit" without its colon (the cue list keeps to lines a
# credit certainly opens, as its words are a feature of the line model)
_OPENERS = ("©", "credit ", "credits ")
_CREDIT_WORD = re.compile(r"^(?:credits?|crédits?)\b\s*:?\s*", re.I)
# the last sentence of a caption, when it is a photographer and an agency: "… California. David McNew—Getty Images"
_AGENCY_END = re.compile(r"(?:^|[.!?]\s+)((?:[^.!?]{0,60}?)(?:—|–|/| - )\s*(?:Getty Images|Reuters|AP|AFP|EPA|"
                         r"Shutterstock|Bloomberg|Alamy|PAP|dpa|Associated Press|The New York Times|"
                         r"[A-Z][\w.]* Images))\s*$")
_CAPTION_CLASS = re.compile(r"caption", re.I).search
_CANDIDATES = etree.XPath("//figcaption | //*[contains(translate(@class, 'CAPTION', 'caption'), 'caption')]")
_TRAILING_LABEL = re.compile(r"(?:^|\s)(?:photos?|images?|pictures?|credits?|crédits?)\s*$", re.I).search
_NOT_CAPTION_TEXT = re.compile(r"^(?:published|updated|posted|verified|about the author)\b", re.I).match
_NOT_CAPTION_TAGS = frozenset(("html", "body", "article", "main", "section", "script", "style", "noscript",
                               "template", "ul", "ol", "table"))
_IMAGE_LINK = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|svg|tiff?)(?:[?#].*)?$|^#|^$", re.I).search


def figure_captions(tree) -> tuple[list[str], list[str]]:
    """(captions, credits) of the page's figures, each once, in page order."""
    cues = load_cues()
    captions: list[str] = []
    credits: list[str] = []
    for n, fc in enumerate(_caption_elements(tree)):
        if n >= MAX_FIGURES:
            break
        if _outside(fc):   # a menu, a sidebar, a footer, a form, teasers
            continue
        parts = _caption_and_credit(fc)
        if parts is None:
            continue
        caption, credit = parts
        if fc.tag != "figcaption" and not _caption_like(caption + " " + credit, cues):
            continue
        if caption and not credit:
            caption, credit = _credit_in_text(caption, cues)
            if not credit and len(caption.split()) <= CREDIT_ONLY_WORDS and cues.credit_contains.search(
                    caption.lower()):
                caption, credit = "", caption   # a caption that is only a credit: "praca / ShutterStock"
        elif credit and not caption:   # a credit element that holds the whole caption
            caption, credit = _credit_in_text(credit, cues)
            caption, credit = (caption, credit) if credit else ("", caption)
        if credit:
            credit = _credit_value(credit, cues)
        if caption and caption not in captions and cues.category(caption) != "ad":   # not "Reklama", "Anzeige"
            captions.append(caption)
        if credit and credit not in credits and len(credit) <= 200:
            credits.append(credit)
    return captions, credits


def _caption_elements(tree):
    """The page's `<figcaption>`s and, where a page marks its captions by class instead ("wp-caption-text",
    "pb-caption", "media__caption"), the innermost such elements outside any figcaption, in page order."""
    for el in _CANDIDATES(tree):   # (in page order)
        tag = el.tag
        if tag == "figcaption":
            yield el
        elif tag not in _NOT_CAPTION_TAGS and _class_caption(el) and not any(
                a.tag == "figcaption" or _class_caption(a) for a in el.iterancestors()):
            yield el


def _class_caption(el) -> bool:
    """An element whose class calls it a caption (not a credit) and that holds no image or figure: a caption's
    text, not the block around the picture ("wp-caption" holds the image and its "wp-caption-text")."""
    c = el.get("class")
    return bool(c and _CAPTION_CLASS(c) and not _CREDIT_CLASS(c)) and not any(
        True for _ in el.iterdescendants("figcaption", "img", "picture", "figure", "video", "iframe"))


def _caption_like(text: str, cues) -> bool:
    """Whether the text of an element a class calls a caption reads as one: three words or more, no cue line (a
    consent switch's "immer aktiv", "Published Nov 8, 2023", a newsletter prompt) and no markup (an embed code)."""
    text = text.strip()
    return (len(text.split()) >= 3 and "<" not in text and cues.category(text) is None and not cues.prompt(text)
            and not _NOT_CAPTION_TEXT(text))


def _credit_value(credit: str, cues) -> str:
    """A credit without its opening words, however many and however written ("Credit : Photo: PA" → "PA",
    "Credit Credit Jeon Heon-Kyun/EPA" → "Jeon Heon-Kyun/EPA", "© AFP / JEFF PACHOUD" → "AFP / JEFF PACHOUD")."""
    while True:
        before = credit
        credit = cues.credit_value(credit.strip(_SEPARATORS)).strip(_SEPARATORS + ".")
        credit = _CREDIT_WORD.sub("", credit)
        if credit == before:
            return credit


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
        if tag == "a" and not _IMAGE_LINK(a.get("href") or ""):
            return True   # a teaser card: the whole card links to another article
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


_NAME_GLUE = frozenset("of for and de del der van von la le di da via & / | - – — , by".split())


def _names_only(rest: str) -> bool:
    """Whether what follows a colon-less opener ("©", "Credit") reads as a credit: a year, or a few names
    (capitalised words, joined by "of", "van", "/"…), not a sentence."""
    words = rest.replace("/", " / ").split()
    if not words or len(words) > 8:
        return False
    return all(w[:1].isupper() or w[:1].isdigit() or w.lower() in _NAME_GLUE or not any(c.isalpha() for c in w)
               for w in words)


def _credit_in_text(text: str, cues) -> tuple[str, str]:
    """A credit written at the end of the caption after a credit's opening words ("… Photo: Getty Images"): the
    last such words that start a word ("Main image: … Photograph: …" is credited after "Photograph:")."""
    low = text.lower()
    best = -1
    for p in cues.credit_prefix + _COURTESY + _OPENERS:
        i = low.rfind(p)
        while i > 0 and low[i - 1].isalnum():   # the opening words start a word
            i = low.rfind(p, 0, i)
        if i >= 0 and p in _OPENERS and not _names_only(text[i + len(p):]):
            continue   # ("Credit Suisse headquarters in Zurich", "a sign with the © symbol": no credit)
        best = max(best, i)
    if best < 0:
        m = _AGENCY_END.search(text)
        if m is None or m.start(1) == 0:
            return text, ""
        best = m.start(1)
    caption = text[:best].rstrip(_SEPARATORS + "(").strip()
    while caption and _TRAILING_LABEL(caption):   # ("… in 2023. Credit Credit …", "… mood board. Photo credits")
        caption = caption[:_TRAILING_LABEL(caption).start()].rstrip(_SEPARATORS + "(").strip()
    credit = text[best:].strip()
    if credit.endswith(")") and credit.count(")") > credit.count("("):
        credit = credit[:-1].strip()
    return caption, credit

"""The article cleaner: `clean_text` / `clean_lines` give every input line a role, keep/drop and a reason.

One pass (`_pass`) runs, over the non-blank lines of a page:
1. features and the line model (`features.py`, `model.py`): p(keep) per line, smoothed by Viterbi; in "page"
   mode the lines outside a dominant main block of text count as doubtful (`_outside_main_block`);
2. rules that are clearly right and override the model — cue lines that are never article text (photo credits,
   share buttons, cookie banners, ad labels, comments headers, pagination, "Read more" links), recommendation
   blocks (a header such as "Wybrane dla Ciebie" / "Related" and the short headline lines under it), a headline
   printed twice inside one line ("X X?", an image's alt text glued to its caption), a line repeated right
   after itself or a repeated paragraph, teaser headlines just before a recommendation block, the line a news
   site leaves where a video or an ad interrupts the article ("Dalsza część artykułu pod materiałem wideo"), a
   reading time ("8 min read"), and (after the model) a prompt to subscribe to, follow or log in to the site
   that the model kept; with HTML hints, lines inside `<pre>` are exempt from the cue, doubled-phrase and repeat
   rules, and a `<pre>` block is kept whole when the model keeps most of its characters;
3. structure: the title (a headline-shaped line right before the first paragraph, not itself a sentence of 12+
   words; else a removed headline of three words or more, not a menu or list entry, among the 16 lines before
   the article, the likeliest and longest; when the page's title is known from its HTML metadata, only a line
   that is that title: the first heading of an article whose page title is something else, "1. Introduction"
   or "Key Takeaways", stays in the text), the lead (first paragraph), headings, list items, quotes, and a role for
   every removed line; once the title is known, a list of teaser headlines that repeats it further down
   ("latest", "most read": this article among others) goes as a whole (`_title_lists`).

`clean_lines` repeats the pass on its own output until nothing more is removed (each repeat only removes lines,
so this ends; in practice after one extra pass). This makes cleaning idempotent: the clean text of a clean
text is itself — a property corpora rely on when documents are cleaned again. The re-reading passes read the
kept lines one empty line apart, as `Article.text` lays them out; the modes for an extractor's output
(`Mode.spaced`) read the input so from the first pass, so that a page from which nothing goes needs no second
pass (its re-reading would read the very same lines). `clean_texts` cleans many texts
with their lines measured 32 texts at a time (the same articles, sooner: a page's measurement costs more in call
overhead than in arithmetic when the page is short).

Decision modes (`mode=`, see `Mode` and `MODES`): the model and the rules are the same for every input, but how
sure they must be before a line goes depends on what the input is. The prior differs: full-page text is mostly
frame, an extractor's output is mostly article. Chosen on the dev TRAIN split (docs/cleaner.md):
- "page" (default): full-page text or a scraper's text; the model's own threshold and smoothing decide, and
  the lines outside the page's main block count with p(keep) at most 0.2 (MAIN_BLOCK_*). A page whose `url`
  is a discussion thread's (`sito.pagetype`) is read in "thread" mode instead.
- "thread": the full page of a discussion thread, whose posts are several blocks of text, not one: "page"
  without the main-block rule (`clean_html` reads a thread's whole page so too).
- "extracted": text an extractor already chose. A lower decision threshold, and a line the smoothing dropped is
  kept again unless the model is very sure (p(keep) < 0.05); a cue word (cookie, credit, "read more"…) on a
  line of prose yields to a model that says p(keep) >= 0.5. Rules that are clearly right (recommendation
  blocks, repeats, doubled captions, credit lines) still apply: the example page is cleaned the same way.
- "html-extracted": trafilatura's lines in `clean_html`, whose hints say whether trafilatura's OTHER setting
  kept the line too (`in_extractor`): the lines both settings kept are protected (down to p(keep) 0.1), the
  others are judged as in "page" (at threshold 0.2, without the main-block rule).
- "html-fulltext": the full-page fallback of `clean_html`: "page" without the main-block rule, at threshold 0.3
  (chosen with the HTML path, kept apart from `sito train`'s threshold for "page"), and the lines trafilatura
  kept are protected down to p(keep) 0.3.
Every mode re-reads its own output, so cleaning stays idempotent in each of them.

Conventions: `Line.index` is the 0-based input line; reasons that cite a line use that index. `Article.text`
is the kept lines other than the title, verbatim, joined by one blank line, with no trailing newline.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from typing import Iterable, Iterator

import numpy as np

from ..document import Article, Line
from ..filters.languages import lid_code
from ..pagetype import is_thread_url
from .cues import CUE_ROLE, FORCED, _words, load_cues
from .features import _MEASURE_KEY, LineMeasurements, page_features
from .model import LineModel, default_model
from .quotes import find_quotes, has_quote_mark, title_cased

ROLES = {
    "title": "the article's headline (kept, but not part of `text`)",
    "lead": "the first paragraph of the article",
    "body": "a paragraph of the article",
    "heading": "a subheading inside the article",
    "list_item": "an item of a list inside the article",
    "quote": "a paragraph that is a quotation",
    "caption": "an image caption (removed)",
    "credit": "a photo / source credit (removed)",
    "byline": "author or date line (removed)",
    "related": "a teaser or link to another article (removed)",
    "recommendations": "a recommendation block: its header and headlines (removed)",
    "navigation": "menus, breadcrumbs, site chrome before the article (removed)",
    "share": "share / social buttons (removed)",
    "legal": "cookie / consent banners and legal notices (removed)",
    "ad": "advertisement labels (removed)",
    "comments": "comment-section headers (removed)",
    "pagination": "page links (removed)",
    "footer": "site chrome after the article (removed)",
    "duplicate": "a repeat of an earlier line (removed)",
    "boilerplate": "other non-article text inside the page, as judged by the model (removed)",
    "blank": "an empty line (not kept; paragraphs are re-joined by one blank line)",
}
KEPT_ROLES = frozenset({"title", "lead", "body", "heading", "list_item", "quote"})

_CUE_REASON = {
    "related_prefix": "link to a related article",
    "more": "read-more link",
    "cookie": "cookie / consent banner",
    "ad": "advertisement label",
    "comments": "comments section",
    "pagination": "pagination",
    "share": "share buttons",
    "credit": "photo credit",
    "legal": "legal notice",
    "nav": "navigation",
    "byline": "byline / date",
}
_HINT_HEADING = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_CODE_END = tuple("[{(;,=\\")   # a line ending so is code or program output, not a heading ("list: [")
_CODE_START = ("//", "/*", "$ ", ">>>", "#!", "<", "}")   # ... or starting so (a comment, a prompt, markup)
MAX_BLOCK = 60       # most headline lines a recommendation block runs for
# A block header printed on the page this many times or more ("Read more" under every item of a listing) is a
# read-more link, not the header of a block: it goes alone, and the item titles after it stay for the model.
# Out of fold: wcxb's listing, service and product pages recall a little more (docs/cleaner.md, "How it decides").
_REPEATED_HEADER = 3
# a reading-time line ("8 min read", "Reading Time: 3 minutes", "11 minut czytania", "Lesezeit: 3 Minuten",
# "4 min de lecture", "Ten tekst przeczytasz w 3 minuty"): the article's metadata, never its text
_MINUTES = (r"(?:about |approx\.? |ca\.? |około |ok\. |~)?\d{1,3}(?:\s*|-)"
            r"(?:minutes?|minuten|minutos|minuty|minutę|minut|mins?)\.?")
READING_TIME = re.compile(
    r"^\W*(?:(?:reading time|read time|lesezeit|lesedauer|czas czytania|temps de lecture|tiempo de lectura)\W*"
    + _MINUTES + r"(?:\s*read)?|" + _MINUTES
    + r"\s*(?:read(?:ing)?(?: time)?|lesezeit|lesedauer|czytania|de lecture|de lectura)"
    + r"|(?:ten tekst |ten artykuł |artykuł )?przeczytasz w (?:mniej niż |około |ok\. )?(?:\d{1,3}\s*)?"
      r"(?:minut[ęy]?|min\.?))\W*$", re.I).match
# a relative time ("2 godz. temu", "3 hours ago", "vor 5 Minuten", "il y a 2 heures", "hace 3 horas"): when the
# article was published or updated, on a line of its own. Only on a page with at most RELATIVE_TIME_MAX of them
# and not in thread mode: a listing or a thread dates each of its items and posts (reference texts keep them)
RELATIVE_TIME_MAX = 2
RELATIVE_TIME = re.compile(
    r"^\W*(?:\d{1,3}\s*(?:sek\.?|sekund[y]?|min\.?|minut[ęy]?|godz\.?|godzin[ęy]?|dni|dzień|tyg\.?|tygodni[e]?|"
    r"mies\.?|miesiące|miesięcy|lat[a]?|rok)\s+temu"
    r"|\d{1,3}\s+(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\s+ago"
    r"|vor\s+\d{1,3}\s+(?:sekunden|minuten|min\.?|stunden|std\.?|tagen|wochen|monaten|jahren)"
    r"|il y a\s+\d{1,3}\s+(?:secondes?|minutes?|min|heures?|h|jours?|semaines?|mois|ans?)"
    r"|hace\s+\d{1,3}\s+(?:segundos?|minutos?|min|horas?|h|días?|semanas?|meses|mes|años?))\W*$", re.I).match
READING_TIME_MAX = 48   # characters: longer lines are not read as one
TEASER_BACK = 3      # headline lines just before a block header that are teasers of it
# a blog's affiliate disclosure, often its first paragraph: kept (reference texts keep it about half the time),
# but not the lead
AFFILIATE_DISCLOSURE = re.compile(
    r"affiliate (?:link|commission|relationship|partner|program|marketer)|amazon (?:associate|affiliate)|"
    r"qualifying purchases|\bcommission\b.{0,80}\b(?:link|purchas)|\b(?:link|purchas)\w*\b.{0,80}\bcommission|"
    r"linki? (?:afiliacyjn|partnersk)|affiliate-links?|werbelinks?|provisionslinks?", re.I).search
KNOWN_TITLE_WITHIN = 4   # kept lines searched for the page's known title (past a date, a kicker)
_AFFILIATE_WORDS = ("affiliat", "commission", "qualifying", "afiliac", "partnersk", "werbelink", "provisionslink")


def _affiliate_disclosure(s: str) -> bool:
    low = s.lower()   # (the pattern only where one of its words is: it backtracks on a long paragraph)
    return any(w in low for w in _AFFILIATE_WORDS) and AFFILIATE_DISCLOSURE(low) is not None


CAPTION_MIN_WORDS = 3   # words before a credit inside a line that make it a caption too ("Jan Nowak. © PAP" does not)
LEAD_WITHIN = 8      # kept lines searched for the lead (past a kicker, a date, subheadings)
STANDFIRST_WORDS = 12   # a subheading opening the article with this many words and a full stop is its lead
TITLE_OPENING = 3    # paragraphs (kept lines of prose) whose words a removed headline is compared with
TITLE_SHARED = 2.0   # weight of the share of a removed headline's words (4 letters or more) the opening repeats
TITLE_BACK = 16      # lines before the article searched for its removed headline (past a byline, a date…)
MAX_PASSES = 100     # bound on repeated passes (each removes at least one line; the dev pages need at most 59)
DUP_MIN_WORDS = 10   # a repeated line this long is a repeated paragraph, not a recurring short line
TITLE_LIST_MIN = 5   # teaser headlines besides a repeat of the title that make a list of headlines
TITLE_LIST_WORDS = 4  # the fewest words of a teaser headline in such a list
RELATED_MIN_WORDS = 3  # the fewest words of a headline in `Article.related`
BATCH = 32           # texts whose lines `clean_texts` measures in one call
BATCH_MAX_CHARS = 200_000   # a longer text is measured on its own (a batch's memory stays bounded)
# The main block of a full page ("page" mode, `_outside_main_block`): each line weighs (p(keep) - MAIN_BLOCK_P) *
# log(1 + characters); the contiguous run of lines of the largest total weight is the main block when it holds
# at least MAIN_BLOCK_SHARE of the page's positive weight (one dominant block: an article, not a forum thread or
# a listing of several); then the lines outside it, beyond one line of margin, count with p(keep) at most
# MAIN_BLOCK_CAP. Chosen on the dev TRAIN split, out of fold (docs/cleaner.md, "The main block").
MAIN_BLOCK_P = 0.4
MAIN_BLOCK_SHARE = 0.7
MAIN_BLOCK_CAP = 0.2
# A line that is not prose (a headline, a list entry) adds half its positive weight: a long list of teaser
# headlines the model half believes must not outweigh a short article. Chosen out of fold (0, 0.5 and 1 tried).
MAIN_BLOCK_NONPROSE = 0.5
# In "page" mode a line that is not prose (`features.prose`: a heading, a list entry, a short line) is kept only
# at p(keep) >= NONPROSE_P, above the model's threshold (0.25), which `sito train` tunes for token F1, where
# short lines weigh little: a menu entry or a "Tags:" line the model half believes stays out. Chosen out of fold
# (0.3 / 0.4 / 0.45 / 0.5 tried; docs/cleaner.md, "Lines that are not prose need more").
NONPROSE_P = 0.4


@dataclass(frozen=True)
class Mode:
    """How the model's p(keep) and the rules become keep / drop decisions for one kind of input."""

    name: str
    threshold: float | None = None   # decision threshold of the Viterbi pass (None: the model's own)
    smooth: float | None = None      # weight of the transition scores (None: the model's own)
    rescue_p: float = 2.0            # a line the smoothing dropped is kept when its p(keep) is at least this
    extractor_p: float = 2.0         # ... or at least this when its HTML hint says the extractor kept it
    other_p: float = 0.0             # a line whose hint says the extractor did NOT keep it needs p(keep) >= this
    soft_cue_p: float = 2.0          # a cue rule on a prose line yields to the model when p(keep) is at least this
    main_block: bool = False         # lines outside the page's dominant block of text count with p <= MAIN_BLOCK_CAP
    block_nonprose: float = 1.0      # how much a line that is not prose adds to the main block (MAIN_BLOCK_*)
    nonprose_p: float = 0.0          # a kept line that is not prose needs p(keep) >= this
    spaced: bool = False             # the first pass reads the lines as the re-reading passes do (`_is_spaced`)


MODES = {
    "page": Mode("page", main_block=True, block_nonprose=MAIN_BLOCK_NONPROSE, nonprose_p=NONPROSE_P),
    "extracted": Mode("extracted", threshold=0.15, rescue_p=0.05, soft_cue_p=0.5, spaced=True),
    "html-extracted": Mode("html-extracted", threshold=0.2, extractor_p=0.1, soft_cue_p=0.5,
                             spaced=True),
    "html-fulltext": Mode("html-fulltext", threshold=0.3, extractor_p=0.3),
    "thread": Mode("thread", nonprose_p=NONPROSE_P),
}


def _mode(mode: "str | Mode") -> Mode:
    if isinstance(mode, Mode):
        return mode
    try:
        return MODES[mode]
    except KeyError:
        raise ValueError(f"unknown cleaning mode {mode!r}; known: {', '.join(MODES)}") from None


def clean_text(text: str, *, language: str | None = None, url: str | None = None,
               model: LineModel | None = None, mode: "str | Mode" = "page",
               measurements: LineMeasurements | None = None, title: str | None = None) -> Article:
    """Clean one page of extracted text (lines as they came): the `Article` — `text` (the kept lines, verbatim,
    without the title, paragraphs separated by one blank line), `title`, `lead`, `headings`, `captions`,
    `credits`, `related`, `quotes`, `language`, and `lines` (for every input line its `role`, `keep` and, when
    removed, `reason`). `language`: "pl", "pol", "pol_Latn" or "pl-PL" (default: guessed from stop words).
    `mode`: "page" for full-page or scraped text, "extracted" for an extractor's output (`MODES`). `title`: the
    page's title when known from elsewhere (a record's "title" field), as for `clean_lines`. How lines are
    judged: the docstring of `sito.clean.cleaner` and docs/cleaner.md."""
    if not isinstance(text, str):
        raise TypeError(f"clean_text expects str, got {type(text).__name__}")
    return clean_lines(text.splitlines(), language=language, url=url, model=model, mode=mode,
                       measurements=measurements, title=title)


def clean_texts(texts: Iterable[str], *, language: str | None = None, model: LineModel | None = None,
                mode: "str | Mode" = "page", batch: int = BATCH,
                urls: Iterable[str | None] | None = None) -> Iterator[Article]:
    """`clean_text` of each text, in order: the same articles, sooner. The lines of `batch` texts at a time are
    measured in one call (`LineMeasurements`); a text longer than BATCH_MAX_CHARS is measured on its own.
    `urls`: each text's page address, as `clean_text`'s `url=` (a discussion thread's keeps all its posts)."""
    if isinstance(texts, (str, bytes)):
        raise TypeError("texts must be an iterable of texts, not one text: use clean_text for one")
    it = iter(texts)
    url_it = iter(urls) if urls is not None else None
    while chunk := list(islice(it, max(int(batch), 1))):
        split = [t.splitlines() if isinstance(t, str) else None for t in chunk]   # (split once)
        shared = measure_together(chunk, split)
        for text, ls in zip(chunk, split):
            url = next(url_it, None) if url_it is not None else None
            if ls is None:   # (not a str: clean_text says so)
                yield clean_text(text, language=language, model=model, mode=mode, url=url)
                continue
            yield clean_lines(ls, language=language, model=model, mode=mode, url=url,
                              measurements=shared if batchable(text) else None)


def batchable(text) -> bool:
    """Whether a text is measured with its batch (`measure_together`) rather than on its own."""
    return isinstance(text, str) and len(text) <= BATCH_MAX_CHARS


def measure_together(texts: list[str], split: list[list[str] | None] | None = None) -> LineMeasurements:
    """One `LineMeasurements` of the lines of these texts (those that are `batchable`); `split`: each text's
    lines when the caller has them already (str.splitlines)."""
    if split is None:
        split = [t.splitlines() if batchable(t) else None for t in texts]
    shared = LineMeasurements()
    shared.add([ln for t, ls in zip(texts, split) if batchable(t) for ln in ls])
    return shared


_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"   # where str.splitlines splits


def _line_break(s: str) -> bool:
    # (a line break is not printable: most texts are ruled out by one scan; ten scans beat one pattern)
    return not s.isprintable() and any(c in s for c in _BREAKS)


def clean_lines(lines: list[str], *, hints: list[dict] | None = None, language: str | None = None,
                url: str | None = None, model: LineModel | None = None, mode: "str | Mode" = "page",
                title: str | None = None, measurements: LineMeasurements | None = None) -> Article:
    """Clean a page given as lines; `hints` (one dict or None per line) carries HTML evidence when known, and
    `title` the page's title when known from elsewhere (its HTML metadata). `measurements` may hold the lines'
    measurements already (shared by the pages of a batch, `clean_texts`); the result is the same either way."""
    md = _mode(mode)
    # ("pl", "pol", "pol_Latn", "pl-PL" alike; "" as None; an unknown code is an error)
    language = lid_code(language) if language is not None and language != "" else None
    if url is not None and not isinstance(url, str):
        raise TypeError(f"url must be a string, not {type(url).__name__}")
    if isinstance(lines, str):
        raise TypeError("lines must be a list of lines, not one string: use clean_text for a text")
    if md is MODES["page"] and url and is_thread_url(url):
        md = MODES["thread"]
    lines = list(lines)
    try:
        joined = "".join(lines)
    except TypeError:
        joined = None
    if joined is None or _line_break(joined):
        for i, s in enumerate(lines):
            if not isinstance(s, str):
                raise TypeError(f"line {i} is {type(s).__name__}, not str")
            if _line_break(s):
                raise ValueError(f"line {i} contains a line break; split the text with str.splitlines() first")
    if hints is not None and len(hints) != len(lines):
        raise ValueError(f"hints has {len(hints)} entries for {len(lines)} lines")
    model = model or default_model()
    cache: dict = {} if measurements is None else {_MEASURE_KEY: measurements}
    given, nb = lines, None
    spaced = _is_spaced(lines)
    if md.spaced and not spaced and any(map(str.strip, lines)):
        nb = [i for i, s in enumerate(lines) if s.strip()]   # read as the re-reading passes read kept text
        lines, hints = _view(lines, hints, nb)
        spaced = True
    # the input line of each line read (the reasons name input lines): line nb[k] is read as line 2k
    line_no = (lambda v: nb[v // 2]) if nb is not None else int
    res = _pass(lines, hints, language, model, cache, md, title, line_no=line_no)
    roles, keeps, reasons = res["roles"], res["keeps"], res["reasons"]
    title_idx = res["title"]
    lang = res["language"]
    kept = [i for i in range(len(lines)) if keeps[i] and roles[i] != "title"]
    for _ in range(MAX_PASSES):
        if not kept or (spaced and title_idx is None and len(kept) == (len(lines) + 1) // 2):
            break   # nothing to read, or the re-reading view would be these very lines
        view, vh = _view(lines, hints, kept)
        r2 = _pass(view, vh, language, model, cache, md, title, kept_roles=False,
                   line_no=lambda v, kept=kept: line_no(kept[v // 2]))   # (line 2k of the view is line kept[k])
        dropped = []
        for k, i in enumerate(kept):
            v = 2 * k
            if r2["keeps"][v] and r2["roles"][v] != "title":
                continue
            dropped.append(i)
            if r2["roles"][v] == "title" and title_idx is None:
                roles[i], keeps[i], reasons[i] = "title", True, None
                title_idx = i
            elif r2["roles"][v] == "title":
                roles[i], keeps[i], reasons[i] = "heading", False, "headline-shaped line before the first paragraph"
            else:
                roles[i], keeps[i] = r2["roles"][v], False
                reasons[i] = (r2["reasons"][v] or "") + " (on re-reading the kept text)"
        if not dropped:
            break
        gone = set(dropped)
        kept = [i for i in kept if i not in gone]
    rows_at = res["pf"].idx   # the line of each row of the first pass
    if nb is not None:   # back to the given lines: line nb[k] was read as line 2k
        n = len(given)
        if len(nb) == n:   # (no blank line given)
            roles, keeps, reasons = roles[::2], keeps[::2], reasons[::2]
        else:
            r, k_, w = ["blank"] * n, [False] * n, [None] * n
            for i, a, b, c in zip(nb, roles[::2], keeps[::2], reasons[::2]):
                r[i], k_[i], w[i] = a, b, c
            roles, keeps, reasons = r, k_, w
        title_idx = nb[title_idx // 2] if title_idx is not None else None
        kept = [nb[i // 2] for i in kept]
        rows_at = nb
    art = _article(given, roles, keeps, reasons, title_idx, kept, res, lang, url, rows_at)
    art.language_given = language is not None
    share = res["pf"].language_share or 0.0
    if language is None and (lang is None or share < GUESS_SURE_SHARE) and art.text:
        art.language = _identified(art.text) or (lang if share >= GUESS_MIN_SHARE else None)
    return art


# The language the cleaner reports (`Article.language`, when none is given) is the guess from stop words (nine
# languages), whose words make up 30-50 % of running text in them (on the dev pages 95 % of the guesses that name
# the page's language cover at least 20 % of the tokens read, a wrong one at most 8 %, mostly text in a language
# sito has no stop words for: Swahili read as French). Below GUESS_SURE_SHARE, lid.176 reads the kept text (its
# first LID_CHARS characters: ~0.4 ms) and its label is reported when it scores at least LID_MIN; else the guess
# when it covers GUESS_MIN_SHARE of the tokens, else none. The model's features still use the stop-word guess, as
# they were trained with it.
GUESS_SURE_SHARE = 0.2
GUESS_MIN_SHARE = 0.1
LID_CHARS = 1000
LID_MIN = 0.5


def _identified(text: str) -> str | None:
    from ..filters.language import detect

    pred = detect(text[:LID_CHARS])
    return pred[0][0] if pred and pred[0][1] >= LID_MIN else None


def _is_spaced(lines: list[str]) -> bool:
    """Whether the lines are laid out as the re-reading passes lay out kept lines (`_view`)."""
    return len(lines) % 2 == 1 and all(not s for s in lines[1::2]) and all(s.strip() for s in lines[::2])


def _view(lines: list[str], hints: list[dict] | None, which: list[int]) -> tuple[list[str], list[dict] | None]:
    """The lines `which` (and their hints) as the re-reading passes read them: one empty line between two."""
    n = 2 * len(which) - 1 if which else 0
    view = [""] * n
    view[::2] = [lines[i] for i in which]
    if hints is None:
        return view, None
    vh: list[dict] = [{} for _ in range(n)]
    vh[::2] = [hints[i] or {} for i in which]
    return view, vh


_FIELD_ROLES = frozenset({"caption", "credit", "related", "recommendations"})   # lines that fill Article fields
_QUOTE_ROLES = frozenset({"lead", "body", "quote", "list_item"})   # kept lines read for quotations


def _article(lines, roles, keeps, reasons, title_idx, kept, res, lang, url, rows_at) -> Article:
    cues = load_cues()
    # structure of the final kept lines: the lead is the first kept paragraph that is not headline-shaped, after
    # the headings and short lines that may open the text (a kicker, a date, a label, a table's rows), within its
    # first LEAD_WITHIN lines and before any list or quotation; a headline-shaped first line is a heading
    pf, block_header = res["pf"], res["block_header"]
    row_of = dict(zip(rows_at, range(len(rows_at))))   # input line -> row of the first pass
    for n, i in enumerate(kept[:LEAD_WITHIN]):
        r = row_of[i]
        if roles[i] == "heading":
            if n == 0 and res["tag"][r] in _STANDFIRST_TAGS and pf.prose[r] and _standfirst(pf.strs[r]):
                roles[i] = "lead"   # (a standfirst the page writes as a subheading: sentences, not a headline)
                break
            continue
        if roles[i] != "body":
            break
        if pf.headline[r] and not pf.prose[r]:
            if n == 0 and pf.cue[r] != "byline":
                roles[i] = "heading"
            continue
        if (_is_table_row(pf.strs[r]) or (pf.strs[r].endswith(":") and len(pf.strs[r].split()) <= 5)
                or _affiliate_disclosure(pf.strs[r])):
            continue   # (a table's row, a label: "Table of contents:", "This post contains affiliate links…")
        roles[i] = "lead"
        break
    out_lines = list(map(Line, range(len(lines)), lines, roles, keeps, reasons))
    text = "\n\n".join(lines[i] for i in kept)
    title = _field(lines[title_idx]) if title_idx is not None else None
    lead = next((_field(lines[i]) for i in kept if roles[i] == "lead"), None)
    headings = [lines[i].strip() for i in kept if roles[i] == "heading"]
    captions, credits, related = [], [], []
    seen_rel = set()
    title_key = " ".join(title.split()) if title else None
    prompts = set(pf.prompt_rows)
    for i, s in enumerate(lines if not _FIELD_ROLES.isdisjoint(roles) else ()):
        r = roles[i]
        if r == "caption":
            d = pf.doubled_at[row_of[i]]
            st = s.strip()
            captions.append(st[d:].strip() if d is not None and d >= 0 else st)
        elif r == "credit":
            before, v = cues.credit_split(s)
            if _words(before, before.split()) >= CAPTION_MIN_WORDS:
                captions.append(before)   # (a caption and its credit in one line)
            if v:
                credits.append(v)
        elif r in ("related", "recommendations") and row_of[i] not in block_header:
            if pf.cue[row_of[i]] is not None or row_of[i] in prompts:
                continue   # (a link line, a share bar, a legal line, a prompt to subscribe: the site's, no headline)
            # a headline, without its list mark; not a block's controls and site links ("Drukuj", "- Close") and
            # not the article's own headline
            st = _unmarked(s.strip())
            key = " ".join(st.split())   # (copies that differ in their spaces only: "gdy to\xa0zobaczył")
            if _words(st, st.split()) >= RELATED_MIN_WORDS and key not in seen_rel and key != title_key:
                seen_rel.add(key)
                related.append(st)
    quotes = []
    if has_quote_mark(text):
        verbs, prepositions = cues.speech_verbs, cues.prepositions_for(lang)
        for i in kept:
            if roles[i] in _QUOTE_ROLES and has_quote_mark(lines[i]):
                quotes.extend(find_quotes(lines[i], verbs, prepositions, cues.title_words))
    return Article(text=text, title=title, lead=lead, headings=headings, captions=captions, credits=credits,
                   related=related, quotes=quotes, language=lang, lines=out_lines, url=url)


_STANDFIRST_TAGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
_SENTENCE_CLOSE = "\"'”’»)]"


def _standfirst(s: str) -> bool:
    """Whether a subheading that opens the article reads as its standfirst: at least STANDFIRST_WORDS words
    ending with a full stop, not written as a title ("Mit Entsetzen und Trauer hat das Forum Waffenrecht … auf
    den gestrigen Amoklauf reagiert.", not "Düsseldorf: Tote Tauben im ISS Dome gefunden" or "Things to Know
    Before Travelling to Japan for the First Time.")."""
    return (s.rstrip(_SENTENCE_CLOSE).endswith((".", "…")) and len(s.split()) >= STANDFIRST_WORDS
            and not title_cased(s))


_WORD = re.compile(r"\w+")


def _same_headline(line: str, title: str) -> bool:
    """Whether a text line is the page's known title: at least half of the line's words are in the title (a
    site's `<title>` adds its name and often rewords the headline: "Aldi Beef Maker" / "Beef Maker von Aldi im
    Test")."""
    a, b = set(_WORD.findall(line.casefold())), set(_WORD.findall(title.casefold()))
    return bool(a and b) and 2 * len(a & b) >= len(a)


def _pass(lines: list[str], hints: list[dict] | None, language: str | None, model: LineModel,
          cache: dict | None = None, md: Mode = MODES["page"], known_title: str | None = None,
          kept_roles: bool = True, line_no=int) -> dict:
    """One reading of the lines: every line's role, keep and reason. `kept_roles=False` (a re-reading pass, which
    only asks which lines go) leaves the kinds of kept lines (heading, list item, quotation) out: all are "body".
    `line_no(i)`: the number of line i of `lines` in the caller's input, for the reasons that name a line."""
    n = len(lines)
    roles: list[str] = ["blank"] * n
    keeps = [False] * n
    reasons: list[str | None] = [None] * n
    pf = page_features(lines, hints=hints, language=language, cache=cache)
    idx = pf.idx
    rows = len(idx)
    if rows == 0:
        return {"roles": roles, "keeps": keeps, "reasons": reasons, "title": None, "language": pf.language,
                "pf": pf, "block_header": set()}
    p = model.proba(pf.X)
    pl = p.tolist()
    role: list[str | None] = [None] * rows
    why: list[str | None] = [None] * rows
    strs = pf.strs
    cue = pf.cue
    tag = [((hints[i] or {}).get("tag") or "").lower() for i in idx] if hints is not None else [""] * rows

    # 1. cue lines that are never article text (text inside <pre> is code or program output: its words are not
    #    the page's buttons and banners, and it repeats itself by nature, so rules 1, 3 and 4 leave it alone)
    for r in pf.cue_rows:
        c = cue[r]
        if c in FORCED and c != "rec_header" and tag[r] != "pre":
            if pf.prose[r] and pl[r] >= md.soft_cue_p:
                continue
            role[r], why[r] = CUE_ROLE[c], _cue_reason(c, strs[r])
    for r in pf.placeholder_rows:   # "the article continues below the video": never article text
        if role[r] is None and tag[r] != "pre":
            role[r], why[r] = "ad", f"where a video or an ad interrupts the article: '{_short(strs[r])}'"
    relative = []
    for r, s in enumerate(strs):
        if len(s) <= READING_TIME_MAX and role[r] is None and tag[r] != "pre":
            # "8 min read": in the first reading (none is kept after it)
            if kept_roles and ("in" in s or "IN" in s) and READING_TIME(s):   # ("in": every reading time names minutes)
                role[r], why[r] = "byline", f"reading time: '{s}'"
            elif RELATIVE_TIME(s):
                # in every reading: a page with three dates "2 hours ago" from which the model keeps one or two
                # has at most RELATIVE_TIME_MAX of them when its kept text is read again, as when it is cleaned again
                relative.append(r)
    if len(relative) <= RELATIVE_TIME_MAX and md.name != "thread":
        for r in relative:
            role[r], why[r] = "byline", f"relative time: '{strs[r]}'"
    # 2. recommendation blocks: header + the short headline lines under it
    block_header: set[int] = set()
    headers = [r for r in pf.cue_rows if cue[r] == "rec_header"]
    copies = Counter(pf.norm[r] for r in headers)
    for r in headers:  # (a block ends before the next header, so every header starts one)
        if copies[pf.norm[r]] >= _REPEATED_HEADER:
            role[r], why[r] = CUE_ROLE["more"], _cue_reason("more", strs[r])
            continue
        header = _short(strs[r])
        role[r], why[r] = "recommendations", f"recommendation block header '{header}'"
        block_header.add(r)
        for b in range(r - 1, max(r - 1 - TEASER_BACK, -1), -1):
            if (role[b] is None and pf.headline[b] and not pf.prose[b] and not tag[b] in _HINT_HEADING
                    and not _is_table_row(strs[b])):   # (a table's last rows are no teaser)
                role[b], why[b] = "related", f"teaser headline just before the '{header}' block"
            else:
                break
        j, count = r + 1, 0
        while j < rows and count < MAX_BLOCK and cue[j] != "rec_header":
            if pf.prose[j] or len(strs[j]) > 200:
                break
            if role[j] is None:
                role[j], why[j] = "recommendations", f"recommendation block after '{header}'"
            j += 1
            count += 1
    # 3. a phrase printed twice inside one line
    for r in pf.doubled_rows:
        if role[r] is None and tag[r] != "pre":
            near_credit = (r + 1 < rows and cue[r + 1] == "credit") or (r > 0 and cue[r - 1] == "credit")
            if near_credit or tag[r] == "figcaption":
                role[r], why[r] = "caption", "image caption (its text printed twice in one line)"
            else:
                role[r], why[r] = "duplicate", "the same phrase printed twice in one line"
    # 4. exact repeats: a line repeated right after itself, or a repeated paragraph (10+ words). Short lines
    #    that recur further apart (code, list items, "Returns") and table rows ("| Yes | Yes |", a header row
    #    over each of several tables) are left to the model.
    for r in pf.repeat_rows:
        if role[r] is None and tag[r] != "pre" and not _is_table_row(strs[r]) and (
                pf.norm[r] == pf.norm[r - 1] or len(pf.norm[r].split()) >= DUP_MIN_WORDS):
            role[r], why[r] = "duplicate", f"duplicate of line {line_no(idx[pf.first_of[r]])}"
    # 5. the model decides the rest, smoothed over the sequence of the lines no rule has explained (an
    #    "Advertisement" label between two paragraphs must not make the smoothing drop the paragraphs)
    free = [r for r in range(rows) if role[r] is None]
    keep = [False] * rows
    outside = _outside_main_block(p, strs, pf.prose, md.block_nonprose) if md.main_block else None
    if free:
        pd = p if outside is None else np.where(outside, np.minimum(p, np.float32(MAIN_BLOCK_CAP)), p)
        if len(free) == rows:   # (no rule explained a line)
            keep = model.decode(pd, threshold=md.threshold, smooth=md.smooth).tolist()
        else:
            for r, k in zip(free, model.decode(pd[free], threshold=md.threshold, smooth=md.smooth).tolist()):
                keep[r] = k
        if md.nonprose_p > 0.0:   # a short line (a heading, a list entry) must be likelier than a paragraph
            for r in free:
                if keep[r] and pl[r] < md.nonprose_p and not pf.prose[r]:
                    keep[r] = False
        if md.rescue_p <= 1.0 or md.extractor_p <= 1.0 or md.other_p > 0.0:
            ext = [_in_extractor(hints[idx[r]]) for r in free] if hints is not None else None
            _rescue(free, keep, pl, md, ext)
        if hints is not None:
            _whole_pre_blocks(role, keep, tag, strs)
        # a prompt to subscribe to, follow or log in to the site, kept by the model (on a line of prose, in the
        # modes where a cue yields to a sure model, the model decides)
        for r in pf.prompt_rows:
            if keep[r] and tag[r] != "pre" and not (pf.prose[r] and pl[r] >= md.soft_cue_p):
                keep[r], role[r], why[r] = False, "ad", f"prompt to subscribe, follow or log in: '{_short(strs[r])}'"
    # 6. title (`_choose_title`)
    kept_rows = [r for r in range(rows) if keep[r]]
    title = _choose_title(pf, pl, role, kept_rows) if kept_rows else None
    if title is not None and known_title and not _same_headline(pf.strs[title], known_title):
        title = None
    if title is None and known_title and kept_rows:
        title = _known_title_row(pf, kept_rows, known_title, keep, role, why)
    # 6b. a list of headlines that repeats the article's own title is a list of other articles ("latest",
    #     "most read") that happens to include this one: all of it goes
    if title is not None:
        _title_lists(title, pf, role, why, keep, strs, line_no)
    # 7. roles of kept lines and of the lines the model removed
    first_kept = kept_rows[0] if kept_rows else rows
    last_kept = kept_rows[-1] if kept_rows else -1
    for r in range(rows):
        i = idx[r]
        if r == title:
            roles[i], keeps[i], reasons[i] = "title", True, None
            continue
        if keep[r]:
            keeps[i] = True
            if not kept_roles:
                roles[i] = "body"
                continue
            s = strs[r]
            t = tag[r]
            if hints is not None and (hints[i] or {}).get("heading"):   # (after its table of contents' entry)
                t = hints[i]["heading"]
            elif t == "p" and hints is not None and (hints[i] or {}).get("bold") and cue[r] is None:
                t = "strong"   # (a subheading written as <p><strong>…</strong></p>: headline-shaped, it is one)
            # (a line written as a list's entry is one, even when the entry holds an <h3>)
            if (t in _HINT_HEADING and not s.startswith(("- ", "* ", "• "))) or (
                    pf.headline[r] and not s.startswith(("•", "*", "-", "–", "—")) and not pf.ends_sentence[r]
                    and t not in ("li", "p", "blockquote", "pre")
                    and cue[r] != "byline"   # a date or byline the model kept
                    and not s.endswith(_CODE_END) and not s.startswith(_CODE_START) and not _is_table_row(s)):
                roles[i] = "heading"
            elif t == "li" or s.startswith(("•", "* ", "- ", "▪", "●", "◦")):
                roles[i] = "list_item"
            elif t == "blockquote" or _is_quote_line(s):
                roles[i] = "quote"
            else:
                roles[i] = "body"
            continue
        if role[r] is None:
            c = cue[r]
            h = (hints[i] or {}) if hints is not None else {}
            if c in ("nav", "byline", "legal"):
                role[r] = CUE_ROLE[c]
            elif h.get("in_nav") or h.get("in_header"):
                role[r] = "navigation"
            elif h.get("in_footer"):
                role[r] = "footer"
            elif h.get("in_aside"):
                role[r] = "related"
            elif t_is_caption(tag[r]):
                role[r] = "caption"
            elif r < first_kept:
                role[r] = "navigation"
            elif r > last_kept:
                role[r] = "footer"
            else:
                role[r] = "boilerplate"
            why[r] = f"model: p(keep)={pl[r]:.2f}" + (f"; looks like {_CUE_REASON[c]}" if c in _CUE_REASON else "")
            if outside is not None and outside[r] and pl[r] > MAIN_BLOCK_CAP:
                why[r] += "; outside the page's main block of text"
            elif md.nonprose_p > pl[r] >= (md.threshold if md.threshold is not None else model.threshold) \
                    and not pf.prose[r]:
                why[r] += f"; a line that is not prose needs {md.nonprose_p:.2f}"
        roles[i], keeps[i], reasons[i] = role[r], False, why[r]
    return {"roles": roles, "keeps": keeps, "reasons": reasons, "title": idx[title] if title is not None else None,
            "language": pf.language, "pf": pf, "block_header": block_header, "tag": tag}


def _title_lists(title: int, pf, role: list[str | None], why: list[str | None], keep: list[bool],
                 strs: list[str], at=int) -> None:
    """Mark as a recommendation block the run of teaser headlines (headline-shaped lines of at least
    TITLE_LIST_WORDS words; at least TITLE_LIST_MIN of them besides the repeat) around the one repeat of the
    title line further down the page. A single other short line between two of them (an ad label, a longer
    headline) stays in the run. Left alone: a title printed more than twice (a line on every item of a grid, the
    thread title on every post); a title that sits in such a run itself (a table of contents: which copy is the
    list?); a run that reaches the title; a run with all the article in it (fewer than two kept paragraphs
    outside it: the page is a listing)."""
    rows = len(strs)
    repeats = [r for r in pf.repeat_rows if r != title and pf.norm[r] == pf.norm[title]]
    if len(repeats) != 1 or pf.first_of[repeats[0]] != title or role[repeats[0]] not in (None, "duplicate"):
        return
    r = repeats[0]
    teaser = [pf.headline[q] and len(strs[q].split()) >= TITLE_LIST_WORDS for q in range(rows)]
    a, b = _teaser_run(r, teaser, strs)
    ta, tb = _teaser_run(title, teaser, strs)
    if (a <= title <= b or sum(teaser[a:b + 1]) - 1 < TITLE_LIST_MIN or sum(teaser[ta:tb + 1]) - 1 >= TITLE_LIST_MIN
            or sum(1 for q in range(rows) if keep[q] and pf.prose[q] and not a <= q <= b) < 2):
        return
    for q in range(a, b + 1):
        if role[q] is None or q == r:
            role[q], why[q] = "recommendations", f"a list of headlines that repeats the title (line {at(pf.idx[r])})"
            keep[q] = False


def _teaser_run(r: int, teaser: list[bool], strs: list[str]) -> tuple[int, int]:
    """The first and last row of the run of teaser rows around row r (one other line of at most 200 characters
    between two teasers does not end it)."""
    ends = []
    for step in (-1, 1):
        q = r
        while 0 <= q + step < len(strs):
            n = q + step
            if teaser[n]:
                q = n
            elif len(strs[n]) <= 200 and 0 <= n + step < len(strs) and teaser[n + step]:
                q = n + step
            else:
                break
        ends.append(q)
    return ends[0], ends[1]


def _outside_main_block(p: np.ndarray, strs: list[str], prose: list[bool] | None = None,
                        nonprose: float = 1.0) -> np.ndarray | None:
    """Rows outside the page's main block of text (see MAIN_BLOCK_P), or None when the page has no dominant
    block. The block is the maximum-weight contiguous run of rows (the maximum subarray of the weights, from
    their prefix sums); one row on each side of it is left inside (a subheading right before the first
    paragraph, a closing line). A row that is not prose adds `nonprose` times its positive weight (its negative
    weight counts in full)."""
    n = len(p)
    if n < 3:
        return None
    w = np.log1p(np.fromiter(map(len, strs), dtype=np.float64, count=n))
    score = (p.astype(np.float64) - MAIN_BLOCK_P) * w
    if prose is not None and nonprose != 1.0:
        score = np.where((score > 0.0) & ~np.asarray(prose, dtype=bool), score * nonprose, score)
    c = np.concatenate(([0.0], np.cumsum(score)))
    low = np.minimum.accumulate(c[:-1])        # low[b] = min of c[0..b]
    gain = c[1:] - low                         # gain[b] = best weight of a run ending at row b
    b = int(np.argmax(gain))
    if gain[b] <= 0.0 or gain[b] < MAIN_BLOCK_SHARE * np.maximum(score, 0.0).sum():
        return None
    a = int(np.flatnonzero(c[:b + 1] == low[b])[-1])   # the run is rows a..b
    out = np.ones(n, dtype=bool)
    out[max(a - 1, 0):b + 2] = False
    return out


def _cue_reason(cue: str, line: str) -> str:
    """The reason given for a line removed by its cue category ("photo credit: 'Fot. PAP'")."""
    return f"{_CUE_REASON[cue]}: '{_short(line)}'"


def _is_table_row(s: str) -> bool:
    """A row of a table as extractors write one ("| cell | cell |"): it starts and ends with "|"."""
    return len(s) > 2 and s[0] == "|" and s[-1] == "|"


def _in_extractor(h: dict | None) -> bool | None:
    v = (h or {}).get("in_extractor")
    return None if v is None else bool(v)


def _rescue(free: list[int], keep: list[bool], p: list[float], md: Mode, ext: list[bool | None] | None) -> None:
    """Keep again the lines the smoothing dropped that the model is not sure about (see `Mode`)."""
    if ext is None:   # (only the rescue applies)
        if md.rescue_p <= 1.0:
            for r in free:
                if not keep[r] and p[r] >= md.rescue_p:
                    keep[r] = True
        return
    for k, r in enumerate(free):
        q = p[r]
        if keep[r]:
            if ext is not None and ext[k] is False and q < md.other_p:
                keep[r] = False
        elif q >= md.rescue_p or (ext is not None and ext[k] is True and q >= md.extractor_p):
            keep[r] = True


def _whole_pre_blocks(role: list[str | None], keep: list[bool], tag: list[str], strs: list[str]) -> None:
    """A preformatted block (consecutive `<pre>` lines: code, program output, verse) is kept or dropped as one:
    when the model keeps most of its text (by characters), it keeps all of it: "]" and "..." inside a code
    sample look like debris on their own. Lines a rule explained keep the rule's decision."""
    r, rows = 0, len(tag)
    while r < rows:
        if tag[r] != "pre":
            r += 1
            continue
        end = r
        while end < rows and tag[end] == "pre":
            end += 1
        free = [q for q in range(r, end) if role[q] is None]
        if len(free) > 1 and 2 * sum(len(strs[q]) for q in free if keep[q]) >= sum(len(strs[q]) for q in free):
            for q in free:
                keep[q] = True
        r = end


def t_is_caption(t: str) -> bool:
    return t == "figcaption"


# how a menu or list entry starts in full-page text (inscriptis marks list items with "* ", "+ ", "o "…), and the
# arrows of "« Previous | Next »"
_LIST_MARK = ("* ", "+ ", "- ", "• ", "· ", "o ", "▪", "●", "◦", "«", "‹", "<")


def _choose_title(pf, pl: list[float], role: list[str | None], kept_rows: list[int]) -> int | None:
    """The title row (step 6 of `_pass`): the first kept line when headline-shaped and followed by a paragraph,
    else a removed headline among the TITLE_BACK lines before the article, the highest p(keep) plus up to 1 for
    its length (12 words; a headline is longer than a section label, a date or "3 min read") plus up to
    TITLE_SHARED for the share of its words the article's first TITLE_OPENING paragraphs repeat (a headline's
    words come back in the article; a site's prompt's and a byline's do not)."""
    cue, strs = pf.cue, pf.strs
    f = kept_rows[0]
    if pf.headline[f] and not pf.prose[f] and cue[f] is None and len(kept_rows) > 1 and pf.prose[kept_rows[1]]:
        return f
    cands = [b for b in range(f - 1, max(f - 1 - TITLE_BACK, -1), -1)
             if role[b] is None and cue[b] is None and pf.headline[b] and _title_candidate(strs[b])]
    if not cands:
        return None
    # the most article-like and headline-long of them, and the one whose words the article's opening repeats;
    # ties go to the nearest
    base = {b: pl[b] + min(_words(strs[b], strs[b].split()), 12) / 12 for b in cands}
    best = max(base.values())
    close = [b for b in cands if base[b] + TITLE_SHARED > best]   # (the others cannot win)
    if len(close) == 1:
        return close[0]
    paragraphs = ([r for r in kept_rows[:TITLE_OPENING * 4] if pf.prose[r]][:TITLE_OPENING]
                  or kept_rows[:TITLE_OPENING])
    opening = set(_WORD.findall(" ".join(strs[r] for r in paragraphs).casefold()))

    def shared(b: int) -> float:
        words = {w for w in _WORD.findall(strs[b].casefold()) if len(w) >= 4}
        return len(words & opening) / len(words) if words else 0.0

    return max(close, key=lambda b: base[b] + TITLE_SHARED * shared(b))


def _known_title_row(pf, kept_rows: list[int], known_title: str, keep, role, why) -> int | None:
    """The kept line that is the page's known title itself, among the short lines that open the kept text
    (KNOWN_TITLE_WITHIN of them, before the first paragraph), whatever follows it (a byline, a date, a
    standfirst). The short lines before it — a date, a kicker, a section name — are the page's header, not the
    article: they go."""
    want = " ".join(known_title.split()).casefold()
    for n, r in enumerate(kept_rows[:KNOWN_TITLE_WITHIN]):
        # (the title itself; also when it reads as a sentence — "Time to say goodbye.", a question of 14 words —
        # as long as a paragraph follows it)
        if " ".join(pf.strs[r].split()).casefold() == want and (
                pf.headline[r] or any(pf.prose[q] for q in kept_rows[n + 1:])):
            for b in kept_rows[:n]:
                keep[b], role[b] = False, "byline" if pf.cue[b] == "byline" else "navigation"
                why[b] = "before the article's headline"
            return r
        if pf.prose[r]:
            return None
    return None


def _title_candidate(s: str) -> bool:
    """Whether a removed headline-shaped line before the article can be its title: three words or more (CJK text,
    written without spaces, about two characters a word: `cues._words`), not a list or menu entry and not a
    caption with its credit ("Whale expert Hori Parata. Photograph: Adrian Malloch"). A headline may end with "!"
    ("… STOLEN!!!")."""
    if _words(s, s.split()) < 3 or s.startswith(_LIST_MARK):
        return False
    return _credit_inside(s.lower()) is None


@lru_cache(maxsize=1)
def _credit_pattern() -> re.Pattern:
    return re.compile("|".join(" " + re.escape(p) for p in load_cues().credit_prefix))


def _credit_inside(low: str):
    """Where a credit's opening words ("photograph:", "fot.") follow a space inside a lower-cased line, or None."""
    return _credit_pattern().search(low)


def _unmarked(s: str) -> str:
    """A line without the list mark it opens with ("* ", "- ", "• "…)."""
    return s[2:].lstrip() if s.startswith(_LIST_MARK) and s[1:2] == " " else s


def _field(s: str) -> str:
    """A line as a field's value: without the spaces around it and a byte order mark before it."""
    return s.strip().lstrip("\ufeff").lstrip()


def _short(s: str, n: int = 60) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


_QUOTE_PAIRS = (("„", "”"), ("„", "“"), ("“", "”"), ("«", "»"), ("»", "«"), ('"', '"'), ("‚", "‘"))


_QUOTE_OPENERS = frozenset(a for a, _ in _QUOTE_PAIRS)


def _is_quote_line(s: str) -> bool:
    if len(s) < 20 or s[0] not in _QUOTE_OPENERS:
        return False
    for a, b in _QUOTE_PAIRS:
        if s.startswith(a) and s.rstrip(".!?… ").endswith(b) and s.count(a) == 1:
            return True
    return False



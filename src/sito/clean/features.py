"""Line features of the cleaner: what one line looks like, what its neighbours look like, what the page looks like.

`page_features(lines, hints, language)` returns a `PageFeatures` with one row per non-blank line (numpy
float32, `FEATURE_NAMES` columns) plus the per-line facts the rules reuse (cue category, headline shape,
duplicate and doubled-headline detection).

How it is computed (the cleaner's cost is mostly here): the distinct lines of a page are measured together
(`_measure`): they are joined into one string whose code points, looked up in one table of character classes,
give every per-line count (digits, spaces, word characters, words, capitalised words, …) in one compiled pass
over the page (`_compiled.line_counts`); tokens (the runs of word characters of the lower-cased text) are
located and hashed in another (`_compiled.token_spans`) and looked up in the stop-word and share-word vocabulary
by hash; the cue phrase lists are found by one automaton scan (`phrases.py`); the remaining regexes run once over
the joined text of the lines they apply to. The context, position and page columns are one compiled call per
page (`_compiled.context_page`). Each measurement equals its one-line definition (tests/clean/test_fast_paths.py
and tests/clean/test_kernels.py check this on real and random text). With a `cache` shared across calls (the
cleaner's re-reading passes), each distinct line is measured once: a re-reading view gathers its rows, and only
what depends on the other lines (duplicates, neighbours, page means, the language guess) is recomputed.

The features are deliberately language-light: lengths, punctuation, capitalisation, digits, stop-word density
in the page's language (spaCy's stop-word lists, resources/cleaner/stopwords.json), cue phrases, link and date
shapes, position, indentation where the text has any (`INDENT`) — so that the model carries over to languages
with few training pages (Polish) and to pages nobody has labelled.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, fields
from functools import lru_cache
from itertools import compress

import numpy as np

from .cues import CATEGORIES, language_from_counts, load_cues, load_stopwords
from .kernels import compiled
from .phrases import lines_with_phrases

_WORDS = re.compile(r"\S+")
# has_url is defined as _URL_HINT(s) and _URL.search(s) (tests/clean/test_fast_paths.py); the page-wide measurement
# uses _URL_HINT_RX and _URL_EXISTS
_URL = re.compile(r"https?://|www\.|\S+@\S+\.\w{2,}|\.(?:com|org|net|pl|de)\b", re.I)
# The same lines as _URL.search finds something in, without its quadratic backtracking: "\S+@…" occurs exactly
# where "\S@…" does (its last character before the "@"), and the latter fails at once at every other position.
_URL_EXISTS = re.compile(r"https?://|www\.|\S@\S+\.\w{2,}|\.(?:com|org|net|pl|de)\b", re.I)
_DATE = re.compile(r"\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}:\d{2}\b")
_QUOTES = ('"', "„", "“", "”", "«", "»")
_URL_HINT_RX = re.compile(r"://|www\.|@|\.(?:com|org|net|pl|de)\b")
_URL_HINT = _URL_HINT_RX.search
_END_CLOSERS = "\"'”“»)]’"
_BULLETS = ("•", "·", "*", "-", "▪", "●", "◦", "■", "→", "►", "✓", "✔")
_DASHES = ("–", "—", "- ")
# The marks that end a sentence, a full stop among them, and those a headline does not end with — in the scripts of
# the pages sito reads: Latin, CJK (。！？、), Devanagari and Bengali (the danda ।), Arabic (؟ ، ؛) and Urdu (۔),
# Armenian (։), Ethiopic (።), Myanmar (။), Khmer (។).
FULL_STOPS = ".。।॥۔։።။។｡．"
SENTENCE_ENDS = FULL_STOPS + "!?…！？؟"
NOT_HEADLINE_ENDS = FULL_STOPS + ",;:、；：،؛"

# Headline shape: at most 20 words and 160 characters and not ending like a sentence with '.', ',', ';' or ':'.
# (Headlines run 5-15 words; the limits leave room for long news headlines with a quoted phrase.)
HEADLINE_MAX_WORDS = 20
HEADLINE_MAX_CHARS = 160
# "Prose": a line that reads like article text — at least 12 words ending like a sentence, or 25+ words.
PROSE_MIN_WORDS = 12
# Tokens the language guess reads (60 per line at most): 3,000 running words name a language reliably.
GUESS_TOKENS = 3000

BASE = [
    "log_chars", "log_words", "chars_ge40", "chars_ge80", "chars_ge150", "chars_ge300", "mean_word_len",
    "alpha_frac", "digit_frac", "punct_frac", "ends_sentence", "ends_period", "ends_colon", "ends_other_punct",
    "starts_upper", "starts_bullet", "starts_dash", "starts_digit", "stop_density", "commas_per_word",
    "log_inner_sentences", "titlecase_ratio", "all_caps", "has_url", "has_date", "log_separators",
    "has_quote", "headline_like", "prose", "duplicate", "later_duplicate", "doubled",
] + [f"cue_{c}" for c in CATEGORIES]
CONTEXT = [
    "prev_prose", "next_prose", "prev2_prose", "next2_prose", "prev_log_chars", "next_log_chars",
    "prev_stop", "next_stop", "win3_prose", "win10_prose", "win3_chars", "dist_prose_log",
    "prev_blank", "next_blank", "after_rec_header", "prev_rec_header", "prev_cue", "next_cue", "win5_cue",
    "prose_before", "prose_after",
]
POSITION = ["pos", "pos_first10", "pos_last10", "first_line"]
PAGE = ["page_log_lines", "page_prose_frac", "page_mean_log_chars", "page_stop_density", "page_cue_frac",
        "lang_known"]
# Indentation of full-page text (inscriptis and other layout-preserving converters indent a block by its depth in
# the page, so the article's paragraphs share one indentation and sidebars, teasers and footers sit at others):
# the line is at the page's main indentation (the one with the most characters of prose), deeper, shallower; at
# the same indentation as the line before / after; the share of the page's prose at its indentation; the length
# of its run of lines at one indentation (log); the page has more than one indentation. All zero for text without
# indentation (an extractor's output, most scrapers' text).
INDENT = ["indent_main", "indent_deeper", "indent_shallower", "indent_same_prev", "indent_same_next",
          "indent_share", "indent_run", "page_indented"]
HINT = ["has_hints", "in_extractor"]
# The DOM evidence of the HTML path (`sito.html.hints`), zero for text inputs: the line was matched to a block of
# the page; that block's tag (heading, list item, paragraph, table cell, caption or figure, preformatted,
# blockquote); its ancestry (nav or header, footer, aside, article or main, form); a boilerplate class or id
# word; its link density; and, for the page, the share of its matched lines inside <article>/<main>.
DOM = ["dom_matched", "dom_heading", "dom_list", "dom_para", "dom_cell", "dom_caption", "dom_pre", "dom_quote",
       "dom_nav", "dom_footer", "dom_aside", "dom_article", "dom_form", "dom_boiler", "dom_links",
       "page_dom_article"]
FEATURE_NAMES = BASE + CONTEXT + POSITION + PAGE + INDENT + HINT + DOM
N_FEATURES = len(FEATURE_NAMES)
_N_SHAPE = BASE.index("doubled") + 1
_N_VALS = BASE.index("has_quote") + 1
_COL = {n: i for i, n in enumerate(FEATURE_NAMES)}


@dataclass
class PageFeatures:
    idx: list[int]                      # input line index of each row
    X: np.ndarray                       # (rows, N_FEATURES) float32
    cue: list[str | None]               # cue category per row
    headline: list[bool]                # headline shape per row
    prose: list[bool]
    ends_sentence: list[bool]
    first_of: list[int]                 # row of the first line with the same (whitespace-normalised) text
    doubled_at: list[int]               # char offset of the second copy in an "X X?" line, else -1
    language: str | None = None
    norm: list[str] = field(default_factory=list)
    strs: list[str] = field(default_factory=list)          # the row's line, stripped
    cue_rows: list[int] = field(default_factory=list)      # rows with a cue category
    doubled_rows: list[int] = field(default_factory=list)  # rows with doubled_at >= 0
    repeat_rows: list[int] = field(default_factory=list)   # rows whose first_of is an earlier row
    prompt_rows: list[int] = field(default_factory=list)   # rows that are a prompt to subscribe (`Cues.prompt`)
    placeholder_rows: list[int] = field(default_factory=list)   # "the article continues below" (`Cues.placeholder`)
    language_share: float | None = None   # share of the tokens read that are the guessed language's stop words


# key of the per-line measurements inside `page_features`' cache
_MEASURE_KEY = ("measured",)

# Chinese, Japanese and Korean characters (kana, ideographs, Hangul syllables), as a regex class's inside
CJK_CHARS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_CJK = re.compile(f"[{CJK_CHARS}]")


def cjk_words(s: str) -> int:
    """Rough word count of CJK text: about two characters per word (Chinese and Japanese average 1.5-2.5)."""
    return len(_CJK.findall(s)) // 2


def ends_like_sentence(s: str) -> bool:
    t = s.rstrip(_END_CLOSERS + " ")
    return bool(t) and t[-1] in SENTENCE_ENDS


def doubled_offset(s: str) -> int:
    """Offset where the second copy starts when a line is one phrase printed twice ("X X?"), else -1."""
    w = s.split()  # the words of _WORDS (str.split and regex \s agree on what whitespace is)
    m = len(w)
    if m < 4 or m % 2:
        return -1
    h = m // 2
    strip = ".,:;!?…\"'”“»«„"
    last = w[h - 1].rstrip(strip)
    if last and w[:h - 1] == w[h:m - 1] and last == w[m - 1].rstrip(strip):
        return [x.start() for x in _WORDS.finditer(s)][h]
    return -1


def page_features(lines: list[str], hints: list[dict] | None = None, language: str | None = None,
                  cache: dict | None = None) -> PageFeatures:
    """Features of a page's non-blank lines. `cache` (a dict owned by the caller) keeps the per-line
    measurements between calls on the same lines, e.g. the cleaner's re-reading passes, which then only gather
    rows and recompute what depends on the other lines (duplicates, context, page means, the language guess)."""
    strs = list(map(str.strip, lines))
    idx = list(compress(range(len(strs)), strs))
    strs = [strs[i] for i in idx]
    n = len(idx)
    store = cache.get(_MEASURE_KEY) if cache is not None else None
    if store is None:
        store = LineMeasurements()
        if cache is not None:
            cache[_MEASURE_KEY] = store
    rid = store.rows(strs)
    m = store.m
    if language is None:
        # the first 60 tokens of each line until GUESS_TOKENS are read (counts of lines add up)
        counts, total = compiled().guess_counts(rid, m.g_n, m.g_counts, m.g_total, GUESS_TOKENS)
        language = language_from_counts(counts.tolist(), int(total))
        share = float(counts.max()) / int(total) if int(total) else 0.0
    else:
        share = None
    base_lang = (language or "").split("-")[0].lower()
    stopwords = load_stopwords()
    stop = stopwords.get(base_lang, frozenset())
    rows = np.zeros((n, N_FEATURES), dtype=np.float32)
    if not n:
        return PageFeatures(idx, rows, [], [], [], [], [], [], language, [])
    rows[:, :_N_VALS] = m.vals[rid]
    if stop:
        k = list(stopwords).index(base_lang)
        nw = m.nw[rid]
        rows[:, _COL["stop_density"]] = np.where(nw > 0, m.stop[rid, k] / np.maximum(nw, 1), 0.0)
    headline, prose, doubled, cat = m.headline[rid], m.prose[rid], m.doubled[rid], m.cat[rid]
    # duplicates among this page's rows, by whitespace-normalised text
    nid = m.norm_id[rid]
    first = np.full(len(store.norm_ids), n, dtype=np.int64)
    np.minimum.at(first, nid, np.arange(n))
    first_of = first[nid]
    dup = np.bincount(nid, minlength=len(store.norm_ids))[nid] > 1
    rows[:, _COL["headline_like"]] = headline
    rows[:, _COL["prose"]] = prose
    rows[:, _COL["duplicate"]] = dup
    rows[:, _COL["later_duplicate"]] = first_of != np.arange(n)
    rows[:, _COL["doubled"]] = doubled >= 0
    cue_rows = np.flatnonzero(cat)
    rows[cue_rows, _COL["cue_" + CATEGORIES[0]] + cat[cue_rows] - 1] = 1.0
    compiled().context_page(rows, np.asarray(idx, dtype=np.int64), CONTEXT_COLUMNS, 1.0 if stop else 0.0)
    # (the means as ndarray.mean computes them: a float32 sum divided by the count)
    rows[:, _COL["page_mean_log_chars"]] = np.add.reduce(rows[:, _COL["log_chars"]]) / n
    rows[:, _COL["page_stop_density"]] = np.add.reduce(rows[:, _COL["stop_density"]]) / n
    _indent_columns(rows, [lines[i] for i in idx], strs, prose)
    if hints is not None:
        rows[:, _COL["has_hints"]] = 1.0
        _dom_columns(rows, [hints[i] if i < len(hints) else None for i in idx])
    cats = (None,) + CATEGORIES
    norm = m.norm
    return PageFeatures(idx, rows, [cats[c] for c in cat.tolist()], headline.tolist(), prose.tolist(),
                        m.ends_sentence[rid].tolist(), first_of.tolist(), doubled.tolist(), language,
                        [norm[r] for r in rid.tolist()], strs, cue_rows.tolist(),
                        np.flatnonzero(doubled >= 0).tolist(), np.flatnonzero(first_of != np.arange(n)).tolist(),
                        np.flatnonzero(m.prompt[rid]).tolist(), np.flatnonzero(m.placeholder[rid]).tolist(),
                        share)


def _indent_columns(rows: np.ndarray, raw: list[str], strs: list[str], prose: np.ndarray) -> None:
    """Fill the `INDENT` columns from the rows' lines as given (`raw`) and stripped (`strs`)."""
    bare = list(map(str.lstrip, raw))
    if bare == raw:   # (no line starts with a space: every indentation is 0)
        return
    k = len(raw)
    ind = (np.fromiter(map(len, raw), dtype=np.int64, count=k)
           - np.fromiter(map(len, bare), dtype=np.int64, count=k))
    if k < 2 or ind.min() == ind.max():
        return
    if ind.max() >= 1 << 16:   # (ranks instead: every column depends only on the order of the indentations)
        ind = np.unique(ind, return_inverse=True)[1].reshape(-1)
    nc = np.fromiter(map(len, strs), dtype=np.float64, count=k)
    w = nc * prose if prose.any() else nc
    by_indent = np.bincount(ind, weights=w)          # characters (of prose) at each indentation
    levels = np.flatnonzero(np.bincount(ind))        # the indentations present, ascending
    per_level = by_indent[levels]
    main = levels[int(np.argmax(per_level))]   # ties: the shallower indentation
    col = _COL
    rows[:, col["indent_main"]] = ind == main
    rows[:, col["indent_deeper"]] = ind > main
    rows[:, col["indent_shallower"]] = ind < main
    same = ind[1:] == ind[:-1]
    rows[1:, col["indent_same_prev"]] = same
    rows[:-1, col["indent_same_next"]] = same
    rows[:, col["indent_share"]] = by_indent[ind] / per_level.sum()
    run = np.cumsum(np.concatenate(([0], ~same)))
    rows[:, col["indent_run"]] = np.log1p(np.bincount(run)[run]) / 4.0
    rows[:, col["page_indented"]] = 1.0


_TAG_COLUMN = {**dict.fromkeys(("h1", "h2", "h3", "h4", "h5", "h6"), "dom_heading"),
               **dict.fromkeys(("li", "dd", "dt"), "dom_list"), "p": "dom_para",
               **dict.fromkeys(("td", "th", "tr"), "dom_cell"),
               **dict.fromkeys(("figcaption", "caption"), "dom_caption"), "pre": "dom_pre",
               "blockquote": "dom_quote"}
_FLAG_COLUMNS = (("in_nav", "dom_nav"), ("in_header", "dom_nav"), ("in_footer", "dom_footer"),
                 ("in_aside", "dom_aside"), ("in_article", "dom_article"), ("in_form", "dom_form"),
                 ("boilerplate_class", "dom_boiler"), ("in_figure", "dom_caption"))


def _dom_columns(rows: np.ndarray, hints: list[dict | None]) -> None:
    """Fill the `in_extractor` and `DOM` columns from each row's hint dict (`sito.html.hints`)."""
    col = _COL
    ext, matched, links = col["in_extractor"], col["dom_matched"], col["dom_links"]
    n_matched = 0
    for r, h in enumerate(hints):
        if not h:
            continue
        v = h.get("in_extractor")
        if v is not None:
            rows[r, ext] = float(v)
        tag = h.get("tag")
        if tag is None:
            continue
        n_matched += 1
        rows[r, matched] = 1.0
        c = _TAG_COLUMN.get(tag)
        if c is not None:
            rows[r, col[c]] = 1.0
        for key, c in _FLAG_COLUMNS:
            if h.get(key):
                rows[r, col[c]] = 1.0
        rows[r, links] = float(h.get("link_density") or 0.0)
    if n_matched:
        rows[:, col["page_dom_article"]] = rows[:, col["dom_article"]].sum() / n_matched


class LineMeasurements:
    """Measurements of the distinct (stripped) lines seen so far. The cleaner's first pass measures a page and its
    re-reading views find all their lines here; `clean_texts` measures the lines of many short pages in one call
    (`add`), since a line's measurement does not depend on the page it is on and a call costs more in overhead
    than in arithmetic on a page of a few dozen lines."""

    def __init__(self) -> None:
        self.pos: dict[str, int] = {}
        self.norm_ids: dict[str, int] = {}
        self.m: _Measured | None = None

    def add(self, lines) -> None:
        """Measure these lines (as given: stripped here, blank ones skipped) unless already measured."""
        strs = [s for s in map(str.strip, lines) if s]
        if strs:
            self.rows(strs)

    def rows(self, strs: list[str]) -> np.ndarray:
        pos = self.pos
        if self.m is not None:   # all measured already (re-reading passes, pages of a measured batch)
            try:
                return np.fromiter(map(pos.__getitem__, strs), dtype=np.int64, count=len(strs))
            except KeyError:
                pass
        missing = [s for s in dict.fromkeys(strs) if s not in pos]
        if missing or self.m is None:
            new = _measure(missing)
            ids = self.norm_ids
            new.norm_id = np.fromiter((ids.setdefault(t, len(ids)) for t in new.norm), dtype=np.int64,
                                      count=len(missing))
            base = len(pos)
            for j, s in enumerate(missing):
                pos[s] = base + j
            self.m = new if self.m is None else _concat(self.m, new)
        return np.fromiter(map(pos.__getitem__, strs), dtype=np.int64, count=len(strs))


def _concat(a: "_Measured", b: "_Measured") -> "_Measured":
    out = {}
    for f in fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        out[f.name] = x + y if isinstance(x, list) else np.concatenate([x, y])
    return _Measured(**out)


# The columns `kernels.context_page` reads (the line's own) and writes (the rest), in its argument order.
CONTEXT_COLUMNS = np.array([_COL[c] for c in (
    "prose", "log_chars", "stop_density", "cue_rec_header", "cue_byline", "cue_rec_header",
    "prev_prose", "next_prose", "prev2_prose", "next2_prose", "prev_log_chars", "next_log_chars", "prev_stop",
    "next_stop", "prev_cue", "next_cue", "prev_rec_header", "win3_prose", "win3_chars", "win10_prose", "win5_cue",
    "dist_prose_log", "prose_before", "prose_after", "prev_blank", "next_blank", "after_rec_header",
    "pos", "pos_first10", "pos_last10", "first_line", "page_log_lines", "page_prose_frac", "page_cue_frac",
    "lang_known")], dtype=np.int64)


# ---------------------------------------------------------------------------------------------------------------
# Per-line measurements of a whole page at once.
#
# The distinct lines of a page are joined into one string; their characters become one numpy array of code points
# with a table of character classes (\w, whitespace, upper case, …), so that counts per line (digits, spaces,
# commas, word characters, words, capitalised words…) are a few numpy operations for the whole page instead of
# ~30 string calls per line. Tokens (runs of \w in the lower-cased text, exactly what `\w+` finds) are located
# the same way and split out of the masked page text once, for the stop-word and share-word lookups. Regexes run
# once over the joined text of the lines they apply to (a match never spans two lines: no pattern can match a line
# break), and the match positions are mapped back to lines. Each measurement equals its per-line definition
# (tests/clean/test_fast_paths.py checks them against it on real and random text).

# Character classes, one uint32 per code point (a table over all of Unicode, filled lazily, once per code point):
# bits 0-5 are properties, bits 8-10 a class id (disjoint character sets counted per line with one bincount), the
# bits from 11 up the small character sets the features test.
_C_WORD, _C_SPACE, _C_UPPER, _C_DIGIT, _C_CHANGED, _C_KNOWN = 1, 2, 4, 8, 16, 32
# characters a pagination line (cues._PAGINATION) / a comments-count line (cues._COMMENTS_COUNT) can start with:
# the first characters of their alternatives, matched with the patterns' own case-insensitivity
_C_PAGE_FIRST, _C_COMMENTS_FIRST = 64, 128
_PAGE_FIRST = re.compile(r"[psnowzva«‹<←\d\s]", re.I)
_COMMENTS_FIRST = re.compile(r"[ck\d\s]", re.I)
_CLS_SHIFT, _N_CLS = 8, 8
_CLS = {"ascii_digit": 1, "space": 2, "comma": 3, "quote": 4, "copyright": 5, "crumb": 6, "cjk": 7}
_SETS = {"closers": _END_CLOSERS + " ", "ends_sentence": SENTENCE_ENDS, "period": FULL_STOPS, "other": ",;-–—",
         "not_headline": NOT_HEADLINE_ENDS, "bullets": "".join(_BULLETS), "sentence": ".?!", "date_sep": "./-:",
         "separator": "|·•/»"}
_SET_BIT = {name: 1 << (11 + i) for i, name in enumerate(_SETS)}
_CHAR_TABLE = np.zeros(0x110000, dtype=np.uint32)
# the table bits `_compiled.line_counts` reads, in its argument order
_COUNT_BITS = np.array([_C_SPACE, _C_UPPER, _C_DIGIT, _C_CHANGED, _CLS_SHIFT, _N_CLS - 1, _SET_BIT["date_sep"],
                        _SET_BIT["sentence"], _SET_BIT["separator"]], dtype=np.int64)
_WORD_CHAR = re.compile(r"\w")


def _char_class(ch: str) -> int:
    if "0" <= ch <= "9":
        return _CLS["ascii_digit"]
    if ch == " ":
        return _CLS["space"]
    if ch == ",":
        return _CLS["comma"]
    if ch in _QUOTES:
        return _CLS["quote"]
    if ch == "©":
        return _CLS["copyright"]
    if ch in ">›/|":  # with "»", a quotation mark, the breadcrumb separators
        return _CLS["crumb"]
    if _CJK.match(ch):
        return _CLS["cjk"]
    return 0


def _char_flags(cp: np.ndarray) -> np.ndarray:
    """Class bits of each code point (filling the table for code points not seen before)."""
    f, unknown = compiled().table_lookup(cp, _CHAR_TABLE, _C_KNOWN)
    if unknown:
        for c in np.unique(cp[(f & _C_KNOWN) == 0]).tolist():
            ch = chr(c)
            v = (_C_KNOWN | (_C_WORD if _WORD_CHAR.match(ch) else 0) | (_C_SPACE if ch.isspace() else 0)
                 | (_C_UPPER if ch.isupper() else 0) | (_C_DIGIT if ch.isdigit() else 0)
                 | (_C_CHANGED if ch.upper() != ch else 0) | (_char_class(ch) << _CLS_SHIFT)
                 | (_C_PAGE_FIRST if _PAGE_FIRST.match(ch) else 0)
                 | (_C_COMMENTS_FIRST if _COMMENTS_FIRST.match(ch) else 0))
            for name, chars in _SETS.items():
                if ch in chars:
                    v |= _SET_BIT[name]
            _CHAR_TABLE[c] = v
        f = _CHAR_TABLE[cp]
    return f


def _codepoints(s: str) -> np.ndarray:
    return np.frombuffer(s.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _in_set(f: np.ndarray, name: str) -> np.ndarray:
    """Which characters (given by their table entries) are in the character set `name`."""
    return (f & _SET_BIT[name]) != 0


_CHAR_BINS = np.array([40, 80, 150, 300])
_SEPARATORS = (" | ", " · ", " • ", " / ", " » ")
_LOG1P = np.array([math.log1p(i) for i in range(4096)], dtype=np.float64)


def _log1p_int(a: np.ndarray) -> np.ndarray:
    """math.log1p of non-negative integers (float64): from a table built with math.log1p itself, and math.log1p
    for the rare values beyond it."""
    out = _LOG1P[np.minimum(a, len(_LOG1P) - 1)]
    big = np.flatnonzero(a >= len(_LOG1P))
    if len(big):
        out[big] = [math.log1p(v) for v in a[big].tolist()]
    return out


def _lines_matching(rx, texts: list[str], sel) -> np.ndarray:
    """Which of the lines `sel` (indices into `texts`) `rx.search` finds something in: one scan of their joined
    text. Needs a pattern that cannot match a line break, so that no match spans two lines."""
    out = np.zeros(len(texts), dtype=bool)
    sel = list(sel)
    if not sel:
        return out
    part = [texts[i] for i in sel]
    pos = [m.start() for m in rx.finditer("\n".join(part))]
    if pos:
        offs = np.cumsum(np.fromiter(map(len, part), dtype=np.int64, count=len(part)) + 1) - 1  # each line's "\n"
        hit = np.searchsorted(offs, np.asarray(pos, dtype=np.int64))
        out[np.asarray(sel, dtype=np.int64)[hit]] = True
    return out


def _word_flags() -> dict[str, int]:
    """token -> bits: bit k = a stop word of language k (in `load_stopwords()` order); then share / filler."""
    cues = load_cues()
    out: dict[str, int] = {}
    if len(load_stopwords()) > 20:
        raise ValueError("the token flags have room for the stop words of at most 20 languages")
    for k, words in enumerate(load_stopwords().values()):
        for w in words:
            out[w] = out.get(w, 0) | (1 << k)
    for w in cues.share_words:
        out[w] = out.get(w, 0) | _SHARE_BIT
    for w in cues.share_filler:
        out[w] = out.get(w, 0) | _FILLER_BIT
    return out


_SHARE_BIT, _FILLER_BIT = 1 << 20, 1 << 21
_FNV_OFFSET, _FNV_PRIME, _MASK64 = 0xCBF29CE484222325, 0x100000001B3, (1 << 64) - 1


def token_hash(token: str) -> int:
    """64-bit FNV-1a over the token's code points: how the page measurement identifies tokens
    (`_compiled.token_spans` computes the same). Two different tokens share a hash with probability 2^-64 per
    pair; the vocabulary's own words are checked to be distinct."""
    h = _FNV_OFFSET
    for ch in token:
        h = ((h ^ ord(ch)) * _FNV_PRIME) & _MASK64
    return h


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[np.ndarray, np.ndarray]:
    """`_word_flags` as an open-addressing hash table keyed by `token_hash`: the keys (uint64) and the flag bits
    (int64; 0 = an empty slot: every word of the vocabulary has some bit). A key's slot is its low bits, then
    the next ones in turn (linear probing); the table is kept at most a quarter full, so that a token not in
    the vocabulary, most of them, meets an empty slot at once."""
    flags = _word_flags()
    hashes = {token_hash(w): f for w, f in flags.items()}
    if len(hashes) != len(flags):
        raise ValueError("two words of the cleaner's vocabulary share a hash")
    size = 1 << max(4, (4 * len(hashes) - 1).bit_length())
    keys = np.zeros(size, dtype=np.uint64)
    vals = np.zeros(size, dtype=np.int64)
    for h, f in hashes.items():
        if not f:
            raise ValueError("a word of the cleaner's vocabulary has no flag bits")
        j = h & (size - 1)
        while vals[j]:
            j = (j + 1) & (size - 1)
        keys[j], vals[j] = h, f
    return keys, vals


@dataclass
class _Measured:
    """Per distinct line (stripped): everything `page_features` needs that depends on the line alone."""
    vals: np.ndarray          # (k, _N_VALS) float32: BASE columns up to has_quote; stop_density left at 0
    nw: np.ndarray            # (k,) word count (CJK-adjusted)
    stop: np.ndarray          # (k, n_languages) tokens that are stop words of each language
    g_n: np.ndarray           # (k,) tokens the language guess reads (the first 60)
    g_total: np.ndarray       # (k,) of those, tokens of 2+ letters
    g_counts: np.ndarray      # (k, n_languages) of those, stop words of each language
    headline: np.ndarray      # (k,) bool
    prose: np.ndarray
    ends_sentence: np.ndarray
    doubled: np.ndarray       # (k,) int
    cat: np.ndarray           # (k,) int: 0 = no cue, else 1 + index in CATEGORIES
    prompt: np.ndarray        # (k,) bool: a prompt to subscribe, follow or log in (`Cues.prompt`; not a feature)
    placeholder: np.ndarray   # (k,) bool: where a video or an ad interrupts the article (`Cues.placeholder`; neither)
    norm: list[str]
    norm_id: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))


def _measure(U: list[str]) -> _Measured:
    """Measure the distinct, stripped, non-empty lines `U` of a page."""
    cues = load_cues()
    k = len(U)
    nlang = len(load_stopwords())
    if not k:
        z = np.zeros(0, dtype=np.int64)
        return _Measured(np.zeros((0, _N_VALS), dtype=np.float32), z, np.zeros((0, nlang), dtype=np.int64), z, z,
                         np.zeros((0, nlang), dtype=np.int64), z.astype(bool), z.astype(bool), z.astype(bool), z, z,
                         z.astype(bool), z.astype(bool), [])
    J = "\n".join(U) + "\n"
    if J.count("\n") != k:
        raise ValueError("a line contains a line break; split the text with str.splitlines() first")
    cp = _codepoints(J)
    fl = _char_flags(cp)
    nc = np.fromiter(map(len, U), dtype=np.int64, count=k)
    ends = np.cumsum(nc + 1) - 1            # the "\n" after each line
    starts = ends - nc
    # lower-cased text (tokens, cue phrases): lower() may change a line's length (İ -> i̇), so own offsets
    L = J.lower()
    lcp = _codepoints(L)
    lfl = _char_flags(lcp)
    if len(L) == len(J):
        lstarts, lnc = starts, nc
    else:
        lnc = np.fromiter(map(len, L.split("\n")[:k]), dtype=np.int64, count=k)
        lstarts = np.cumsum(lnc + 1) - 1 - lnc
    kern = compiled()
    # per-line counts of character classes and properties, one pass (columns: see _compiled.line_counts)
    cnt = kern.line_counts(cp, fl, starts, nc, _COUNT_BITS)
    n_digit, n_space, n_comma, n_quote = cnt[:, 1], cnt[:, 2], cnt[:, 3], cnt[:, 4]
    n_copy, n_cjk = cnt[:, 5], cnt[:, 7]
    n_crumb = cnt[:, 6] + n_quote                # ">›»/|" ("»" is counted as a quotation mark): an upper bound
    n_words, n_caps, n_changed = cnt[:, 8], cnt[:, 9], cnt[:, 10]
    n_udig, n_datey, n_sent = cnt[:, 11], cnt[:, 12], cnt[:, 13]   # digits of any script (a superset of \d)
    # tokens: runs of \w in the lower-cased text, identified by a hash of their text (`token_hash`)
    tlen, th, first_tok, ntok = kern.token_spans(lcp, lfl, lstarts, lnc, _C_WORD)
    n_word = np.add.reduceat(np.append(tlen, 0), first_tok) * (ntok > 0)   # word characters, lower-cased
    nw = np.maximum(ntok, n_cjk // 2)
    lfirst = lfl[lstarts]
    lword = (lfl & _C_WORD) != 0
    del lfl
    # tokens per line: stop words of each language, share words; the language guess's first 60 tokens
    vocab_hash, vocab_flags = _vocabulary()
    per = kern.token_counts(th, tlen, first_tok, ntok, vocab_hash, vocab_flags, nlang)
    stop, g_counts = per[:, :nlang], per[:, nlang:2 * nlang]
    g_total, n_share, n_share_fill = per[:, 2 * nlang], per[:, 2 * nlang + 1], per[:, 2 * nlang + 2]
    # the line's last character before closing quotes / brackets / spaces
    # (usually the last character; for lines ending in closers, found by rstrip itself)
    lastpos = ends - 1
    for r in np.flatnonzero(_in_set(fl[ends - 1], "closers")).tolist():
        lastpos[r] = starts[r] + len(U[r].rstrip(_END_CLOSERS + " ")) - 1
    lastc = np.where(lastpos >= starts, cp[np.maximum(lastpos, 0)], 0)
    lastf = np.where(lastpos >= starts, fl[np.maximum(lastpos, 0)], 0)
    es = _in_set(lastf, "ends_sentence")
    c0, f0 = cp[starts], fl[starts]
    n_alpha = n_word - n_digit
    n_punct = np.maximum(nc - n_word - n_space, 0)
    ncf, nwf = nc.astype(np.float64), nw.astype(np.float64)
    nw1 = np.maximum(nwf, 1.0)
    # separators " | ", " · ", " • ", " / ", " » ": a space, one of the characters, a space; str.count counts
    # non-overlapping copies, so lines where two of them share a space (" | | ") are counted by str.count itself
    seps = cnt[:, 15]
    for r in np.flatnonzero(cnt[:, 16]).tolist():
        seps[r] = sum(U[r].count(x) for x in _SEPARATORS)
    # (every date shape has a digit, a separator and a digit in a row)
    date_lines = np.flatnonzero((n_digit > 0) & (n_datey > 0)).tolist()
    # has_url: the URL hint, then the URL pattern; lines without any of the hint's literal parts cannot match
    url = cnt[:, 17] > 0
    url &= _lines_matching(_URL_HINT_RX, U, np.flatnonzero(url).tolist())
    url &= _lines_matching(_URL_EXISTS, U, np.flatnonzero(url).tolist())
    # the BASE columns up to has_quote (float64 results rounded to float32 on assignment, as astype does)
    V = np.zeros((k, _N_VALS), dtype=np.float32)
    V[:, 0] = _log1p_int(nc) / 6.0
    V[:, 1] = _log1p_int(nw) / 5.0
    V[:, 2:6] = nc[:, None] >= _CHAR_BINS
    V[:, 6] = np.where(nw > 0, np.minimum(n_alpha / nw1, 15.0) / 10.0, 0.0)
    V[:, 7] = n_alpha / ncf
    V[:, 8] = n_digit / ncf
    V[:, 9] = n_punct / ncf
    V[:, 10] = es
    V[:, 11] = _in_set(lastf, "period")
    V[:, 12] = lastc == 58
    V[:, 13] = _in_set(lastf, "other")
    V[:, 14] = (f0 & _C_UPPER) != 0
    V[:, 15] = _in_set(f0, "bullets")
    V[:, 16] = (c0 == 0x2013) | (c0 == 0x2014) | ((c0 == 45) & (cp[starts + 1] == 32))
    V[:, 17] = (f0 & _C_DIGIT) != 0
    # 18, stop_density: per language, in page_features
    V[:, 19] = np.where(nw > 0, np.minimum(n_comma / nw1, 1.0), 0.0)
    V[:, 20] = _log1p_int(n_sent) / 3.0
    V[:, 21] = n_caps / np.maximum(n_words, 1)
    V[:, 22] = (n_alpha >= 3) & (n_changed == 0)
    V[:, 23] = url
    V[:, 24] = _lines_matching(_DATE, U, date_lines)
    V[:, 25] = _log1p_int(seps) / 2.0
    V[:, 26] = n_quote > 0
    headline = (nw <= HEADLINE_MAX_WORDS) & (nc <= HEADLINE_MAX_CHARS) & ~_in_set(lastf, "not_headline")
    prose = ((nw >= PROSE_MIN_WORDS) & es) | (nw >= 25)
    doubled = np.full(k, -1, dtype=np.int64)
    # (a phrase printed twice has an even number of whitespace-separated words, at least 4)
    for r in np.flatnonzero((nw >= 4) & (nw <= 60) & (n_words >= 4) & (n_words % 2 == 0)).tolist():
        s = U[r]
        w = s.split(None, 1)[0]
        if s.find(w, len(w)) >= 0:   # (the first word occurs again: s.count(w) >= 2)
            doubled[r] = doubled_offset(s)
    # whitespace-normalised text: the line itself unless it has whitespace other than single spaces (the line
    # break after each line in J is one such character)
    norm = U.copy()
    for r in np.flatnonzero(cnt[:, 14] > 1).tolist():
        norm[r] = " ".join(U[r].split())
    cat, prompt, placeholder = _categories(cues, U, L, lcp, lstarts, lnc, lword, cnt[:, 14] > 1, nc, nw, ntok,
                                           n_share, n_share_fill, n_copy, n_crumb, n_udig, n_datey, f0, lfirst)
    return _Measured(V, nw, stop, np.minimum(ntok, 60), g_total, g_counts, headline, prose, es, doubled, cat, prompt,
                     placeholder, norm)


def _categories(cues, U, L, lcp, lstarts, lnc, lword, odd_space, nc, nw, ntok, n_share, n_share_fill, n_copy,
                n_crumb, n_udig, n_datey, first, lfirst):
    """`Cues.category` of every line at once (codes: 0 = none, else 1 + index in CATEGORIES); the same
    conditions in the same priority order, each evaluated for the lines it can decide. And `Cues.prompt` and
    `Cues.placeholder` of every line (from the same phrase scan)."""
    from .cues import _BREADCRUMB, _COMMENTS_COUNT, _DATE_NUM, _PAGINATION, _YEAR

    k = len(U)
    code = {c: i + 1 for i, c in enumerate(CATEGORIES)}
    ok = nc <= 600
    small = ok & (nw <= 25)
    # (every use of a phrase below is on a line of at most 600 characters: longer ones are not scanned)
    found = lines_with_phrases(lcp, lword, lstarts, np.where(ok, lnc, 0))
    # whole-line phrases: a line whose spaces are single has its normalised text (`cues._norm_whole`) inside its
    # lower-cased text, so it can only be a phrase when the scan found that phrase in it
    whole = np.zeros(k, dtype=np.int64)
    placeholder = np.zeros(k, dtype=bool)
    wget, placeholders = cues.whole.get, cues.placeholders
    from .cues import _norm_whole

    for r in np.flatnonzero((nc <= 80) & (found["whole"] | odd_space)).tolist():
        t = _norm_whole(U[r])
        c = wget(t)
        if c is not None:
            whole[r] = code[c]
        elif t in placeholders:
            placeholder[r] = True
    rel = found["related_prefix"] & (nc <= 250) & (nw >= 2)
    cookie = (found["cookie_words"] | found["cookie_acronyms"]) & found["consent_words"]
    comments = np.zeros(k, dtype=bool)
    pagination = np.zeros(k, dtype=bool)
    for r in np.flatnonzero(small & (((lfirst & _C_COMMENTS_FIRST) != 0) | ((first & _C_PAGE_FIRST) != 0))).tolist():
        if _COMMENTS_COUNT.match(L[lstarts[r]:lstarts[r] + lnc[r]]):   # (the lower-cased line)
            comments[r] = True
        elif nc[r] <= 80 and _PAGINATION.match(U[r]):
            pagination[r] = True
    share = small & (nw > 0) & (nw <= 10) & (n_share > 0) & (n_share_fill == ntok)
    credit = (found["credit_prefix"] | found["credit_contains"]) & small & (nw <= 15)
    legal = found["legal"] & small
    year = _lines_matching(_YEAR, U, np.flatnonzero(small & ((n_copy > 0) | (nw <= 8)) & (n_udig >= 4)).tolist())
    crumb = np.zeros(k, dtype=bool)
    for r in np.flatnonzero(small & (nc <= 120) & (n_crumb >= 2)).tolist():
        crumb[r] = _BREADCRUMB.match(U[r]) is not None
    byline = found["byline_prefix"] & small
    sel8 = np.flatnonzero(small & (nw <= 8)).tolist()
    dated = _lines_matching(_DATE_NUM, U, [r for r in sel8 if n_datey[r] > 0])
    dated |= year & found["months"] & small & (nw <= 8)
    conds = [
        ~ok, whole > 0, rel, cookie, ~small, comments, pagination, share,
        legal | (credit & (n_copy > 0) & year), credit, crumb, byline & (nw <= 12), dated,
    ]
    choices = [0, whole, code["related_prefix"], code["cookie"], 0, code["comments"], code["pagination"],
               code["share"], code["legal"], code["credit"], code["nav"], code["byline"], code["byline"]]
    out = np.zeros(k, dtype=np.int64)
    for cond, choice in zip(conds[::-1], choices[::-1]):  # the first condition that holds wins
        out = np.where(cond, choice, out)
    return out, found["promo"] & small, placeholder

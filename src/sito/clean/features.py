"""Line features of the cleaner: what one line looks like, what its neighbours look like, what the page looks like.

`page_features(lines, hints, language)` returns a `PageFeatures` with one row per non-blank line (numpy
float32, `FEATURE_NAMES` columns) plus the per-line facts the rules reuse (cue category, headline shape,
duplicate and doubled-headline detection). Everything is computed with precompiled regexes and a single pass
over the lines; neighbour and page features are numpy operations on the per-line columns. The per-line part
(string operations in Python, tens of microseconds per line) is most of the cleaner's cost; with a `cache`
shared across calls (the cleaner's re-reading passes), each distinct line is tokenised and measured once.

The features are deliberately language-light: lengths, punctuation, capitalisation, digits, stop-word density
in the page's language (spaCy's stop-word lists, resources/cleaner/stopwords.json), cue phrases, link and date
shapes, position — so that the model carries over to languages with few training pages (Polish) and to pages
nobody has labelled.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np

from .cues import CATEGORIES, language_from_counts, load_cues, load_stopwords, stop_counts

_TOKEN = re.compile(r"\w+")
_WORDS = re.compile(r"\S+")
_URL = re.compile(r"https?://|www\.|\S+@\S+\.\w{2,}|\.(?:com|org|net|pl|de)\b", re.I)
_DATE = re.compile(r"\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}:\d{2}\b")
_DIGITS = "0123456789"
_HAS_DIGIT = re.compile(r"\d").search
_HIGH = re.compile("[\u3040-\U0010ffff]").search  # any character from the CJK blocks up (same as max(s) >= "\u3040")
_QUOTES = ('"', "„", "“", "”", "«", "»")
_URL_HINT = re.compile(r"://|www\.|@|\.(?:com|org|net|pl|de)\b").search
_END_CLOSERS = "\"'”“»)]’"
_BULLETS = ("•", "·", "*", "-", "▪", "●", "◦", "■", "→", "►", "✓", "✔")
_DASHES = ("–", "—", "- ")

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
HINT = ["has_hints", "in_extractor"]
FEATURE_NAMES = BASE + CONTEXT + POSITION + PAGE + HINT
N_FEATURES = len(FEATURE_NAMES)
_N_SHAPE = BASE.index("doubled") + 1
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


# key of the per-line token cache inside `page_features`' cache (whose other keys are languages: str or None)
_TOKENS_KEY = ("tokens",)

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def cjk_words(s: str) -> int:
    """Rough word count of CJK text: about two characters per word (Chinese and Japanese average 1.5-2.5)."""
    return len(_CJK.findall(s)) // 2


def ends_like_sentence(s: str) -> bool:
    t = s.rstrip(_END_CLOSERS + " ")
    return bool(t) and t[-1] in ".!?…。！？"


def doubled_offset(s: str) -> int:
    """Offset where the second copy starts when a line is one phrase printed twice ("X X?"), else -1."""
    spans = [m.span() for m in _WORDS.finditer(s)]
    m = len(spans)
    if m < 4 or m % 2:
        return -1
    h = m // 2
    a = [s[i:j] for i, j in spans[:h]]
    b = [s[i:j] for i, j in spans[h:]]
    strip = ".,:;!?…\"'”“»«„"
    if a[:-1] == b[:-1] and a[-1].rstrip(strip) == b[-1].rstrip(strip) and a[-1].rstrip(strip):
        return spans[h][0]
    return -1


def page_features(lines: list[str], hints: list[dict] | None = None, language: str | None = None,
                  cache: dict | None = None) -> PageFeatures:
    """Features of a page's non-blank lines. `cache` (a dict owned by the caller) keeps per-line results
    between calls on the same lines, e.g. the cleaner's re-reading pass."""
    cues = load_cues()
    idx = [i for i, t in enumerate(lines) if t.strip()]
    n = len(idx)
    rows = np.zeros((n, N_FEATURES), dtype=np.float32)
    toks_all: list[list[str]] = []
    strs: list[str] = []
    # tokens per distinct line, kept in the caller's cache between passes (the re-reading pass sees the same lines)
    # (and the whitespace-normalised text)
    tok_cache: dict[str, tuple[list[str], str]] = cache.setdefault(_TOKENS_KEY, {}) if cache is not None else {}
    norm: list[str] = []
    for i in idx:
        s = lines[i].strip()
        strs.append(s)
        hit = tok_cache.get(s)
        if hit is None:
            hit = tok_cache[s] = (_TOKEN.findall(s.lower()), " ".join(s.split()))
        toks_all.append(hit[0])
        norm.append(hit[1])
    if language is None:
        # the first 60 tokens of each line until GUESS_TOKENS are read
        sample: list[str] = []
        for toks in toks_all:
            sample.extend(toks[:60])
            if len(sample) >= GUESS_TOKENS:
                break
        language = language_from_counts(*stop_counts(sample))
    stop = load_stopwords().get((language or "").split("-")[0].lower(), frozenset())
    cue_list: list[str | None] = []
    headline: list[bool] = []
    prose: list[bool] = []
    ends_s: list[bool] = []
    first_of: list[int] = []
    doubled: list[int] = []
    seen: dict[str, int] = {}
    counts: dict[str, int] = {}
    cat_col = {c: _COL[f"cue_{c}"] for c in CATEGORIES}
    base: list[list] = []
    cue_rows: list[int] = []
    cue_cols: list[int] = []
    for r, key in enumerate(norm):
        counts[key] = counts.get(key, 0) + 1
        first_of.append(seen.setdefault(key, r))
    lang_cache = cache.setdefault(language, {}) if cache is not None else None
    for r, s in enumerate(strs):
        if lang_cache is not None:
            hit = lang_cache.get(s)
            if hit is not None:
                vals, hl, pr, es, d, cat = hit
                base.append(vals + [hl, pr, counts[norm[r]] > 1, first_of[r] != r, d >= 0])
                if cat is not None:
                    cue_rows.append(r)
                    cue_cols.append(cat_col[cat])
                cue_list.append(cat)
                headline.append(hl)
                prose.append(pr)
                ends_s.append(es)
                doubled.append(d)
                continue
        toks = toks_all[r]
        nc = len(s)
        nw = len(toks)
        if s and _HIGH(s):  # Chinese / Japanese / Korean: no spaces between words
            nw = max(nw, cjk_words(s))
        n_digit = sum(map(s.count, _DIGITS)) if _HAS_DIGIT(s) else 0  # ASCII digits
        n_word = sum(map(len, toks))
        n_alpha = n_word - n_digit
        n_punct = max(nc - n_word - s.count(" "), 0)
        es = ends_like_sentence(s)
        last = s.rstrip(_END_CLOSERS + " ")[-1:] or s[-1]
        words = s.split()
        caps = sum(map(str.isupper, [w[0] for w in words]))
        vals = [
            math.log1p(nc) / 6.0,
            math.log1p(nw) / 5.0,
            nc >= 40,
            nc >= 80,
            nc >= 150,
            nc >= 300,
            min(n_alpha / nw, 15.0) / 10.0 if nw else 0.0,
            n_alpha / nc,
            n_digit / nc,
            n_punct / nc,
            es,
            last in ".。",
            last == ":",
            last in ",;-–—",
            s[0].isupper(),
            s.startswith(_BULLETS),
            s.startswith(_DASHES),
            s[0].isdigit(),
            (sum(map(stop.__contains__, toks)) / nw) if (nw and stop) else 0.0,
            min(s.count(",") / nw, 1.0) if nw else 0.0,
            math.log1p(s.count(". ") + s.count("? ") + s.count("! ")) / 3.0,
            caps / len(words) if words else 0.0,
            n_alpha >= 3 and s.upper() == s,
            bool(_URL_HINT(s)) and _URL.search(s) is not None,
            n_digit > 0 and _DATE.search(s) is not None,
            math.log1p(s.count(" | ") + s.count(" · ") + s.count(" • ") + s.count(" / ") + s.count(" » ")) / 2.0,
            any(map(s.__contains__, _QUOTES)),
        ]
        hl = nw <= HEADLINE_MAX_WORDS and nc <= HEADLINE_MAX_CHARS and last not in ".,;:。、；："
        pr = (nw >= PROSE_MIN_WORDS and es) or nw >= 25
        d = doubled_offset(s) if 4 <= nw <= 60 and s.count(words[0]) >= 2 else -1
        cat = cues.category(s, toks)
        if lang_cache is not None:
            lang_cache[s] = (vals, hl, pr, es, d, cat)
        base.append(vals + [hl, pr, counts[norm[r]] > 1, first_of[r] != r, d >= 0])
        if cat is not None:
            cue_rows.append(r)
            cue_cols.append(cat_col[cat])
        cue_list.append(cat)
        headline.append(hl)
        prose.append(pr)
        ends_s.append(es)
        doubled.append(d)
    if n:
        rows[:, :_N_SHAPE] = np.asarray(base, dtype=np.float32)
        rows[cue_rows, cue_cols] = 1.0
        _context(rows, lines, idx)
        _position_page(rows, n, bool(stop))
        if hints is not None:
            rows[:, _COL["has_hints"]] = 1.0
            col = _COL["in_extractor"]
            for r, i in enumerate(idx):
                h = hints[i] if i < len(hints) else None
                if h:
                    v = h.get("in_extractor")
                    if v is not None:
                        rows[r, col] = float(v)
    return PageFeatures(idx, rows, cue_list, headline, prose, ends_s, first_of, doubled, language, norm)


def _shift(a: np.ndarray, k: int, fill: float = 0.0) -> np.ndarray:
    out = np.full_like(a, fill)
    if k > 0:
        out[k:] = a[:-k]
    elif k < 0:
        out[:k] = a[-k:]
    else:
        out[:] = a
    return out


def _window_mean(a: np.ndarray, w: int) -> np.ndarray:
    c = np.concatenate(([0.0], np.cumsum(a, dtype=np.float64)))
    n = len(a)
    ar = np.arange(n)
    lo = np.maximum(ar - w, 0)
    hi = np.minimum(ar + w + 1, n)
    return ((c[hi] - c[lo]) / (hi - lo)).astype(np.float32)


def _context(rows: np.ndarray, lines: list[str], idx: list[int]) -> None:
    C = _COL
    prose = rows[:, C["prose"]]
    chars = rows[:, C["log_chars"]]
    stop = rows[:, C["stop_density"]]
    cue_any = rows[:, C["cue_rec_header"]:C["cue_byline"] + 1].max(axis=1)
    rec = rows[:, C["cue_rec_header"]]
    rows[:, C["prev_prose"]] = _shift(prose, 1)
    rows[:, C["next_prose"]] = _shift(prose, -1)
    rows[:, C["prev2_prose"]] = _shift(prose, 2)
    rows[:, C["next2_prose"]] = _shift(prose, -2)
    rows[:, C["prev_log_chars"]] = _shift(chars, 1)
    rows[:, C["next_log_chars"]] = _shift(chars, -1)
    rows[:, C["prev_stop"]] = _shift(stop, 1)
    rows[:, C["next_stop"]] = _shift(stop, -1)
    rows[:, C["win3_prose"]] = _window_mean(prose, 3)
    rows[:, C["win10_prose"]] = _window_mean(prose, 10)
    rows[:, C["win3_chars"]] = _window_mean(chars, 3)
    n = len(prose)
    pos = np.arange(n)
    pidx = np.flatnonzero(prose > 0)
    if len(pidx):
        j = np.searchsorted(pidx, pos)
        before = np.where(j > 0, pos - pidx[np.clip(j - 1, 0, len(pidx) - 1)], n)
        after = np.where(j < len(pidx), pidx[np.clip(j, 0, len(pidx) - 1)] - pos, n)
        dist = np.minimum(before, after)
        rows[:, C["dist_prose_log"]] = np.log1p(np.minimum(dist, 50)) / 4.0
        cum = np.cumsum(prose)
        rows[:, C["prose_before"]] = np.log1p(cum - prose) / 4.0
        rows[:, C["prose_after"]] = np.log1p(cum[-1] - cum) / 4.0
    else:
        rows[:, C["dist_prose_log"]] = np.log1p(50) / 4.0
    # blank line before / after in the input (paragraph breaks)
    ia = np.asarray(idx)
    rows[:, C["prev_blank"]] = np.concatenate(([1.0], (np.diff(ia) > 1).astype(np.float32)))
    rows[:, C["next_blank"]] = np.concatenate(((np.diff(ia) > 1).astype(np.float32), [1.0]))
    rows[:, C["after_rec_header"]] = np.minimum(np.cumsum(rec) - rec, 1.0)
    rows[:, C["prev_rec_header"]] = _shift(rec, 1)
    rows[:, C["prev_cue"]] = _shift(cue_any, 1)
    rows[:, C["next_cue"]] = _shift(cue_any, -1)
    rows[:, C["win5_cue"]] = _window_mean(cue_any, 5)


def _position_page(rows: np.ndarray, n: int, lang_known: bool) -> None:
    C = _COL
    pos = np.arange(n, dtype=np.float32) / max(n - 1, 1)
    rows[:, C["pos"]] = pos
    rows[:, C["pos_first10"]] = pos < 0.1
    rows[:, C["pos_last10"]] = pos > 0.9
    rows[0, C["first_line"]] = 1.0
    rows[:, C["page_log_lines"]] = math.log1p(n) / 6.0
    rows[:, C["page_prose_frac"]] = rows[:, C["prose"]].mean()
    rows[:, C["page_mean_log_chars"]] = rows[:, C["log_chars"]].mean()
    rows[:, C["page_stop_density"]] = rows[:, C["stop_density"]].mean()
    rows[:, C["page_cue_frac"]] = rows[:, C["cue_rec_header"]:C["cue_byline"] + 1].max(axis=1).mean()
    rows[:, C["lang_known"]] = float(lang_known)

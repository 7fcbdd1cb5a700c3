"""The cleaner's shortcuts compute the same thing as the plain definitions they replace.

- the language guess counts stop words through a word -> languages index; it must name the same language as
  counting each language's stop words directly;
- `page_features` keeps per-line results in a cache between the re-reading passes; features from a warm cache
  must equal features computed from scratch;
- the line model multiplies matrices with einsum; it must agree with the plain matrix product.
"""

from pathlib import Path

import numpy as np
import pytest

from sito.clean.cues import guess_language, language_from_counts, load_stopwords, stop_counts
from sito.clean.features import page_features
from sito.clean.model import _mlp, default_model

EX = Path(__file__).resolve().parents[2] / "examples"
PAGE = (EX / "pl_news_scraped.txt").read_text("utf-8")


def _guess_plain(tokens, min_share=0.05):
    """The definition: the language whose stop-word list covers most tokens of 2+ letters (ties: the first)."""
    tokens = [t for t in tokens if len(t) > 1]
    if not tokens:
        return None
    best, best_n = None, 0
    for lang, words in load_stopwords().items():
        n = sum(t in words for t in tokens)
        if n > best_n:
            best, best_n = lang, n
    return best if best_n >= min_share * len(tokens) else None


TEXTS = [
    PAGE,
    "The government said on Tuesday that it would raise taxes on imported steel by ten percent next year.",
    "Die Bundesregierung will die Steuern im kommenden Jahr deutlich senken, wie ein Sprecher mitteilte.",
    "a i w o",                       # only one-letter words: no guess
    "漢字 かな 한국어",               # no stop words of any shipped language
    "",
]


@pytest.mark.parametrize("text", TEXTS)
def test_language_guess_matches_the_definition(text):
    import re

    toks = re.findall(r"\w+", text.lower())
    assert guess_language(toks) == _guess_plain(toks)
    # counts of a concatenation are the sums of the parts' counts
    half = len(toks) // 2
    (ca, ta), (cb, tb), (cab, tab) = stop_counts(toks[:half]), stop_counts(toks[half:]), stop_counts(toks)
    assert [a + b for a, b in zip(ca, cb)] == cab and ta + tb == tab
    assert language_from_counts(cab, tab) == _guess_plain(toks)


def test_features_from_a_warm_cache_equal_fresh_ones():
    lines = PAGE.splitlines()
    cold = page_features(lines)
    cache: dict = {}
    page_features(lines, cache=cache)
    # a re-reading view: every other non-blank line, separated by blank lines, from the same warm cache
    view = []
    for s in [s for s in lines if s.strip()][::2]:
        view += [s, ""]
    warm, warm_view = page_features(lines, cache=cache), page_features(view, cache=cache)
    assert np.array_equal(cold.X, warm.X) and cold.cue == warm.cue and cold.norm == warm.norm
    fresh_view = page_features(view)
    assert np.array_equal(fresh_view.X, warm_view.X) and fresh_view.language == warm_view.language
    assert fresh_view.first_of == warm_view.first_of and fresh_view.doubled_at == warm_view.doubled_at


def test_model_products_agree_with_matmul():
    m = default_model()
    X = page_features(PAGE.splitlines()).X
    Z = (X - m.mean) * m.scale
    H = np.maximum(Z.astype(np.float64) @ m.W1.astype(np.float64) + m.b1, 0.0)
    want = 1.0 / (1.0 + np.exp(-(H @ m.w2.astype(np.float64) + m.b2)))
    assert np.allclose(_mlp(Z, m.W1, m.b1, m.w2, m.b2), want, atol=1e-5)


def test_prefix_factored_patterns_match_the_plain_alternation():
    import json
    import re

    from sito.clean.cues import _trie_pattern

    data = json.loads((Path(__file__).resolve().parents[2] / "src/sito/resources/cleaner/cues.json").read_text("utf-8"))
    lines = [s.lower() for s in PAGE.splitlines()] + ["all rights reserved 2024", "fot. pap", "we use cookies",
                                                      "privacy", "ab", "abc", "b"]
    for key in ("legal", "credit_contains", "consent_words", "months"):
        phrases = sorted({p.lower() for ps in data[key].values() for p in ps})
        alt, trie = "|".join(map(re.escape, phrases)), _trie_pattern(phrases)
        for wrap in ("(?:%s)", r"\b(?:%s)\b"):  # as cues.py uses them: plain, and as whole words (months)
            plain, fast = re.compile(wrap % alt), re.compile(wrap % trie)
            assert [bool(plain.search(s)) for s in lines + phrases] == [bool(fast.search(s)) for s in lines + phrases]
        assert all(re.fullmatch(trie, p) for p in phrases)
    assert re.fullmatch(_trie_pattern(["ab", "abc", "b", "a.c"]), "a.c") and not re.search(_trie_pattern(["a.c"]), "abc")


# --- per-line measurements of the whole page at once == the per-line definitions -------------------------------

def _plain_line(s: str, stop: frozenset) -> tuple:
    """The definitions of the per-line features, one line at a time (the code the page-wide version replaced)."""
    import math
    import re

    from sito.clean import features as F
    from sito.clean.cues import load_cues

    toks = re.findall(r"\w+", s.lower())
    nc, nw = len(s), len(toks)
    if s and re.search("[\u3040-\U0010ffff]", s):
        nw = max(nw, F.cjk_words(s))
    n_digit = sum(map(s.count, "0123456789"))
    n_word = sum(map(len, toks))
    n_alpha = n_word - n_digit
    n_punct = max(nc - n_word - s.count(" "), 0)
    es = F.ends_like_sentence(s)
    last = s.rstrip(F._END_CLOSERS + " ")[-1:] or s[-1]
    words = s.split()
    caps = sum(w[0].isupper() for w in words)
    vals = [
        math.log1p(nc) / 6.0, math.log1p(nw) / 5.0, nc >= 40, nc >= 80, nc >= 150, nc >= 300,
        min(n_alpha / nw, 15.0) / 10.0 if nw else 0.0, n_alpha / nc, n_digit / nc, n_punct / nc, es,
        last in F.FULL_STOPS, last == ":", last in ",;-–—", s[0].isupper(), s.startswith(F._BULLETS),
        s.startswith(F._DASHES), s[0].isdigit(), (sum(t in stop for t in toks) / nw) if (nw and stop) else 0.0,
        min(s.count(",") / nw, 1.0) if nw else 0.0,
        math.log1p(s.count(". ") + s.count("? ") + s.count("! ")) / 3.0,
        caps / len(words) if words else 0.0, n_alpha >= 3 and s.upper() == s,
        bool(F._URL_HINT(s)) and F._URL.search(s) is not None, n_digit > 0 and F._DATE.search(s) is not None,
        math.log1p(sum(s.count(x) for x in (" | ", " · ", " • ", " / ", " » "))) / 2.0,
        any(q in s for q in F._QUOTES),
    ]
    hl = nw <= F.HEADLINE_MAX_WORDS and nc <= F.HEADLINE_MAX_CHARS and last not in F.NOT_HEADLINE_ENDS
    pr = (nw >= F.PROSE_MIN_WORDS and es) or nw >= 25
    d = _doubled_offset(s) if 4 <= nw <= 60 and s.count(words[0]) >= 2 else -1
    return np.asarray(vals, dtype=np.float32), hl, pr, d, load_cues().category(s, toks), " ".join(words)


def _doubled_offset(s: str) -> int:
    """The definition of `features.doubled_offset`, with the regex's word spans."""
    import re

    spans = [m.span() for m in re.finditer(r"\S+", s)]
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


def _check_against_definitions(lines, language=None):
    from sito.clean.cues import load_cues, load_stopwords

    pf = page_features(lines, language=language)
    stop = load_stopwords().get((pf.language or "").split("-")[0].lower(), frozenset())
    prompt, placeholder = load_cues().prompt, load_cues().placeholder
    assert pf.prompt_rows == [r for r, i in enumerate(pf.idx) if prompt(lines[i])]
    assert pf.placeholder_rows == [r for r, i in enumerate(pf.idx) if placeholder(lines[i])]
    for r, i in enumerate(pf.idx):
        vals, hl, pr, d, cat, norm = _plain_line(lines[i].strip(), stop)
        assert np.array_equal(pf.X[r, :len(vals)], vals), (lines[i], pf.X[r, :len(vals)], vals)
        got = (pf.headline[r], pf.prose[r], pf.doubled_at[r], pf.cue[r], pf.norm[r])
        assert got == (hl, pr, d, cat, norm), lines[i]


_ODD_LINES = [
    "İstanbul'da BÜYÜK İŞ", "ΣΟΦΟΣ ΛΟΓΟΣ Σ", "straße STRASSE ß", "漢字かな交じり文 한국어 문장", "①②③ ٣٤٥ 12:30 ١٢/٠٣/٢٠٢٤",
    "a\x0bb\x1cc d\u2028e", "\ud800 lone surrogate \udfff", "x" * 700, "© 2024 Foo. All rights reserved.",
    "Home > News > World", "Share Facebook Twitter", "Page 2 of 5", "COPY . .", "\"quoted\" » ›", "_ __ a_b",
    "A | | B · · C » » D", "x | / y • z", "ſtrona 2 z 5", "\u212aOMENTARZE (3)", "Next »", "« 1 2 3 … next",
    "www.EXAMPLE.com", "WWW.EXAMPLE.COM", "mail me: a@b.cd", "foo.de bar.dev", "12.03.2024 – 14:05", "Ⅻ ½ ²",
    "Jak to działa? Jak to działa?", "Jak\u00a0to działa Jak to\u2003działa!", "a b. a b", "a b a b.", "x y … x y",
    "Foto: A B Foto: A B", "one two three one two three!?", "a\x1cb c a\x1cb c",
]


def test_page_measurements_equal_the_per_line_definitions():
    lines = PAGE.splitlines() + _ODD_LINES
    _check_against_definitions(lines)
    _check_against_definitions(lines, language="pl")
    _check_against_definitions(_ODD_LINES, language="de-AT")


try:
    from hypothesis import given, settings
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover
    pass
else:
    @settings(max_examples=200, deadline=None)
    @given(st.lists(st.one_of(st.text(max_size=60), st.sampled_from(_ODD_LINES),
                              st.text(max_size=30).map(lambda x: f"{x} {x}")), max_size=12))
    def test_page_measurements_equal_the_definitions_on_any_text(lines):
        lines = [s for x in lines for s in (x.splitlines() or [x])]
        _check_against_definitions(lines)


def test_phrase_scan_equals_the_per_line_definitions():
    """Every cue phrase, placed at a line's start, inside it, glued to other letters (no word boundary) and next
    to dates: the categories from the page-wide phrase scan (`sito.clean.phrases`) equal `Cues.category`."""
    from sito.clean.cues import load_cues
    from sito.clean.phrases import KINDS, lines_with_phrases

    phrases = load_cues().phrases
    assert set(phrases) == set(KINDS)
    lines = []
    for key in KINDS:
        for p in phrases[key]:
            lines += [p, p.upper(), f"Ab {p} cd", f"x{p}y 2024", f"{p} 12 2024", f"Zdjęcie: {p} Reuters",
                      f"© 2023 {p}", f"{p} {p}", f"3 {p} 2021", "word " * 9 + p, f"» {p} »", f"• {p}:",
                      p.replace(" ", "  "), p.replace(" ", "\t"), f"| {p.title()} |"]
    for s in range(0, len(lines), 400):
        _check_against_definitions(lines[s:s + 400])
    # the scan itself, on lines of one phrase: each is found in its own list
    page = [p for key in KINDS for p in phrases[key]]
    low = "\n".join(page).lower() + "\n"
    lcp = np.frombuffer(low.encode("utf-32-le"), dtype=np.uint32)
    lword = np.array([c.isalnum() or c == "_" for c in low])
    lnc = np.array([len(p) for p in low.split("\n")[:-1]])
    lstarts = np.concatenate(([0], np.cumsum(lnc + 1)[:-1]))
    found = lines_with_phrases(lcp, lword, lstarts, lnc)
    r = 0
    for key in KINDS:
        for _ in phrases[key]:
            assert found[key][r] or KINDS[key] == "words", (key, page[r])
            r += 1

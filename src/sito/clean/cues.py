"""Per-language cue phrases (data in resources/cleaner/cues.json) compiled into fast line matchers.

A cue is a phrase that, on a short line, says what the line is: a recommendation-block header ("Wybrane dla
Ciebie", "Read more", "Lesen Sie auch"), a photo credit ("Źródło zdjęć:", "fot.", "Getty Images"), a share
button, a cookie banner, an advertisement label, a comments header, pagination, navigation, a byline or date, a
legal notice. The phrases are data, one list per language, and matching uses the union of all languages because
pages mix them (English share buttons on a Polish site). Cues are both features of the line model and, for the
categories where they are unambiguous (`FORCED`), rules. The 'promo' phrases ("Subscribe to our newsletter",
"Zapisz się na nasz newsletter", "Du musst eingeloggt sein, um zu kommentieren") name a prompt to subscribe to,
follow or log in to the site (`Cues.prompt`): not a category and not a feature, only a rule of the cleaner for
the lines the model keeps.

Guard: every phrase is checked when the data is loaded — none may be empty or a single letter, and none may
match any of the ordinary article sentences in `_GUARD_SENTENCES` — so a bad edit to the data (an empty string, a
one-letter prefix, a too-common word) fails loudly instead of silently deleting article text.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import cached_property, lru_cache
from importlib import resources

# Cue categories, in priority order (the first that matches names the line).
CATEGORIES = (
    "rec_header", "related_prefix", "more", "cookie", "ad", "comments", "pagination", "share", "credit",
    "legal", "nav", "byline",
)
# Categories whose lines are removed by rule (the model cannot keep them).
FORCED = frozenset({"rec_header", "related_prefix", "more", "cookie", "ad", "comments", "pagination", "share", "credit"})
# The role a cue gives a removed line.
CUE_ROLE = {
    "rec_header": "recommendations", "related_prefix": "related", "more": "related", "cookie": "legal",
    "ad": "ad", "comments": "comments", "pagination": "pagination", "share": "share", "credit": "credit",
    "legal": "legal", "nav": "navigation", "byline": "byline",
}

_STRIP_END = " \t:：»›>→▸►•|.…-–—*#"
_STRIP_START = " \t»›>■•▪●◦*#-–—|"
_YEAR = re.compile(r"\b(19|20)\d\d\b")
_DATE_NUM = re.compile(r"\b\d{1,2}[./-]\d{1,2}[./-](\d{4}|\d{2})\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}:\d{2}\b")
_TOKEN = re.compile(r"\w+")
_HIGH = re.compile("[\u3040-\U0010ffff]").search  # any character from the CJK blocks up
_PAGINATION = re.compile(
    r"^(?:(?:page|strona|seite|página|pagina|page)\s*\d+\s*(?:of|z|von|de|di|/)\s*\d+"
    r"|[«‹<←]?\s*(?:previous|next|prev|older|newer|poprzednia|następna|nastepna|poprzedni|następny|weiter|zurück|"
    r"vorherige|nächste|suivant|précédent|siguiente|anterior|successivo|precedente|volgende|vorige)"
    r"(?:\s+(?:page|strona|seite|post|posts|entries|artykuł|article|articles|beitrag))?\s*[»›>→]?"
    r"|(?:[«‹<←]\s*)?\d{1,3}(?:\s*[|·,]?\s*(?:\d{1,3}|…|\.\.\.))+\s*(?:[»›>→]|next|dalej|weiter|następna)?)$",
    re.I,
)
_BREADCRUMB = re.compile(r"^[^\n]{1,60}?\s[>›»/|]\s[^\n]{1,60}?\s[>›»/|]\s")
# a comment count ("12 comments", "Kommentare (3)"), or the header a blog puts over its comments, which quotes the
# post's title ("11 responses to “Title”", "3 thoughts on “Title”", "5 Kommentare zu „Titel“")
_COMMENTS_COUNT = re.compile(
    r"^(?:\d+\s+(?:comments?|komentarz\w*|kommentare?|commentaires?|comentarios?|commenti|reacties)"
    r"|(?:comments?|komentarze|kommentare|commentaires|comentarios|commenti)\s*\(\d+\)"
    r"|\d+\s+(?:responses?|thoughts?|comments?|replies|kommentare?|antworten|gedanken|réponses?|commentaires?"
    r"|comentarios?|respuestas?|commenti|risposte|komentarz\w*|odpowiedzi|reacties)"
    r"\s+(?:to|on|zu|auf|à|sur|en|a|su|do|na|op)\s+[\"“„«»‘‚'‹›].*)$",
    re.I,
)

_GUARD_SENTENCES = (
    "The government said on Tuesday that it would raise taxes on imported steel by ten percent next year.",
    "Prezydent Białorusi Aleksander Łukaszenka jest otwartym sojusznikiem Władimira Putina.",
    "Die Bundesregierung will die Steuern im kommenden Jahr deutlich senken, wie ein Sprecher mitteilte.",
    "Le gouvernement a annoncé mardi une hausse des impôts sur l'acier importé.",
    "El gobierno anunció el martes que subirá los impuestos al acero importado.",
    "Researchers found that the new treatment reduced symptoms in most patients within two weeks.",
    "W środę rano na drodze krajowej numer 7 doszło do poważnego wypadku.",
    "It was a cold morning in March when the first boats arrived in the harbour.",
    "国务院总理周二表示，明年将进一步降低部分进口商品的关税，以促进对外贸易。",
    "政府は火曜日、来年から輸入鉄鋼への関税を引き上げると発表した。",
    "정부는 화요일 내년부터 수입 철강에 대한 관세를 인상한다고 발표했다.",
)


def _trie_pattern(phrases) -> str:
    """A regex matching exactly the given literal phrases, factored by common prefixes ("ab|ac" -> "a(?:b|c)").

    Python's `re` tries the branches of an alternation one by one at every position; with the phrases sharing
    prefixes factored out, a position fails after one character comparison per distinct first letter, which
    makes searching a line for any of 50 phrases about twice as fast. It matches the same strings as
    `"|".join(map(re.escape, phrases))`, so `search` finds a match exactly when the plain alternation does."""
    trie: dict = {}
    for p in phrases:
        node = trie
        for ch in p:
            node = node.setdefault(ch, {})
        node[""] = {}  # a phrase ends here

    def emit(node: dict) -> str:
        alts = [re.escape(ch) + emit(node[ch]) for ch in sorted(k for k in node if k)]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return "(?:" + body + ")?" if "" in node else body

    return emit(trie)


def _norm_whole(s: str) -> str:
    return " ".join(s.strip(_STRIP_END).lstrip(_STRIP_START).strip(_STRIP_END).lower().split())


class Cues:
    """The compiled cue data; `category(line)` names a line's cue or returns None."""

    def __init__(self, data: dict):
        def union(key: str, short_ok: bool = False) -> list[str]:
            out: list[str] = []
            for phrases in data.get(key, {}).values():
                for p in phrases:
                    q = p.strip() if isinstance(p, str) else ""
                    if not q or (len(q) < 2 and q.isalnum() and not short_ok):
                        raise ValueError(f"cue data: empty or one-letter phrase {p!r} in {key!r}")
                    out.append(p)
            return out

        self.whole: dict[str, str] = {}
        for key, cat in (("recommendation_header", "rec_header"), ("more_link", "more"), ("ad", "ad"),
                         ("comments", "comments"), ("consent_whole", "cookie"), ("navigation", "nav")):
            for p in union(key):
                self.whole.setdefault(_norm_whole(p), cat)
        # the places a news site marks where a video or an ad interrupts the article ("placeholder"): whole lines,
        # removed by rule, not a cue category (not a feature of the line model)
        self.placeholders = frozenset(_norm_whole(p) for p in union("placeholder")) - set(self.whole)
        # the lower-cased phrase lists; the page measurement finds them all in one scan (`phrases.KINDS`)
        self.phrases = {key: tuple(sorted({p.lower() for p in union(key)})) for key in (
            "related_prefix", "credit_prefix", "byline_prefix", "cookie_words", "consent_words", "credit_contains",
            "legal", "promo", "months", "cookie_acronyms")}
        self.phrases["whole"] = tuple(self.whole) + tuple(sorted(self.placeholders))
        self.related_prefix = self.phrases["related_prefix"]
        self.credit_prefix = self.phrases["credit_prefix"]
        self.byline_prefix = self.phrases["byline_prefix"]
        self.cookie_list = self.phrases["cookie_words"]
        # (acronyms as whole words: "rodo" is inside "środowisko" and "narodowy")
        self.cookie_acronyms = re.compile(r"\b(?:" + _trie_pattern(self.phrases["cookie_acronyms"]) + r")\b")
        self.credit_contains = re.compile(_trie_pattern(self.phrases["credit_contains"]))
        self.consent_words = re.compile(_trie_pattern(self.phrases["consent_words"]))
        self.legal = re.compile(_trie_pattern(self.phrases["legal"]))
        self.promo = re.compile(_trie_pattern(self.phrases["promo"]))
        self.date_words = re.compile(r"\b(?:" + _trie_pattern(self.phrases["months"]) + r")\b")
        self.share_words = frozenset(w.lower() for w in union("share_words"))
        self.share_filler = frozenset(w.lower() for w in union("share_filler", short_ok=True))
        self.speech_verbs = tuple(sorted({v.lower() for v in union("speech_verbs")}, key=len, reverse=True))
        self.speech_prepositions = frozenset(w.lower() for w in union("speech_prepositions", short_ok=True))
        self._prepositions_by_language = {lang: frozenset(w.lower() for w in words)
                                          for lang, words in data.get("speech_prepositions", {}).items()}
        # a page in another language: the union without the one-letter words, which are articles elsewhere
        # (Spanish "a" and Polish "o" read in English "said a spokesman" and Portuguese "disse o advogado")
        self._prepositions_other = frozenset(w for w in self.speech_prepositions if len(w) > 1)
        self.title_words = tuple(sorted({w.lower() for w in union("title_words")}))
        self._check()

    def _check(self) -> None:
        for s in _GUARD_SENTENCES:
            cat = self.category(s)
            if cat is not None:
                raise ValueError(f"cue data too broad: the ordinary sentence {s!r} matches cue {cat!r}")
            if self.prompt(s):
                raise ValueError(f"cue data too broad: the ordinary sentence {s!r} matches a 'promo' phrase")

    def category(self, line: str, tokens: list[str] | None = None) -> str | None:
        s = line.strip()
        n = len(s)
        if n == 0 or n > 600:
            return None
        low = s.lower()
        toks = tokens if tokens is not None else _TOKEN.findall(low)
        nw = _words(s, toks)
        if n <= 80:
            cat = self.whole.get(_norm_whole(s))
            if cat is not None:
                return cat
        if n <= 250 and low.startswith(self.related_prefix) and nw >= 2:
            return "related_prefix"
        if ((any(map(low.__contains__, self.cookie_list)) or self.cookie_acronyms.search(low))
                and self.consent_words.search(low)):
            return "cookie"
        if nw > 25:
            return None
        if _COMMENTS_COUNT.match(low) or (n <= 80 and _PAGINATION.match(s)):
            return "comments" if _COMMENTS_COUNT.match(low) else "pagination"
        if 0 < nw <= 10 and any(t in self.share_words for t in toks) and all(
                t in self.share_words or t in self.share_filler for t in toks):
            return "share"
        if nw <= 15 and (low.startswith(self.credit_prefix) or self.credit_contains.search(low)):
            if "©" in s and (_YEAR.search(s) or self.legal.search(low)):
                return "legal"
            if self.legal.search(low):
                return "legal"
            return "credit"
        if self.legal.search(low):
            return "legal"
        if n <= 120 and _BREADCRUMB.match(s):
            return "nav"
        if nw <= 12 and low.startswith(self.byline_prefix):
            return "byline"
        if nw <= 8 and (_DATE_NUM.search(s) or (_YEAR.search(s) and self.date_words.search(low))):
            return "byline"
        return None

    def prompt(self, line: str) -> bool:
        """Whether a line is a prompt to subscribe, sign up, download an app or follow the site: one of the
        'promo' phrases on a line of at most 25 words. Not a cue category (not a feature of the line model): the
        cleaner removes such a line by rule when the model has kept it."""
        s = line.strip()
        if not s or len(s) > 600:
            return False
        low = s.lower()
        return self.promo.search(low) is not None and _words(s, _TOKEN.findall(low)) <= 25

    def placeholder(self, line: str) -> bool:
        """Whether a line is the placeholder a news site leaves where a video or an ad interrupts the article
        ("Dalsza część artykułu pod materiałem wideo", "Advertisement - Continue Reading Below"): a 'placeholder'
        phrase as the whole line. Not a cue category: the cleaner removes such a line by rule."""
        s = line.strip()
        return 0 < len(s) <= 80 and _norm_whole(s) in self.placeholders

    def prepositions_for(self, language: str | None) -> frozenset[str]:
        """The prepositions that may follow a speech verb before its speaker, in a page of `language`."""
        return self._prepositions_by_language.get(language or "", self._prepositions_other)

    def credit_value(self, line: str) -> str:
        """The credited source of a credit line: 'Źródło zdjęć: © Twitter' -> 'Twitter'; after a caption in the
        same line, what follows its credit words: 'Akcja gaśnicza trwała do rana (fot. PAP/Jan Nowak)' ->
        'PAP/Jan Nowak'."""
        return self.credit_split(line)[1]

    def credit_split(self, line: str) -> tuple[str, str]:
        """(caption, credited source) of a credit line: the caption is the text before credit words or a "©"
        inside the line ('Akcja gaśnicza trwała do rana. © PAP/Jan Nowak' -> ('Akcja gaśnicza trwała do rana.',
        'PAP/Jan Nowak')), empty when the line opens with them."""
        s = line.strip()
        low = s.lower()
        if len(low) != len(s):   # ("İ" lower-cases to two characters: positions in `low` must be those of `s`)
            low = "".join(c if len(c.lower()) != 1 else c.lower() for c in s)
        before = ""
        for p in sorted(self.credit_prefix, key=len, reverse=True):
            if low.startswith(p):
                s = s[len(p):]
                break
        else:
            m = self._inline_credit.search(low) or _INLINE_COPYRIGHT.search(low)
            if m is not None:
                before = s[:m.start() + 1].rstrip(" \t(|-–—/")
                s = s[m.end():]
                if m.group(1) == "(":
                    s = s.rstrip().removesuffix(")")
        return before, s.strip().lstrip("©").strip(" \t:-–—|/").strip()

    @cached_property
    def _inline_credit(self) -> re.Pattern:
        """Credit words after a caption in one line: after a space, "(" or "|"; the longest first."""
        alts = "|".join(re.escape(p.strip()) for p in sorted(self.credit_prefix, key=len, reverse=True))
        return re.compile(r"([\s(|])(?:%s)(?=[\s:]|$)" % alts)


# a "©" inside a line, after a caption: "Akcja trwała do rana. © PAP/Jan Nowak"
_INLINE_COPYRIGHT = re.compile(r"([\s(|])©")


def _words(s: str, tokens: list[str]) -> int:
    """The words of a stripped line given its tokens: their number, or for CJK text (no spaces) about one word
    per two characters when that is more."""
    nw = len(tokens)
    if _HIGH(s):
        from .features import cjk_words

        nw = max(nw, cjk_words(s))
    return nw


@lru_cache(maxsize=1)
def load_cues() -> Cues:
    data = json.loads(resources.files("sito").joinpath("resources/cleaner/cues.json").read_text("utf-8"))
    return Cues(data)


@lru_cache(maxsize=1)
def load_stopwords() -> dict[str, frozenset[str]]:
    data = json.loads(resources.files("sito").joinpath("resources/cleaner/stopwords.json").read_text("utf-8"))
    return {lang: frozenset(words) for lang, words in data["languages"].items()}


@lru_cache(maxsize=1)
def _stop_index() -> tuple[list[str], dict[str, tuple[int, ...]]]:
    """The languages of `load_stopwords()` in order, and for every stop word the indices of its languages."""
    sw = load_stopwords()
    index: dict[str, list[int]] = {}
    for k, words in enumerate(sw.values()):
        for w in words:
            if len(w) > 1:  # one-letter words are not counted (see stop_counts)
                index.setdefault(w, []).append(k)
    return list(sw), {w: tuple(v) for w, v in index.items()}


def stop_counts(tokens: list[str]) -> tuple[list[int], int]:
    """Per language (in `load_stopwords()` order), how many of the tokens of 2+ letters are its stop words;
    and how many tokens of 2+ letters there are. Counts of a concatenation are the sums of the parts' counts."""
    langs, index = _stop_index()
    counts = [0] * len(langs)
    # one-letter words ("a", "i", "w") are shared by many languages: not counted (and not in the index)
    total = len(tokens) - list(map(len, tokens)).count(1)
    for ks, c in Counter(filter(None, map(index.get, tokens))).items():
        for k in ks:
            counts[k] += c
    return counts, total


def language_from_counts(counts: list[int], total: int, min_share: float = 0.05) -> str | None:
    """The language with the most stop-word tokens (ties: the first), None when under `min_share` of `total`."""
    if not total:
        return None
    best, best_n = None, 0
    for lang, n in zip(_stop_index()[0], counts):
        if n > best_n:
            best, best_n = lang, n
    return best if best_n >= min_share * total else None


def guess_language(tokens: list[str], min_share: float = 0.05) -> str | None:
    """The language whose stop words cover most of the tokens (None when under `min_share` of them).

    Stop words make up 30-50% of running text in the languages shipped here, so 5% is far below any real text
    in that language; it only keeps the guess from naming a language for text in another script.
    """
    counts, total = stop_counts(tokens)
    return language_from_counts(counts, total, min_share)

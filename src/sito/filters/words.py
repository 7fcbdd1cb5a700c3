"""Word splitting with the same words as datatrove's word tokenizers, without spaCy.

datatrove's Gopher / FineWeb filters split text into words with a tokenizer chosen per language
(`datatrove/assets/tokenizer_assignment.csv`): a blank spaCy tokenizer for most languages (English, Polish,
German, French, Spanish… and, through the `xx` rules, languages without their own), and segmenters for some
others. Tokenizing is where most of datatrove's filter time goes. No library offers spaCy's rule-based tokenizer
without spaCy itself, so this module replays spaCy's algorithm (`Tokenizer.explain`: special cases, then
prefixes / suffixes, token / URL matches, infixes) on spaCy's own rules, extracted once into
`sito/resources/fineweb2/wordsplit.json.gz` (see `build_resources.py`), with two shortcuts that do not change
the result: a whitespace chunk made only of letters that is not a special case is one word (no prefix, suffix or
infix rule of spaCy's blank tokenizers applies to letters alone), and every chunk's split is cached, so a
document costs one `str.split` and one dictionary lookup per chunk once its vocabulary has been seen.
Like datatrove, whitespace tokens are dropped.

Languages written without spaces (zh, ja, th, lo, km, my, bo…) use segmenters in datatrove (jieba, SudachiPy,
pythainlp…), which sito does not ship. sito's documented choice: every Han / Hiragana / Katakana / Hangul-less
ideographic character is one word (a common proxy for CJK word counts), and for the Southeast-Asian scripts the
whitespace chunks are split by the `xx` rules. Decisions on those languages are therefore not datatrove's.
"""

from __future__ import annotations

import gzip
import json
import re
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import Callable

import numpy as np

from .languages import lid_code
from .text import PUNCTUATION_SET

_NEVER = re.compile("a^")
_CACHE_MAX = 500_000
# distinct words a splitter's vocabulary holds before it starts over (about 100 MB of words and indexes)
VOCAB_MAX = 1_000_000

# Scripts written without spaces between words (datatrove uses dedicated segmenters for them).
# Named by lid.176 label; other spellings ("jpn", "cmn_Hani") are brought to it by `languages.lid_code`
# (wuu and yue are lid.176 labels of their own, dzo is a language lid.176 does not know).
_NO_SPACE_LANGS = {"zh", "ja", "th", "lo", "km", "my", "bo", "dz", "ko", "wuu", "yue", "dzo"}
# One word per CJK ideograph / kana character, other runs split as usual.
_CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


@lru_cache(maxsize=1)
def _data() -> dict:
    path = Path(__file__).resolve().parent.parent / "resources" / "fineweb2" / "wordsplit.json.gz"
    with gzip.open(path, "rb") as f:
        return json.loads(f.read().decode("utf-8"))


def _compile(p: dict | None):
    if p is None:
        return None
    if len(p["pattern"]) > 50_000:
        return _LazyAlternation(p["pattern"], p["flags"])
    return re.compile(p["pattern"], p["flags"])


_META = set("[](){}?*+.|\\^$")


def _top_level_alternatives(pattern: str) -> list[str]:
    out, depth, in_class, start, i = [], 0, False, 0, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
        elif c == "[":
            in_class = True
            if pattern[i + 1:i + 2] == "]":
                i += 1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    out.append(pattern[start:])
    return out


class _LazyAlternation:
    """`re.compile(pattern).match` for a huge alternation of anchored alternatives (spaCy French's token_match,
    1.4 MB, ten seconds to compile): each alternative is compiled only when a string starts with its literal
    prefix, so a process pays for the few alternatives its texts need."""

    def __init__(self, pattern: str, flags: int):
        self.flags = flags
        body = pattern
        inline = re.match(r"\(\?[a-zA-Z]+\)", body)
        if inline:
            self.inline = inline.group()
            body = body[inline.end():]
        else:
            self.inline = ""
        self.by_first: dict[str, list[list]] = {}
        self.generic: list[list] = []
        for alt in _top_level_alternatives(body):
            inner = alt[3:-1] if alt.startswith("(?:") and alt.endswith(")") else alt
            lit = ""
            if inner.startswith("^"):
                j = 1
                while j < len(inner) and inner[j] not in _META:
                    j += 1
                lit = inner[1:j]
                if j < len(inner) and inner[j] in "?*{" and lit:
                    lit = lit[:-1]
            entry = [lit.lower(), alt, None]
            if lit:
                self.by_first.setdefault(lit[0].lower(), []).append(entry)
            else:
                self.generic.append(entry)

    def _match_entry(self, entry: list, s: str):
        if entry[2] is None:
            entry[2] = re.compile(self.inline + entry[1], self.flags)
        return entry[2].match(s)

    def match(self, s: str):
        low = s.lower()
        for entry in self.by_first.get(low[:1], ()):
            if low.startswith(entry[0]):
                m = self._match_entry(entry, s)
                if m:
                    return m
        for entry in self.generic:
            m = self._match_entry(entry, s)
            if m:
                return m
        return None


def tokenizer_language(language: str) -> str | None:
    """The blank spaCy language whose rules split `language`'s words (datatrove's assignment), or None.

    `language` is a FineWeb-2 config name (`pol_Latn`), an ISO 639-3 code (`pol`) or a two-letter code (`pl`).
    None means datatrove would use a non-spaCy segmenter; sito then uses the `xx` rules (see module doc).
    """
    d = _data()
    a = d["assignment"].get(language)
    if a is None:
        if language in d["languages"]:
            return language
        return None
    cls, arg = a
    if cls == "SpaCyTokenizer" and arg in d["languages"]:
        return arg
    if cls == "WhitespaceTokenizer":
        return "xx"
    return None


class Vocabulary:
    """Integer ids for the words a splitter has produced, with the per-word facts the filters count.

    The filters only count words (how many, how long, which are symbols, which have a letter, which n-grams
    repeat), so a document is handled as an array of ids and the facts are looked up in arrays: no per-word
    Python work once a word has been seen. Ids are only compared within one document; the vocabulary is
    emptied (with the splitter's chunk cache) when it grows past `VOCAB_MAX`, between two documents.
    """

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.words: list[str] = []
        self.generation = 0
        self._grow(1024)

    def _grow(self, capacity: int) -> None:
        n = len(self.words)
        for name, dtype in (("length", np.int64), ("symbol", np.bool_), ("alpha", np.bool_), ("_mark", np.bool_)):
            new = np.zeros(capacity, dtype=dtype)
            if n:
                new[:n] = getattr(self, name)[:n]
            setattr(self, name, new)
        self.capacity = capacity

    def add(self, word: str) -> int:
        i = self.index.get(word)
        if i is None:
            i = self.index[word] = len(self.words)
            if i >= self.capacity:
                self._grow(2 * self.capacity)
            self.words.append(word)
            self.length[i] = len(word)
            # Gopher's "symbol word": every character in datatrove's punctuation set; "alpha": one letter
            self.symbol[i] = all(ch in PUNCTUATION_SET for ch in word)
            self.alpha[i] = any(ch.isalpha() for ch in word)
        return i

    def count_present(self, wanted: list[int], ids: np.ndarray) -> int:
        """How many of the ids in `wanted` occur in `ids` (without a table the size of the vocabulary)."""
        if not wanted:
            return 0
        mark = self._mark
        mark[ids] = True
        n = int(np.count_nonzero(mark[wanted]))
        mark[ids] = False
        return n

    def clear(self) -> None:
        self.index.clear()
        self.words.clear()
        self.generation += 1


class WordSplitter:
    """Splits text into the words datatrove's tokenizer for `language` yields (see the module docstring)."""

    def __init__(self, language: str = "en"):
        self.language = language
        spacy_lang = tokenizer_language(language)
        self.no_space = _lid_label(language) in _NO_SPACE_LANGS or (spacy_lang is None and _is_no_space(language))
        self.spacy_lang = spacy_lang or "xx"
        rules = _data()["languages"][self.spacy_lang]
        self._prefix = (_compile(rules["prefix"]) or _NEVER).search
        self._suffix = (_compile(rules["suffix"]) or _NEVER).search
        self._infix = (_compile(rules["infix"]) or _NEVER).finditer
        self._token_match = (_compile(rules["token_match"]) or _NEVER).match
        self._url_match = (_compile(rules["url_match"]) or _NEVER).match
        self._special: dict[str, list[str]] = rules["rules"]
        self._cache: dict[str, tuple[str, ...]] = {}
        self.vocab = Vocabulary()
        self._id_cache: dict[str, tuple[int, ...]] = {}  # whitespace chunk -> ids of its words
        # spaCy also applies, after affix splitting, the special cases that contain affix characters (":)",
        # "’s", "Dr."…) to runs of adjacent tokens inside one chunk (its `_special_matcher`).
        self._matcher: dict[str, list[tuple[tuple[str, ...], list[str]]]] = {}
        for pat, orth in rules["matcher"]:
            self._matcher.setdefault(pat[0], []).append((tuple(pat), self._special[orth]))
        for v in self._matcher.values():
            v.sort(key=lambda pt: -len(pt[0]))
        # special cases spanning a space ("EE. UU.") can join tokens of neighbouring chunks
        self._spaced = [orth for orth in self._special if " " in orth.strip()]

    def _apply_matcher(self, toks: list[str]) -> list[str]:
        matcher = self._matcher
        if len(toks) < 2 or not any(t in matcher for t in toks):
            return toks
        out: list[str] = []
        i, n = 0, len(toks)
        while i < n:
            cands = matcher.get(toks[i])
            if cands:
                for pat, repl in cands:
                    k = len(pat)
                    if tuple(toks[i:i + k]) == pat:
                        out.extend(repl)
                        i += k
                        break
                else:
                    out.append(toks[i])
                    i += 1
            else:
                out.append(toks[i])
                i += 1
        return out

    def __call__(self, text: str) -> list[str]:
        return self.split(text)

    def split(self, text: str) -> list[str]:
        chunks = text.split()
        cache = self._cache
        res = list(map(cache.get, chunks))  # one C-level pass; a miss is None (a hit is a non-empty tuple)
        if not all(res):
            if len(cache) >= _CACHE_MAX:
                cache.clear()
            for i, r in enumerate(res):
                if r is None:
                    res[i] = cache[chunks[i]] = self._chunk_words(chunks[i])
        out = list(chain.from_iterable(res))
        if self._spaced and any(orth in text for orth in self._spaced):
            out = self._apply_matcher(out)
        return out

    def split_ids(self, text: str) -> np.ndarray:
        """The ids (in `self.vocab`) of the words of `text`, as `split` gives them."""
        vocab = self.vocab
        if len(vocab.words) >= VOCAB_MAX or len(self._id_cache) >= _CACHE_MAX:
            vocab.clear()
            self._id_cache.clear()
        if self._spaced and any(orth in text for orth in self._spaced):
            return np.fromiter(map(vocab.add, self.split(text)), dtype=np.int64)
        chunks = text.split()
        cache = self._id_cache
        res = list(map(cache.get, chunks))
        if not all(res):
            for i, r in enumerate(res):
                if r is None:
                    words = self._cache.get(chunks[i]) or self._chunk_words(chunks[i])
                    res[i] = cache[chunks[i]] = tuple(map(vocab.add, words))
        return np.fromiter(chain.from_iterable(res), dtype=np.int64)

    def _chunk_words(self, chunk: str) -> tuple[str, ...]:
        if chunk.isalpha() and chunk not in self._special:
            toks: tuple[str, ...] = (chunk,)
        else:
            toks = tuple(t for t in (x.strip() for x in self._apply_matcher(self._split_chunk(chunk))) if t)
        if self.no_space and _CJK_CHAR.search(chunk):
            toks = tuple(w for t in toks for w in self._split_cjk(t))
        return toks

    @staticmethod
    def _split_cjk(chunk: str) -> list[str]:
        out, last = [], 0
        for m in _CJK_CHAR.finditer(chunk):
            if m.start() > last:
                out.append(chunk[last:m.start()])
            out.append(m.group())
            last = m.end()
        if last < len(chunk):
            out.append(chunk[last:])
        return out

    def _split_chunk(self, substring: str, with_special: bool = True) -> list[str]:
        """spaCy's tokenizer on one whitespace-free chunk (the algorithm of `spacy.tokenizer.Tokenizer.explain`)."""
        special = self._special if with_special else {}
        prefix_search, suffix_search = self._prefix, self._suffix
        token_match, url_match = self._token_match, self._url_match
        tokens: list[str] = []
        suffixes: list[str] = []
        while substring:
            if substring in special:
                tokens.extend(special[substring])
                substring = ""
                continue
            while prefix_search(substring) or suffix_search(substring):
                if token_match(substring):
                    tokens.append(substring)
                    substring = ""
                    break
                if substring in special:
                    tokens.extend(special[substring])
                    substring = ""
                    break
                m = prefix_search(substring)
                if m:
                    split = m.end()
                    if split == 0:
                        break
                    tokens.append(substring[:split])
                    substring = substring[split:]
                    if substring in special:
                        continue
                m = suffix_search(substring)
                if m:
                    split = m.start()
                    if split == len(substring):
                        break
                    suffixes.append(substring[split:])
                    substring = substring[:split]
            if not substring:
                continue
            if token_match(substring) or url_match(substring):
                tokens.append(substring)
            elif substring in special:
                tokens.extend(special[substring])
            else:
                offset = 0
                found = False
                for match in self._infix(substring):
                    found = True
                    if offset == 0 and match.start() == 0:
                        continue
                    if substring[offset:match.start()]:
                        tokens.append(substring[offset:match.start()])
                    if substring[match.start():match.end()]:
                        tokens.append(substring[match.start():match.end()])
                    offset = match.end()
                if not found:
                    tokens.append(substring)
                elif substring[offset:]:
                    tokens.append(substring[offset:])
            substring = ""
        tokens.extend(reversed(suffixes))
        return tokens


def _lid_label(language: str) -> str:
    try:
        return lid_code(language)
    except ValueError:
        return language.split("_")[0]


def _is_no_space(language: str) -> bool:
    script = language.split("_")[1] if "_" in language else ""
    return script in {"Hani", "Hans", "Hant", "Jpan", "Thai", "Laoo", "Khmr", "Mymr", "Tibt"}


@lru_cache(maxsize=256)
def get_splitter(language: str) -> WordSplitter:
    """A shared splitter per language (its chunk cache is reused across documents)."""
    return WordSplitter(language)


def split_words(text: str, language: str = "en") -> list[str]:
    """The words of `text` as datatrove's `split_into_words(text, language)` would give them (the filters read
    them as ids, `word_ids`)."""
    return get_splitter(language).split(text)


_RECENT_IDS: dict[tuple[str, str], tuple[np.ndarray, Vocabulary, int]] = {}


def word_ids(text: str, language: str = "en") -> tuple[np.ndarray, Vocabulary]:
    """The words of `text` (as `split_words` gives them) as ids in the returned vocabulary.

    The last few results are kept, so the filters of one chain split a document once; callers must not modify
    the returned array.
    """
    key = (language, text)
    hit = _RECENT_IDS.get(key)
    if hit is not None and hit[1].generation == hit[2]:
        return hit[0], hit[1]
    splitter = get_splitter(language)
    ids = splitter.split_ids(text)
    if len(_RECENT_IDS) >= 4:
        _RECENT_IDS.pop(next(iter(_RECENT_IDS)))
    _RECENT_IDS[key] = (ids, splitter.vocab, splitter.vocab.generation)
    return ids, splitter.vocab


SplitFn = Callable[[str], list[str]]

"""C4 quality filter (Raffel et al. 2020, section 2.2) with datatrove's definitions, including its line removals.

Same rules, order and defaults as `datatrove.pipeline.filters.C4QualityFilter` (which follows TensorFlow
Datasets' `c4_utils.py`): per line, drop lines with a word over 1,000 characters, remove Wikipedia-style
citations, drop lines without terminal punctuation (or ending with an ellipsis), with fewer than 3 words, that
mention "javascript" or a cookie / terms-of-use phrase; reject the document on "lorem ipsum" or a curly bracket,
or when fewer than 5 sentences remain. The kept lines become the document's text; removed lines are counted in
the step's counters (`line-filter-<rule>`).

Sentences are counted as datatrove counts them: spaCy's rule-based `sentencizer` over the language's word tokens
(a sentence ends after a token in its punctuation list, at the next token that is not punctuation). sito replays
it on `sito.filters.words` tokens, keeping spaCy's whitespace tokens (runs of whitespace other than one space),
which also start sentences.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

from ..document import Document
from .base import FilterStep
from .words import _data, get_splitter

CITATION_REGEX = re.compile(r"\[\d*]|\[edit]|\[citation needed]")
END_PUNCTUATION = (".", "?", "!", '"', "'")
ELLIPSIS = "..."
POLICY_SUBSTRINGS = ("terms of use", "privacy policy", "cookie policy", "uses cookies", "use of cookies", "use cookies")
_CHUNKS = re.compile(r"\S+|\s+")


@lru_cache(maxsize=1)
def _sentence_punct() -> frozenset[str]:
    return frozenset(_data()["sentence_punct"])


def _is_punct(tok: str) -> bool:
    """spaCy's `is_punct` lexical attribute: every character is Unicode punctuation (P*)."""
    return all(unicodedata.category(c).startswith("P") for c in tok)


# token -> "P" (in the sentencizer's punctuation list), "Q" (other punctuation: neutral), "W" (anything else)
_TOKEN_CLASS: dict[str, str] = {" ": "W"}
_ODD_SPACE = re.compile(r"\s\s|[^\S ]")


def _classes(tokens: list[str]) -> str:
    cache = _TOKEN_CLASS
    res = list(map(cache.get, tokens))
    if not all(res):
        punct = _sentence_punct()
        if len(cache) > 200_000:
            cache.clear()
            cache[" "] = "W"
        for i, r in enumerate(res):
            if r is None:
                t = tokens[i]
                res[i] = cache[t] = "P" if t in punct else ("Q" if _is_punct(t) else "W")
    return "".join(res)


# spaCy language -> whitespace chunk -> classes of its tokens (see `_classes`)
_CHUNK_CLASSES: dict[str, dict[str, str]] = {}


def count_sentences(line: str, language: str, chunks: list[str] | None = None) -> int:
    """Sentences in `line` as spaCy's sentencizer finds them (datatrove's `split_into_sentences`).

    The sentencizer starts a sentence at a token that is neither punctuation nor in its list after a token of its
    list has been seen: over the token classes (P: in the list, Q: other punctuation, W: the rest), that is one
    sentence plus one per "P…W" transition once the neutral Q tokens are dropped. Token classes are cached per
    whitespace chunk; `chunks` may pass `line.split()` when the caller has it.
    """
    splitter = get_splitter(language)
    if splitter._spaced and any(o in line for o in splitter._spaced):
        # a few special cases span a space: tokenize the line as a whole
        tokens: list[str] = []
        for m in _CHUNKS.finditer(line):
            chunk = m.group()
            if chunk.isspace():
                if chunk != " ":
                    tokens.append(" ")
            else:
                tokens.extend(splitter.split(chunk))
        tokens = splitter._apply_matcher(tokens)
        if not tokens:
            return 0
        return 1 + _classes(tokens).replace("Q", "").count("PW")
    chunks = _sentence_chunks(line, chunks)
    if not chunks:
        return 0
    return count_chunk_sentences(chunks, splitter)


def _sentence_chunks(line: str, chunks: list[str] | None = None) -> list[str]:
    """The whitespace chunks a line's sentences are counted from (`chunks`: `line.split()` if the caller has it)."""
    if _ODD_SPACE.search(line):
        # spaCy keeps whitespace other than one space as a token (class W): it can start a sentence
        return _CHUNKS.findall(line)
    return line.split() if chunks is None else chunks


def _chunk_classes(splitter) -> dict[str, str]:
    key = splitter.spacy_lang + ("/cjk" if splitter.no_space else "")
    cache = _CHUNK_CLASSES.get(key)
    if cache is None or len(cache) > 500_000:
        cache = _CHUNK_CLASSES[key] = {"\n": "|"}
    return cache


def count_chunk_sentences(chunks: list[str], splitter) -> int:
    """Sentences in lines given as whitespace chunks, each line's chunks followed by "\n" (or one line without).

    Single spaces (from `_CHUNKS.findall` on a line with odd whitespace) count as nothing, other whitespace as a
    word-like token; "|" between lines stops a "P…W" transition from spanning two lines.
    """
    cache = _chunk_classes(splitter)
    res = list(map(cache.get, chunks))
    if not all(res):
        for i, r in enumerate(res):
            if r is None:
                chunk = chunks[i]
                if chunk.isspace():
                    res[i] = cache[chunk] = "S" if chunk == " " else "W"
                else:
                    res[i] = cache[chunk] = _classes(list(splitter._chunk_words(chunk)))
    classes = "".join(res)
    n_lines = classes.count("|") if chunks[-1] == "\n" else 1
    return n_lines + classes.replace("Q", "").replace("S", "").count("PW")


class C4Quality(FilterStep):
    """C4's line filters and document rules (datatrove's `C4QualityFilter`, `split_paragraph=True`)."""

    name = "c4_quality"

    def __init__(
        self,
        remove_citations: bool = True,
        filter_no_terminal_punct: bool = True,
        min_num_sentences: int = 5,
        min_words_per_line: int = 3,
        max_word_length: int = 1000,
        filter_lorem_ipsum: bool = True,
        filter_javascript: bool = True,
        filter_curly_bracket: bool = True,
        filter_policy: bool = True,
        language: str = "en",
        **kw: Any,
    ):
        super().__init__(language=language, **kw)
        self.remove_citations = remove_citations
        self.filter_no_terminal_punct = filter_no_terminal_punct
        self.min_num_sentences = min_num_sentences
        self.min_words_per_line = min_words_per_line
        self.max_word_length = max_word_length
        self.filter_lorem_ipsum = filter_lorem_ipsum
        self.filter_javascript = filter_javascript
        self.filter_curly_bracket = filter_curly_bracket
        self.filter_policy = filter_policy

    def judge(self, doc: Document) -> Document:
        language = self.doc_language(doc)
        counts: dict[str, int] = {"line-total": 0, "line-kept": 0}
        kept: list[str] = []
        n_sent = 0
        reject: tuple[str, str] | None = None
        lines = (doc.text or "").splitlines()
        splitter = get_splitter(language)
        spaced = splitter._spaced
        sentence_chunks: list[str] = []  # chunks of the kept lines, "\n" after each: counted at the end
        for line in lines:
            line = line.strip()
            words = line.split()
            counts["line-total"] += 1
            if self.max_word_length != -1 and words and max(map(len, words)) > self.max_word_length:
                counts["line-filter-too_long_word"] = counts.get("line-filter-too_long_word", 0) + 1
                continue
            if self.remove_citations and "[" in line:
                cleaned = CITATION_REGEX.sub("", line)
                if cleaned != line:
                    line = cleaned
                    chunks = line.split()
                else:
                    chunks = words
            else:
                chunks = words
            if self.filter_no_terminal_punct and (not line.endswith(END_PUNCTUATION) or line.endswith(ELLIPSIS)):
                counts["line-filter-no_terminal_punc"] = counts.get("line-filter-no_terminal_punc", 0) + 1
                continue
            if len(words) < self.min_words_per_line:
                counts["line-filter-too_few_words"] = counts.get("line-filter-too_few_words", 0) + 1
                continue
            low = line.lower()
            if self.filter_lorem_ipsum and "lorem ipsum" in low:
                reject = ("lorem_ipsum", line)
                break
            if self.filter_javascript and "javascript" in low:
                counts["line-filter-javascript"] = counts.get("line-filter-javascript", 0) + 1
                continue
            if self.filter_curly_bracket and "{" in line:
                reject = ("curly_bracket", line)
                break
            if self.filter_policy and any(p in low for p in POLICY_SUBSTRINGS):
                counts["line-filter-policy"] = counts.get("line-filter-policy", 0) + 1
                continue
            if self.min_num_sentences != -1:
                if spaced and any(o in line for o in spaced):
                    n_sent += count_sentences(line, language, chunks)
                else:
                    sentence_chunks.extend(_sentence_chunks(line, chunks))
                    sentence_chunks.append("\n")
            kept.append(line)
            counts["line-kept"] += 1
        if sentence_chunks:
            n_sent += count_chunk_sentences(sentence_chunks, splitter)
        for k, v in counts.items():
            self.counters[k] += v
        st = {"lines": len(lines), "lines_kept": len(kept), "lines_removed": len(lines) - len(kept),
              "sentences": n_sent}
        if reject is not None:
            st["lines_kept"] = None
            st["lines_removed"] = None
            self.store(doc, st)
            return self.fail(doc, reject[0], 1, 0, f"line: {reject[1][:200]}")
        self.store(doc, st)
        if n_sent < self.min_num_sentences:
            return self.fail(doc, "too_few_sentences", n_sent, self.min_num_sentences)
        doc.text = "\n".join(kept).strip()
        return doc

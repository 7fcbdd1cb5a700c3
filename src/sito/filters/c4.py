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


@lru_cache(maxsize=100_000)
def _is_punct(tok: str) -> bool:
    """spaCy's `is_punct` lexical attribute: every character is Unicode punctuation (P*)."""
    return all(unicodedata.category(c).startswith("P") for c in tok)


def count_sentences(line: str, language: str) -> int:
    """Sentences in `line` as spaCy's sentencizer finds them (datatrove's `split_into_sentences`)."""
    splitter = get_splitter(language)
    punct = _sentence_punct()
    n = 0
    seen_period = False
    started = False
    for m in _CHUNKS.finditer(line):
        chunk = m.group()
        if chunk.isspace():
            if chunk == " ":
                continue
            toks: list[str] = [" "]  # a whitespace token: neither punctuation nor a sentence end
        else:
            toks = splitter.split(chunk)
        for tok in toks:
            if not started:
                started = True
                n = 1
                seen_period = tok in punct
                continue
            in_punct = tok in punct
            if seen_period and not in_punct and not (tok != " " and _is_punct(tok)):
                n += 1
                seen_period = False
            elif in_punct:
                seen_period = True
    return n


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
        for line in lines:
            line = line.strip()
            words = line.split()
            counts["line-total"] += 1
            if self.max_word_length != -1 and any(len(w) > self.max_word_length for w in words):
                counts["line-filter-too_long_word"] = counts.get("line-filter-too_long_word", 0) + 1
                continue
            if self.remove_citations:
                line = CITATION_REGEX.sub("", line)
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
                n_sent += count_sentences(line, language)
            kept.append(line)
            counts["line-kept"] += 1
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

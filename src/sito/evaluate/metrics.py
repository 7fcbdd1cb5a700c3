"""The two metrics sito reports against reference articles.

- Token F1: the extracted text and the reference are split into word tokens (Unicode word characters,
  lower-cased); precision and recall count the multiset overlap. This is the bag-of-words F1 used by the
  article-extraction benchmarks (ScrapingHub's, WCXB's).
- Snippet score: trafilatura's evaluation. Each "with" snippet found in the whitespace-normalised text is a true
  positive (else a false negative); each "without" snippet found is a false positive (else a true negative).
  Precision, recall and F are computed over the summed counts of a set of pages.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

_TOKEN = re.compile(r"\w+", re.UNICODE)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


@dataclass
class PRF:
    precision: float
    recall: float
    f1: float


def token_prf(predicted: str, reference: str) -> PRF:
    p, r = Counter(tokens(predicted)), Counter(tokens(reference))
    overlap = sum((p & r).values())
    np_, nr = sum(p.values()), sum(r.values())
    if np_ == 0 and nr == 0:
        return PRF(1.0, 1.0, 1.0)
    prec = overlap / np_ if np_ else 0.0
    rec = overlap / nr if nr else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return PRF(prec, rec, f1)


def _norm(s: str) -> str:
    return " ".join(s.split())


@dataclass
class SnippetCounts:
    tp: int = 0
    fn: int = 0
    fp: int = 0
    tn: int = 0

    def __add__(self, o: "SnippetCounts") -> "SnippetCounts":
        return SnippetCounts(self.tp + o.tp, self.fn + o.fn, self.fp + o.fp, self.tn + o.tn)

    def prf(self) -> PRF:
        prec = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        rec = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        return PRF(prec, rec, f1)


def snippet_counts(predicted: str, with_snippets: list[str], without_snippets: list[str]) -> SnippetCounts:
    text = _norm(predicted)
    c = SnippetCounts()
    for s in with_snippets:
        if _norm(s) in text:
            c.tp += 1
        else:
            c.fn += 1
    for s in without_snippets:
        if _norm(s) in text:
            c.fp += 1
        else:
            c.tn += 1
    return c

"""Labelled lines for training the cleaner, built from the dev pages (train split only).

For each page, the three inputs the cleaner must handle are made (see `sources.py`): the full-page text
(inscriptis), the extractor output (trafilatura), and the HTML path's lines with their DOM hints (what
`clean_html` gives the cleaner, so that the model learns the `DOM` features of `features.py`; for a discussion
thread, which the path reads from its whole page, its trafilatura lines). Each non-blank line gets a label by
aligning it with the page's reference:

- pages with a reference article text (readability, newspaper4k, wcxb): a line of 3+ tokens is "keep" when at
  least 60% of its token trigrams occur in the reference, "drop" when at most 20% do, and unlabelled in between
  (a line that straddles the article's edge teaches nothing reliable). A line of 1-2 tokens is "keep" when it
  equals a line of the reference (headings, short paragraphs) and "drop" otherwise.
- pages with only snippets (trafilatura-eval): a line containing a "with" snippet is "keep", one containing a
  "without" snippet is "drop"; all other lines are unlabelled — the snippets say nothing about them, and
  guessing would teach the model trafilatura's own choices.

Lines of an exact duplicate of an earlier line are not labelled (the duplicate rule decides them). Weights give
long lines more say (token F1 counts tokens) and keep long pages from drowning short ones.
For full-page inputs of half of the pages (chosen by hash), the `in_extractor` hint is filled in (the share of
the line's trigrams that trafilatura's output also has), so that the model learns to use that hint when the HTML
path supplies it and to do without it otherwise.

A third of the pages (chosen by hash) in a language with stop words are measured a second time as if it had none
(`NO_STOP_WORDS`; the page column `lang_known` 0): sito ships stop words for nine languages, and a page
in any other (Chinese, Russian, Arabic…) has no stop-word density. Without these rows the model knew that case
from a handful of train pages only: the held-out pages' full-page text, cleaned as if in such a language, lost
0.03-0.07 F1 (docs/cleaner.md, "Languages without stop words").
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import xxhash

from ..devdata import SETS, DevPage, iter_pages
from ..evaluate.metrics import tokens
from .cues import load_stopwords
from .features import page_features
from .sources import convert, html_extraction

KEEP_MIN = 0.6   # share of a line's trigrams found in the reference to call it article text
DROP_MAX = 0.2   # at most this share: boilerplate; in between: unlabelled


def is_heldout(set_name: str, name: str) -> bool:
    """The dev split rule of sito.devdata (xxh64 of "set/name" modulo 4 == 0), hashing the UTF-8 bytes."""
    from .. import devdata

    try:
        return devdata.is_heldout(set_name, name)
    except TypeError:  # xxhash versions that only hash bytes
        return xxhash.xxh64_intdigest(f"{set_name}/{name}".encode("utf-8")) % 4 == 0


def dev_pages(sets=SETS, split: str | None = "train") -> list[DevPage]:
    out = []
    for p in iter_pages(sets=tuple(sets), split=None):
        h = is_heldout(p.set, p.name)
        if split is None or split == "all" or (split == "heldout") == h:
            out.append(p)
    return out


def _trigrams(toks: list[str]) -> list[str]:
    return [" ".join(toks[i:i + 3]) for i in range(len(toks) - 2)]


def _norm(s: str) -> str:
    return " ".join(s.split())


@dataclass
class Reference:
    trigrams: set[str]
    short_lines: set[str]

    @classmethod
    def from_text(cls, text: str) -> "Reference":
        toks = tokens(text)
        short = {" ".join(tokens(ln)) for ln in text.splitlines() if 0 < len(tokens(ln)) <= 4}
        return cls(set(_trigrams(toks)), short)


def label_reference(lines: list[str], ref: Reference) -> list[int]:
    out = []
    for s in lines:
        toks = tokens(s)
        if len(toks) >= 3:
            tg = _trigrams(toks)
            f = sum(1 for t in tg if t in ref.trigrams) / len(tg)
            out.append(1 if f >= KEEP_MIN else 0 if f <= DROP_MAX else -1)
        else:
            out.append(1 if toks and " ".join(toks) in ref.short_lines else 0)
    return out


def label_snippets(lines: list[str], with_s: list[str], without_s: list[str]) -> list[int]:
    w = [_norm(x) for x in with_s if x.strip()]
    wo = [_norm(x) for x in without_s if x.strip()]
    out = []
    for s in lines:
        n = _norm(s)
        if any(x in n for x in w) or (len(n) >= 30 and any(n in x for x in w)):
            out.append(1)
        elif any(x in n for x in wo) or (len(n) >= 30 and any(n in x for x in wo)):
            out.append(0)
        else:
            out.append(-1)
    return out


def extractor_share(lines: list[str], extracted: str) -> list[float]:
    tg_ex = set(_trigrams(tokens(extracted)))
    short = {" ".join(tokens(ln)) for ln in extracted.splitlines()}
    out = []
    for s in lines:
        toks = tokens(s)
        if len(toks) >= 3:
            tg = _trigrams(toks)
            out.append(sum(1 for t in tg if t in tg_ex) / len(tg))
        else:
            out.append(1.0 if toks and " ".join(toks) in short else 0.0)
    return out


@dataclass
class LabelledData:
    X: np.ndarray
    y: np.ndarray            # 1 keep, 0 drop, -1 unlabelled
    w: np.ndarray
    page: np.ndarray         # page number of each row
    pages: list[tuple[str, str, str]] = field(default_factory=list)   # (set, name, input kind)


# full-page text twice: as inscriptis lays it out, and without indentation (a scraper that keeps no layout), so
# that the model learns the indentation columns (features.INDENT) without taking their absence for an
# extractor's output
KINDS = ("fulltext", "fulltext-flat", "extractor", "html")
# the inputs measured a second time without stop words on a third of the pages (a language with no stop-word list
# of sito's: `page_features` looks up none for it)
NO_STOP_KINDS = ("fulltext", "extractor", "html")
NO_STOP_WORDS = "und"


def build(pages: list[DevPage], kinds=KINDS, log=None) -> LabelledData:
    Xs, ys, ws, pg, meta = [], [], [], [], []
    for k, p in enumerate(pages):
        if is_heldout(p.set, p.name):
            raise ValueError(f"held-out page {p.set}/{p.name} passed to training")
        html = p.html_bytes()
        ref = Reference.from_text(p.reference) if p.reference else None
        if ref is None and not p.with_snippets:
            continue
        extracted = convert("extractor", html)
        # a line that occurs in several of the page's inputs is measured once (the cache of `page_features`); the
        # two full-page texts differ only in indentation, so their lines' share in the extractor's output is one
        cache: dict = {}
        share = None
        with_share = xxhash.xxh64_intdigest(f"hints/{p.set}/{p.name}".encode()) % 2 == 0
        no_stop = xxhash.xxh64_intdigest(f"nostop/{p.set}/{p.name}".encode()) % 3 == 0
        for kind in kinds:
            hints = None
            if kind == "html":
                # (a discussion thread's trafilatura lines, as the path read threads before `sito.pagetype`:
                # the model learns full-page text from the full-page rows; trained on the threads' whole pages
                # with their hints instead, newspaper4k lost 0.009-0.020 out of fold with two seeds, docs/html.md)
                ex = html_extraction(html, p.url, threads=False)
                if "error" in ex:
                    continue
                lines, hints = ex["lines"], ex["hints"]
            else:
                lines = (extracted if kind == "extractor" else convert(kind, html)).splitlines()
            if kind.startswith("fulltext") and with_share:
                share = extractor_share(lines, extracted) if share is None else share
                hints = [{"in_extractor": v} for v in share]
            pf = page_features(lines, hints=hints, language=None, cache=cache)
            if not pf.idx:
                continue
            row_lines = [lines[i] for i in pf.idx]
            lab = label_reference(row_lines, ref) if ref else label_snippets(row_lines, p.with_snippets, p.without_snippets)
            lab = [(-1 if pf.first_of[r] != r else v) for r, v in enumerate(lab)]
            y = np.asarray(lab, dtype=np.int8)
            ntok = np.array([len(tokens(s)) for s in row_lines], dtype=np.float32)
            w = (np.log1p(ntok) + 0.5) * (y >= 0)
            nl = max(int((y >= 0).sum()), 1)
            if w.sum() > 0:
                w = w / w.sum() * math.sqrt(nl)
            variants = [(kind, pf.X)]
            if no_stop and kind in NO_STOP_KINDS and pf.language in load_stopwords():
                X = page_features(lines, hints=hints, language=NO_STOP_WORDS, cache=cache).X
                variants.append((f"{kind}-nostop", X))
            for name, X in variants:
                Xs.append(X)
                ys.append(y)
                ws.append(w.astype(np.float32))
                pg.append(np.full(len(y), len(meta), dtype=np.int32))
                meta.append((p.set, p.name, name))
        if log and (k + 1) % 200 == 0:
            log(f"labelled {k + 1}/{len(pages)} pages")
    return LabelledData(np.concatenate(Xs), np.concatenate(ys), np.concatenate(ws), np.concatenate(pg), meta)

"""sito's filters against datatrove's, filter by filter and as chains, on the same documents.

`compare(lang_key, docs)` returns per-filter and per-chain agreement and every difference. datatrove's verdicts
are cached under `build/filters-parity/` by text hash, filter settings and datatrove version (they take minutes
to compute and do not change); sito's are always recomputed, with `blank_lines="count"`: datatrove's definitions
of the line statistics on text with blank lines (sito's default, "skip", differs only there).
"""

from __future__ import annotations

import gzip
import hashlib
import json
from typing import Any

from sito.document import Document
from sito.filters.c4 import C4Quality
from sito.filters.fineweb2 import config
from sito.filters.fineweb_quality import FineWebQuality
from sito.filters.gopher_quality import DATATROVE_REASONS as GQ_REASONS, GopherQuality
from sito.filters.gopher_repetition import GopherRepetition

from .parity_docs import CACHE

# chain key -> (datatrove language, sito language)
CHAINS = {"en": "eng_Latn", "pl": "pol_Latn", "de": "deu_Latn", "fr": "fra_Latn", "es": "spa_Latn"}


def sito_filters(key: str) -> list[tuple[str, Any]]:
    lang = CHAINS[key]
    if key == "en":  # English FineWeb
        return [("gopher_repetition", GopherRepetition(language=lang)),
                ("gopher_quality", GopherQuality(language=lang, blank_lines="count")),
                ("c4_quality", C4Quality(language=lang, filter_no_terminal_punct=False)),
                ("fineweb_quality", FineWebQuality(language=lang, blank_lines="count"))]
    cfg = config(lang)
    return [
        ("gopher_repetition", GopherRepetition(language=lang, dup_line_frac=cfg["dup_line_frac"],
                                               top_n_grams=cfg["top_n_grams"], dup_n_grams=cfg["dup_n_grams"],
                                               dup_para_frac=0, dup_line_char_frac=0, dup_para_char_frac=0)),
        ("fineweb_quality", FineWebQuality(language=lang, line_punct_thr=cfg["line_punct_thr"],
                                           new_line_ratio=cfg["new_line_ratio"], short_line_thr=999,
                                           char_duplicates_ratio=0.1, blank_lines="count")),
        ("gopher_quality", GopherQuality(language=lang, stop_words=cfg["stopwords"], min_stop_words=2,
                                         min_avg_word_length=cfg["min_avg_word_length"],
                                         max_avg_word_length=cfg["max_avg_word_length"],
                                         max_non_alpha_words_ratio=cfg["max_non_alpha_words_ratio"],
                                         blank_lines="count")),
    ]


def datatrove_filters(key: str) -> list[tuple[str, Any]]:
    from datatrove.pipeline.filters import (C4QualityFilter, FineWebQualityFilter, GopherQualityFilter,
                                            GopherRepetitionFilter)

    lang = CHAINS[key]
    if key == "en":
        return [("gopher_repetition", GopherRepetitionFilter(language="eng")),
                ("gopher_quality", GopherQualityFilter(language="eng")),
                ("c4_quality", C4QualityFilter(filter_no_terminal_punct=False, language="eng")),
                ("fineweb_quality", FineWebQualityFilter(language="eng"))]
    cfg = config(lang)
    return [
        ("gopher_repetition", GopherRepetitionFilter(language=lang, dup_line_frac=cfg["dup_line_frac"],
                                                     top_n_grams=cfg["top_n_grams"], dup_n_grams=cfg["dup_n_grams"],
                                                     dup_para_frac=0, dup_line_char_frac=0, dup_para_char_frac=0)),
        ("fineweb_quality", FineWebQualityFilter(language=lang, line_punct_thr=cfg["line_punct_thr"],
                                                 new_line_ratio=cfg["new_line_ratio"], short_line_thr=999,
                                                 char_duplicates_ratio=0.1)),
        ("gopher_quality", GopherQualityFilter(language=lang, stop_words=cfg["stopwords"], min_stop_words=2,
                                               min_avg_word_length=cfg["min_avg_word_length"],
                                               max_avg_word_length=cfg["max_avg_word_length"],
                                               max_non_alpha_words_ratio=cfg["max_non_alpha_words_ratio"])),
    ]


def _dt_one(f, text: str) -> tuple[str | None, str]:
    """(reason or None if kept, text after the filter) for one datatrove filter."""
    from datatrove.data import Document as DTDoc

    d = DTDoc(text=text, id="x")
    try:
        r = f.filter(d)
    except Exception as exc:  # datatrove divides by zero on some degenerate texts
        return f"error:{type(exc).__name__}", text
    if r is True or (isinstance(r, bool) and r):
        return None, d.text
    if isinstance(r, tuple):
        return r[1], text
    return "rejected", text


def datatrove_verdicts(key: str, docs: list[str]) -> list[dict[str, Any]]:
    """Per document: each filter alone on the original text, and the chain (reason, filter)."""
    from importlib.metadata import version

    filters = datatrove_filters(key)
    tag = hashlib.sha1(json.dumps([key, version("datatrove"), [repr(vars(f).get("language")) for _, f in filters],
                                   "v2"]).encode()).hexdigest()[:10]
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"datatrove_{key}_{tag}.json.gz"
    cache: dict[str, Any] = {}
    if path.exists():
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            cache = json.load(fh)
    out = []
    dirty = False
    for text in docs:
        h = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()
        v = cache.get(h)
        if v is None:
            single = {name: _dt_one(f, text)[0] for name, f in filters}
            chain = None
            t = text
            for name, f in filters:
                reason, t = _dt_one(f, t)
                if reason is not None:
                    chain = [name, reason]
                    break
            v = {"single": single, "chain": chain, "c4_text": _dt_one(filters[2][1], text)[1] if key == "en" else None}
            cache[h] = v
            dirty = True
        out.append(v)
    if dirty:
        with gzip.open(path, "wt", encoding="utf-8") as fh:
            json.dump(cache, fh)
    return out


def _sito_reason(name: str, doc: Document) -> str | None:
    if doc.rejection is None:
        return None
    check = doc.rejection.code.split(":", 1)[1]
    if name == "gopher_quality":
        return GQ_REASONS.get(check, check)
    return check


def sito_verdicts(key: str, docs: list[str]) -> list[dict[str, Any]]:
    filters = sito_filters(key)
    out = []
    for text in docs:
        single = {}
        c4_text = None
        for name, f in filters:
            d = f.process(Document(id="x", text=text))
            single[name] = _sito_reason(name, d)
            if name == "c4_quality" and d.rejection is None:
                c4_text = d.text
        chain = None
        d = Document(id="x", text=text)
        for name, f in filters:
            d = f.process(d)
            if d.rejection is not None:
                chain = [name, _sito_reason(name, d)]
                break
        out.append({"single": single, "chain": chain, "c4_text": c4_text if key == "en" else None})
    return out


def compare(key: str, docs: list[str]) -> dict[str, Any]:
    dt = datatrove_verdicts(key, docs)
    st = sito_verdicts(key, docs)
    names = [n for n, _ in sito_filters(key)]
    res: dict[str, Any] = {"n": len(docs), "filters": {}, "chain_agree": 0, "diffs": []}
    for n in names:
        res["filters"][n] = {"agree": 0, "rejected_dt": 0}
    for i, (a, b) in enumerate(zip(dt, st)):
        for n in names:
            ok = a["single"][n] == b["single"][n]
            if n == "c4_quality" and ok and a["single"][n] is None:
                ok = a["c4_text"] == b["c4_text"]
            res["filters"][n]["agree"] += ok
            res["filters"][n]["rejected_dt"] += a["single"][n] is not None
            if not ok:
                res["diffs"].append({"doc": i, "filter": n, "datatrove": a["single"][n], "sito": b["single"][n]})
        if a["chain"] == b["chain"]:
            res["chain_agree"] += 1
        else:
            res["diffs"].append({"doc": i, "filter": "chain", "datatrove": a["chain"], "sito": b["chain"]})
    return res

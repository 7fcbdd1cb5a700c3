"""Real documents for the filter parity tests and the filter benchmark, built from the dev pages.

For every dev page of a language: the full-page text (inscriptis) and the extractor output (trafilatura,
`deduplicate=False`). Then seeded recombinations of their lines — subsets, repeated lines and paragraphs,
lists of short lines, truncations, lines without punctuation — so that every filter sees documents on both
sides of each of its thresholds. The page texts are cached under `build/filters-parity/` (outside git); the
recombinations are cheap and rebuilt from a fixed seed.
"""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

from sito.devdata import default_dev_dir, iter_pages

CACHE = Path(__file__).resolve().parents[2] / "build" / "filters-parity"
LANGS = ("en", "pl", "de", "fr", "es")


def _page_texts(page) -> list[str]:
    import trafilatura
    from inscriptis import get_text

    raw = page.html_bytes()
    try:
        html = raw.decode("utf-8")
    except UnicodeDecodeError:
        html = raw.decode("cp1252", errors="replace")
    out = []
    try:
        out.append(get_text(html))
    except Exception:
        pass
    try:
        t = trafilatura.extract(html, deduplicate=False)
        if t:
            out.append(t)
    except Exception:
        pass
    return [t for t in out if t and t.strip()]


def base_texts(lang: str, limit: int | None = None) -> list[str]:
    """Page texts (inscriptis + trafilatura) of the dev pages in `lang`, cached."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"base_{lang}_{limit}.json.gz"
    if path.exists():
        with gzip.open(path, "rt", encoding="utf-8") as f:
            return json.load(f)
    dev = default_dev_dir()
    if dev is None:
        raise FileNotFoundError("dev data absent")
    texts: list[str] = []
    n = 0
    for page in iter_pages(dev, sets=("trafilatura", "newspaper4k", "readability", "wcxb")):
        plang = page.lang or ("en" if page.set == "wcxb" else None)
        if plang != lang:
            continue
        texts.extend(_page_texts(page))
        n += 1
        if limit and n >= limit:
            break
    with gzip.open(path, "wt", encoding="utf-8") as f:
        json.dump(texts, f, ensure_ascii=False)
    return texts


_PUNCT_END = ".!?"


def recombine(texts: list[str], n: int, seed: int = 12) -> list[str]:
    """`n` documents made from the lines of `texts` (see the module docstring); the originals come first."""
    rng = random.Random(seed)
    docs = [_cap(t) for t in texts[:n]]
    lines_of = [[ln for ln in t.split("\n")] for t in texts]
    all_lines = [ln for ls in lines_of for ln in ls if ln.strip()]
    while len(docs) < n:
        src = rng.choice(lines_of)
        kind = rng.randrange(9)
        if kind == 0:  # contiguous slice
            a = rng.randrange(len(src))
            b = min(len(src), a + rng.randint(3, 120))
            d = src[a:b]
        elif kind == 1:  # repeated lines
            d = list(src)
            for _ in range(rng.randint(1, max(1, len(d) // 2))):
                d.insert(rng.randrange(len(d) + 1), rng.choice(src))
        elif kind == 2:  # repeated paragraphs / blocks
            a = rng.randrange(len(src))
            block = src[a:a + rng.randint(1, 8)]
            d = list(src) + ["", *block] * rng.randint(1, 4)
        elif kind == 3:  # list of short lines
            shorts = [ln for ln in all_lines if len(ln) < 40] or all_lines
            d = rng.sample(shorts, min(len(shorts), rng.randint(5, 80)))
            if rng.random() < 0.5:
                d = d + rng.sample(all_lines, min(len(all_lines), rng.randint(1, 20)))
        elif kind == 4:  # truncated
            d = src[: rng.randint(1, max(1, len(src) // 3))]
        elif kind == 5:  # lines stripped of end punctuation
            d = [ln.rstrip(_PUNCT_END) if rng.random() < rng.random() else ln for ln in src]
        elif kind == 6:  # mixture of two pages
            other = rng.choice(lines_of)
            d = rng.sample(src, min(len(src), rng.randint(1, 60))) + rng.sample(other, min(len(other), rng.randint(1, 60)))
        elif kind == 7:  # bullets / ellipses / hashes
            mark = rng.choice(["• ", "- ", "#", ""])
            tail = rng.choice(["...", "…", ""])
            d = [mark + ln + (tail if rng.random() < 0.5 else "") for ln in src if ln.strip()]
        else:  # repeated phrases inside lines
            d = []
            for ln in src:
                w = ln.split()
                if len(w) > 6 and rng.random() < 0.3:
                    k = rng.randint(2, 6)
                    i = rng.randrange(len(w) - k)
                    ln = ln + " " + " ".join(w[i:i + k]) * rng.randint(1, 3)
                d.append(ln)
        text = "\n".join(d)
        if text.strip():
            docs.append(_cap(text))
    return docs[:n]


MAX_DOC_CHARS = 12_000  # keeps datatrove's side of the parity run to minutes; cut at a line boundary


def _cap(text: str) -> str:
    if len(text) <= MAX_DOC_CHARS:
        return text
    cut = text.rfind("\n", 0, MAX_DOC_CHARS)
    return text[: cut if cut > 0 else MAX_DOC_CHARS]


def parity_docs(lang: str, n: int, limit: int | None = None) -> list[str]:
    return recombine(base_texts(lang, limit), n)

"""Checks lid.176 language thresholds on the dev pages of the TRAIN split (a maintainer tool, not used at run time).

    python -m sito.filters.calibrate_language

For every train page with a known language (trafilatura-eval, newspaper4k, readability), the article text
(trafilatura, `deduplicate=False`) is identified with sito's `detect`; the tool prints how often the top label is
the page's language and, per threshold, the share of pages that would be kept. docs/filters.md records the
result and the threshold choice it supports.
"""

from __future__ import annotations

import statistics

import xxhash

from ..devdata import iter_pages
from .language import detect

THRESHOLDS = (0.3, 0.5, 0.65, 0.8, 0.9)


def _is_heldout(set_name: str, name: str) -> bool:
    # devdata's split rule (xxh64 of "set/name" modulo 4 == 0), over the UTF-8 bytes
    return xxhash.xxh64_intdigest(f"{set_name}/{name}".encode("utf-8")) % 4 == 0


def main() -> None:
    import trafilatura

    rows = []
    for page in iter_pages(sets=("trafilatura", "newspaper4k", "readability")):
        if _is_heldout(page.set, page.name) or not page.lang:
            continue
        raw = page.html_bytes()
        html = raw.decode("utf-8", errors="replace")
        text = trafilatura.extract(html, deduplicate=False) or ""
        if len(text.strip()) < 200:
            continue
        pred = detect(text)
        if not pred:
            continue
        rows.append((page.lang, pred[0][0], pred[0][1], len(text)))
    n = len(rows)
    correct = [r for r in rows if r[0] == r[1]]
    print(f"train pages with >= 200 characters of article text: {n}; top label = page language: {len(correct)}")
    scores = sorted(r[2] for r in correct)
    print(f"score of the correct label: min {scores[0]:.3f}, 5th pct {scores[int(0.05 * len(scores))]:.3f}, "
          f"median {statistics.median(scores):.3f}")
    for t in THRESHOLDS:
        kept = sum(1 for r in correct if r[2] > t)
        print(f"  threshold {t}: {kept}/{len(correct)} correctly identified pages kept ({kept / len(correct):.1%})")
    by_lang: dict[str, list[float]] = {}
    for r in correct:
        by_lang.setdefault(r[0], []).append(r[2])
    for lang, s in sorted(by_lang.items(), key=lambda kv: -len(kv[1])):
        print(f"  {lang}: {len(s)} pages, min {min(s):.3f}, kept at 0.65: {sum(x > 0.65 for x in s)}")


if __name__ == "__main__":
    main()

"""Accuracy of the page metadata (title, author, date) against the dev pages' references, sito side by side with
trafilatura's own metadata on the same pages: readability's expected-metadata.json and wcxb's reference title /
author / date (each wcxb page type separately).

    nice .venv/bin/python benchmarks/bench_metadata.py --split heldout

sito: `sito.html.metadata.page_metadata` (what `clean_html` reports); trafilatura: `trafilatura.extract_metadata`
on the same HTML. Exact: equal after whitespace and case normalisation (dates on the day); lenient: one contains
the other as lower-case words, a leading "By" dropped (`bench_html._lenient`). "spurious": an author or a date given on
a page whose reference has none (wcxb only: readability's file leaves many out)."""

from __future__ import annotations

import argparse
from collections import defaultdict

from bench_html import meta_match

FIELDS = ("title", "author", "date")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", default="heldout", choices=("train", "heldout", "all"))
    args = ap.parse_args()
    import trafilatura

    from sito.clean.labels import dev_pages
    from sito.html.decode import decode_html
    from sito.html.metadata import page_metadata
    from sito.html.parse import parse_html

    # acc[group][system][field] = [exact, lenient, n]; spurious[group][system, field] = values where none
    acc: dict = defaultdict(lambda: defaultdict(lambda: {k: [0, 0, 0] for k in FIELDS}))
    spurious: dict = defaultdict(lambda: defaultdict(int))
    for p in dev_pages(split=None if args.split == "all" else args.split):
        if p.set not in ("readability", "wcxb") or not p.meta:
            continue
        raw = p.html_bytes()
        got = {"sito": page_metadata(parse_html(decode_html(raw)[0]), p.url)}
        doc = trafilatura.extract_metadata(raw, default_url=p.url)
        got["trafilatura"] = {k: getattr(doc, k, None) for k in FIELDS} if doc is not None else {}
        groups = [p.set] + ([f"wcxb/{p.page_type}"] if p.set == "wcxb" and p.page_type else [])
        for system, md in got.items():
            for k in FIELDS:
                ref, value = p.meta.get(k), md.get(k)
                if not ref:
                    if k != "title" and value and p.set == "wcxb":
                        for g in groups:
                            spurious[g][system, k] += 1
                    continue
                ok, lenient = meta_match(k, value, ref)
                for g in groups:
                    a = acc[g][system][k]
                    a[0] += ok
                    a[1] += lenient
                    a[2] += 1
    print(f"split={args.split}; exact (lenient) share of the pages with a reference value; n = those pages")
    print(f"{'group':<20}{'system':<13}" + "".join(f"{k:>22}" for k in FIELDS) + f"{'spurious authors, dates':>26}")
    for g in sorted(acc, key=lambda g: (g.count("/"), g)):
        for system in ("sito", "trafilatura"):
            cells = []
            for k in FIELDS:
                ok, lenient, n = acc[g][system][k]
                cells.append(f"{ok / n:.3f} ({lenient / n:.3f}) n={n}" if n else "-")
            sp = (f"{spurious[g][system, 'author']}, {spurious[g][system, 'date']}" if g.startswith("wcxb")
                  else "-")
            print(f"{g:<20}{system:<13}" + "".join(f"{c:>22}" for c in cells) + f"{sp:>26}")


if __name__ == "__main__":
    main()

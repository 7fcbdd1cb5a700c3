"""How often cleaning the clean text changes it, on every dev page (both splits), for each input and its mode:
`clean_text(clean_text(x).text).text != clean_text(x).text`. Prints the count and the pages.

    nice .venv/bin/python benchmarks/idempotence.py

The cleaner re-reads its kept text until a pass removes nothing, at most `cleaner.MAX_PASSES` times; a page whose
re-reading would go on longer (each pass peeling one more short line off the top of a list) is where cleaning
stops being idempotent (docs/cleaner.md, "Idempotence")."""

from __future__ import annotations

import argparse

CASES = (("fulltext", "page"), ("fulltext-flat", "page"), ("extractor", "page"), ("extractor", "extracted"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--every", type=int, default=1, help="every k-th dev page (default: all)")
    args = ap.parse_args()
    from sito.clean import clean_text
    from sito.clean.labels import dev_pages
    from sito.clean.sources import convert

    pages = dev_pages(split=None)[:: max(args.every, 1)]
    bad, n = [], 0
    for p in pages:
        html = p.html_bytes()
        for kind, mode in CASES:
            a = clean_text(convert(kind, html), mode=mode)
            n += 1
            if clean_text(a.text, mode=mode).text != a.text:
                bad.append(f"{p.set}/{p.name} ({kind}, {mode})")
    print(f"{len(pages)} pages, {n} inputs: {len(bad)} not idempotent")
    for b in bad:
        print("  " + b)


if __name__ == "__main__":
    main()

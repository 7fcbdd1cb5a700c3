"""Check that two versions of the article cleaner give identical output on a fixed sample of real inputs.

A change meant only to make the cleaner faster must not change what it decides. This script cleans a fixed
sample and dumps every output — each line's role, keep and reason and every `Article` field — to JSON:
- dev pages (every k-th of all sets, fixed order) as extractor output (in `page` and in `extracted` mode) and as
  full-page text (from the conversion cache of `sito.clean.sources`);
- the Polish example page, with and without `language="pl"`;
- dev pages through the HTML path (`sito.clean_html`, which calls `clean_lines` with DOM hints).

Dump with the reference code, dump with the new code, then compare:

    PYTHONPATH=/path/to/reference/src python benchmarks/compare_cleaner_outputs.py dump /tmp/ref.json
    PYTHONPATH=src python benchmarks/compare_cleaner_outputs.py dump /tmp/new.json
    python benchmarks/compare_cleaner_outputs.py diff /tmp/ref.json /tmp/new.json

`diff` prints the differing inputs and fields and exits with status 1 when there is any difference.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "pl_news_scraped.txt"


def _article(a) -> dict:
    d = a.as_dict(with_lines=False)
    d["lines"] = [[ln.index, ln.text, ln.role, ln.keep, ln.reason] for ln in a.lines]
    return d


def dump(path: str, pages: int, html_pages: int) -> None:
    import sito
    from sito.clean import clean_text
    from sito.clean.labels import dev_pages
    from sito.clean.sources import convert

    print(f"sito from {sito.__file__}", file=sys.stderr)
    allp = dev_pages(split=None)
    step = max(1, len(allp) // pages)
    sample = allp[::step][:pages]
    out: dict[str, dict] = {}
    t0 = time.process_time()
    for p in sample:
        h = p.html_bytes()
        for kind in ("extractor", "fulltext"):
            out[f"{kind}:{p.set}/{p.name}"] = _article(clean_text(convert(kind, h)))
        out[f"extractor-extracted:{p.set}/{p.name}"] = _article(clean_text(convert("extractor", h), mode="extracted"))
    ex = EXAMPLE.read_text("utf-8")
    out["example"] = _article(clean_text(ex))
    out["example:pl"] = _article(clean_text(ex, language="pl"))
    t1 = time.process_time()
    hstep = max(1, len(allp) // html_pages)
    for p in allp[hstep // 2::hstep][:html_pages]:
        try:
            a = sito.clean_html(p.html_bytes(), url=getattr(p, "url", None))
            out[f"html:{p.set}/{p.name}"] = _article(a)
        except Exception as e:  # an unreadable page is an output too
            out[f"html:{p.set}/{p.name}"] = {"error": f"{type(e).__name__}: {e}"}
    print(f"{len(out)} inputs; clean_text CPU {t1 - t0:.1f} s", file=sys.stderr)
    Path(path).write_text(json.dumps(out, ensure_ascii=False, sort_keys=True), "utf-8")


def diff(a_path: str, b_path: str, show: int) -> int:
    a = json.loads(Path(a_path).read_text("utf-8"))
    b = json.loads(Path(b_path).read_text("utf-8"))
    bad = 0
    for k in sorted(set(a) | set(b)):
        if k not in a or k not in b:
            print(f"{k}: only in {'first' if k in a else 'second'}")
            bad += 1
            continue
        x, y = a[k], b[k]
        if x == y:
            continue
        bad += 1
        if bad > show:
            continue
        for f in sorted(set(x) | set(y)):
            if x.get(f) == y.get(f):
                continue
            if f == "lines" and isinstance(x.get(f), list) and isinstance(y.get(f), list):
                for lx, ly in zip(x[f], y[f]):
                    if lx != ly:
                        print(f"{k}: line {lx[0]}: {lx[2:]} != {ly[2:]}")
                if len(x[f]) != len(y[f]):
                    print(f"{k}: {len(x[f])} lines != {len(y[f])}")
            else:
                print(f"{k}: {f}: {str(x.get(f))[:200]!r} != {str(y.get(f))[:200]!r}")
    print(f"{len(a)} / {len(b)} inputs; {bad} differ")
    return 1 if bad else 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dump", help="clean the sample and write all outputs to a JSON file")
    d.add_argument("out")
    d.add_argument("--pages", type=int, default=300, help="dev pages, each as extractor output and full text")
    d.add_argument("--html-pages", type=int, default=50, help="dev pages through the HTML path")
    c = sub.add_parser("diff", help="compare two dumps")
    c.add_argument("a")
    c.add_argument("b")
    c.add_argument("--show", type=int, default=20, help="print details of at most N differing inputs")
    args = ap.parse_args()
    if args.cmd == "dump":
        dump(args.out, args.pages, args.html_pages)
    else:
        sys.exit(diff(args.a, args.b, args.show))


if __name__ == "__main__":
    main()

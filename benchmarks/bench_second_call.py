"""When is trafilatura's second call (its default settings) worth making? The HTML path's gate, measured.

For every dev page of the split (train by default: this chooses `sito.html.extract.SECOND_CALL_BELOW`), sito's
`clean_html` runs with both trafilatura calls (`extractors="both"`) and with the recall-tuned call only
(`"recall"`), and the length of the recall-tuned output (the characters the gate reads) is recorded. The gated
path (`"auto"`) gives exactly the first result on pages whose recall-tuned output is shorter than the threshold
and the second on the others, so every threshold is scored from the same two runs: token F1 (mean over pages
with a reference) per set, trafilatura-eval's snippet F (summed counts), and the share of pages that get the
second call.

    nice .venv/bin/python benchmarks/bench_second_call.py --split train --out /tmp/second_call.jsonl

`--out` keeps the per-page rows (JSON lines); `--from FILE` re-scores a saved file without running anything.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections import defaultdict

THRESHOLDS = (500, 1000, 1250, 1500, 1750, 2000, 3000, 5000)


def measure(split: str, out_path: str | None) -> list[dict]:
    import trafilatura

    from sito.devdata import iter_pages
    from sito.evaluate.metrics import snippet_counts, token_prf
    from sito.html import clean_html
    from sito.html.decode import decode_html
    from sito.html.errors import HtmlError
    from sito.html.extract import TRAFILATURA_OPTIONS
    from sito.html.parse import parse_html

    rows = []
    out = open(out_path, "w", encoding="utf-8") if out_path else None
    for k, p in enumerate(iter_pages(split=split)):
        if not (p.reference or p.with_snippets or p.without_snippets):
            continue
        html = p.html_bytes()
        try:
            texts = {ex: clean_html(html, url=p.url, extractors=ex).text for ex in ("both", "recall")}
            tree = parse_html(decode_html(html, None)[0])
            doc = trafilatura.bare_extraction(tree, url=p.url, **TRAFILATURA_OPTIONS)
        except HtmlError:
            continue
        rec = unicodedata.normalize("NFC", doc.text or "") if doc is not None else ""
        row = {"set": p.set, "name": p.name, "type": p.page_type,
               "first_chars": sum(len(ln.strip()) for ln in rec.splitlines())}
        for ex, text in texts.items():
            row[f"f1_{ex}"] = token_prf(text, p.reference).f1 if p.reference else None
            s = snippet_counts(text, p.with_snippets or [], p.without_snippets or [])
            row[f"snip_{ex}"] = [s.tp, s.fn, s.fp, s.tn]
        rows.append(row)
        if out:
            out.write(json.dumps(row) + "\n")
            out.flush()
        if (k + 1) % 200 == 0:
            print(f"{k + 1} pages", file=sys.stderr, flush=True)
    return rows


def score(rows: list[dict], second) -> tuple[dict, float]:
    f1 = defaultdict(list)
    snip = defaultdict(lambda: [0, 0, 0, 0])
    n2 = 0
    for r in rows:
        ex = "both" if second(r) else "recall"
        n2 += ex == "both"
        if r[f"f1_{ex}"] is not None:
            f1[r["set"]].append(r[f"f1_{ex}"])
        snip[r["set"]] = [a + b for a, b in zip(snip[r["set"]], r[f"snip_{ex}"])]
    res = {s: sum(v) / len(v) for s, v in f1.items()}
    for s, (tp, fn, fp, _tn) in snip.items():
        if s not in res and tp:
            prec, rec = tp / (tp + fp), tp / (tp + fn)
            res[s] = 2 * prec * rec / (prec + rec)
    return res, n2 / max(len(rows), 1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", default="train", choices=["train", "heldout", "all"])
    ap.add_argument("--out", help="write the per-page rows here (JSON lines)")
    ap.add_argument("--from", dest="src", help="score the rows of this file instead of measuring")
    a = ap.parse_args()
    rows = ([json.loads(ln) for ln in open(a.src, encoding="utf-8")] if a.src else measure(a.split, a.out))
    sets = sorted({r["set"] for r in rows})
    print(f"{len(rows)} pages; token F1 (trafilatura: snippet F) per set, share of pages with the second call")
    print(f"{'second call':<28}" + "".join(f"{s:>13}" for s in sets) + f"{'2 calls':>9}")
    variants = [("every page (both)", lambda r: True), ("never (recall)", lambda r: False)]
    variants += [(f"first output < {t}", lambda r, t=t: r["first_chars"] < t) for t in THRESHOLDS]
    for name, fn in variants:
        res, share = score(rows, fn)
        print(f"{name:<28}" + "".join(f"{res.get(s, float('nan')):>13.4f}" for s in sets) + f"{share:>8.0%}")


if __name__ == "__main__":
    main()

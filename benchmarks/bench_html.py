"""Benchmark of sito's HTML path: quality of the combinations on the dev data, metadata accuracy, and speed.

Quality (`--quality`): every dev page of the chosen split is extracted once (trafilatura tuned for recall,
inscriptis full text, DOM hints; `extract_page(source="both")`), then each combination is cleaned and scored
with `sito.evaluate.metrics` against the reference — token F1 (mean over pages) and trafilatura's snippet
metric (summed counts) — side by side with trafilatura's own output on the same pages: `trafilatura.extract`
with its defaults, and with `favor_recall=True`. Rows: per set, per wcxb page type, Polish pages.
Combinations (sito = line cleaner on):
  ext+hints@T     trafilatura's lines with DOM hints; full-page text when trafilatura gives < T characters
  ext@T           the same without hints
  full+hints      inscriptis full-page text with DOM hints (in_extractor marks what trafilatura kept)
  default         trafilatura's default (balanced) output, full text + hints when < 1000 characters
Choose on `--split train`, report on `--split heldout`.

Metadata (`--quality` also prints it): title / author / date of `clean_html` against readability's
expected-metadata.json and wcxb's reference values (exact match after whitespace normalisation; dates on the
day, YYYY-MM-DD); `bench_metadata.py` has them side by side with trafilatura's, without extracting text.

Speed (`--speed N`): N dev pages (every k-th page of all sets), in the same run and interleaved:
`trafilatura.extract(html)` (defaults), the same with `with_metadata=True`, sito's `clean_html` in-process
(default `extractors="auto"`, `"both"` and `"recall"`), and sito through the sandboxed worker (the `html.v1`
step's path; auto and recall). Prints total seconds and the ratio to trafilatura. `--isolated R` times each
path in a process of its own instead, R rounds (a path interleaved with others finds some library caches warm).

    nice .venv/bin/python benchmarks/bench_html.py --quality --split heldout --jobs 2
    nice .venv/bin/python benchmarks/bench_html.py --speed 300
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import time
from collections import defaultdict
from multiprocessing import Pool
from pathlib import Path

from sito.devdata import SETS, DevPage, iter_pages
from sito.evaluate.metrics import SnippetCounts, snippet_counts, token_prf

THRESHOLDS = (0, 100, 250, 500, 1000)
CACHE = Path(os.environ.get("SITO_CACHE") or Path.home() / ".cache" / "sito") / "bench_html"


def split_of(p: DevPage) -> str:
    try:
        return p.split
    except TypeError:  # xxhash versions that hash only bytes: the same rule on the UTF-8 bytes
        import xxhash

        return "heldout" if xxhash.xxh64_intdigest(f"{p.set}/{p.name}".encode("utf-8")) % 4 == 0 else "train"


def pages_of(split: str | None, sets=SETS) -> list[DevPage]:
    return [p for p in iter_pages(sets=tuple(sets), split=None) if split in (None, "all") or split_of(p) == split]


def _extract(p: DevPage) -> dict:
    """One page: sito's extraction (both texts) and trafilatura's own outputs; cached on disk."""
    import xxhash

    raw = p.html_bytes()
    key = CACHE / f"{xxhash.xxh64_hexdigest(raw)}-v3.json.gz"
    if key.exists():
        with gzip.open(key, "rt", encoding="utf-8") as f:
            return json.load(f)
    import trafilatura

    from sito.html import HtmlError, extract_page

    try:
        res = extract_page(raw, p.url, source="both")
        out = {"both": res["both"], "metadata": res["metadata"]}
    except HtmlError as e:
        out = {"error": e.code}
    out["traf_default"] = trafilatura.extract(raw, url=p.url) or ""
    out["traf_recall"] = trafilatura.extract(raw, url=p.url, favor_recall=True) or ""
    key.parent.mkdir(parents=True, exist_ok=True)
    tmp = key.with_suffix(".tmp")
    with gzip.open(tmp, "wt", encoding="utf-8") as f:
        json.dump(out, f)
    tmp.replace(key)
    return out


def _variants(ex: dict) -> dict[str, tuple[list[str], list[dict] | None]]:
    if "error" in ex:
        return {}
    (el, eh), (fl, fh) = ex["both"]["extractor"], ex["both"]["fulltext"]
    n = sum(len(x.strip()) for x in el)
    out = {}
    for t in THRESHOLDS:
        src = (el, eh) if n >= t and n > 0 else (fl, fh)
        out[f"ext+hints@{t}"] = src
        out[f"ext@{t}"] = (src[0], None)
    out["full+hints"] = (fl, fh)
    dl = (ex.get("traf_default") or "").splitlines()
    out["default"] = (dl, None) if sum(len(x.strip()) for x in dl) >= 1000 else (fl, fh)
    return out


class Acc:
    def __init__(self):
        self.n = 0
        self.f = self.p = self.r = 0.0
        self.snip = SnippetCounts()

    def add(self, text: str, page: DevPage) -> None:
        if page.reference:
            prf = token_prf(text, page.reference)
            self.n += 1
            self.f += prf.f1
            self.p += prf.precision
            self.r += prf.recall
        if page.with_snippets or page.without_snippets:
            self.snip = self.snip + snippet_counts(text, page.with_snippets, page.without_snippets)

    def cell(self) -> str:
        parts = []
        if self.n:
            parts.append(f"F1 {self.f / self.n:.3f} (P {self.p / self.n:.3f} R {self.r / self.n:.3f})")
        if self.snip.tp + self.snip.fn + self.snip.fp + self.snip.tn:
            parts.append(f"snipF {self.snip.prf().f1:.3f}")
        return " ".join(parts) or "-"

    def key(self) -> float:
        return self.f / self.n if self.n else self.snip.prf().f1


def _norm(s):
    return " ".join(str(s).split()).strip().lower() if s else ""


def _words(s) -> str:
    """Lenient form: lower-case word characters only, a leading "by"/"par"/"von" dropped."""
    import re

    w = re.findall(r"\w+", _norm(s))
    if w and w[0] in ("by", "par", "von", "written"):
        w = w[1:]
    return " ".join(w)


def _lenient(got, ref) -> bool:
    g, r = _words(got), _words(ref)
    return bool(g) and bool(r) and (g in r or r in g)


def meta_match(field: str, got, ref) -> tuple[bool, bool]:
    """(exact, lenient) match of one metadata value with its reference: dates on the day, other fields equal
    after whitespace and case normalisation, or (lenient) one containing the other as words."""
    ok = (_norm(got)[:10] == _norm(ref)[:10]) if field == "date" else _norm(got) == _norm(ref)
    return ok, ok or (field != "date" and _lenient(got, ref))


def quality(split: str, jobs: int, sets=SETS, limit: int | None = None, variants=None) -> None:
    from sito.clean import clean_lines

    pages = pages_of(split, sets)
    if limit:
        pages = pages[:limit]
    t0 = time.time()
    with Pool(jobs) as pool:
        extracted = pool.map(_extract, pages, chunksize=4)
    print(f"# {len(pages)} {split} pages extracted in {time.time() - t0:.0f} s", file=sys.stderr)
    rows: dict[str, dict[str, Acc]] = defaultdict(lambda: defaultdict(Acc))
    meta: dict[str, dict[str, list[int]]] = defaultdict(lambda: {"title": [0, 0, 0], "author": [0, 0, 0],
                                                                  "date": [0, 0, 0]})
    errors = defaultdict(int)
    for p, ex in zip(pages, extracted):
        groups = [p.set] + ([f"wcxb/{p.page_type}"] if p.set == "wcxb" and p.page_type else []) + (
            ["polish"] if p.lang == "pl" else [])
        outs = {"trafilatura": ex["traf_default"], "trafilatura(recall)": ex["traf_recall"]}
        if "error" in ex:
            errors[ex["error"]] += 1
        for name, (lines, hints) in _variants(ex).items():
            if variants and name not in variants:
                continue
            outs["sito " + name] = clean_lines(lines, hints=hints, url=p.url).text if any(x.strip() for x in lines) else ""
        for name in [k for k in rows.get(p.set, {}) if k not in outs]:
            outs[name] = ""  # a page sito rejected counts as empty output
        for g in groups:
            for name, text in outs.items():
                rows[g][name].add(text, p)
        if p.set in ("readability", "wcxb") and "metadata" in ex:
            for k, ref in (("title", p.meta.get("title")), ("author", p.meta.get("author")), ("date", p.meta.get("date"))):
                if ref:
                    got = ex["metadata"].get(k)
                    ok, lenient = meta_match(k, got, ref)
                    acc = meta[p.set][k]
                    acc[0] += ok
                    acc[1] += lenient
                    acc[2] += 1
    order = [s for s in SETS if s in rows] + sorted(g for g in rows if g.startswith("wcxb/")) + (["polish"] if "polish" in rows else [])
    for g in order:
        n_pages = max(a.n for a in rows[g].values()) or "-"
        print(f"\n## {g} ({split}, {n_pages} pages with reference text)")
        best = max((k for k in rows[g] if k.startswith("sito")), key=lambda k: rows[g][k].key())
        for name, acc in rows[g].items():
            mark = "  <- best sito" if name == best else ""
            print(f"  {name:26s} {acc.cell()}{mark}")
    for st, source in (("readability", "expected-metadata.json"), ("wcxb", "reference title / author / date")):
        if st not in meta:
            continue
        print(f"\n## metadata vs {st}'s {source} ({split})")
        print("  (exact: equal after whitespace/case normalisation, dates on the day; lenient: one contains the other"
              " as lower-case words, a leading 'By' dropped)")
        for k, (ok, lenient, n) in meta[st].items():
            print(f"  {k:7s} exact {ok}/{n} = {ok / max(1, n):.3f}   lenient {lenient}/{n} = {lenient / max(1, n):.3f}")
    if errors:
        print(f"\nrejected pages: {dict(errors)}")


def _speed_paths():
    import trafilatura

    from sito.html import clean_html

    return {
        "trafilatura.extract": lambda raw, url, sb: trafilatura.extract(raw, url=url),
        "trafilatura +metadata": lambda raw, url, sb: trafilatura.extract(raw, url=url, with_metadata=True),
        "sito clean_html": lambda raw, url, sb: clean_html(raw, url=url),
        "sito clean_html both": lambda raw, url, sb: clean_html(raw, url=url, extractors="both"),
        "sito clean_html recall": lambda raw, url, sb: clean_html(raw, url=url, extractors="recall"),
        "sito sandbox": lambda raw, url, sb: clean_html(raw, url=url, sandbox=sb),
        "sito sandbox recall": lambda raw, url, sb: clean_html(raw, url=url, sandbox=sb, extractors="recall"),
    }


def _speed_pages(n: int) -> list:
    allp = pages_of(None)
    step = max(1, len(allp) // n)
    return [(p.html_bytes(), p.url) for p in allp[::step][:n]]


def speed_alone(n: int, name: str) -> float:
    """Seconds one path takes over the pages, in this process alone (after a warm-up on three of them)."""
    from sito.html import Sandbox

    raws = _speed_pages(n)
    f = _speed_paths()[name]
    with Sandbox(timeout_s=120) as sb:
        for raw, url in raws[:3]:
            f(raw, url, sb)
        t = time.perf_counter()
        for raw, url in raws:
            try:
                f(raw, url, sb)
            except Exception:
                pass
        return time.perf_counter() - t


def speed_isolated(n: int, rounds: int) -> None:
    """Each path in a fresh process of its own, the paths taking turns, `rounds` times; the best of each. Unlike
    the interleaved run, no path finds the libraries' caches (trafilatura, htmldate, lxml) warmed by another
    path on the same page: the sandbox's worker never shares them, the in-process paths do."""
    import subprocess

    names = ["trafilatura.extract", "sito clean_html", "sito sandbox", "sito clean_html recall", "sito sandbox recall"]
    best = dict.fromkeys(names, float("inf"))
    for r in range(rounds):
        for name in names[r % len(names):] + names[:r % len(names)]:
            out = subprocess.run([sys.executable, __file__, "--speed", str(n), "--alone", name],
                                 capture_output=True, text=True, check=True).stdout
            best[name] = min(best[name], float(out.split()[-1]))
    base = best["trafilatura.extract"]
    print(f"{n} pages, each path in its own process, best of {rounds} rounds")
    for k, v in best.items():
        print(f"  {k:22s} {v:7.2f} s  {n / v:6.1f} pages/s  ratio {v / base:.2f}")


def speed(n: int) -> None:
    import trafilatura

    from sito.html import Sandbox, clean_html

    raws = _speed_pages(n)
    for raw, url in raws[:3]:  # warm-up: imports, model load
        trafilatura.extract(raw, url=url)
        clean_html(raw, url=url)
    paths = _speed_paths()
    names = list(paths)
    times = dict.fromkeys(names, 0.0)
    with Sandbox(timeout_s=120) as sb:
        clean_html(raws[0][0], sandbox=sb)
        for i, (raw, url) in enumerate(raws):
            # the paths take turns at going first: a path that runs after another on the same page finds some
            # of the libraries' caches (lxml, trafilatura, htmldate) warm
            for name in names[i % len(names):] + names[:i % len(names)]:
                t = time.perf_counter()
                try:
                    paths[name](raw, url, sb)
                except Exception:
                    pass
                times[name] += time.perf_counter() - t
    base = times["trafilatura.extract"]
    print(f"{len(raws)} pages, {sum(len(r) for r, _ in raws) / 1e6:.1f} MB of HTML")
    for k, v in times.items():
        print(f"  {k:22s} {v:7.2f} s  {len(raws) / v:6.1f} pages/s  ratio {v / base:.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quality", action="store_true")
    ap.add_argument("--split", default="train", choices=["train", "heldout", "all"])
    ap.add_argument("--sets", default=",".join(SETS))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--limit", type=int)
    ap.add_argument("--speed", type=int, metavar="N")
    ap.add_argument("--isolated", type=int, metavar="ROUNDS",
                    help="with --speed: time each path in its own process, ROUNDS times (speed_isolated)")
    ap.add_argument("--alone", help=argparse.SUPPRESS)   # (one path in this process: what --isolated runs)
    ap.add_argument("--variants", help="comma-separated combinations to score (default: all)")
    a = ap.parse_args()
    if a.quality:
        quality(a.split, a.jobs, tuple(a.sets.split(",")), a.limit,
                set(a.variants.split(",")) if a.variants else None)
    if a.speed and a.alone:
        print(f"{speed_alone(a.speed, a.alone):.4f}")
    elif a.speed and a.isolated:
        speed_isolated(a.speed, a.isolated)
    elif a.speed:
        speed(a.speed)


if __name__ == "__main__":
    main()

"""Speed of the article cleaner on real pages, per core, side by side with its peers in the same run
(documents per second of wall time, CPU milliseconds per document, and both as ratios to trafilatura).

Inputs are the dev pages' full-page text (inscriptis) and extractor output (trafilatura), converted before the
clock starts (the conversions are cached by `sito.clean.sources`). Measured in one process (one core):
- sito `clean_text` on extractor output and on full-page text (model, rules and the re-reading pass included),
  in the default `page` mode, and on extractor output in the `extracted` mode meant for it (`sito eval --input
  extractor`); `clean_texts` on the same documents (the lines of 32 documents at a time measured in one call, as the
  pipeline's clean step does; the same articles);
- peers: trafilatura.extract on the same pages' HTML (what it costs to get the extractor output in the first
  place) and a line-splitting baseline (`str.splitlines` + join, the floor of any line cleaner in Python).
Also the peak traced memory over the first tenth of the documents and over all of them (flat = no growth).

    nice .venv/bin/python benchmarks/bench_cleaner.py --pages 300

`--against OTHER/src` also times the cleaner of another checkout (e.g. the code before a change) in the same
process, alternating with this one round by round, so that both see the same machine load (on a shared machine
the load changes within minutes); it prints both CPU times per document and their ratio. The other checkout is
imported under another package name and reads this checkout's data files (cue phrases, stop words, model).
"""

from __future__ import annotations

import argparse
import importlib
import shutil
import sys
import tempfile
import time
import tracemalloc
from functools import partial
from pathlib import Path


def _rate(fn, docs, repeat: int = 1, all_at_once: bool = False) -> tuple[float, float]:
    """(documents per second of wall time, CPU milliseconds per document), the best of `repeat` runs; with
    `all_at_once`, `fn` gets the list of documents (and returns an iterable of results, consumed here).

    CPU time (`time.process_time`, all threads of this process) is reported too because the machine may be
    shared: wall time then depends on the other jobs, CPU time much less."""
    best, best_cpu = float("inf"), float("inf")
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        if all_at_once:
            for _ in fn(docs):
                pass
        else:
            for d in docs:
                fn(d)
        best = min(best, time.perf_counter() - t)
        best_cpu = min(best_cpu, time.process_time() - c)
    return len(docs) / best, 1000 * best_cpu / len(docs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=300, help="number of dev pages (fixed order; default 300)")
    ap.add_argument("--repeat", type=int, default=2, help="take the best of N timing runs (default 2)")
    ap.add_argument("--against", metavar="SRC", help="also time the cleaner in SRC/sito, alternating with this one")
    args = ap.parse_args()
    import trafilatura

    from sito.clean import clean_text, clean_texts
    from sito.clean.labels import dev_pages
    from sito.clean.sources import TRAFILATURA_SETTINGS, convert

    pages = dev_pages(split=None)
    step = max(1, len(pages) // args.pages)
    pages = pages[::step][: args.pages]
    html = [p.html_bytes() for p in pages]
    ext = [convert("extractor", h) for h in html]
    full = [convert("fulltext", h) for h in html]
    clean_text("warm up\n\nthe model")
    n_lines_ext = sum(len(t.splitlines()) for t in ext) / len(ext)
    n_lines_full = sum(len(t.splitlines()) for t in full) / len(full)
    r_ext = _rate(clean_text, ext, args.repeat)
    r_full = _rate(clean_text, full, args.repeat)
    r_ext_b = _rate(clean_texts, ext, args.repeat, all_at_once=True)
    r_ext_x = _rate(partial(clean_text, mode="extracted"), ext, args.repeat)
    r_ext_xb = _rate(partial(clean_texts, mode="extracted"), ext, args.repeat, all_at_once=True)
    r_full_b = _rate(clean_texts, full, args.repeat, all_at_once=True)
    r_split_ext = _rate(lambda t: "\n\n".join(s for s in t.splitlines() if s.strip()), ext, args.repeat)
    r_traf = _rate(lambda h: trafilatura.extract(h, **TRAFILATURA_SETTINGS), html[: max(len(html) // 3, 1)], 1)
    tracemalloc.start()
    tenth = max(len(full) // 10, 1)
    for t in full[:tenth]:
        clean_text(t)
    peak_tenth = tracemalloc.get_traced_memory()[1]
    tracemalloc.reset_peak()
    for t in full:
        clean_text(t)
    peak_all = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"pages: {len(pages)} (every {step}th dev page); mean lines: extractor {n_lines_ext:.0f}, "
          f"full-page {n_lines_full:.0f}")
    print(f"{'system':<52}{'docs/s/core':>12}{'CPU ms/doc':>12}{'vs trafilatura (wall)':>23}{'(CPU)':>8}")
    rows = [
        ("sito clean_text, extractor output", r_ext),
        ("sito clean_text, full-page text", r_full),
        ("sito clean_texts (batches of 32), extractor output", r_ext_b),
        ("sito clean_texts (batches of 32), full-page text", r_full_b),
        ("sito clean_text, extractor output, extracted mode", r_ext_x),
        ("sito clean_texts, extractor output, extracted mode", r_ext_xb),
        ("peer: trafilatura.extract on the HTML", r_traf),
        ("baseline: splitlines + join (extractor output)", r_split_ext),
    ]
    for name, (r, cpu) in rows:
        print(f"{name:<52}{r:>12.0f}{cpu:>12.2f}{r / r_traf[0]:>22.1f}x{r_traf[1] / max(cpu, 1e-9):>7.1f}x")
    print(f"peak traced memory: first {tenth} docs {peak_tenth / 1e6:.1f} MB, all {len(full)} docs "
          f"{peak_all / 1e6:.1f} MB (ratio {peak_all / max(peak_tenth, 1):.2f})")
    if args.against:
        _against(args.against, clean_text, ext, full, max(args.repeat, 3))


def _against(src: str, clean_text, ext: list[str], full: list[str], rounds: int) -> None:
    """CPU ms per document of this cleaner and of the one in `src`, alternating round by round (best round)."""
    tmp = Path(tempfile.mkdtemp(prefix="sito-against-"))
    try:
        shutil.copytree(Path(src) / "sito", tmp / "sito_against", ignore=shutil.ignore_patterns("__pycache__"))
        sys.path.insert(0, str(tmp))
        other = importlib.import_module("sito_against.clean").clean_text
        other("warm up\n\nthe model")
        best: dict[tuple[str, str], float] = {}
        kinds = (("extractor output", ext, "page"), ("extractor, extracted", ext, "extracted"),
                 ("full-page text", full, "page"))
        for _ in range(rounds):
            for who, fn in (("other", other), ("this", clean_text)):
                for kind, docs, mode in kinds:
                    cpu = _rate(partial(fn, mode=mode), docs)[1]
                    best[who, kind] = min(best.get((who, kind), float("inf")), cpu)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"alternating with {src} ({rounds} rounds, best round, CPU ms/doc):")
    for kind, _, _ in kinds:
        o, t = best["other", kind], best["this", kind]
        print(f"  {kind:<18} other {o:6.2f}   this {t:6.2f}   other / this {o / t:.2f}x")


if __name__ == "__main__":
    main()

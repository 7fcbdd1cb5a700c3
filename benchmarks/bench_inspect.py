"""How the inspector and the report scale: index build, list/filter/document latency, against a full scan.

Writes a synthetic output folder of N records (the test fixture's real records — the Polish example page and
real dev pages — repeated with new ids, languages, hosts and reasons) in gzip JSON-lines shards of 10,000
records, as `sito clean` writes them, then measures:

- building the inspector's index once, and opening it again from the cache;
- HTTP latency of the list page (first and last page, filtered by reason, by language + site, title search) and
  of a document view (the last record of a shard: the worst case for a compressed shard);
- the peer without an index: answering "first page of reason X" by scanning the shards with json.loads;
- `write_report` over the same folder.

Usage: nice python benchmarks/bench_inspect.py [--records 200000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import resource
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parents[1]


def _builder():
    spec = importlib.util.spec_from_file_location("outdir", ROOT / "tests" / "fixtures" / "report" / "outdir.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def write_folder(out: Path, n: int, per_shard: int = 10_000) -> None:
    kept, rejected, _ = _builder().build_records()
    base = kept + rejected
    langs = ["pl", "en", "de", "fr", "cs", "uk"]
    reasons = [None, None, None, {"code": "gopher:n_words", "step": "gopher_quality.v1", "value": 20, "threshold": 50},
               None, {"code": "duplicate", "step": "minhash.v1"}, None, {"code": "fineweb:line_punct_ratio",
                                                                          "step": "fineweb_quality.v1"}]
    writers: dict[str, tuple] = {}
    counts = {"kept": 0, "rejected": 0}
    for i in range(n):
        rec = dict(base[i % len(base)])
        rec.pop("reason", None)
        rec["id"] = f"doc-{i:08d}"
        rec["url"] = f"https://site{i % 997}.example/{i}"
        rec["metadata"] = dict(rec["metadata"], language=langs[i % len(langs)])
        reason = reasons[i % len(reasons)]
        status = "rejected" if reason else "kept"
        if reason:
            rec["reason"] = reason
        w = writers.get(status)
        if w is None or w[1] >= per_shard:
            if w is not None:
                w[0].close()
            (out / status).mkdir(parents=True, exist_ok=True)
            f = gzip.open(out / status / f"part-{counts[status] // per_shard:05d}-0000.jsonl.gz", "wt",
                          encoding="utf-8", compresslevel=6)
            w = writers[status] = (f, 0)
        w[0].write(json.dumps(rec, ensure_ascii=False) + "\n")
        writers[status] = (w[0], w[1] + 1)
        counts[status] += 1
    for f, _ in writers.values():
        f.close()
    (out / "stats.json").write_text(json.dumps({"read": n, "kept": counts["kept"], "rejected": counts["rejected"]}))


def timed(fn, repeat: int = 5) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def scan_first_page(out: Path, reason: str, size: int = 50) -> list[str]:
    """The peer without an index: read shards in order until a page of records with this reason is found."""
    from sito.report.records import iter_entries, list_shards

    ids = []
    for _status, path in list_shards(out):
        for e in iter_entries(path):
            if e.record and (e.record.get("reason") or {}).get("code") == reason:
                ids.append(e.record["id"])
                if len(ids) >= size:
                    return ids
    return ids


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=200_000)
    ap.add_argument("--keep", help="keep the synthetic folder here")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from sito.inspect import make_server
    from sito.inspect.index import Index
    from sito.report import write_report

    tmp = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="sito-bench-inspect-"))
    out = tmp / "OUT"
    try:
        t0 = time.perf_counter()
        if not (out / "stats.json").is_file():
            write_folder(out, args.records)
        size = sum(p.stat().st_size for p in out.rglob("*.gz"))
        print(f"folder: {args.records:,} records, {size / 1e6:.0f} MB gzip ({time.perf_counter() - t0:.0f}s to write)")
        shutil.rmtree(out / ".sito-index", ignore_errors=True)

        c0 = time.process_time()
        t_build, idx = timed(lambda: Index(out, rebuild=True), repeat=1)
        cpu_build = time.process_time() - c0
        t_open, idx = timed(lambda: Index(out), repeat=3)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"index build: {t_build:.1f}s wall, {cpu_build:.1f}s CPU ({args.records / cpu_build:,.0f} records per "
              "CPU-second); "
              f"open from cache: {t_open * 1000:.0f} ms; index on disk "
              f"{sum(p.stat().st_size for p in (out / '.sito-index').iterdir()) / 1e6:.1f} MB; max RSS {rss:.0f} MB")

        srv, app = make_server(out, "127.0.0.1", 0)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{srv.server_address[1]}"

        def get(path):
            with urlopen(base + path) as r:
                return r.read()

        last_page = (args.records - 1) // 50
        last_of_shard = int(app.index.select(status="kept")[9_999])
        cases = [
            ("list, first page", "/"),
            ("list, last page", f"/?page={last_page}"),
            ("filter reason=duplicate", "/?reason=duplicate"),
            ("filter reason + page 100", "/?reason=duplicate&page=100"),
            ("filter language=pl + site", "/?language=pl&host=site10.example"),
            ("title search 'łukaszenka'", "/?q=%C5%81ukaszenka"),
            ("document (record 10,000 of a gz shard)", f"/doc/{last_of_shard}"),
        ]
        print(f"{'request':42s} {'ms (best of 5)':>15s}")
        for name, path in cases:
            t_first, _ = timed(lambda: get(path), repeat=1)  # cold: builds the filter / the shard's checkpoints
            t, _ = timed(lambda: get(path))
            print(f"{name:42s} {t * 1000:15.1f}   (first request {t_first * 1000:.0f} ms)")
        other = int(app.index.select(status="kept")[15_000 if args.records > 40_000 else 5_000])
        t_other, _ = timed(lambda: get(f"/doc/{other}"), repeat=5)
        print(f"{'document, other record of the same shard':42s} {t_other * 1000:15.1f}")
        # uncached filter: a new combination every time
        t_new, _ = timed(lambda: app.index.select(reason="gopher:n_words", language="de"), repeat=1)
        print(f"{'new filter combination (uncached select)':42s} {t_new * 1000:15.1f}")
        srv.shutdown()
        srv.server_close()

        t_idx, _ = timed(lambda: get_first_page_via_index(idx), repeat=3)
        t_scan, _ = timed(lambda: scan_first_page(out, "fineweb:line_punct_ratio"), repeat=1)
        t_scan_dup, _ = timed(lambda: scan_first_page(out, "no-such-reason"), repeat=1)
        print(f"first page of a reason: index {t_idx * 1000:.1f} ms vs scanning shards {t_scan * 1000:.0f} ms "
              f"(×{t_scan / t_idx:,.0f}); a reason with no match: scan {t_scan_dup:.1f}s (×{t_scan_dup / t_idx:,.0f})")

        c0 = time.process_time()
        t_rep, _ = timed(lambda: write_report(out), repeat=1)
        cpu_rep = time.process_time() - c0
        print(f"write_report: {t_rep:.1f}s wall, {cpu_rep:.1f}s CPU ({args.records / cpu_rep:,.0f} records per "
              "CPU-second), "
              f"{(out / 'report.html').stat().st_size / 1e6:.2f} MB")
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


def get_first_page_via_index(idx):
    idx._cache.clear()  # measure the filter itself, not the cache
    rows = idx.select(reason="fineweb:line_punct_ratio")
    return idx.rows(rows[:50])


if __name__ == "__main__":
    main()

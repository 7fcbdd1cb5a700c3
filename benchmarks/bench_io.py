"""I/O throughput of sito's readers and writers: JSONL.gz and Parquet, write and read, 1 and 2 worker processes.

The corpus is built from the reference texts of the development data (../shared/data/dev: wcxb main content and
newspaper4k texts, all pages — this measures bytes moved, not quality), repeated with distinct ids until it has
`--docs` documents, and split into `--shards` input shards. Each measurement runs the shards over a process pool
(1 or 2 workers, shards dealt round-robin) and reports documents/s and MB/s of UTF-8 text (decompressed), the
median of `--repeat` runs. Peers measured in the same run on the same files:

- `stdlib`: the least any Python JSONL.gz reader can do — `gzip.open` + `json.loads` per line, no checks.
- `datatrove`: datatrove's `JsonlReader.read_file` / `ParquetReader.read_file` and `JsonlWriter` (gzip).
- `pyarrow`: `pq.read_table` of a whole shard (columnar, no per-document objects) / `pq.write_table`.

Run: nice .venv/bin/python benchmarks/bench_io.py [--docs 6000] [--shards 8] [--repeat 3]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import signal
import statistics
import sys
import tempfile
import time
from multiprocessing import get_context
from pathlib import Path

from sito.devdata import default_dev_dir
from sito.document import Document
from sito.io import InputSlice, ReadOptions, ShardedWriter, read_slice


def build_texts() -> list[dict]:
    dev = default_dev_dir()
    if dev is None:
        sys.exit("dev data not found (../shared/data/dev or $SITO_DEV_DATA)")
    out = []
    for gt in sorted((dev / "wcxb" / "ground-truth").glob("*.json")):
        d = json.loads(gt.read_text("utf-8"))
        text = (d.get("ground_truth") or {}).get("main_content")
        if text:
            out.append({"text": text, "url": d.get("url"), "set": "wcxb"})
    with open(dev / "newspaper4k" / "index.jsonl", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            out.append({"text": (dev / "newspaper4k" / d["text"]).read_text("utf-8"), "url": d.get("url"),
                        "set": "newspaper4k"})
    return out


def corpus_records(texts: list[dict], n: int) -> list[dict]:
    recs = []
    for i in range(n):
        t = texts[i % len(texts)]
        doc = Document(id=f"bench-{i:07d}", text=t["text"], url=t["url"], metadata={"set": t["set"], "copy": i // len(texts)},
                       source=f"bench.jsonl:{i + 1}")
        recs.append(doc.to_record())
    return recs


# ---- worker functions (module level: picklable) ----

def w_sito_write(args):
    recs, folder, prefix, fmt = args
    with ShardedWriter(Path(folder), prefix, fmt=fmt, compression="gz", docs_per_shard=10**9) as w:
        for r in recs:
            w.write(r)
    return len(recs)


def w_sito_read(args):
    path, fmt = args
    sl = InputSlice(Path(path), fmt, 0, os.path.getsize(path), "file")
    n = 0
    for d in read_slice(sl, ReadOptions()):
        n += 1
    return n


def w_sito_copy(args):
    path, fmt, folder, prefix = args
    sl = InputSlice(Path(path), fmt, 0, os.path.getsize(path), "file")
    n = 0
    with ShardedWriter(Path(folder), prefix, fmt=fmt, compression="gz", docs_per_shard=10**9) as w:
        for d in read_slice(sl, ReadOptions()):
            w.write(d.to_record())
            n += 1
    return n


def w_stdlib_read(args):
    path, _ = args
    n = 0
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            json.loads(line)
            n += 1
    return n


def w_stdlib_write(args):
    recs, folder, prefix, _ = args
    with gzip.open(Path(folder) / f"{prefix}.jsonl.gz", "wt", encoding="utf-8", compresslevel=6) as f:
        for r in recs:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return len(recs)


def w_datatrove_read(args):
    path, fmt = args
    from datatrove.pipeline.readers import JsonlReader, ParquetReader

    reader = (JsonlReader if fmt == "jsonl" else ParquetReader)(str(Path(path).parent))
    n = 0
    for _ in reader.read_file(Path(path).name):
        n += 1
    return n


def w_datatrove_write(args):
    recs, folder, prefix, _ = args
    from datatrove.data import Document as DTDocument
    from datatrove.pipeline.writers import JsonlWriter

    w = JsonlWriter(folder, output_filename=f"{prefix}.jsonl.gz", compression="gzip")
    with w:
        for r in recs:
            w.write(DTDocument(text=r["text"], id=r["id"], metadata={"url": r["url"], **r["metadata"]}))
    return len(recs)


def w_pyarrow_read(args):
    path, _ = args
    import pyarrow.parquet as pq

    return pq.read_table(path).num_rows


def w_pyarrow_write(args):
    recs, folder, prefix, _ = args
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [{"id": r["id"], "text": r["text"], "url": r["url"], "metadata": json.dumps(r["metadata"])} for r in recs]
    pq.write_table(pa.Table.from_pylist(rows), Path(folder) / f"{prefix}.parquet", compression="zstd")
    return len(recs)


def timed(pool, fn, jobs, repeat, before=None):
    times, n = [], 0
    for _ in range(repeat):
        if before:
            before()
        t0 = time.perf_counter()
        n = sum(pool.map(fn, jobs, chunksize=1))
        times.append(time.perf_counter() - t0)
    return statistics.median(times), n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=6_000)
    ap.add_argument("--shards", type=int, default=8)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--workers", default="1,2")
    args = ap.parse_args()
    # a terminated run still removes its temporary corpus (the `finally` below)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    texts = build_texts()
    recs = corpus_records(texts, args.docs)
    text_mb = sum(len(r["text"].encode("utf-8")) for r in recs) / 1e6
    parts = [recs[i::args.shards] for i in range(args.shards)]
    tmp = Path(tempfile.mkdtemp(prefix="sito-bench-io-"))
    print(f"corpus: {len(recs)} documents from {len(texts)} dev texts, {text_mb:.1f} MB of text, "
          f"{args.shards} shards; median of {args.repeat} runs; MB/s = text MB (decompressed) per second")
    rows = []
    ctx = get_context("fork")
    try:
        src = tmp / "src"
        # the input shards every reader uses
        for fmt in ("jsonl", "parquet"):
            for i, part in enumerate(parts):
                w_sito_write((part, str(src / fmt), f"in-{i:02d}", fmt))
        jsonl_in = sorted(str(p) for p in (src / "jsonl").iterdir())
        pq_in = sorted(str(p) for p in (src / "parquet").iterdir())
        sizes = {"jsonl": sum(os.path.getsize(p) for p in jsonl_in) / 1e6,
                 "parquet": sum(os.path.getsize(p) for p in pq_in) / 1e6}
        print(f"input files: JSONL.gz {sizes['jsonl']:.1f} MB, Parquet {sizes['parquet']:.1f} MB")
        for workers in [int(x) for x in args.workers.split(",")]:
            with ctx.Pool(workers) as pool:
                out = tmp / "out"

                def clean():
                    shutil.rmtree(out, ignore_errors=True)
                    out.mkdir(parents=True)

                cases = [
                    ("write JSONL.gz", "sito", w_sito_write, [(p, str(out), f"w{i}", "jsonl") for i, p in enumerate(parts)]),
                    ("write JSONL.gz", "stdlib gzip+json", w_stdlib_write, [(p, str(out), f"w{i}", None) for i, p in enumerate(parts)]),
                    ("write JSONL.gz", "datatrove", w_datatrove_write, [(p, str(out), f"w{i}", None) for i, p in enumerate(parts)]),
                    ("write Parquet", "sito", w_sito_write, [(p, str(out), f"w{i}", "parquet") for i, p in enumerate(parts)]),
                    ("write Parquet", "pyarrow write_table", w_pyarrow_write, [(p, str(out), f"w{i}", None) for i, p in enumerate(parts)]),
                    ("read JSONL.gz", "sito", w_sito_read, [(p, "jsonl") for p in jsonl_in]),
                    ("read JSONL.gz", "stdlib gzip+json", w_stdlib_read, [(p, "jsonl") for p in jsonl_in]),
                    ("read JSONL.gz", "datatrove", w_datatrove_read, [(p, "jsonl") for p in jsonl_in]),
                    ("read Parquet", "sito", w_sito_read, [(p, "parquet") for p in pq_in]),
                    ("read Parquet", "datatrove", w_datatrove_read, [(p, "parquet") for p in pq_in]),
                    ("read Parquet", "pyarrow read_table", w_pyarrow_read, [(p, "parquet") for p in pq_in]),
                    ("read+write JSONL.gz", "sito", w_sito_copy, [(p, "jsonl", str(out), f"c{i}") for i, p in enumerate(jsonl_in)]),
                    ("read+write Parquet", "sito", w_sito_copy, [(p, "parquet", str(out), f"c{i}") for i, p in enumerate(pq_in)]),
                ]
                # repeats are interleaved (case A, B, C, A, B, C…) so that load from other processes on the
                # machine spreads over all implementations alike
                times: dict[int, list[float]] = {i: [] for i in range(len(cases))}
                failed: set[int] = set()
                for _ in range(args.repeat):
                    for i, (op, who, fn, jobs) in enumerate(cases):
                        if i in failed:
                            continue
                        try:
                            secs, n = timed(pool, fn, jobs, 1, before=clean)
                        except Exception as exc:  # a peer that is not installed or fails is reported, not fatal
                            print(f"  {op:20s} {who:20s} failed: {type(exc).__name__}: {exc}")
                            failed.add(i)
                            continue
                        assert n == len(recs), (op, who, n)
                        times[i].append(secs)
                for i, (op, who, fn, jobs) in enumerate(cases):
                    if i in failed:
                        continue
                    secs = statistics.median(times[i])
                    rows.append((op, who, workers, secs, len(recs) / secs, text_mb / secs))
                    print(f"  {op:20s} {who:20s} workers={workers}  {secs:7.2f} s  {len(recs) / secs:9.0f} docs/s  "
                          f"{text_mb / secs:7.1f} MB/s", flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print()
    print("| operation | implementation | workers | seconds | docs/s | MB/s | vs sito |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    sito = {(op, w): s for op, who, w, s, _, _ in rows if who == "sito"}
    for op, who, w, s, dps, mbs in rows:
        ratio = f"{sito[(op, w)] / s:.2f}x" if (op, w) in sito else ""
        print(f"| {op} | {who} | {w} | {s:.2f} | {dps:,.0f} | {mbs:.1f} | {ratio} |")


if __name__ == "__main__":
    main()

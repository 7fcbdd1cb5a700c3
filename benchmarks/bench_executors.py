"""Executor scaling: the full default pipeline (clean, filters, dedup) with the local and the Ray executor, 1 and
2 workers, on the same corpus in the same run.

The corpus is JSONL built from the dev pages' reference texts (wcxb main_content and newspaper4k texts), each
document repeated with small edits so that dedup has work, split into several tasks. Prints a Markdown table of
wall time, documents/s and speed-up over one local worker, and checks that every run kept the same documents.

    .venv/bin/python benchmarks/bench_executors.py --docs 4000
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def build_corpus(path: Path, n_docs: int) -> int:
    from sito.devdata import iter_pages

    texts = [p.reference for p in iter_pages(sets=("wcxb", "newspaper4k"), split="train") if p.reference]
    rng = random.Random(0)
    size = 0
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n_docs):
            base = texts[i % len(texts)]
            if i >= len(texts):  # later copies: a near-duplicate of the page (a few words changed)
                words = base.split(" ")
                for _ in range(max(1, len(words) // 50)):
                    words[rng.randrange(len(words))] = "zmiana"
                base = " ".join(words)
            line = json.dumps({"id": f"doc{i:06d}", "text": base, "url": f"https://site{i % 50}.example/{i}"},
                              ensure_ascii=False)
            f.write(line + "\n")
            size += len(line) + 1
    return size


def kept_digest(out: Path) -> str:
    from sito.io import iter_output_records, output_files

    ids = sorted(r["id"] for f in output_files(out / "kept") for r in iter_output_records(f))
    return hashlib.sha256("\n".join(ids).encode()).hexdigest()[:12]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=4000)
    ap.add_argument("--task-mb", type=float, default=2.0, help="input MB per task")
    ap.add_argument("--no-ray", action="store_true")
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="sito-bench-exec-"))
    corpus = tmp / "corpus.jsonl"
    nbytes = build_corpus(corpus, a.docs)
    cfg = tmp / "sito.toml"
    cfg.write_text(f"[run]\ntask_bytes = {int(a.task_mb * (1 << 20))}\nreport = false\n")
    runs = [("local", 1), ("local", 2)] + ([] if a.no_ray else [("ray", 1), ("ray", 2)])
    rows, base = [], None
    for executor, workers in runs:
        out = tmp / f"out-{executor}-{workers}"
        t0 = time.perf_counter()
        r = subprocess.run([sys.executable, "-m", "sito.cli", "clean", str(corpus), "-o", str(out), "--config",
                            str(cfg), "-w", str(workers), "--executor", executor, "-q"], capture_output=True, text=True)
        wall = time.perf_counter() - t0
        if r.returncode != 0:
            print(r.stderr, file=sys.stderr)
            return 1
        stats = json.loads((out / "stats.json").read_text())
        base = base or wall
        rows.append((executor, workers, wall, stats["read"] / wall, base / wall, stats["kept"], stats["tasks"],
                     kept_digest(out)))
    print(f"corpus: {a.docs} documents, {nbytes / 1e6:.1f} MB JSONL, tasks of {a.task_mb} MB; default pipeline "
          "(html, clean, MinHash, repeated lines, language, quality)")
    print("| executor | workers | wall s | docs/s | speed-up | kept | tasks | kept ids digest |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for row in rows:
        print("| {} | {} | {:.1f} | {:.0f} | {:.2f}x | {} | {} | `{}` |".format(*row))
    shutil.rmtree(tmp, ignore_errors=True)
    return 0 if len({r[-1] for r in rows}) == 1 else 2


if __name__ == "__main__":
    sys.exit(main())

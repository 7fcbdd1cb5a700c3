"""End-to-end near-dedup at scale on 2 cores: sito's four MinHash stages over N synthetic documents (default
1,000,000), with peak memory of the whole process tree; optionally datatrove's 4-stage MinHash on the first
100,000 of the same documents, time and recall side by side with sito on the same 100,000.

Documents are synthesised on the fly (never written for sito; datatrove needs them as JSONL, written to a
temporary folder): paragraphs of the dev data's reference texts (wcxb main content, newspaper4k) form a pool;
document j is, by a hash of j, an original (3-6 random paragraphs of the pool, so originals share at most a
paragraph or two), a near copy of an earlier original (word replace / delete / insert at a rate drawn from
0.5-10 %, as the correctness tests) or an exact copy of an earlier original. Every worker regenerates its tasks'
documents from the task index, so the final pass sees the same stream as the hashing pass.

Recall is measured on planted near copies: for a sample of them, the true shingle Jaccard with their original is
computed (brute force), and a copy counts as found when it is removed and the representative it names is its
original or another copy of it (same planted family), or when it is kept as the representative of its family.

Run (about 10-20 minutes for 1M on 2 busy cores):
  nice .venv/bin/python benchmarks/bench_dedup_scale.py --docs 1000000
  nice .venv/bin/python benchmarks/bench_dedup_scale.py --docs 100000 --datatrove
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import threading
import time
from multiprocessing import get_context
from pathlib import Path

import xxhash

from sito.dedup import MinHashParams, minhash
from sito.dedup.hashing import jaccard, reference_shingles
from sito.devdata import default_dev_dir
from sito.document import Document
from sito.pipeline import RunStats

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.dedup.planted import edit_words as edit  # noqa: E402  (the same word edits as the tests')

NEAR, EXACT = 0.10, 0.05  # shares of near and exact copies among the documents
_POOL: list[str] = []


def build_pool() -> list[str]:
    dev = default_dev_dir()
    if dev is None:
        sys.exit("dev data not found (../shared/data/dev or $SITO_DEV_DATA)")
    texts = []
    for gt in sorted((dev / "wcxb" / "ground-truth").glob("*.json")):
        t = (json.loads(gt.read_text("utf-8")).get("ground_truth") or {}).get("main_content")
        if t:
            texts.append(t)
    with open(dev / "newspaper4k" / "index.jsonl", encoding="utf-8") as f:
        for line in f:
            texts.append((dev / "newspaper4k" / json.loads(line)["text"]).read_text("utf-8"))
    pool = sorted({p.strip() for t in texts for p in t.split("\n") if len(p.split()) >= 12})
    return pool


def _h(j: int, salt: int = 0) -> int:
    return xxhash.xxh64_intdigest(f"{salt}:{j}".encode())


def kind(j: int) -> str:
    if j < 100:
        return "orig"
    u = (_h(j, 1) % 10_000) / 10_000
    return "near" if u < NEAR else "exact" if u < NEAR + EXACT else "orig"


def source_of(j: int) -> int:
    """The earlier original a copy is made of (within the previous 200,000 documents)."""
    k = j - 1 - _h(j, 2) % min(j, 200_000)
    while kind(k) != "orig":
        k -= 1
    return k


def original_text(j: int) -> str:
    rng = random.Random(_h(j, 3))
    return "\n".join(rng.choice(_POOL) for _ in range(rng.randint(3, 6)))


def text_of(j: int) -> str:
    k = kind(j)
    if k == "orig":
        return original_text(j)
    src = original_text(source_of(j))
    if k == "exact":
        return src
    rng = random.Random(_h(j, 4))
    return edit(src, rng.uniform(0.005, 0.10), rng)


def task_docs(task: int, per_task: int, total: int):
    for j in range(task * per_task, min(total, (task + 1) * per_task)):
        yield Document(id=f"d{j:07d}", text=text_of(j))


# --- workers -------------------------------------------------------------------------------------------------

def _init(pool: list[str]) -> None:
    global _POOL
    _POOL = pool


def _hash(args):
    work, task, per_task, total, params = args
    return minhash.hash_task(work, task, task_docs(task, per_task, total), params)


def _group(args):
    work, part, params = args
    return minhash.group_partition(work, part, params)


def _final(args):
    work, task, per_task, total = args
    stats = RunStats()
    removed = {}
    kept = 0
    for d in minhash.NearDuplicateStep(work, task=task).run(task_docs(task, per_task, total), stats):
        stats.read += 1
        stats.count_output(d)
        if d.rejection is not None:
            removed[int(d.id[1:])] = d.rejection.detail.rsplit(" ", 1)[-1]
        else:
            kept += 1
    return stats.read, stats.kept, stats.rejected, removed


class TreeMemory:
    """Peak resident memory of this process and its children, sampled from /proc every 0.2 s."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)

    def _rss(self) -> int:
        """VmRSS summed over this process and all its descendants (pool and forkserver workers included)."""
        parent: dict[int, int] = {}
        rss: dict[int, int] = {}
        for p in Path("/proc").iterdir():
            if not p.name.isdigit():
                continue
            try:
                st = (p / "stat").read_text().split(")")[-1].split()
                parent[int(p.name)] = int(st[1])
                for line in (p / "status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        rss[int(p.name)] = int(line.split()[1]) * 1024
            except (OSError, ValueError, IndexError):
                continue
        me = os.getpid()
        total = 0
        for pid, kb in rss.items():
            q = pid
            while q > 1 and q != me:
                q = parent.get(q, 0)
            if q == me:
                total += kb
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._rss())
            time.sleep(0.2)

    def __enter__(self):
        self._t.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._t.join()


def run_sito(total: int, per_task: int, workers: int, work: Path, params: MinHashParams, pool: list[str]) -> dict:
    tasks = -(-total // per_task)
    ctx = get_context("fork")
    times = {}
    with TreeMemory() as mem, ctx.Pool(workers, initializer=_init, initargs=(pool,)) as P:
        t0 = time.perf_counter()
        P.map(_hash, [(work, t, per_task, total, params) for t in range(tasks)], chunksize=1)
        times["1 signatures + band keys"] = time.perf_counter() - t0
        t1 = time.perf_counter()
        group_stats = P.map(_group, [(work, p, params) for p in range(params.partitions)], chunksize=1)
        times["2 group partitions"] = time.perf_counter() - t1
        t2 = time.perf_counter()
        cl = minhash.cluster(work, params)
        times["3 clusters"] = time.perf_counter() - t2
        t3 = time.perf_counter()
        finals = P.map(_final, [(work, t, per_task, total) for t in range(tasks)], chunksize=1)
        times["4 final step"] = time.perf_counter() - t3
        times["total"] = time.perf_counter() - t0
    read = sum(f[0] for f in finals)
    kept = sum(f[1] for f in finals)
    rejected = sum(f[2] for f in finals)
    removed = {}
    for f in finals:
        removed.update(f[3])
    disk = sum(p.stat().st_size for p in work.rglob("*") if p.is_file())
    return {"times": times, "peak_rss": mem.peak, "read": read, "kept": kept, "rejected": rejected,
            "removed": removed, "candidates": sum(g["candidates"] for g in group_stats), "cluster": cl,
            "disk": disk}


def family(j: int) -> int:
    return j if kind(j) == "orig" else source_of(j)


def recall(total: int, removed_of, rep_of, sample: int = 2000) -> dict:
    """Recall of planted near and exact copies (sampled), by true Jaccard with the original."""
    rng = random.Random(11)
    near = [j for j in range(100, total) if kind(j) == "near"]
    exact = [j for j in range(100, total) if kind(j) == "exact"]
    buckets = {"J>=0.8": [0, 0], "0.7<=J<0.8": [0, 0], "J<0.7": [0, 0]}
    for j in rng.sample(near, min(sample, len(near))):
        J = jaccard(reference_shingles(text_of(j)), reference_shingles(original_text(source_of(j))))
        b = "J>=0.8" if J >= 0.8 else "0.7<=J<0.8" if J >= 0.7 else "J<0.7"
        buckets[b][0] += 1
        buckets[b][1] += removed_of(j) and family(rep_of(j)) == family(j)
    ex = rng.sample(exact, min(sample, len(exact)))
    found = sum(removed_of(j) for j in ex)
    out = {k: (v[1] / v[0] if v[0] else None, v[0]) for k, v in buckets.items()}
    out["exact copies"] = (found / len(ex) if ex else None, len(ex))
    return out


def run_datatrove(total: int, workers: int, tmp: Path, pool: list[str]) -> dict:
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.dedup.minhash import (MinhashConfig, MinhashDedupBuckets, MinhashDedupCluster,
                                                  MinhashDedupFilter, MinhashDedupSignature)
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from datatrove.utils.hashing import HashConfig

    _init(pool)
    data = tmp / "dt_input"
    data.mkdir()
    shards = workers
    per = -(-total // shards)
    for s in range(shards):
        with open(data / f"{s:02d}.jsonl", "w", encoding="utf-8") as f:
            for j in range(s * per, min(total, (s + 1) * per)):
                f.write(json.dumps({"id": f"d{j:07d}", "text": text_of(j)}, ensure_ascii=False) + "\n")
    cfg = MinhashConfig(n_grams=5, num_buckets=14, hashes_per_bucket=8, hash_config=HashConfig(precision=64, hash_fc="sha1"))
    # hash_fc="sha1": datatrove's default xxhash path passes str to xxhash, which xxhash 4.x refuses
    base = tmp / "dt"
    times = {}
    stages = [
        ("1 signatures", [JsonlReader(str(data)), MinhashDedupSignature(output_folder=str(base / "sigs"), config=cfg)],
         shards),
        ("2 buckets", [MinhashDedupBuckets(input_folder=str(base / "sigs"), output_folder=str(base / "buckets"),
                                           config=cfg)], cfg.num_buckets),
        ("3 cluster", [MinhashDedupCluster(input_folder=str(base / "buckets"), output_folder=str(base / "remove_ids"),
                                           config=cfg)], 1),
        ("4 filter", [JsonlReader(str(data)), MinhashDedupFilter(input_folder=str(base / "remove_ids")),
                      JsonlWriter(str(base / "out"), output_filename="${rank}.jsonl")], shards),
    ]
    t0 = time.perf_counter()
    with TreeMemory() as mem:
        for name, pipe, ntasks in stages:
            t = time.perf_counter()
            LocalPipelineExecutor(pipeline=pipe, tasks=ntasks, workers=min(workers, ntasks),
                                  logging_dir=str(base / f"logs_{name[0]}")).run()
            times[name] = time.perf_counter() - t
    times["total"] = time.perf_counter() - t0
    kept = set()
    import gzip

    for p in (base / "out").glob("*.jsonl*"):
        with (gzip.open(p, "rt", encoding="utf-8") if p.suffix == ".gz" else open(p, encoding="utf-8")) as f:
            for line in f:
                kept.add(int(json.loads(line)["id"][1:]))
    return {"times": times, "peak_rss": mem.peak, "kept": kept}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=1_000_000)
    ap.add_argument("--per-task", type=int, default=50_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--verify", default="jaccard")
    ap.add_argument("--datatrove", action="store_true", help="also run datatrove's MinHash on the same documents")
    ap.add_argument("--fineweb-banding", action="store_true", help="sito with 14 x 8 bands as FineWeb-2")
    ap.add_argument("--tmp", default=None, help="folder for stage files (default: a temporary folder)")
    args = ap.parse_args()
    pool = build_pool()
    _init(pool)
    params = MinHashParams(verify=args.verify, partitions=16,
                           **({"bands": 14, "rows": 8} if args.fineweb_banding else {}))
    tmp = Path(tempfile.mkdtemp(prefix="sito-dedup-bench-", dir=args.tmp))
    try:
        print(f"{args.docs:,} documents ({NEAR:.0%} near copies, {EXACT:.0%} exact copies; pool of {len(pool):,} "
              f"paragraphs), {args.workers} workers, {args.docs // args.per_task or 1} tasks, banding "
              f"{params.banding[0]}x{params.banding[1]}, verify={params.verify}")
        res = run_sito(args.docs, args.per_task, args.workers, tmp / "sito", params, pool)
        print(f"sito: read {res['read']:,} = kept {res['kept']:,} + rejected {res['rejected']:,}; "
              f"candidates {res['candidates']:,}; {res['cluster']}")
        for k, v in res["times"].items():
            print(f"  {k}: {v:,.1f} s")
        print(f"  peak memory (all processes): {res['peak_rss'] / 2**30:.2f} GiB; stage files on disk "
              f"{res['disk'] / 2**30:.2f} GiB")
        removed = res["removed"]
        rec = recall(args.docs, lambda j: j in removed, lambda j: int(removed[j][1:]) if j in removed else j)
        for k, (r, n) in rec.items():
            print(f"  recall {k}: {r if r is None else round(r, 4)} (sample of {n})")
        if args.datatrove:
            dt = run_datatrove(args.docs, args.workers, tmp, pool)
            print("datatrove (14 x 8, sha1 shingle hashes, 4 stages, LocalPipelineExecutor):")
            for k, v in dt["times"].items():
                print(f"  {k}: {v:,.1f} s")
            print(f"  removed {args.docs - len(dt['kept']):,}; peak memory {dt['peak_rss'] / 2**30:.2f} GiB")
            kept = dt["kept"]
            # datatrove does not name the representative: a removed copy counts as found
            rec = recall(args.docs, lambda j: j not in kept, lambda j: j)
            for k, (r, n) in rec.items():
                print(f"  recall {k}: {r if r is None else round(r, 4)} (sample of {n})")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

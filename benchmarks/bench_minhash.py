"""MinHash signatures per second from raw text, single core: sito vs rensa vs datasketch, side by side.

Same documents (the reference texts of the dev data: wcxb main content and newspaper4k texts), same shingles
(word 5-grams with sito's word rule: lower-cased, split at whitespace and punctuation), same number of
permutations (112, FineWeb-2's 14 x 8). Every implementation starts from the raw `str` of each document and ends
with a (documents, permutations) signature:

- `sito`: `MinHasher.signatures(texts)` in batches of 512 documents (vectorised; no Python object per word).
- `rensa RMinHash`: per document, shingle strings built in Python (`reference_words` + " ".join), then
  `RMinHash(112, seed).update(shingles)` and `digest()` — rensa's README usage.
- `rensa batch`: the same shingle strings for a batch, then `RMinHash.digest_matrix_from_token_sets` (rensa's
  bulk API, no Python object per document).
- `rensa, str.split words*`: rensa with `text.lower().split()` words (not the same shingles: punctuation stays
  attached), the cheapest way to build shingle strings in Python, shown as rensa's best case.
- `datasketch`: the same shingle strings encoded to bytes, `MinHash(112).update_batch(...)`, `digest()`.

The process is pinned to one CPU (sched_setaffinity) and RAYON_NUM_THREADS=1 is set before rensa is imported.
Rounds are interleaved (sito, rensa, rensa batch, datasketch, then again) and the median round is reported.
datasketch runs on a subset (`--datasketch-docs`) because it is slow; rates are per document either way.

Run: nice .venv/bin/python benchmarks/bench_minhash.py [--docs 1500] [--repeat 3] [--datasketch-docs 300]
"""

from __future__ import annotations

import os

os.environ.setdefault("RAYON_NUM_THREADS", "1")

import argparse
import json
import statistics
import sys
import time


from sito.dedup.hashing import MinHasher, reference_words
from sito.devdata import default_dev_dir

NUM_PERM = 112
NGRAM = 5


def load_texts(limit: int) -> list[str]:
    dev = default_dev_dir()
    if dev is None:
        sys.exit("dev data not found (../shared/data/dev or $SITO_DEV_DATA)")
    out = []
    for gt in sorted((dev / "wcxb" / "ground-truth").glob("*.json")):
        text = (json.loads(gt.read_text("utf-8")).get("ground_truth") or {}).get("main_content")
        if text:
            out.append(text)
    with open(dev / "newspaper4k" / "index.jsonl", encoding="utf-8") as f:
        for line in f:
            out.append((dev / "newspaper4k" / json.loads(line)["text"]).read_text("utf-8"))
    return out[:limit]


def shingle_strings(text: str) -> list[str]:
    w = reference_words(text)
    if len(w) < NGRAM:
        return [" ".join(w)] if w else []
    return [" ".join(w[i:i + NGRAM]) for i in range(len(w) - NGRAM + 1)]


def run_sito(texts: list[str]) -> int:
    mh = MinHasher(NUM_PERM, NGRAM, seed=1)
    n = 0
    for s in range(0, len(texts), 512):
        sig, _ = mh.signatures(texts[s:s + 512])
        n += len(sig)
    return n


def run_rensa(texts: list[str]) -> int:
    import rensa

    n = 0
    for t in texts:
        m = rensa.RMinHash(NUM_PERM, 1)
        m.update(shingle_strings(t))
        m.digest()
        n += 1
    return n


def run_rensa_split(texts: list[str]) -> int:
    """rensa with the cheapest word split in Python (str.split: different shingles, shown as a lower bound)."""
    import rensa

    for t in texts:
        w = t.lower().split()
        m = rensa.RMinHash(NUM_PERM, 1)
        m.update([" ".join(w[i:i + NGRAM]) for i in range(max(1, len(w) - NGRAM + 1))])
        m.digest()
    return len(texts)


def run_rensa_batch(texts: list[str]) -> int:
    import rensa

    n = 0
    for s in range(0, len(texts), 512):
        m = rensa.RMinHash.digest_matrix_from_token_sets([shingle_strings(t) for t in texts[s:s + 512]], NUM_PERM, 1)
        n += len(texts[s:s + 512])
        del m
    return n


def run_datasketch(texts: list[str]) -> int:
    from datasketch import MinHash

    for t in texts:
        m = MinHash(num_perm=NUM_PERM, seed=1)
        m.update_batch([s.encode("utf-8") for s in shingle_strings(t)])
        m.digest()
    return len(texts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=1500)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--datasketch-docs", type=int, default=300)
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    texts = load_texts(args.docs)
    words = sum(len(reference_words(t)) for t in texts)
    print(f"{len(texts)} documents, {words / len(texts):.0f} words on average, {NUM_PERM} permutations, "
          f"word {NGRAM}-grams, 1 CPU")
    impls = {"sito": (run_sito, texts), "rensa RMinHash": (run_rensa, texts),
             "rensa batch": (run_rensa_batch, texts), "rensa, str.split words*": (run_rensa_split, texts), "datasketch": (run_datasketch, texts[:args.datasketch_docs])}
    rates: dict[str, list[float]] = {k: [] for k in impls}
    run_sito(texts[:50])  # warm-up (imports, constant tables)
    for _ in range(args.repeat):
        for name, (fn, docs) in impls.items():
            t0 = time.perf_counter()
            n = fn(docs)
            rates[name].append(n / (time.perf_counter() - t0))
    med = {k: statistics.median(v) for k, v in rates.items()}
    print("| implementation | signatures/s | sito is x faster |")
    print("|---|---:|---:|")
    for k, v in med.items():
        print(f"| {k} | {v:,.0f} | {med['sito'] / v:.2f} |")


if __name__ == "__main__":
    main()

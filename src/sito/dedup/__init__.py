"""Deduplication at corpus scale: exact copies, MinHash near-duplicates with cluster sizes, and lines repeated
across the pages of a site.

Each kind is a library of stages that an executor runs task by task (see `exact`, `minhash`, `lines` and
docs/dedup.md): per-task hashing/counting written to disk, per-partition grouping, one small global decision, and
a per-task `Step` in the final pass. `run_dedup` runs all stages in one process over a list of shards (tests,
benchmarks, small corpora). Registered steps: "exact_dedup.v1", "minhash.v1", "repeated_lines.v1".
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Sequence

from ..document import Document
from ..pipeline import RunStats
from . import exact, lines, minhash
from .exact import ExactDuplicateStep, ExactParams
from .hashing import MinHasher
from .lines import RepeatedLinesStep
from .minhash import MinHashParams, NearDuplicateStep, rehydrate, rehydration_weight

STEPS = {
    "exact_dedup.v1": ExactDuplicateStep,
    "minhash.v1": NearDuplicateStep,
    "repeated_lines.v1": RepeatedLinesStep,
}

# the order `run_dedup` runs them in by default, the order of `sito clean`: copies and near copies go before lines
# are counted, so that an article syndicated to k pages of a site does not lose its own lines (docs/dedup.md)
KINDS = ("exact", "minhash", "lines")


def run_exact(shards: Sequence[Sequence[Document]], work: Path | str, params: ExactParams = ExactParams(),
              stats: RunStats | None = None) -> list[list[Document]]:
    """All exact-dedup stages in this process; returns the shards with copies rejected."""
    work = Path(work)
    stats = stats if stats is not None else RunStats()
    for t, docs in enumerate(shards):
        exact.hash_task(work, t, docs, params)
    for p in range(params.partitions):
        exact.group_partition(work, p, params)
    exact.decide(work, params)
    return [list(ExactDuplicateStep(str(work), task=t).run(docs, stats)) for t, docs in enumerate(shards)]


def run_lines(shards: Sequence[Sequence[Document]], work: Path | str, k: int = 5, group_by: str = "site",
              stats: RunStats | None = None, partition_keys: int = lines.PARTITION_KEYS) -> list[list[Document]]:
    """All repeated-line stages in this process; returns the shards with repeated lines removed."""
    work = Path(work)
    stats = stats if stats is not None else RunStats()
    for t, docs in enumerate(shards):
        lines.count_task(work, t, docs, group_by)
    lines.merge(work, partition_keys=partition_keys)
    return [list(RepeatedLinesStep(str(work), k=k, group_by=group_by, task=t).run(docs, stats))
            for t, docs in enumerate(shards)]


def run_minhash(shards: Sequence[Sequence[Document]], work: Path | str, params: MinHashParams = MinHashParams(),
                stats: RunStats | None = None, rehydrate_cap: int = 0) -> list[list[Document]]:
    """All near-dedup stages in this process; returns the shards with near-duplicates rejected."""
    work = Path(work)
    stats = stats if stats is not None else RunStats()
    for t, docs in enumerate(shards):
        minhash.hash_task(work, t, docs, params)
    for p in range(params.partitions):
        minhash.group_partition(work, p, params)
    minhash.cluster(work, params)
    return [list(NearDuplicateStep(str(work), task=t, rehydrate_cap=rehydrate_cap).run(docs, stats))
            for t, docs in enumerate(shards)]


def run_dedup(shards: Iterable[Iterable[Document]], work: Path | str, kinds: Sequence[str] = KINDS, *,
              exact_params: ExactParams = ExactParams(), minhash_params: MinHashParams = MinHashParams(),
              line_k: int = 5, line_group_by: str = "site", stats: RunStats | None = None) -> tuple[list[list[Document]], RunStats]:
    """Run the chosen kinds in order (default: exact, then MinHash, then repeated lines) over `shards`, one task
    per shard, all in this process. Each kind sees the previous kind's output and writes under `work/<kind>/`.
    Returns the output shards (every input document, kept or rejected) and the stats (read == kept + rejected)."""
    work = Path(work)
    for k in kinds:
        if k not in KINDS:
            raise ValueError(f"unknown dedup kind {k!r}: use {', '.join(KINDS)}")
    stats = stats if stats is not None else RunStats()
    data = [list(s) for s in shards]
    stats.read += sum(len(s) for s in data)
    for k in kinds:
        if k == "exact":
            data = run_exact(data, work / "exact", exact_params, stats)
        elif k == "lines":
            data = run_lines(data, work / "lines", line_k, line_group_by, stats=stats)
        else:
            data = run_minhash(data, work / "minhash", minhash_params, stats)
    for s in data:
        for d in s:
            stats.count_output(d)
    return data, stats


__all__ = [
    "STEPS", "KINDS", "run_dedup", "run_exact", "run_lines", "run_minhash", "ExactParams", "MinHashParams",
    "ExactDuplicateStep", "NearDuplicateStep", "RepeatedLinesStep", "MinHasher", "rehydrate", "rehydration_weight",
]

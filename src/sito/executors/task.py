"""Running one task: read its slices, run the steps, write kept and rejected shards, record stats, mark it done.

The order of effects is what makes a run resumable: shards are written under temporary names and renamed when
complete; then `stats/task-NNNNN.json` is written atomically; last, the empty marker `completions/task-NNNNN`.
A task without its marker is incomplete whatever else exists, and `clear_task_outputs` removes all its files
before it runs again — so a task killed at any moment is redone from scratch, never half-counted or doubled.
The same code runs in local worker processes and in Ray tasks.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Callable, Iterator

from ..config import Config, build_steps, config_from_dict
from ..document import Document
from ..errors import TaskError
from ..pipeline import RunStats, run_steps
from .plan import Task, write_json_atomic

PROGRESS_EVERY_S = 0.25


def task_prefix(index: int) -> str:
    return f"part-{index:05d}"


def completion_marker(out: Path, index: int) -> Path:
    return out / "completions" / f"task-{index:05d}"


def task_stats_path(out: Path, index: int) -> Path:
    return out / "stats" / f"task-{index:05d}.json"


def is_done(out: Path, index: int) -> bool:
    return completion_marker(out, index).exists()


def clear_task_outputs(out: Path, index: int, folders: tuple[str, ...] = ("kept", "rejected")) -> None:
    """Remove every file an earlier, interrupted attempt of this task may have left."""
    prefix = task_prefix(index)
    for sub in folders:
        d = out / sub
        if not d.is_dir():
            continue
        for p in d.iterdir():
            if p.name.startswith(prefix + "-") or p.name.startswith(f".tmp-{prefix}-"):
                p.unlink(missing_ok=True)
    task_stats_path(out, index).unlink(missing_ok=True)


def _read(task: Task, cfg: Config, stats: RunStats) -> Iterator[Document]:
    from ..io import ReadOptions, read_slice

    opts = ReadOptions(
        text_field=cfg.input.text_field,
        id_field=cfg.input.id_field,
        url_field=cfg.input.url_field,
        max_record_bytes=cfg.input.max_record_bytes,
        max_decompressed_bytes=cfg.input.max_decompressed_bytes,
    )
    st = stats.step("read")
    clock = time.perf_counter
    for sl in task.slices:
        it = read_slice(sl, opts)
        while True:
            t0 = clock()
            try:
                doc = next(it)
            except StopIteration:
                st.seconds += clock() - t0
                break
            st.seconds += clock() - t0
            stats.read += 1
            st.docs_in += 1
            st.docs_out += 1
            if doc.rejection is not None:
                st.rejected += 1
            yield doc


def run_task(task: Task, cfg_dict: dict, out: Path, progress: Callable[[int], None] | None = None) -> RunStats:
    """Run one task to completion and return its stats. Raises TaskError if the output cannot be written."""
    from ..io import ShardedWriter

    out = Path(out)
    cfg = config_from_dict(cfg_dict)
    clear_task_outputs(out, task.index)
    steps = build_steps(cfg.pipeline_steps())
    stats = RunStats()
    for name in ("read", *(s.name for s in steps), "write"):  # stats.json lists steps in pipeline order
        stats.step(name)
    t_start = time.perf_counter()
    prefix = task_prefix(task.index)
    kw = dict(fmt=cfg.run.format, compression=cfg.run.compression, docs_per_shard=cfg.run.docs_per_shard)
    kept_w = ShardedWriter(out / "kept", prefix, **kw)
    rej_w = ShardedWriter(out / "rejected", prefix, **kw)
    wst = stats.step("write")
    pending, last = 0, time.monotonic()
    try:
        for doc in run_steps(steps, _read(task, cfg, stats), stats):
            t0 = time.perf_counter()
            stats.count_output(doc)
            (rej_w if doc.rejection is not None else kept_w).write(doc.to_record())
            wst.seconds += time.perf_counter() - t0
            wst.docs_in += 1
            pending += 1
            if progress is not None and time.monotonic() - last > PROGRESS_EVERY_S:
                progress(pending)
                pending, last = 0, time.monotonic()
        t0 = time.perf_counter()
        kept_w.close()
        rej_w.close()
        wst.seconds += time.perf_counter() - t0
    except BaseException:
        kept_w.abort()
        rej_w.abort()
        raise
    if progress is not None and pending:
        progress(pending)
    if stats.read != stats.kept + stats.rejected:
        # an invariant, not a data problem: a step lost or invented documents
        raise TaskError(f"task {task.index}: read {stats.read} != kept {stats.kept} + rejected {stats.rejected} "
                        "(this is a bug in a step; please report it)")
    wst.docs_out = stats.kept + stats.rejected
    stats.seconds = time.perf_counter() - t_start
    (out / "stats").mkdir(parents=True, exist_ok=True)
    write_json_atomic(task_stats_path(out, task.index), stats.as_dict())
    marker = completion_marker(out, task.index)
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.touch()
    return stats

"""Running one task of one pass: read its documents, run the steps, write the output, record stats, mark it done.

The order of effects is what makes a run resumable: shards are written under temporary names and renamed when
complete; then `stats/<pass>-task-NNNNN.json` is written atomically; last, the empty marker
`completions/<pass>-task-NNNNN` (the final pass drops the `<pass>-` prefix). A task without its marker is
incomplete whatever else exists, and `clear_task_outputs` removes all its files before it runs again — so a task
killed at any moment is redone from scratch, never half-counted or doubled. The same code runs in local worker
processes and in Ray tasks.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Callable, Iterator

from ..config import Config, build_steps, config_from_dict
from ..document import Document
from ..errors import TaskError
from ..pipeline import RunStats, run_steps, set_document_time_limit
from .passes import Pass, hash_stream
from .plan import Task, write_json_atomic

PROGRESS_EVERY_S = 0.25
WORK_SHARD_DOCS = 1 << 40  # one intermediate file per task


def task_prefix(index: int) -> str:
    return f"part-{index:05d}"


def _tag(pass_name: str, index: int) -> str:
    return f"task-{index:05d}" if pass_name == "final" else f"{pass_name}-task-{index:05d}"


def completion_marker(out: Path, index: int, pass_name: str = "final") -> Path:
    return out / "completions" / _tag(pass_name, index)


def task_stats_path(out: Path, index: int, pass_name: str = "final") -> Path:
    return out / "stats" / f"{_tag(pass_name, index)}.json"


def is_done(out: Path, index: int, pass_name: str = "final") -> bool:
    return completion_marker(out, index, pass_name).exists()


def work_folder(out: Path, pass_name: str) -> Path:
    return out / "work" / pass_name


def _output_folders(out: Path, p: Pass) -> tuple[Path, ...]:
    return (out / "kept", out / "rejected") if p.final else (work_folder(out, p.name),)


def clear_task_outputs(out: Path, index: int, p: Pass) -> None:
    """Remove every file an earlier, interrupted attempt of this task of this pass may have left."""
    prefix = task_prefix(index)
    for d in _output_folders(out, p):
        if not d.is_dir():
            continue
        for f in d.iterdir():
            if f.name.startswith(prefix + "-") or f.name.startswith(f".tmp-{prefix}-"):
                f.unlink(missing_ok=True)
    task_stats_path(out, index, p.name).unlink(missing_ok=True)


def _read_input(task: Task, cfg: Config, stats: RunStats) -> Iterator[Document]:
    from ..io import ReadOptions, read_slice

    opts = ReadOptions(
        text_field=cfg.input.text_field,
        id_field=cfg.input.id_field,
        url_field=cfg.input.url_field,
        max_record_bytes=cfg.input.max_record_bytes,
        max_decompressed_bytes=cfg.input.max_decompressed_bytes,
    )
    for sl in task.slices:
        yield from read_slice(sl, opts)


def _read_work(out: Path, source: str, task: Task) -> Iterator[Document]:
    from ..io import iter_output_records, output_files

    prefix = task_prefix(task.index) + "-"
    for f in output_files(work_folder(out, source)):
        if f.name.startswith(prefix):
            for rec in iter_output_records(f):
                yield Document.from_record(rec)


def _timed(it: Iterator[Document], stats: RunStats, name: str, count_read: bool) -> Iterator[Document]:
    st = stats.step(name)
    clock = time.perf_counter
    while True:
        t0 = clock()
        try:
            doc = next(it)
        except StopIteration:
            st.seconds += clock() - t0
            return
        st.seconds += clock() - t0
        if count_read:
            stats.read += 1
        st.docs_in += 1
        st.count_out(doc)   # (in = out + rejected, as for every step)
        yield doc


def hst_name(p: Pass) -> str:
    return f"hash:{p.hash.kind}" if p.hash else ""


def run_task(task: Task, cfg_dict: dict, out: Path, progress: Callable[[int], None] | None = None,
             pass_dict: dict | None = None) -> RunStats:
    """Run one task of one pass to completion and return its stats (`pass_dict` None: the single final pass
    of the configuration's steps). Raises TaskError if the output cannot be written or documents went missing."""
    from ..io import ShardedWriter

    out = Path(out)
    cfg = config_from_dict(cfg_dict)
    set_document_time_limit(cfg.run.doc_timeout_s)
    p = Pass.from_dict(pass_dict) if pass_dict else Pass("final", cfg.pipeline_steps(), None, True)
    clear_task_outputs(out, task.index, p)
    steps = build_steps(p.steps)
    for s in steps:
        if hasattr(s, "set_task"):  # dedup steps address documents by (task, position)
            s.set_task(task.index)
    stats = RunStats()
    read_name = "read" if p.source is None else f"read:{p.name}"
    write_name = "write" if p.final else f"write:{p.name}"
    for name in (read_name, *(s.name for s in steps), write_name):  # stats.json lists steps in pipeline order
        stats.step(name)
    t_start = time.perf_counter()
    prefix = task_prefix(task.index)
    if p.final:
        kw = dict(fmt=cfg.run.format, compression=cfg.run.compression, docs_per_shard=cfg.run.docs_per_shard)
        kept_w = ShardedWriter(out / "kept", prefix, **kw)
        rej_w = ShardedWriter(out / "rejected", prefix, **kw)
    else:
        kept_w = rej_w = ShardedWriter(work_folder(out, p.name), prefix, fmt="jsonl", compression="zst",
                                       docs_per_shard=WORK_SHARD_DOCS)
    source = _read_input(task, cfg, stats) if p.source is None else _read_work(out, p.source, task)
    docs = run_steps(steps, _timed(source, stats, read_name, count_read=True), stats)
    wst = stats.step(write_name)
    state = {"pending": 0, "last": time.monotonic()}

    def written() -> Iterator[Document]:
        for doc in docs:
            t0 = time.perf_counter()
            stats.count_output(doc)
            (rej_w if doc.rejection is not None else kept_w).write(doc.to_record())
            wst.seconds += time.perf_counter() - t0
            wst.docs_in += 1
            state["pending"] += 1
            if progress is not None and time.monotonic() - state["last"] > PROGRESS_EVERY_S:
                progress(state["pending"])
                state["pending"], state["last"] = 0, time.monotonic()
            yield doc

    try:
        if p.hash is not None:
            hst = stats.step(hst_name(p))
            t0 = time.perf_counter()
            for k, v in (hash_stream(p.hash, task.index, written()) or {}).items():
                hst.counters[k] += int(v)
            # the stream runs inside the hashing: its own time is the rest
            others = sum(st.seconds for name, st in stats.steps.items() if name != hst_name(p))
            hst.seconds += max(0.0, time.perf_counter() - t0 - others)
        else:
            for _ in written():
                pass
        t0 = time.perf_counter()
        kept_w.close()
        if rej_w is not kept_w:
            rej_w.close()
        wst.seconds += time.perf_counter() - t0
    except BaseException:
        kept_w.abort()
        rej_w.abort()
        raise
    if progress is not None and state["pending"]:
        progress(state["pending"])
    if stats.read != stats.kept + stats.rejected:
        # an invariant, not a data problem: a step lost or invented documents
        raise TaskError(f"task {task.index} ({p.name}): read {stats.read} != kept {stats.kept} + rejected "
                        f"{stats.rejected} (this is a bug in a step; please report it)")
    wst.docs_out = stats.kept + stats.rejected
    stats.seconds = time.perf_counter() - t_start
    (out / "stats").mkdir(parents=True, exist_ok=True)
    write_json_atomic(task_stats_path(out, task.index, p.name), stats.as_dict())
    marker = completion_marker(out, task.index, p.name)
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.touch()
    return stats

"""Task planning: input files → slices → tasks, saved as `plan.json` so that `--resume` reuses the same plan.

A task is a list of input slices of about `task_bytes` input bytes: a large file is split into several slices by
the reader (byte ranges of JSONL/WET/WARC, row groups of Parquet), small files are grouped so that a folder of a
million pages does not become a million tasks. The plan depends only on the inputs and `task_bytes` — never on the
number of workers — so the output (one set of shards per task, named by task index) is the same for any number of
workers.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..io.atomic import atomic_write

PLAN_VERSION = 1
MAX_SLICES_PER_TASK = 2_000


@dataclass
class Task:
    index: int
    slices: list  # list[sito.io.InputSlice]
    nbytes: int

    @property
    def name(self) -> str:
        return f"{self.index:05d}"


@dataclass
class Plan:
    inputs: list[str]
    tasks: list[Task]
    task_bytes: int
    cwd: str | None = None   # the folder relative input paths are read from (None: plans from before it was saved)
    files: dict[str, list[int]] | None = None   # size and modification time (ns) of each input file when planned

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": PLAN_VERSION,
            "inputs": self.inputs,
            "cwd": self.cwd,
            "files": self.files,
            "task_bytes": self.task_bytes,
            "tasks": [{"index": t.index, "nbytes": t.nbytes, "slices": [s.as_dict() for s in t.slices]} for t in self.tasks],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Plan":
        from ..io import InputSlice

        if d.get("version") != PLAN_VERSION:
            raise ConfigError(f"plan.json has version {d.get('version')!r}, this sito writes {PLAN_VERSION}: start a new output folder")
        tasks = [Task(t["index"], [InputSlice.from_dict(s) for s in t["slices"]], t["nbytes"]) for t in d["tasks"]]
        return cls(list(d["inputs"]), tasks, d["task_bytes"], d.get("cwd"), d.get("files"))

    def check_files(self) -> None:
        """The input files must be as they were planned: a file grown, cut or rewritten since would be read in
        byte ranges that no longer fall on its records (documents split, lost or read twice)."""
        for path, (size, mtime) in (self.files or {}).items():
            try:
                st = os.stat(path)
            except OSError:
                raise ConfigError(f"--resume: input {path} is gone since the run started") from None
            if st.st_size != size or st.st_mtime_ns != mtime:
                raise ConfigError(f"--resume: input {path} has changed since the run started (size or modification "
                                  "time): start a new output folder")

    def check_cwd(self) -> None:
        """A plan with relative input paths reads them from the folder it was made in: from anywhere else every
        unfinished task would read nothing (its documents lost to `read:unreadable`)."""
        relative = any(not Path(s.path).is_absolute() for t in self.tasks for s in t.slices)
        if relative and self.cwd and Path(self.cwd).resolve() != Path.cwd().resolve():
            raise ConfigError(f"--resume: the run was started in {self.cwd} with relative input paths; resume it "
                              "from that folder")

    def save(self, path: Path) -> None:
        write_json_atomic(path, self.as_dict())

    @classmethod
    def load(cls, path: Path) -> "Plan":
        try:
            return cls.from_dict(json.loads(path.read_text("utf-8")))
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise ConfigError(f"{path} is damaged ({exc}); start a new output folder") from None


def make_plan(inputs: list[str], task_bytes: int, exclude: Path | None = None) -> Plan:
    """The tasks of `inputs`; files inside the folder `exclude` (the run's own output, when it lies inside an
    input folder: an earlier run's shards and stats would be read as input) are left out."""
    from ..io import InputError, detect_format, expand_inputs, plan_slices

    files = expand_inputs(inputs)
    if exclude is not None:
        ex = Path(exclude).resolve()
        files = [f for f in files if not Path(f).resolve().is_relative_to(ex)]
        if not files:
            raise InputError(f"every input file is inside the output folder {ex}")
    slices = []
    for path in files:
        slices.extend(plan_slices(path, detect_format(path), target_bytes=task_bytes))
    per_file = Counter(str(s.path) for s in slices)
    sizes = {}
    for p in per_file:
        try:
            sizes[p] = os.path.getsize(p)
        except OSError:
            sizes[p] = 0
    tasks: list[Task] = []
    cur, cur_bytes = [], 0
    for s in slices:
        start, end, kind = getattr(s, "start", None), getattr(s, "end", None), getattr(s, "kind", "")
        if kind == "bytes" and isinstance(start, int) and isinstance(end, int):
            size = max(0, end - start)
        else:
            size = sizes[str(s.path)] // per_file[str(s.path)]
        if cur and (cur_bytes + size > task_bytes or len(cur) >= MAX_SLICES_PER_TASK):
            tasks.append(Task(len(tasks), cur, cur_bytes))
            cur, cur_bytes = [], 0
        cur.append(s)
        cur_bytes += size
    if cur:
        tasks.append(Task(len(tasks), cur, cur_bytes))
    stamps = {}
    for p in per_file:
        try:
            st = os.stat(p)
            stamps[p] = [st.st_size, st.st_mtime_ns]
        except OSError:
            pass
    return Plan([str(i) for i in inputs], tasks, task_bytes, os.getcwd(), stamps)


def write_json_atomic(path: Path, data: Any) -> None:
    """Write JSON to a temporary file in the same folder, fsync, then rename over `path`. Text is written as it is,
    unless it holds a lone surrogate — a file name that is not UTF-8 (Python's surrogateescape) — which has no UTF-8:
    then the file is written with \\u escapes, from which `json.load` gives back the very same string."""
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(data, ensure_ascii=True, indent=1, sort_keys=False)
    with atomic_write(path, "w", encoding="utf-8", fsync=True) as f:
        f.write(text + "\n")

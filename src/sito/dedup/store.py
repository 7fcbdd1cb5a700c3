"""On-disk files shared by the dedup stages: per-task document tables, per-task decisions, atomic numpy writes.

Every stage reads and writes plain `.npy` / `.npz` files (numeric arrays only, loaded with
`allow_pickle=False`), written under a temporary name and renamed when complete, so a stage killed at any moment
leaves either the old file or the new one. A document is addressed by its task index and its position in the
task's stream (every document counts, rejected ones too); its global key is `task << 32 | position`, which sorts
in global document order and is the tie-break of every decision.

Files under a dedup work folder:
- `tasks/NNNNN.docs.npz` (one per task, written by the hashing stage): `status` (uint8 per position: 0 hashed,
  1 skipped because already rejected, 2 no words), `n_words` (int64), `score` (float64, the keep-policy score),
  `id_hash` (uint64, xxh64 of the id, to check that the final step sees the same stream), and the ids themselves
  as UTF-8 bytes `ids_blob` + `ids_off` (int64 offsets), so that a decision can name the document it kept.
- `decisions/NNNNN.npz` (one per task, written by the decision stage): for each document of the task that is in
  a group of two or more: `pos`, `removed` (bool), `size` (group size), `sim` (float32 similarity to the
  representative, 1.0 for exact copies), and the representative's id and task/position (`rep_blob`, `rep_off`,
  `rep_key`). Documents absent from it are alone in their group.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import xxhash

from ..errors import TaskError
from ..io.atomic import atomic_write, write_text

STATUS_HASHED, STATUS_SKIPPED, STATUS_EMPTY = 0, 1, 2


def global_key(task: int, pos: np.ndarray | int) -> np.ndarray:
    return (np.uint64(task) << np.uint64(32)) | np.asarray(pos, dtype=np.uint64)


def split_key(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    key = np.asarray(key, dtype=np.uint64)
    return (key >> np.uint64(32)).astype(np.int64), (key & np.uint64(0xFFFFFFFF)).astype(np.int64)


def id_hash(doc_id: str) -> int:
    return xxhash.xxh64_intdigest(doc_id.encode("utf-8", "surrogatepass"))


def finished_files(folder: Path, pattern: str) -> list[Path]:
    """Files of `folder` matching `pattern`, sorted, without the temporaries of writes that did not complete
    (a worker killed mid-write leaves a `.tmp-*` file; pathlib's `*` matches names starting with a dot)."""
    return sorted(p for p in folder.glob(pattern) if not p.name.startswith("."))


def partition_files(work: Path, part: int, what: str) -> list[Path]:
    """Stage 1's files of one partition (`buckets/PPP/NNNNN.npz`), checked to be one per hashed task."""
    files = finished_files(work / "buckets" / f"{part:03d}", "*.npz")
    tasks = list_tasks(work)
    if len(files) != len(tasks):
        raise TaskError(f"dedup: partition {part} has {len(files)} {what} files for {len(tasks)} hashed tasks; "
                        "run stage 1 for every task first")
    return files


def save_npz(path: Path, **arrays: np.ndarray) -> None:
    """Write arrays atomically (temporary file + rename)."""
    with atomic_write(path) as f:
        np.savez(f, **arrays)


def save_npy(path: Path, array: np.ndarray) -> None:
    with atomic_write(path) as f:
        np.save(f, array)


def load_npz(path: Path) -> dict[str, np.ndarray]:
    if not path.exists():
        raise TaskError(f"dedup: missing stage output {path} (run the earlier stage for this task first)")
    with np.load(path, allow_pickle=False) as z:
        return {k: z[k] for k in z.files}


def pack_strings(strings: list[str]) -> tuple[np.ndarray, np.ndarray]:
    enc = [s.encode("utf-8", "surrogatepass") for s in strings]
    off = np.zeros(len(enc) + 1, dtype=np.int64)
    if enc:
        np.cumsum([len(e) for e in enc], out=off[1:])
    return np.frombuffer(b"".join(enc), dtype=np.uint8).copy(), off


def unpack_string(blob: np.ndarray, off: np.ndarray, i: int) -> str:
    return blob[off[i]:off[i + 1]].tobytes().decode("utf-8", "surrogatepass")


def write_params(work: Path, kind: str, params: dict[str, Any]) -> None:
    """Record the parameters of a dedup run; a later stage with different parameters fails instead of mixing."""
    work.mkdir(parents=True, exist_ok=True)
    path = work / "params.json"
    want = {"kind": kind, **params}
    if path.exists():
        have = json.loads(path.read_text("utf-8"))
        if have != want:
            raise TaskError(f"dedup: {work} was made with other parameters {have}, not {want}; use a fresh folder")
        return
    write_text(path, json.dumps(want, sort_keys=True))


def task_docs_path(work: Path, task: int) -> Path:
    return work / "tasks" / f"{task:05d}.docs.npz"


def decisions_path(work: Path, task: int) -> Path:
    return work / "decisions" / f"{task:05d}.npz"


def list_tasks(work: Path) -> list[int]:
    d = work / "tasks"
    if not d.is_dir():
        return []
    return sorted(int(p.name.split(".")[0]) for p in finished_files(d, "*.docs.npz"))


class TaskDocsWriter:
    """Collects the per-document table of one task while the hashing stage reads its stream."""

    def __init__(self) -> None:
        self.status: list[int] = []
        self.n_words: list[int] = []
        self.score: list[float] = []
        self.ids: list[str] = []

    def add(self, doc_id: str, status: int, n_words: int = 0, score: float = 0.0) -> None:
        self.status.append(status)
        self.n_words.append(n_words)
        self.score.append(score)
        self.ids.append(doc_id)

    def set_words(self, positions: list[int], n_words: np.ndarray) -> None:
        for p, n in zip(positions, n_words.tolist()):
            self.n_words[p] = n
            if n == 0:
                self.status[p] = STATUS_EMPTY

    def save(self, work: Path, task: int) -> None:
        blob, off = pack_strings(self.ids)
        save_npz(
            task_docs_path(work, task),
            status=np.asarray(self.status, dtype=np.uint8),
            n_words=np.asarray(self.n_words, dtype=np.int64),
            score=np.asarray(self.score, dtype=np.float64),
            id_hash=np.fromiter((id_hash(i) for i in self.ids), dtype=np.uint64, count=len(self.ids)),
            ids_blob=blob,
            ids_off=off,
        )


def priority(policy: str, n_words: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Larger is better; ties go to the earlier document in global order."""
    if policy == "first":
        return np.zeros(len(n_words), dtype=np.float64)
    if policy == "longest":
        return n_words.astype(np.float64)
    if policy == "quality":
        return np.nan_to_num(score.astype(np.float64), nan=-np.inf)
    raise ValueError(f"unknown keep policy {policy!r}: use 'first', 'longest' or 'quality'")


def doc_attributes(work: Path, keys: np.ndarray, fields: tuple[str, ...]) -> dict[str, np.ndarray]:
    """Gather per-document fields (n_words, score, ...) for global keys, reading one task table at a time."""
    tasks, pos = split_key(keys)
    out: dict[str, np.ndarray] = {}
    order = np.argsort(tasks, kind="stable")
    bounds = np.flatnonzero(np.diff(tasks[order], prepend=-1, append=-2))
    for f in fields:
        out[f] = np.zeros(len(keys), dtype=np.float64)
    for s, e in zip(bounds[:-1], bounds[1:]):
        sel = order[s:e]
        t = int(tasks[sel[0]])
        d = load_npz(task_docs_path(work, t))
        for f in fields:
            out[f][sel] = d[f][pos[sel]]
    return out


def doc_ids(work: Path, keys: np.ndarray) -> list[str]:
    """The ids of documents given by global keys, reading one task table at a time."""
    tasks, pos = split_key(keys)
    res: list[str] = [""] * len(keys)
    order = np.argsort(tasks, kind="stable")
    bounds = np.flatnonzero(np.diff(tasks[order], prepend=-1, append=-2))
    for s, e in zip(bounds[:-1], bounds[1:]):
        sel = order[s:e]
        d = load_npz(task_docs_path(work, int(tasks[sel[0]])))
        for i in sel.tolist():
            res[i] = unpack_string(d["ids_blob"], d["ids_off"], int(pos[i]))
    return res


def write_decisions(work: Path, doc_key: np.ndarray, rep_key: np.ndarray, size: np.ndarray, sim: np.ndarray,
                    removed: np.ndarray) -> None:
    """Split group decisions by task and write `decisions/NNNNN.npz` for every task (empty ones too)."""
    tasks = list_tasks(work)
    doc_key = np.asarray(doc_key, dtype=np.uint64)
    order = np.argsort(doc_key, kind="stable")
    doc_key, rep_key, size, sim, removed = (np.asarray(a)[order] for a in (doc_key, rep_key, size, sim, removed))
    urep, inv = np.unique(rep_key, return_inverse=True)
    rep_names = doc_ids(work, urep)
    dt, dp = split_key(doc_key)
    for t in tasks:
        sel = np.flatnonzero(dt == t)
        blob, off = pack_strings([rep_names[i] for i in inv[sel].tolist()])
        save_npz(
            decisions_path(work, t),
            pos=dp[sel],
            removed=removed[sel].astype(bool),
            size=size[sel].astype(np.int64),
            sim=sim[sel].astype(np.float32),
            rep_key=rep_key[sel].astype(np.uint64),
            rep_blob=blob,
            rep_off=off,
        )


@dataclass
class Decision:
    removed: bool
    size: int
    sim: float
    rep_id: str
    rep_task: int
    rep_pos: int


class TaskDecisions:
    """The decisions of one task, looked up by position; checks the stream against the hashing stage's ids."""

    def __init__(self, work: Path, task: int):
        self.task = task
        d = load_npz(decisions_path(work, task))
        docs = load_npz(task_docs_path(work, task))
        self._id_hash = docs["id_hash"]
        self.status = docs["status"]
        self._index = {int(p): i for i, p in enumerate(d["pos"].tolist())}
        self._d = d

    def check(self, pos: int, doc_id: str) -> None:
        if pos >= len(self._id_hash) or int(self._id_hash[pos]) != id_hash(doc_id):
            raise TaskError(
                f"dedup: task {self.task} position {pos} is document {doc_id!r}, but the hashing stage saw another "
                "document there; the final step must see the same stream as the hashing stage"
            )

    def __len__(self) -> int:
        return len(self._id_hash)

    def get(self, pos: int) -> Decision | None:
        i = self._index.get(pos)
        if i is None:
            return None
        d = self._d
        rt, rp = split_key(d["rep_key"][i:i + 1])
        return Decision(bool(d["removed"][i]), int(d["size"][i]), float(d["sim"][i]),
                        unpack_string(d["rep_blob"], d["rep_off"], i), int(rt[0]), int(rp[0]))


def same_id_note(doc_id: str, d: Decision) -> str:
    """Disambiguates "copy of <id>" when the representative has the copy's own id (ids repeated across inputs)."""
    if d.rep_id != doc_id:
        return ""
    return f" (another document with the same id: task {d.rep_task}, position {d.rep_pos})"

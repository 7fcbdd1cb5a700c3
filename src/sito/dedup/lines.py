"""Cross-page repeated-line removal: lines that occur in at least K documents of the same site (or shard, or
corpus) are boilerplate — "Wybrane dla Ciebie" headline lists, cookie notes, newsletter boxes — and are removed.

This is CCNet's paragraph dedup (Wenzek et al. 2020, "CCNet", section 3.3: hash normalised paragraphs, drop the
ones seen elsewhere in the shard) with a per-group count instead of a per-shard hash set, so that a line must be
shared by K distinct documents of the same group before it goes. Normalisation (`normalize_line`) follows CCNet's
`normalize_for_dedup`: lower-case, digits replaced by 0, punctuation and spacing ignored (sito's word rule, see
`hashing.reference_words`); the key is xxh64 of the normalised line. Empty normalised lines are never counted.

A counted key is a (group, line) pair; its place is `order = line ^ (group * 0x9E3779B97F4A7C15)` (uint64), which
spreads the keys of one group and the groups of one line evenly over the 64-bit range. Every stage file is one
uint64 `.npy` array of shape (4, n), rows `order`, `group`, `line`, `n`, sorted by (order, group, line), so that a
range of `order` is a contiguous slice that a stage reads through a memory map without loading the rest.

Stage API (same output for any number of workers / tasks / partitions):
1. `count_task(work, task, docs, group_by)` — per task: for every document not already rejected, its distinct
   line keys with its group key (xxh64 of the URL host without "www." for `site`, of the task index for `shard`,
   0 for `all`; documents without URL share the group "(no site)"), counted per task into `counts/NNNNN.npy`
   (`n` = documents of this task that contain the line).
2. `plan_merge(work)` — once, after every task of stage 1: the number of merge partitions, chosen from the
   counted entries so that one partition holds at most about `PARTITION_KEYS` of them (written to `merge.json`);
   partition P is the P-th of that many equal ranges of `order`. Then `merge_partition(work, part, min_count=2)`
   — per partition, in parallel: reads its range from every task's counts, sums the counts per (group, line) and
   keeps the keys seen in at least `min_count` documents in `merged/PPP.npy`. `merge(work)` runs both here.
3. `RepeatedLinesStep` ("repeated_lines.v1", params `counts` = the work folder, `k`, `group_by`, `task` for
   `shard`; the executor sets `task` for every grouping) — first looks every key its task counted up in the
   merged files (memory-mapped: binary searches, only the pages they touch are read), then per document: removes
   from `doc.text` every line whose key has n >= k in the document's group,
   marks the matching kept lines of `doc.article.lines` as role "boilerplate", keep False, reason "repeated on N
   pages of <site>", and counts removed lines (`lines_removed`, `docs_changed`). A document whose every line is
   repeated is rejected with code `repeated_lines` (value = lines removed).

Memory, measured with tracemalloc (every numpy array and Python object; the pages of a memory map are the
operating system's file cache and are not counted):
- stage 1 holds one task's keys: about 50 bytes a key (4,000 pages of 200 sites, 110,000 keys: 5.4 MB);
- stage 2 holds one partition: about 50 bytes an entry, so at most about 200 MB at the default `PARTITION_KEYS`
  (2^22 entries, 4.2 million: 201 MB measured), whatever the size of the corpus — more entries make more
  partitions, not bigger ones. `tests/dedup/test_lines.py::test_merge_memory_is_bounded_whatever_the_corpus_size`
  counts 1,000 and 4,000 pages of 50 and 200 sites with a bound of 8,192 entries: 3 and 9 partitions, each
  peaking under 410 KB; with the 16 fixed partitions stage 2 had before, the largest partition's peak went from
  276 KB to 913 KB, growing with the corpus;
- stage 3 holds its task's counted keys with their totals (32 bytes a key), not every repeated key of the corpus
  as it did with the 16 fixed partitions; a step without a task (or a document its task did not count) looks the
  document's keys up in the merged files themselves.

Important: a document copied K times would lose all its lines, so exact (and near) dedup should run before line
counting, or K should be larger than the number of copies you expect to survive dedup.
"""

from __future__ import annotations

import json
import re
import shutil
from array import array
from pathlib import Path
from typing import Iterable, Iterator
from urllib.parse import urlsplit

import numpy as np
import xxhash

from ..document import Document
from ..errors import TaskError
from ..io.atomic import write_text
from ..pipeline import RunStats, Step
from . import store
from .hashing import reference_words

_U64 = np.uint64
_DIGITS = re.compile(r"\d")
GROUPINGS = ("site", "shard", "all")
NO_SITE = "(no site)"
_MIX = np.uint64(0x9E3779B97F4A7C15)
_C, _G, _L, _N = 0, 1, 2, 3   # the rows of a stage file: order, group, line, n
PARTITION_KEYS = 1 << 22      # entries of one merge partition, at most about (the memory bound of stage 2)


def normalize_line(line: str) -> str:
    """CCNet-style normalisation: lower-case words only, every digit replaced by 0."""
    return _DIGITS.sub("0", " ".join(reference_words(line)))


def line_key(line: str) -> int | None:
    n = normalize_line(line)
    if not n:
        return None
    return xxhash.xxh64_intdigest(n.encode("utf-8", "surrogatepass"))


def site_of(doc: Document) -> str:
    url = doc.url or (doc.article.url if doc.article is not None else None) or ""
    if not url:
        return NO_SITE
    url = url.strip().replace("\\", "/")   # ("https:\\example.com\\a", as some crawls write it)
    try:   # (a URL without a scheme, "example.com/a//b", is read as a host and a path)
        host = urlsplit(url if _SCHEME(url) else "//" + url.lstrip("/")).hostname or ""
    except ValueError:
        host = ""
    host = host.lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    if host and not host.isascii():   # (an internationalised name and its punycode are one site)
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            pass
    return host or NO_SITE


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://").match


def group_label(doc: Document, group_by: str, task: int | None) -> str:
    if group_by == "site":
        return site_of(doc)
    if group_by == "shard":
        if task is None:
            raise TaskError("repeated_lines.v1: group_by='shard' needs the task index")
        return f"shard {task}"
    if group_by == "all":
        return "the corpus"
    raise ValueError(f"unknown group_by {group_by!r}: use one of {', '.join(GROUPINGS)}")


def group_key(label: str) -> int:
    return xxhash.xxh64_intdigest(label.encode("utf-8", "surrogatepass"))


def order_key(group: np.ndarray, line: np.ndarray) -> np.ndarray:
    """The place of (group, line) keys in the stage files (see the module docstring); uint64 arrays in and out."""
    g = np.asarray(group, dtype=_U64).reshape(-1)
    return np.asarray(line, dtype=_U64).reshape(-1) ^ (g * _MIX)


def _reduce(t: np.ndarray, min_count: int = 1) -> np.ndarray:
    """Rows order/group/line/n of `t` (any order) -> sorted by (order, group, line), the `n` of equal keys
    summed, the keys with a sum below `min_count` dropped. Works in `t`'s own memory, a row at a time."""
    m = t.shape[1]
    if m == 0:
        return t
    o = np.lexsort((t[_L], t[_G], t[_C]))
    for r in range(4):
        t[r] = t[r][o]
    del o
    new = np.empty(m, dtype=bool)
    new[0] = True
    np.not_equal(t[_C, 1:], t[_C, :-1], out=new[1:])
    for r in (_G, _L):
        new[1:] |= t[r, 1:] != t[r, :-1]
    starts = np.flatnonzero(new)
    del new
    sums = np.add.reduceat(t[_N], starts)
    if min_count > 1:
        big = sums >= _U64(min_count)
        starts, sums = starts[big], sums[big]
    k = len(starts)
    for r in (_C, _G, _L):
        t[r, :k] = t[r][starts]
    t[_N, :k] = sums
    return t[:, :k]


def count_task(work: Path | str, task: int, docs: Iterable[Document], group_by: str = "site") -> dict[str, int]:
    """Stage 1 for one task: (group, line) -> number of documents of this task that contain the line."""
    if group_by not in GROUPINGS:
        raise ValueError(f"unknown group_by {group_by!r}: use one of {', '.join(GROUPINGS)}")
    work = Path(work)
    store.write_params(work, "lines", {"group_by": group_by})
    groups, keys = array("Q"), array("Q")   # (8 bytes a key, not two Python ints)
    counters = {"documents": 0, "counted": 0, "line_keys": 0}
    for doc in docs:
        counters["documents"] += 1
        if doc.rejection is not None:
            continue
        counters["counted"] += 1
        g = group_key(group_label(doc, group_by, task))
        seen = {k for k in (line_key(ln) for ln in (doc.text or "").split("\n")) if k is not None}
        groups.extend([g] * len(seen))
        keys.extend(seen)
    counters["line_keys"] = len(keys)
    t = np.empty((4, len(keys)), dtype=_U64)
    if len(keys):
        t[_G] = np.frombuffer(groups, dtype=_U64)
        t[_L] = np.frombuffer(keys, dtype=_U64)
        del groups, keys
        t[_C] = order_key(t[_G], t[_L])
        t[_N] = 1
    store.save_npy(count_path(work, task), np.ascontiguousarray(_reduce(t)))
    return counters


def count_path(work: Path, task: int) -> Path:
    return work / "counts" / f"{task:05d}.npy"


def _count_files(work: Path) -> list[Path]:
    return store.finished_files(work / "counts", "*.npy")


def _open(path: Path) -> np.ndarray:
    """A stage file, memory-mapped (nothing is read until it is indexed)."""
    if not path.exists():
        raise TaskError(f"repeated lines: missing stage output {path} (run the earlier stage first)")
    t = np.load(path, mmap_mode="r", allow_pickle=False)
    if t.dtype != _U64 or t.ndim != 2 or t.shape[0] != 4:
        raise TaskError(f"repeated lines: {path} is not a line-count file of this version of sito")
    return t


def bounds(parts: int) -> list[int]:
    """The `order` values where partitions 1..parts-1 start (partition P is [bounds[P-1], bounds[P]))."""
    return [(p << 64) // parts for p in range(1, parts)]


def plan_merge(work: Path | str, partition_keys: int = PARTITION_KEYS) -> int:
    """Stage 2's plan: the number of partitions, so that one holds at most about `partition_keys` entries
    (every task's counted keys, a key counted by two tasks being two entries); written to `merge.json`."""
    work = Path(work)
    if partition_keys < 1:
        raise ValueError("partition_keys must be at least 1")
    if not (work / "params.json").exists():
        raise TaskError(f"repeated lines: no line counts in {work} (run the counting stage first)")
    entries = sum(int(_open(f).shape[1]) for f in _count_files(work))
    plan = {"partitions": max(1, -(-entries // partition_keys)), "entries": entries, "partition_keys": partition_keys}
    path = work / "merge.json"
    if path.exists() and json.loads(path.read_text("utf-8")) == plan:
        return plan["partitions"]
    shutil.rmtree(work / "merged", ignore_errors=True)   # (partitions of another plan: never mixed with these)
    write_text(path, json.dumps(plan, sort_keys=True))
    return plan["partitions"]


def _merge_plan(work: Path) -> dict[str, int]:
    path = work / "merge.json"
    if not path.exists():
        if any(work.glob("merged/*.npz")) or any(work.glob("counts/[0-9][0-9][0-9]/")):
            raise TaskError(f"repeated lines: {work} holds line counts in the layout of an older sito; run again "
                            "into a fresh output folder (or without --resume)")
        raise TaskError(f"repeated lines: no merge plan in {work} (run plan_merge after counting every task)")
    return json.loads(path.read_text("utf-8"))


def merge_partition(work: Path | str, part: int, min_count: int = 2) -> dict[str, int]:
    """Stage 2 for one partition: total document counts per (group, line), keeping those >= min_count."""
    work = Path(work)
    parts = int(_merge_plan(work)["partitions"])
    if not 0 <= part < parts:
        raise ValueError(f"partition {part} out of range: the merge plan has {parts}")
    b = bounds(parts)
    lo = _U64(b[part - 1]) if part > 0 else None
    hi = _U64(b[part]) if part < parts - 1 else None
    files = _count_files(work)
    slices = []
    for f in files:   # first the sizes (a binary search in each file), then one buffer for them all
        c = _open(f)[_C]
        slices.append((0 if lo is None else int(np.searchsorted(c, lo)),
                       len(c) if hi is None else int(np.searchsorted(c, hi))))
        del c
    t = np.empty((4, sum(j - i for i, j in slices)), dtype=_U64)
    at = 0
    for f, (i, j) in zip(files, slices):
        if j > i:
            t[:, at:at + j - i] = _open(f)[:, i:j]
            at += j - i
    keys_in = t.shape[1]
    t = _reduce(t, min_count)
    store.save_npy(work / "merged" / f"{part:03d}.npy", np.ascontiguousarray(t))
    return {"keys_in": int(keys_in), "repeated_keys": int(t.shape[1])}


def merge(work: Path | str, min_count: int = 2, partition_keys: int = PARTITION_KEYS) -> dict[str, int]:
    """Stage 2, the plan and every partition, in this process."""
    work = Path(work)
    total = {"keys_in": 0, "repeated_keys": 0}
    for p in range(plan_merge(work, partition_keys)):
        for key, v in merge_partition(work, p, min_count).items():
            total[key] += v
    return total


def _find(t: np.ndarray, qc: np.ndarray, qg: np.ndarray, ql: np.ndarray) -> np.ndarray:
    """The column of each (group, line) key in the stage table `t` (sorted by order, group, line), -1 if absent."""
    out = np.full(len(qc), -1, dtype=np.int64)
    tc = t[_C]
    sel = np.arange(len(qc))
    i = np.searchsorted(tc, qc)
    while len(sel):   # (two keys of one `order` are rare: each round looks at the next entry of the run)
        ok = i < len(tc)
        sel, i = sel[ok], i[ok]
        ok = tc[i] == qc[sel]
        sel, i = sel[ok], i[ok]
        hit = (t[_G][i] == qg[sel]) & (t[_L][i] == ql[sel])
        out[sel[hit]] = i[hit]
        sel, i = sel[~hit], i[~hit] + 1
    return out


class RepeatedLinesStep(Step):
    """Removes lines repeated on at least `k` documents of the same group (see the module docstring).

    `k` defaults to 5: lines on five or more pages of one site are template, not article (sito's choice, not
    tuned on data; CCNet removes any repeat within a shard)."""

    name = "repeated_lines"

    def __init__(self, counts: str, k: int = 5, group_by: str = "site", task: int | None = None):
        if group_by not in GROUPINGS:
            raise ValueError(f"unknown group_by {group_by!r}: use one of {', '.join(GROUPINGS)}")
        if int(k) < 2:
            raise ValueError("k must be at least 2 (a line always occurs in its own document)")
        self.work = Path(counts)
        self.k = int(k)
        self.group_by = group_by
        self.task = task
        self._tables: list[np.ndarray | None] | None = None
        self._bounds = np.empty(0, dtype=_U64)
        self._own: np.ndarray | None = None
        self._own_task: int | None = None

    def set_task(self, task: int) -> "RepeatedLinesStep":
        self.task = task
        return self

    def _load(self) -> list[np.ndarray | None]:
        """The merged files, memory-mapped when first looked into (nothing of them is loaded)."""
        if self._tables is None:
            pfile = self.work / "params.json"
            if not pfile.exists():
                raise TaskError(f"repeated_lines.v1: no line counts in {self.work} (run the counting stage first)")
            params = json.loads(pfile.read_text("utf-8"))
            if params.get("group_by") != self.group_by:
                raise TaskError(f"repeated_lines.v1: counts in {self.work} are grouped by {params.get('group_by')!r}, "
                                f"the step asks for {self.group_by!r}")
            parts = int(_merge_plan(self.work)["partitions"])
            missing = [p for p in range(parts) if not (self.work / "merged" / f"{p:03d}.npy").exists()]
            if missing:
                raise TaskError(f"repeated_lines.v1: merged line counts missing in {self.work} (partitions "
                                f"{missing[:5]} of {parts}); run the merge stage first")
            self._bounds = np.asarray(bounds(parts), dtype=_U64)
            self._tables = [None] * parts
        return self._tables

    def _table(self, part: int) -> np.ndarray:
        tables = self._load()
        if tables[part] is None:
            tables[part] = _open(self.work / "merged" / f"{part:03d}.npy")
        return tables[part]

    def _task_table(self) -> np.ndarray | None:
        """Every key the step's task counted, with its merged count (0 below the merge's `min_count`): looked up
        in the merged files once, a partition at a time, so that a document's lookups are in memory. None without
        a task or its counts (the step then looks every document up in the merged files)."""
        if self._own_task != self.task:
            self._own, self._own_task = None, self.task
            path = count_path(self.work, self.task) if self.task is not None else None
            if path is not None and path.exists():
                own = np.array(_open(path))
                own[_N] = self._merged_counts(own[_C], own[_G], own[_L])
                self._own = own
        return self._own

    def _merged_counts(self, qc: np.ndarray, qg: np.ndarray, ql: np.ndarray) -> np.ndarray:
        """The merged count of each (group, line) key (`qc` its order), 0 when absent: each partition's keys
        looked up in its file."""
        out = np.zeros(len(qc), dtype=_U64)
        part = np.searchsorted(self._bounds, qc, side="right")
        for p in np.unique(part).tolist():
            sel = np.flatnonzero(part == p)
            t = self._table(p)
            at = _find(t, qc[sel], qg[sel], ql[sel])
            out[sel[at >= 0]] = t[_N][at[at >= 0]]
        return out

    def _counts(self, g: int, keys: list[int]) -> np.ndarray:
        """The merged count of each (g, key); 0 for a key absent from the merged files."""
        self._load()
        out = np.zeros(len(keys), dtype=np.int64)
        if not keys:
            return out
        ql = np.asarray(keys, dtype=_U64)
        qg = np.full(len(ql), g, dtype=_U64)
        qc = order_key(qg, ql)
        own = self._task_table()
        if own is not None:
            at = _find(own, qc, qg, ql)
            out[at >= 0] = own[_N][at[at >= 0]]
            rest = np.flatnonzero(at < 0)   # (none when the step sees the stream its task counted)
        else:
            rest = np.arange(len(ql))
        if len(rest):
            out[rest] = self._merged_counts(qc[rest], qg[rest], ql[rest])
        return out

    def process(self, doc: Document) -> Document:
        label = group_label(doc, self.group_by, self.task)
        lines = (doc.text or "").split("\n")
        keys = [line_key(ln) for ln in lines]
        known = [i for i, k in enumerate(keys) if k is not None]
        counts = self._counts(group_key(label), [keys[i] for i in known])
        repeated = {known[j]: int(c) for j, c in enumerate(counts.tolist()) if c >= self.k}
        if not repeated:
            return doc
        st_counters = self._stats.counters if self._stats is not None else None
        removed_keys = {keys[i]: c for i, c in repeated.items()}
        kept: list[str] = []
        for i, ln in enumerate(lines):
            if i in repeated:
                continue
            if not ln.strip() and (not kept or not kept[-1].strip()):
                continue  # no double blank lines where a repeated line was removed
            kept.append(ln)
        while kept and not kept[-1].strip():
            kept.pop()
        old = doc.text
        doc.text = "\n".join(kept)
        if doc.article is not None:
            if doc.article.text == old:
                doc.article.text = doc.text
            for ln in doc.article.lines:
                if not ln.keep:
                    continue
                k = line_key(ln.text)
                if k is not None and k in removed_keys:
                    ln.keep = False
                    ln.role = "boilerplate"
                    ln.reason = f"repeated on {removed_keys[k]} pages of {label}"
        if st_counters is not None:
            st_counters["lines_removed"] += len(repeated)
            st_counters["docs_changed"] += 1
        if not any(ln.strip() for ln in kept):
            doc.reject("repeated_lines", step=self.name, value=len(repeated), threshold=self.k,
                       detail=f"every line is repeated on at least {self.k} pages of {label}")
        return doc

    _stats = None

    def run(self, docs: Iterable[Document], stats: RunStats) -> Iterator[Document]:
        if self.group_by == "shard" and self.task is None:
            raise TaskError("repeated_lines.v1: group_by='shard' needs the task index (pass task= or call set_task)")
        self._stats = stats.step(self.name)
        self._load()
        self._task_table()   # (here, not inside the first document's time limit)
        return super().run(docs, stats)

"""Cross-page repeated-line removal: lines that occur in at least K documents of the same site (or shard, or
corpus) are boilerplate — "Wybrane dla Ciebie" headline lists, cookie notes, newsletter boxes — and are removed.

This is CCNet's paragraph dedup (Wenzek et al. 2020, "CCNet", section 3.3: hash normalised paragraphs, drop the
ones seen elsewhere in the shard) with a per-group count instead of a per-shard hash set, so that a line must be
shared by K distinct documents of the same group before it goes. Normalisation (`normalize_line`) follows CCNet's
`normalize_for_dedup`: lower-case, digits replaced by 0, punctuation and spacing ignored (sito's word rule, see
`hashing.reference_words`); the key is xxh64 of the normalised line. Empty normalised lines are never counted.

Stage API (same output for any number of workers / tasks):
1. `count_task(work, task, docs, group_by, partitions=16)` — per task: for every document not already rejected,
   its distinct line keys with its group key (xxh64 of the URL host without "www." for `site`, of the task
   index for `shard`, 0 for `all`; documents without URL share the group "(no site)"), counted per task into
   `counts/PPP/NNNNN.npz` (`group`, `line` uint64, `n` int64 = documents of this task; partition PPP = line key
   modulo `partitions`), and `counts/NNNNN.done`.
2. `merge_partition(work, part, min_count=2)` — per partition: sums the per-task counts and keeps the keys seen in
   at least `min_count` documents in `merged/PPP.npz` (sorted `group`, `line`, `n`).
3. `RepeatedLinesStep` ("repeated_lines.v1", params `counts` = the work folder, `k`, `group_by`, `task` for
   `shard`) — per document: removes from `doc.text` every line whose key has n >= k in the document's group,
   marks the matching kept lines of `doc.article.lines` as role "boilerplate", keep False, reason
   "repeated on N pages of <site>", and counts removed lines (`lines_removed`, `docs_changed`). A document
   whose every line is repeated is rejected with code `repeated_lines` (value = lines removed).

Important: a document copied K times would lose all its lines, so exact (and near) dedup should run before line
counting, or K should be larger than the number of copies you expect to survive dedup.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable, Iterator
from urllib.parse import urlsplit

import numpy as np
import xxhash

from ..document import Document
from ..errors import TaskError
from ..pipeline import RunStats, Step
from . import store
from .hashing import reference_words

_U64 = np.uint64
_DIGITS = re.compile(r"\d")
GROUPINGS = ("site", "shard", "all")
NO_SITE = "(no site)"


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


def count_task(work: Path | str, task: int, docs: Iterable[Document], group_by: str = "site",
               partitions: int = 16) -> dict[str, int]:
    """Stage 1 for one task: (group, line) -> number of documents of this task that contain the line."""
    if group_by not in GROUPINGS:
        raise ValueError(f"unknown group_by {group_by!r}: use one of {', '.join(GROUPINGS)}")
    work = Path(work)
    store.write_params(work, "lines", {"group_by": group_by, "partitions": partitions})
    groups: list[int] = []
    keys: list[int] = []
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
    g = np.asarray(groups, dtype=_U64)
    k = np.asarray(keys, dtype=_U64)
    if len(k):
        pairs, n = np.unique(np.stack([g, k], axis=1), axis=0, return_counts=True)
    else:
        pairs, n = np.empty((0, 2), _U64), np.empty(0, np.int64)
    part = (pairs[:, 1] % _U64(partitions)).astype(np.int64)
    for p in range(partitions):
        sel = part == p
        store.save_npz(work / "counts" / f"{p:03d}" / f"{task:05d}.npz",
                       group=pairs[sel, 0], line=pairs[sel, 1], n=n[sel].astype(np.int64))
    done = work / "counts" / f"{task:05d}.done"
    done.write_bytes(b"")
    return counters


def merge_partition(work: Path | str, part: int, min_count: int = 2) -> dict[str, int]:
    """Stage 2 for one partition: total document counts per (group, line), keeping those >= min_count."""
    work = Path(work)
    files = store.finished_files(work / "counts" / f"{part:03d}", "*.npz")
    done = store.finished_files(work / "counts", "*.done")
    if len(files) != len(done):
        raise TaskError(f"repeated lines: partition {part} has {len(files)} count files for {len(done)} counted "
                        "tasks; run the counting stage for every task first")
    ds = [store.load_npz(f) for f in files]
    g = np.concatenate([d["group"] for d in ds]) if ds else np.empty(0, _U64)
    k = np.concatenate([d["line"] for d in ds]) if ds else np.empty(0, _U64)
    n = np.concatenate([d["n"] for d in ds]) if ds else np.empty(0, np.int64)
    if len(k):
        pairs, inv = np.unique(np.stack([g, k], axis=1), axis=0, return_inverse=True)
        tot = np.bincount(inv.ravel(), weights=n, minlength=len(pairs)).astype(np.int64)
        keep = tot >= min_count
        pairs, tot = pairs[keep], tot[keep]
    else:
        pairs, tot = np.empty((0, 2), _U64), np.empty(0, np.int64)
    store.save_npz(work / "merged" / f"{part:03d}.npz", group=pairs[:, 0].copy(), line=pairs[:, 1].copy(), n=tot)
    return {"keys_in": int(len(k)), "repeated_keys": int(len(tot))}


def merge(work: Path | str, min_count: int = 2) -> dict[str, int]:
    """Stage 2 for all partitions in this process."""
    import json

    work = Path(work)
    params = json.loads((work / "params.json").read_text("utf-8"))
    total = {"keys_in": 0, "repeated_keys": 0}
    for p in range(int(params["partitions"])):
        for key, v in merge_partition(work, p, min_count).items():
            total[key] += v
    return total


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
        self._table: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    def set_task(self, task: int) -> "RepeatedLinesStep":
        self.task = task
        return self

    def _load(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if self._table is None:
            import json

            pfile = self.work / "params.json"
            if not pfile.exists():
                raise TaskError(f"repeated_lines.v1: no line counts in {self.work} (run the counting stage first)")
            params = json.loads(pfile.read_text("utf-8"))
            if params.get("group_by") != self.group_by:
                raise TaskError(f"repeated_lines.v1: counts in {self.work} are grouped by {params.get('group_by')!r}, "
                                f"the step asks for {self.group_by!r}")
            gs, ls, ns = [], [], []
            for p in range(int(params["partitions"])):
                d = store.load_npz(self.work / "merged" / f"{p:03d}.npz")
                sel = d["n"] >= self.k
                gs.append(d["group"][sel])
                ls.append(d["line"][sel])
                ns.append(d["n"][sel])
            g, l, n = np.concatenate(gs), np.concatenate(ls), np.concatenate(ns)
            o = np.lexsort((l, g))
            self._table = (g[o], l[o], n[o])
        return self._table

    def _counts(self, g: int, keys: list[int]) -> np.ndarray:
        tg, tl, tn = self._load()
        lo = np.searchsorted(tg, _U64(g), side="left")
        hi = np.searchsorted(tg, _U64(g), side="right")
        out = np.zeros(len(keys), dtype=np.int64)
        if hi == lo or not keys:
            return out
        q = np.asarray(keys, dtype=_U64)
        sub = tl[lo:hi]
        i = np.searchsorted(sub, q)
        i = np.minimum(i, len(sub) - 1)
        hit = sub[i] == q
        out[hit] = tn[lo:hi][i[hit]]
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
        return super().run(docs, stats)

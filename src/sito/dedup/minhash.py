"""Near-duplicate removal with MinHash LSH, in four out-of-core stages an executor can run task by task.

Stage API (all functions take the work folder `work` and a `MinHashParams`; same output for any number of
workers, because every tie is broken by global document order = (task index, position in the task)):

1. `hash_task(work, task, docs, params)` — per input task, in any worker. Reads the task's document stream (every
   document counts for the position, rejected ones are skipped but keep their place), computes signatures
   (`hashing.MinHasher`), and writes `tasks/NNNNN.docs.npz` (ids, number of words, keep-policy score, status),
   `tasks/NNNNN.sig.npy` ((documents, num_perm) uint32, memory-mapped later) and, for every band, the band key of
   every hashed document into `buckets/PPP/NNNNN.npz`, partition PPP = band key modulo `partitions`.
2. `group_partition(work, part, params)` — per partition, in any worker, after all of stage 1. Loads only that
   partition's band keys (about 1/partitions of them), sorts them by (band, key, document) and links the
   documents of each bucket (the documents with equal key in one band) through leaders: walking the bucket in
   global order, a document is compared with the bucket's leaders in order and linked to the first one the pair
   verifies against; when none does, it becomes a new leader. Verification (`verify`): "jaccard" (default) keeps
   a pair when the true Jaccard of the two stored shingle sets reaches `threshold`, "signature" when the share of
   equal signature entries does; this removes LSH false positives, and the leaders make sure that a false
   positive first in a bucket does not hide the near-duplicate pairs behind it. A bucket has at most
   `MAX_LEADERS` leaders (a document that verifies against none of them is not linked in that bucket), so a
   bucket that boilerplate fills costs at most MAX_LEADERS comparisons a document: linear, not quadratic. All
   leader rounds run vectorised over the whole partition (round k compares every bucket's remaining documents
   with its k-th leader), and each pair is verified once even when it shares many bands. With `verify="none"`
   every pair passes, so every document links to its bucket's first document (a star): the components are those
   of linking all pairs of the bucket, which are all candidates then. Writes `edges/PPP.npz` (`u`, `v` global
   keys, `sim` = share of equal signature entries).
3. `cluster(work, params)` — once, after all of stage 2. Connected components over the edges (only the
   documents that have an edge are loaded, as compact integer arrays; scipy's `connected_components`). In each
   component the representative is the document with the best keep-policy priority (`first`: none; `longest`:
   most words; `quality`: highest `metadata[score_key]`), ties going to the earliest document. Every other member
   is removed, unless `check_representative` is set and its similarity to the representative is below
   `threshold` (a chain A~B~C where C is far from A): the far members are then clustered again among
   themselves, the best of them representing those near it, round after round (at most `MAX_ROUNDS`), so that
   no two kept documents of a chain are near-duplicates of each other. A cluster (`minhash_cluster_size`) is a
   representative and the copies removed for it. Writes `decisions/NNNNN.npz` for
   every task (see `store`).
4. `NearDuplicateStep` ("minhash.v1") — per task, in the final pass over the same stream. Rejects removed copies
   with code `near_duplicate`, `value` = its Jaccard similarity with the representative (the true one with
   `verify="jaccard"`, else the signatures' estimate), `threshold`, and
   `detail` = "near-duplicate of <id>"; on kept documents sets `metadata["minhash_cluster_id"]` (the id of the
   cluster's representative, its own id when alone) and `metadata["minhash_cluster_size"]` (FineWeb-2's field,
   used to re-hydrate: see `rehydration_weight`). A document with no word at all is rejected with code
   `no_words`. The step checks every document's id against stage 1's and raises `TaskError` when the stream
   differs.

Memory: stage 1 holds one task's signatures; stage 2 one partition's band keys (18 bytes x bands / partitions
per document); stage 3 the edges (a few integers per duplicate document). Nothing holds the corpus text.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Iterable, Iterator

import numpy as np

from ..document import Document
from ..errors import TaskError
from . import store
from .store import same_id_note
from .decision_step import DecisionStep
from .hashing import MinHasher, _splitmix
from .lsh import optimal_bands

_U64 = np.uint64


@dataclass(frozen=True)
class MinHashParams:
    """Settings of a near-dedup run. The defaults: 112 permutations and 5-gram words as FineWeb-2 (which uses
    14 bands x 8 rows, README of ../shared/data/fineweb2); sito derives the banding from `threshold` instead
    (`lsh.optimal_bands` with fp_weight 0.02 / fn_weight 0.98: 22 x 5 for 0.7), because 14 x 8 makes only ~57 %
    of the pairs at Jaccard 0.7 candidates; the false positives this lets through are removed by `verify`
    ("jaccard": true Jaccard of the stored shingle sets, default; "signature": share of equal signature entries,
    no extra disk; "none")."""

    num_perm: int = 112
    ngram: int = 5
    seed: int = 1
    threshold: float = 0.7
    bands: int | None = None
    rows: int | None = None
    partitions: int = 16
    keep: str = "first"
    score_key: str = "quality_score"
    verify: str = "jaccard"
    check_representative: bool = True
    batch_docs: int = 512

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold < 1.0:
            raise ValueError(f"threshold must be in (0, 1), got {self.threshold}")
        if (self.bands is None) != (self.rows is None):
            raise ValueError("give both bands and rows, or neither (then they are derived from threshold)")
        if self.bands is not None and self.bands * self.rows > self.num_perm:
            raise ValueError(f"bands x rows = {self.bands * self.rows} exceeds num_perm = {self.num_perm}")
        if self.keep not in ("first", "longest", "quality"):
            raise ValueError(f"unknown keep policy {self.keep!r}: use 'first', 'longest' or 'quality'")
        if self.partitions < 1:
            raise ValueError("partitions must be at least 1")
        if self.verify not in ("jaccard", "signature", "none"):
            raise ValueError(f"unknown verify mode {self.verify!r}: use 'jaccard', 'signature' or 'none'")

    @cached_property
    def banding(self) -> tuple[int, int]:
        if self.bands is not None and self.rows is not None:
            return self.bands, self.rows
        # recall-weighted: candidates are verified afterwards, a missed pair is lost for good
        return optimal_bands(self.threshold, self.num_perm, fp_weight=0.02, fn_weight=0.98)

    @property
    def hasher(self) -> MinHasher:
        return MinHasher(self.num_perm, self.ngram, self.seed)

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["bands"], d["rows"] = self.banding
        d.pop("batch_docs")
        return d


def _band_keys(sig: np.ndarray, bands: int, rows: int, seed: int) -> np.ndarray:
    """(documents, bands) uint64 keys: the rows of each band combined and mixed."""
    rng = np.random.default_rng(seed + 7919)
    comb = rng.integers(0, 1 << 63, size=rows, dtype=np.uint64) * _U64(2) + _U64(1)
    out = np.empty((sig.shape[0], bands), dtype=_U64)
    for b in range(bands):
        block = sig[:, b * rows:(b + 1) * rows].astype(_U64)
        acc = block[:, 0] * comb[0]
        for r in range(1, rows):
            acc += block[:, r] * comb[r]
        acc += _U64(b)
        out[:, b] = _splitmix(acc)
    return out


def _score(doc: Document, key: str) -> float:
    v = doc.metadata.get(key) if doc.metadata else None
    try:
        return float(v) if v is not None else float("nan")
    except (TypeError, ValueError):
        return float("nan")


def hash_task(work: Path | str, task: int, docs: Iterable[Document], params: MinHashParams) -> dict[str, int]:
    """Stage 1 for one task: signatures, document table and band keys on disk. Returns counters."""
    work = Path(work)
    store.write_params(work, "minhash", params.as_dict())
    hasher = params.hasher
    bands, rows = params.banding
    table = store.TaskDocsWriter()
    sig_parts: list[np.ndarray] = []
    sig_pos: list[np.ndarray] = []
    sets: list[tuple[np.ndarray, np.ndarray]] = []
    keep_sets = params.verify == "jaccard"
    batch_texts: list[str] = []
    batch_pos: list[int] = []
    batch_bytes = 0
    counters = {"documents": 0, "hashed": 0, "skipped_rejected": 0, "no_words": 0, "short": 0}

    def flush() -> None:
        nonlocal batch_texts, batch_pos, batch_bytes
        if not batch_texts:
            return
        if keep_sets:
            sig, nw, vals, off = hasher.signatures_and_sets(batch_texts)
            sets.append((vals, np.diff(off)))
        else:
            sig, nw = hasher.signatures(batch_texts)
        table.set_words(batch_pos, nw)
        counters["no_words"] += int((nw == 0).sum())
        counters["short"] += int(((nw > 0) & (nw < params.ngram)).sum())
        sig_parts.append(sig)
        sig_pos.append(np.asarray(batch_pos, dtype=np.int64))
        batch_texts, batch_pos, batch_bytes = [], [], 0

    for pos, doc in enumerate(docs):
        counters["documents"] += 1
        if doc.rejection is not None:
            table.add(doc.id, store.STATUS_SKIPPED)
            counters["skipped_rejected"] += 1
            continue
        table.add(doc.id, store.STATUS_HASHED, 0, _score(doc, params.score_key))
        text = doc.text or ""
        batch_texts.append(text)
        batch_pos.append(pos)
        batch_bytes += len(text)
        if len(batch_texts) >= params.batch_docs or batch_bytes >= (4 << 20):
            flush()
    flush()
    n = len(table.status)
    sig_all = np.full((n, params.num_perm), 0xFFFFFFFF, dtype=np.uint32)
    for s, p in zip(sig_parts, sig_pos):
        sig_all[p] = s
    del sig_parts
    if keep_sets:
        counts = np.zeros(n, dtype=np.int64)
        for (vals, c), p in zip(sets, sig_pos):
            counts[p] = c
        # values are in position order because batches are appended in stream order
        store.save_npy(work / "tasks" / f"{task:05d}.sets.npy",
                       np.concatenate([v for v, _ in sets]) if sets else np.empty(0, np.uint32))
        off = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(counts, out=off[1:])
        store.save_npy(work / "tasks" / f"{task:05d}.setoff.npy", off)
        del sets
    status = np.asarray(table.status, dtype=np.uint8)
    hashed = np.flatnonzero(status == store.STATUS_HASHED)
    counters["hashed"] = int(len(hashed))
    store.save_npy(work / "tasks" / f"{task:05d}.sig.npy", sig_all)
    keys = _band_keys(sig_all[hashed], bands, rows, params.seed)
    doc_keys = store.global_key(task, hashed)
    band_idx = np.broadcast_to(np.arange(bands, dtype=np.uint16), keys.shape)
    flat_keys = keys.ravel()
    flat_band = band_idx.ravel()
    flat_doc = np.repeat(doc_keys, bands)
    part = (flat_keys % _U64(params.partitions)).astype(np.int64)
    order = np.argsort(part, kind="stable")
    bounds = np.searchsorted(part[order], np.arange(params.partitions + 1))
    for p in range(params.partitions):
        sel = order[bounds[p]:bounds[p + 1]]
        store.save_npz(work / "buckets" / f"{p:03d}" / f"{task:05d}.npz",
                       band=flat_band[sel], key=flat_keys[sel], doc=flat_doc[sel])
    # the document table last: its presence means the task's stage 1 is complete
    table.save(work, task)
    return counters


class SignatureReader:
    """Rows of the per-task signature files, memory-mapped, gathered by global key."""

    def __init__(self, work: Path):
        self.work = work
        self._maps: dict[int, np.ndarray] = {}
        self._setmaps: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def _map(self, task: int) -> np.ndarray:
        m = self._maps.get(task)
        if m is None:
            path = self.work / "tasks" / f"{task:05d}.sig.npy"
            if not path.exists():
                raise TaskError(f"dedup: missing signatures {path} (stage 1 did not finish for task {task})")
            if len(self._maps) > 256:
                self._maps.clear()
            m = self._maps[task] = np.load(path, mmap_mode="r", allow_pickle=False)
        return m

    def rows(self, keys: np.ndarray) -> np.ndarray:
        tasks, pos = store.split_key(keys)
        out = None
        order = np.argsort(keys, kind="stable")
        bounds = np.flatnonzero(np.diff(tasks[order], prepend=-1, append=-2))
        for s, e in zip(bounds[:-1], bounds[1:]):
            sel = order[s:e]
            m = self._map(int(tasks[sel[0]]))
            if out is None:
                out = np.empty((len(keys), m.shape[1]), dtype=np.uint32)
            out[sel] = m[pos[sel]]
        if out is None:
            out = np.empty((0, 0), dtype=np.uint32)
        return out

    def _sets(self, task: int) -> tuple[np.ndarray, np.ndarray]:
        m = self._setmaps.get(task)
        if m is None:
            base = self.work / "tasks" / f"{task:05d}"
            vpath, opath = Path(f"{base}.sets.npy"), Path(f"{base}.setoff.npy")
            if not vpath.exists() or not opath.exists():
                raise TaskError(f"dedup: missing shingle sets {vpath} (stage 1 did not finish, or ran without "
                                "verify='jaccard')")
            if len(self._setmaps) > 256:
                self._setmaps.clear()
            m = self._setmaps[task] = (np.load(vpath, mmap_mode="r", allow_pickle=False),
                                       np.load(opath, allow_pickle=False))
        return m

    def jaccard(self, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        """True Jaccard of the shingle sets of each pair (u[i], v[i])."""
        out = np.empty(len(u), dtype=np.float32)
        ut, up = store.split_key(u)
        vt, vp = store.split_key(v)
        for i in range(len(u)):
            va, oa = self._sets(int(ut[i]))
            vb, ob = self._sets(int(vt[i]))
            a = va[oa[up[i]]:oa[up[i] + 1]]
            b = vb[ob[vp[i]]:ob[vp[i] + 1]]
            if len(a) == 0 and len(b) == 0:
                out[i] = 1.0
                continue
            inter = np.intersect1d(a, b, assume_unique=True).size
            out[i] = inter / (len(a) + len(b) - inter)
        return out

    def similarity(self, u: np.ndarray, v: np.ndarray, chunk: int = 65536) -> np.ndarray:
        sim = np.empty(len(u), dtype=np.float32)
        for s in range(0, len(u), chunk):
            a = self.rows(u[s:s + chunk])
            b = self.rows(v[s:s + chunk])
            sim[s:s + chunk] = (a == b).mean(axis=1) if len(a) else 0.0
        return sim


# Leaders per LSH bucket in stage 2 (see the module doc): the documents of a bucket that the others are compared
# with. A bucket of near-duplicates links everything to its first leader; more leaders are needed only when
# unrelated documents share a bucket, and the cap keeps a bucket filled by boilerplate linear.
MAX_LEADERS = 8


def group_partition(work: Path | str, part: int, params: MinHashParams) -> dict[str, int]:
    """Stage 2 for one partition: candidate pairs from equal band keys, verified; writes edges/PPP.npz."""
    work = Path(work)
    store.write_params(work, "minhash", params.as_dict())
    files = store.partition_files(work, part, "band")
    bands_l, keys_l, docs_l = [], [], []
    for f in files:
        d = store.load_npz(f)
        bands_l.append(d["band"])
        keys_l.append(d["key"])
        docs_l.append(d["doc"])
    band = np.concatenate(bands_l) if bands_l else np.empty(0, np.uint16)
    key = np.concatenate(keys_l) if keys_l else np.empty(0, _U64)
    doc = np.concatenate(docs_l) if docs_l else np.empty(0, _U64)
    del bands_l, keys_l, docs_l
    order = np.lexsort((doc, key, band))
    band, key, doc = band[order], key[order], doc[order]
    del order
    counters = {"band_records": int(len(doc)), "candidates": 0, "edges": 0}
    # bucket number of every record; records alone in their bucket are dropped
    new = np.ones(len(doc), dtype=bool)
    new[1:] = (key[1:] != key[:-1]) | (band[1:] != band[:-1])
    bucket = np.cumsum(new) - 1
    del band, key, new
    shared = np.bincount(bucket)[bucket] > 1 if len(bucket) else np.zeros(0, dtype=bool)
    bucket, doc = bucket[shared], doc[shared]
    nodes, idx = np.unique(doc, return_inverse=True)   # dense indices in global order
    del doc, shared
    reader = SignatureReader(work)
    pairs = _VerifiedPairs(reader, nodes, params)
    # leader rounds: in round k every bucket's first pending document is its k-th leader; the bucket's later pending
    # documents are compared with it, those verified are linked to it and leave, the others stay pending
    for _ in range(MAX_LEADERS):
        if len(idx) < 2:
            break
        first = np.ones(len(idx), dtype=bool)
        first[1:] = bucket[1:] != bucket[:-1]
        heads = np.flatnonzero(first)
        leader = np.repeat(idx[heads], np.diff(np.append(heads, len(idx))))
        member = ~first
        ok = pairs.verify(leader[member], idx[member])
        bucket, idx = bucket[member][~ok], idx[member][~ok]
    u, v, sim = pairs.edges()
    counters["candidates"] = pairs.compared
    counters["edges"] = int(len(u))
    store.save_npz(work / "edges" / f"{part:03d}.npz", u=u, v=v, sim=sim)
    return counters


class _VerifiedPairs:
    """The candidate pairs of one partition, each verified once (a near-duplicate pair shares many bands): pairs of
    dense indices (u < v) into `nodes`, kept sorted by code u * len(nodes) + v, which is global order of (u, v)."""

    def __init__(self, reader: SignatureReader, nodes: np.ndarray, params: MinHashParams):
        self.reader, self.nodes, self.params = reader, nodes, params
        self.code = np.empty(0, dtype=np.int64)
        self.ok = np.empty(0, dtype=bool)
        self.sim = np.empty(0, dtype=np.float32)

    @property
    def compared(self) -> int:
        return int(len(self.code))

    def _find(self, code: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        pos = np.searchsorted(self.code, code)
        found = pos < len(self.code)
        found[found] = self.code[pos[found]] == code[found]
        return pos, found

    def verify(self, iu: np.ndarray, iv: np.ndarray) -> np.ndarray:
        """Whether each pair (iu[i], iv[i]) passes verification (always, with verify="none")."""
        n = np.int64(len(self.nodes))
        code = iu.astype(np.int64) * n + iv.astype(np.int64)
        _, found = self._find(code)
        fresh = np.unique(code[~found])
        if len(fresh):
            u, v = self.nodes[fresh // n], self.nodes[fresh % n]
            sim = self.reader.similarity(u, v)
            if self.params.verify == "jaccard":
                ok = self.reader.jaccard(u, v) >= self.params.threshold
            elif self.params.verify == "signature":
                ok = sim >= self.params.threshold
            else:
                ok = np.ones(len(fresh), dtype=bool)
            code_all = np.concatenate([self.code, fresh])
            order = np.argsort(code_all, kind="stable")
            self.code = code_all[order]
            self.ok = np.concatenate([self.ok, ok])[order]
            self.sim = np.concatenate([self.sim, sim])[order]
        pos, _ = self._find(code)
        return self.ok[pos]

    def edges(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        n = np.int64(len(self.nodes))
        code = self.code[self.ok]
        return self.nodes[code // n], self.nodes[code % n], self.sim[self.ok]


MAX_ROUNDS = 50   # re-clustering rounds of a component's far members (each round settles at least one document)


def cluster(work: Path | str, params: MinHashParams) -> dict[str, int]:
    """Stage 3: connected components, representatives, and per-task decisions."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    work = Path(work)
    store.write_params(work, "minhash", params.as_dict())
    us, vs = [], []
    for p in range(params.partitions):
        path = work / "edges" / f"{p:03d}.npz"
        d = store.load_npz(path)
        us.append(d["u"])
        vs.append(d["v"])
    u = np.concatenate(us)
    v = np.concatenate(vs)
    nodes, inv = np.unique(np.concatenate([u, v]), return_inverse=True)
    n = len(nodes)
    counters = {"edges": int(len(u)), "clustered_documents": int(n), "clusters": 0, "removed": 0,
                "kept_far_from_representative": 0}
    if n == 0:
        store.write_decisions(work, *(np.empty(0, t) for t in (_U64, _U64, np.int64, np.float32, bool)))
        return counters
    a, b = inv[:len(u)], inv[len(u):]
    g = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n))
    ncomp, label = connected_components(g, directed=False)
    counters["clusters"] = int(ncomp)
    attrs = store.doc_attributes(work, nodes, ("n_words", "score"))
    prio = store.priority(params.keep, attrs["n_words"], attrs["score"])
    # best priority first, then earliest document (nodes are sorted by global key, so index order is global order)
    order = np.lexsort((np.arange(n), -prio, label))
    first = np.ones(n, dtype=bool)
    first[1:] = label[order][1:] != label[order][:-1]
    rep_of_label = np.empty(ncomp, dtype=np.int64)
    rep_of_label[label[order][first]] = order[first]
    rep = rep_of_label[label]
    is_rep = rep == np.arange(n)
    sim = np.ones(n, dtype=np.float32)     # estimated Jaccard with the document's representative
    check = sim.copy()                     # what decides: the true Jaccard with verify="jaccard", else `sim`
    removed = ~is_rep
    reader = SignatureReader(work) if n > ncomp else None

    def measure(idx: np.ndarray) -> None:
        sim[idx] = reader.similarity(nodes[idx], nodes[rep[idx]])
        check[idx] = reader.jaccard(nodes[idx], nodes[rep[idx]]) if params.verify == "jaccard" else sim[idx]

    others = np.flatnonzero(~is_rep)
    if len(others):
        measure(others)
    if params.check_representative:
        # A member far from its representative (a chain A~B~C, C far from A) is not A's copy: the far members of
        # a component are clustered again among themselves — the best of them represents those near it — until
        # none is left (a document that is near nobody left represents itself)
        pending = removed & (check < params.threshold)
        removed &= ~pending
        for _ in range(MAX_ROUNDS):
            idx = np.flatnonzero(pending)
            if not len(idx):
                break
            o = idx[np.lexsort((idx, -prio[idx], label[idx]))]
            lead = np.ones(len(o), dtype=bool)
            lead[1:] = label[o][1:] != label[o][:-1]
            new_rep = np.empty(ncomp, dtype=np.int64)
            new_rep[label[o][lead]] = o[lead]
            rep[idx] = new_rep[label[idx]]
            sim[o[lead]] = check[o[lead]] = 1.0
            pending[o[lead]] = False
            rest = idx[rep[idx] != idx]
            if len(rest):
                measure(rest)
                near = rest[check[rest] >= params.threshold]
                removed[near] = True
                pending[near] = False
        left = np.flatnonzero(pending)
        rep[left] = left
        sim[left] = check[left] = 1.0
        counters["kept_far_from_representative"] = int(np.count_nonzero(rep == np.arange(n)) - ncomp)
    # a cluster is a representative and the copies removed for it
    size = np.bincount(rep, minlength=n)[rep]
    counters["removed"] = int(removed.sum())
    # (a rejection's value: the similarity that decided, the true Jaccard when it was computed)
    store.write_decisions(work, nodes, nodes[rep], size, check, removed)
    return counters


def rehydration_weight(cluster_size: int, cap: int = 10) -> int:
    """How many times to repeat a kept document when re-hydrating: its cluster size, capped at `cap`.

    FineWeb-2 keeps `minhash_cluster_size` so that users can upsample documents that had many copies (its
    README, ../shared/data/fineweb2/README.md); the mapping from size to weight is the user's choice, this is
    the simplest one (size, capped)."""
    return max(1, min(int(cluster_size), int(cap)))


def rehydrate(docs: Iterable[Document], cap: int = 10) -> Iterator[Document]:
    """Repeat every kept document by its `rehydration_weight` (copies get ids `<id>#rN`); rejected ones once."""
    from copy import deepcopy

    for doc in docs:
        yield doc
        if doc.rejection is not None:
            continue
        w = rehydration_weight(doc.metadata.get("minhash_cluster_size", 1), cap)
        for r in range(1, w):
            c = deepcopy(doc)
            c.id = f"{doc.id}#r{r}"
            yield c


class NearDuplicateStep(DecisionStep):
    """Final stage: rejects near-duplicate copies and labels kept documents with their cluster (see module doc).

    Parameters: `work` (the folder of stages 1-3), `task` (this task's index; the executor may instead call
    `set_task`), `rehydrate_cap` (> 0 writes `metadata["minhash_rehydrate_weight"]`)."""

    name = "minhash"

    def __init__(self, work: str, task: int | None = None, rehydrate_cap: int = 0):
        super().__init__(work, task)
        self.rehydrate_cap = int(rehydrate_cap)
        self.threshold = None

    def prepare(self) -> None:
        self.threshold = json.loads((self.work / "params.json").read_text("utf-8")).get("threshold")

    def no_words(self, doc: Document, st) -> None:
        doc.reject("no_words", step=self.name, value=0, threshold=1,
                   detail="no words to compare: the text is empty or only punctuation")
        st.counters["no_words"] += 1

    def decide(self, doc: Document, d, st) -> None:
        if d is not None and d.removed:
            doc.reject("near_duplicate", step=self.name, value=round(d.sim, 4), threshold=self.threshold,
                       detail=f"near-duplicate of {d.rep_id}" + same_id_note(doc.id, d))
            doc.metadata["minhash_duplicate_of"] = {"id": d.rep_id, "task": d.rep_task, "position": d.rep_pos}
            st.counters["near_duplicates"] += 1
            return
        size = d.size if d is not None else 1
        exact = doc.metadata.get("exact_dup_count")
        if isinstance(exact, int) and exact > 1:   # (its exact copies, removed before MinHash, are copies too)
            size += exact - 1
        doc.metadata["minhash_cluster_id"] = d.rep_id if d is not None else doc.id
        doc.metadata["minhash_cluster_size"] = size
        if self.rehydrate_cap > 0:
            doc.metadata["minhash_rehydrate_weight"] = rehydration_weight(size, self.rehydrate_cap)
        if size > 1:
            st.counters["kept_in_cluster"] += 1

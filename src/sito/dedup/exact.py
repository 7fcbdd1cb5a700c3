"""Exact duplicate removal on normalised text, in the same stage shape as MinHash (per task, per partition, once).

Normalisation (`normalize`): "none" (the text as is), "whitespace" (runs of whitespace collapsed, ends stripped),
"lower" (whitespace + lower-case, the default), "words" (lower-cased words only, as MinHash sees them, so that
punctuation and spacing differences do not matter). The digest is xxh3-128 of the UTF-8 normalised text
(xxhash: a well-kept C library, collisions at 2**-64 per pair are negligible at corpus sizes).

Stage API (same determinism rule as `minhash`: ties go to the earliest document in (task, position) order):
1. `hash_task(work, task, docs, params)` — per task: `tasks/NNNNN.docs.npz` (see `store`) and the digests in
   `buckets/PPP/NNNNN.npz` (`h1`, `h2` uint64, `doc` global key), partition = h1 modulo `partitions`.
2. `group_partition(work, part, params)` — per partition: sorts the digests, finds groups of equal text, picks
   the representative by the keep policy (`first`, `longest` = most characters before normalisation, `quality` =
   `metadata[score_key]`), writes `groups/PPP.npz`.
3. `decide(work, params)` — once: splits the groups into `decisions/NNNNN.npz` per task (with the
   representatives' ids).
4. `ExactDuplicateStep` ("exact_dedup.v1") — per task: rejects copies with code `exact_duplicate`, value 1.0,
   detail "exact duplicate of <id>"; sets `metadata["exact_dup_count"]` (group size) on kept documents that had
   copies. Documents whose normalised text is empty are rejected with code `empty_text`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Iterable

import numpy as np
import xxhash

from ..document import Document
from . import store
from .store import same_id_note
from .decision_step import DecisionStep
from .hashing import nfc, reference_words

_U64 = np.uint64
NORMALIZATIONS = ("none", "whitespace", "lower", "words")


def normalize_text(text: str, how: str = "lower") -> str:
    if how == "none":
        return text
    if how == "whitespace":
        return " ".join(nfc(text).split())
    if how == "lower":
        return " ".join(nfc(text).lower().split())
    if how == "words":
        return " ".join(reference_words(text))
    raise ValueError(f"unknown normalisation {how!r}: use one of {', '.join(NORMALIZATIONS)}")


@dataclass(frozen=True)
class ExactParams:
    normalize: str = "lower"
    partitions: int = 16
    keep: str = "first"
    score_key: str = "quality_score"

    def __post_init__(self) -> None:
        if self.normalize not in NORMALIZATIONS:
            raise ValueError(f"unknown normalisation {self.normalize!r}: use one of {', '.join(NORMALIZATIONS)}")
        if self.keep not in ("first", "longest", "quality"):
            raise ValueError(f"unknown keep policy {self.keep!r}: use 'first', 'longest' or 'quality'")
        if self.partitions < 1:
            raise ValueError("partitions must be at least 1")

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def hash_task(work: Path | str, task: int, docs: Iterable[Document], params: ExactParams) -> dict[str, int]:
    work = Path(work)
    store.write_params(work, "exact", params.as_dict())
    table = store.TaskDocsWriter()
    h1: list[int] = []
    h2: list[int] = []
    pos_l: list[int] = []
    counters = {"documents": 0, "hashed": 0, "skipped_rejected": 0, "empty": 0}
    for pos, doc in enumerate(docs):
        counters["documents"] += 1
        if doc.rejection is not None:
            table.add(doc.id, store.STATUS_SKIPPED)
            counters["skipped_rejected"] += 1
            continue
        norm = normalize_text(doc.text or "", params.normalize)
        if not norm:
            table.add(doc.id, store.STATUS_EMPTY)
            counters["empty"] += 1
            continue
        score = doc.metadata.get(params.score_key) if doc.metadata else None
        try:
            score = float(score) if score is not None else float("nan")
        except (TypeError, ValueError):
            score = float("nan")
        table.add(doc.id, store.STATUS_HASHED, len(doc.text), score)  # raw length: "longest" policy
        d = xxhash.xxh3_128_intdigest(norm.encode("utf-8", "surrogatepass"))
        h1.append(d >> 64)
        h2.append(d & 0xFFFFFFFFFFFFFFFF)
        pos_l.append(pos)
        counters["hashed"] += 1
    a1 = np.asarray(h1, dtype=_U64)
    a2 = np.asarray(h2, dtype=_U64)
    dk = store.global_key(task, np.asarray(pos_l, dtype=np.int64))
    part = (a1 % _U64(params.partitions)).astype(np.int64) if len(a1) else np.empty(0, np.int64)
    for p in range(params.partitions):
        sel = part == p
        store.save_npz(work / "buckets" / f"{p:03d}" / f"{task:05d}.npz", h1=a1[sel], h2=a2[sel], doc=dk[sel])
    table.save(work, task)
    return counters


def group_partition(work: Path | str, part: int, params: ExactParams) -> dict[str, int]:
    work = Path(work)
    store.write_params(work, "exact", params.as_dict())
    files = store.partition_files(work, part, "digest")
    parts = [store.load_npz(f) for f in files]
    h1 = np.concatenate([d["h1"] for d in parts]) if parts else np.empty(0, _U64)
    h2 = np.concatenate([d["h2"] for d in parts]) if parts else np.empty(0, _U64)
    doc = np.concatenate([d["doc"] for d in parts]) if parts else np.empty(0, _U64)
    order = np.lexsort((doc, h2, h1))
    h1, h2, doc = h1[order], h2[order], doc[order]
    counters = {"digests": int(len(doc)), "groups": 0, "removed": 0}
    if len(doc) == 0:
        store.save_npz(work / "groups" / f"{part:03d}.npz", doc=doc, rep=doc, size=np.empty(0, np.int64))
        return counters
    new = np.ones(len(doc), dtype=bool)
    new[1:] = (h1[1:] != h1[:-1]) | (h2[1:] != h2[:-1])
    gid = np.cumsum(new) - 1
    gsize = np.bincount(gid)
    multi = gsize[gid] > 1
    doc, gid = doc[multi], gid[multi]
    if len(doc):
        attrs = store.doc_attributes(work, doc, ("n_words", "score"))
        prio = store.priority(params.keep, attrs["n_words"], attrs["score"])
        o = np.lexsort((doc, -prio, gid))
        firsts = np.ones(len(o), dtype=bool)
        firsts[1:] = gid[o][1:] != gid[o][:-1]
        rep_of = {int(g): doc[i] for g, i in zip(gid[o][firsts].tolist(), o[firsts].tolist())}
        rep = np.fromiter((rep_of[int(g)] for g in gid.tolist()), dtype=_U64, count=len(gid))
    else:
        rep = np.empty(0, _U64)
    counters["groups"] = int((gsize > 1).sum())
    counters["removed"] = int((doc != rep).sum())
    store.save_npz(work / "groups" / f"{part:03d}.npz", doc=doc, rep=rep, size=gsize[gid].astype(np.int64))
    return counters


def decide(work: Path | str, params: ExactParams) -> dict[str, int]:
    work = Path(work)
    store.write_params(work, "exact", params.as_dict())
    parts = [store.load_npz(work / "groups" / f"{p:03d}.npz") for p in range(params.partitions)]
    doc = np.concatenate([d["doc"] for d in parts])
    rep = np.concatenate([d["rep"] for d in parts])
    size = np.concatenate([d["size"] for d in parts])
    store.write_decisions(work, doc, rep, size, np.ones(len(doc), np.float32), doc != rep)
    return {"grouped_documents": int(len(doc)), "removed": int((doc != rep).sum())}


class ExactDuplicateStep(DecisionStep):
    """Final stage of exact dedup (see the module docstring). Parameters: `work`, `task` (or `set_task`)."""

    name = "exact_dedup"

    def no_words(self, doc: Document, st) -> None:
        doc.reject("empty_text", step=self.name, value=0, threshold=1, detail="the text is empty after normalisation")
        st.counters["empty_text"] += 1

    def decide(self, doc: Document, d, st) -> None:
        if d is not None and d.removed:
            doc.reject("exact_duplicate", step=self.name, value=1.0, threshold=1.0,
                       detail=f"exact duplicate of {d.rep_id}" + same_id_note(doc.id, d))
            doc.metadata["exact_duplicate_of"] = {"id": d.rep_id, "task": d.rep_task, "position": d.rep_pos}
            st.counters["exact_duplicates"] += 1
        elif d is not None:
            doc.metadata["exact_dup_count"] = d.size

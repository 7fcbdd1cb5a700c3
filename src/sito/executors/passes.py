"""How a run is cut into passes over the data, and the corpus-wide dedup stages between them.

Removing what repeats across documents needs to see every document first, so a run with dedup makes several
passes over the same tasks; a run without it makes one:

    pass p0  read → html → clean                 + MinHash signatures and band keys  (work/minhash)
             ── group band keys per partition, then connected components
    pass p1  near-duplicate decisions            + count lines per site              (work/lines)
             ── merge the line counts, one partition at a time
    final    repeated lines → language / quality filters → OUT/kept, OUT/rejected
    (with `[dedup] exact = true`, an exact-hash pass comes first)

Every pass reads the previous pass's complete stream — kept and rejected documents, in the same order — from
`OUT/work/<pass>/`, so a document's position in its task (the dedup stages' address of it) never changes; only
the final pass writes `kept/` and `rejected/`.

The order is deliberate. Near-duplicates go first (as in FineWeb-2, which deduplicates before filtering): lines
are then counted over distinct documents only — counted over copies, a story published five times on one site
would lose its own lines as "repeated on 5 pages" and disappear. Line removal runs before the quality filters,
so that an article is judged without the template lines of its site. MinHash sees the cleaned text, from which
the line cleaner has already removed most of a site's template.

A pass and a corpus-wide stage each leave a completion marker, so `--resume` continues at the first unfinished
task of the first unfinished pass. The partitioned stages (`group_partition`, `merge_partition`) are independent
per partition and run on the executor's workers; the one global step (`cluster` / `decide`) works on compact
integer arrays of candidate pairs, never on the documents.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..config import Config, StepSpec


@dataclass
class HashSpec:
    """The per-task hashing that ends a pass, and the corpus-wide stage that follows it."""

    kind: str  # "lines" | "exact" | "minhash"
    work: str  # folder of that kind's files
    params: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "work": self.work, "params": self.params}


@dataclass
class Pass:
    name: str
    steps: list[StepSpec]
    source: str | None  # None: the input files; else the name of the previous pass
    final: bool
    hash: HashSpec | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "steps": [s.as_dict() for s in self.steps], "source": self.source,
                "final": self.final, "hash": self.hash.as_dict() if self.hash else None}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Pass":
        h = d.get("hash")
        return cls(d["name"], [StepSpec(s["name"], {k: v for k, v in s.items() if k != "name"}) for s in d["steps"]],
                   d.get("source"), bool(d["final"]), HashSpec(h["kind"], h["work"], h.get("params", {})) if h else None)


_CONTENT_STEPS = ("html.v1", "clean.v1", "raw_check.v1")


def plan_passes(cfg: Config, out: Path) -> list[Pass]:
    """The passes of a run: one without dedup, three or four with it."""
    steps = cfg.pipeline_steps()
    d = cfg.dedup
    if not cfg.run.dedup or not (d.lines or d.exact or d.minhash):
        return [Pass("final", steps, None, True)]
    work = out / "work"
    # the steps up to the last content step run before dedup, the others after it, each in the order given
    last = max((i for i, s in enumerate(steps) if s.name in _CONTENT_STEPS), default=-1)
    head, rest = steps[:last + 1], steps[last + 1:]
    # each kind hashes at the end of one pass and is applied at the start of the next, in this order
    kinds: list[tuple[HashSpec, StepSpec]] = []
    if d.exact:
        kinds.append((HashSpec("exact", str(work / "exact"), {"normalize": d.exact_normalize,
                                                              "partitions": d.partitions, "keep": d.keep}),
                      StepSpec("exact_dedup.v1", {"work": str(work / "exact")})))
    if d.minhash:
        kinds.append((HashSpec("minhash", str(work / "minhash"), d.minhash_params()),
                      StepSpec("minhash.v1", {"work": str(work / "minhash"), "rehydrate_cap": d.rehydrate_cap})))
    if d.lines:
        kinds.append((HashSpec("lines", str(work / "lines"), {"group_by": d.line_group_by}),
                      StepSpec("repeated_lines.v1", {"counts": str(work / "lines"), "k": d.line_k,
                                                     "group_by": d.line_group_by})))
    segments: list[tuple[list[StepSpec], HashSpec | None]] = []
    pending: list[StepSpec] = list(head)
    for spec, apply in kinds:
        segments.append((pending, spec))
        pending = [apply]
    pending = pending + rest
    passes: list[Pass] = []
    for i, (seg_steps, h) in enumerate(segments):
        passes.append(Pass(f"p{i}", seg_steps, passes[-1].name if passes else None, False, h))
    passes.append(Pass("final", pending, passes[-1].name if passes else None, True))
    return passes


# --- the hashing at the end of a pass, and the corpus-wide stage after it ------------------------------------

def hash_stream(spec: HashSpec, task: int, docs) -> dict[str, int]:
    """Consume `docs` (the pass's output stream of one task) into the kind's per-task files."""
    from .. import dedup

    work = Path(spec.work)
    if spec.kind == "lines":
        return dedup.lines.count_task(work, task, docs, spec.params["group_by"])
    if spec.kind == "exact":
        return dedup.exact.hash_task(work, task, docs, dedup.ExactParams(**spec.params))
    if spec.kind == "minhash":
        return dedup.minhash.hash_task(work, task, docs, dedup.MinHashParams(**spec.params))
    raise ValueError(f"unknown hash kind {spec.kind!r}")


def partition_stage(spec_dict: dict[str, Any], part: int) -> dict[str, int]:
    """The per-partition part of the corpus-wide stage (runs on a worker)."""
    from .. import dedup

    spec = HashSpec(spec_dict["kind"], spec_dict["work"], spec_dict.get("params", {}))
    work = Path(spec.work)
    if spec.kind == "lines":
        return dedup.lines.merge_partition(work, part)
    if spec.kind == "exact":
        return dedup.exact.group_partition(work, part, dedup.ExactParams(**spec.params))
    return dedup.minhash.group_partition(work, part, dedup.MinHashParams(**spec.params))


def global_stage(spec: HashSpec, map_partitions: Callable[[Callable, list], list]) -> dict[str, int]:
    """Run the corpus-wide stage: partitions on the workers, then the small global decision here."""
    from .. import dedup

    work = Path(spec.work)
    counters: dict[str, int] = {}
    if spec.kind == "lines":   # (as many partitions as the counted keys need: see dedup/lines.py, "Memory")
        parts = list(range(dedup.lines.plan_merge(work)))
        counters["partitions"] = len(parts)
    else:
        parts = list(range(int(spec.params["partitions"])))
    for res in map_partitions(partition_stage, [(spec.as_dict(), p) for p in parts]):
        for k, v in (res or {}).items():
            counters[k] = counters.get(k, 0) + int(v)
    if spec.kind == "exact":
        res = dedup.exact.decide(work, dedup.ExactParams(**spec.params))
    elif spec.kind == "minhash":
        res = dedup.minhash.cluster(work, dedup.MinHashParams(**spec.params))
    else:
        res = {}
    for k, v in (res or {}).items():   # (corpus-wide totals: a key the partitions counted too is the same count)
        counters[k] = int(v)
    return counters

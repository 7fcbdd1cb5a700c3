"""The step contract, per-step statistics that add up, and running a list of steps over a stream of documents.

A step is a small object with a `name` and a `process(doc)` method that returns the (possibly changed)
document; to reject it, the step calls `doc.reject(code, ...)`. Rejected documents skip the remaining steps but
keep flowing, so the writer at the end of the pipeline files them under `rejected/` with their reason. Steps that
need to see the stream (batching, cross-document state) override `run(docs)` instead.

A step never lets one bad document crash the run: an exception inside `process` becomes a rejection with the
code `error:<step>` and the exception text as detail (the `guard` in `Step.run`).
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator

from .document import Document


@dataclass
class StepStats:
    """Counts and time of one step; two of them add up (`+`), so per-task stats merge into one."""

    docs_in: int = 0
    docs_out: int = 0
    rejected: int = 0
    seconds: float = 0.0
    counters: Counter = field(default_factory=Counter)

    def __add__(self, other: "StepStats") -> "StepStats":
        return StepStats(
            self.docs_in + other.docs_in,
            self.docs_out + other.docs_out,
            self.rejected + other.rejected,
            self.seconds + other.seconds,
            self.counters + other.counters,
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "in": self.docs_in,
            "out": self.docs_out,
            "rejected": self.rejected,
            "seconds": round(self.seconds, 6),
            "counters": dict(sorted(self.counters.items())),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "StepStats":
        return cls(d.get("in", 0), d.get("out", 0), d.get("rejected", 0), d.get("seconds", 0.0), Counter(d.get("counters", {})))


@dataclass
class RunStats:
    """Totals of a run or of one task: read / kept / rejected, reasons, and each step's stats."""

    read: int = 0
    kept: int = 0
    rejected: int = 0
    reasons: Counter = field(default_factory=Counter)
    steps: dict[str, StepStats] = field(default_factory=dict)
    seconds: float = 0.0

    def step(self, name: str) -> StepStats:
        st = self.steps.get(name)
        if st is None:
            st = self.steps[name] = StepStats()
        return st

    def count_output(self, doc: Document) -> None:
        if doc.rejection is not None:
            self.rejected += 1
            self.reasons[doc.rejection.code] += 1
        else:
            self.kept += 1

    def __add__(self, other: "RunStats") -> "RunStats":
        steps = {k: v for k, v in self.steps.items()}
        for k, v in other.steps.items():
            steps[k] = steps[k] + v if k in steps else v
        return RunStats(
            self.read + other.read,
            self.kept + other.kept,
            self.rejected + other.rejected,
            self.reasons + other.reasons,
            steps,
            self.seconds + other.seconds,
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "kept": self.kept,
            "rejected": self.rejected,
            "reasons": dict(sorted(self.reasons.items(), key=lambda kv: (-kv[1], kv[0]))),
            "steps": {k: v.as_dict() for k, v in self.steps.items()},
            "seconds": round(self.seconds, 6),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "RunStats":
        return cls(
            d.get("read", 0),
            d.get("kept", 0),
            d.get("rejected", 0),
            Counter(d.get("reasons", {})),
            {k: StepStats.from_dict(v) for k, v in d.get("steps", {}).items()},
            d.get("seconds", 0.0),
        )


class Step:
    """Base class of a pipeline step. Subclasses set `name` and implement `process`, or override `run`."""

    name: str = "step"

    def process(self, doc: Document) -> Document:  # pragma: no cover - interface
        raise NotImplementedError

    def run(self, docs: Iterable[Document], stats: RunStats) -> Iterator[Document]:
        st = stats.step(self.name)
        clock = time.perf_counter
        for doc in docs:
            if doc.rejection is not None:
                yield doc
                continue
            st.docs_in += 1
            t0 = clock()
            try:
                doc = self.process(doc)
            except Exception as exc:  # one bad document never stops the run
                doc.reject(f"error:{self.name}", step=self.name, detail=f"{type(exc).__name__}: {exc}"[:500])
            st.seconds += clock() - t0
            if doc.rejection is not None:
                st.rejected += 1
            else:
                st.docs_out += 1
            yield doc


class FunctionStep(Step):
    """Wraps a plain function `doc -> doc` as a step."""

    def __init__(self, fn: Callable[[Document], Document], name: str | None = None):
        self.fn = fn
        self.name = name or getattr(fn, "__name__", "function")

    def process(self, doc: Document) -> Document:
        return self.fn(doc)


def run_steps(steps: Iterable[Step], docs: Iterable[Document], stats: RunStats) -> Iterator[Document]:
    """Chain the steps lazily over `docs`; every document read comes out at the end, kept or rejected."""
    stream: Iterable[Document] = docs
    for step in steps:
        stream = step.run(stream, stats)
    return iter(stream)

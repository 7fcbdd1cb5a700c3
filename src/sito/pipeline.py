"""The step contract, per-step statistics that add up, and running a list of steps over a stream of documents.

A step is a small object with a `name` and a `process(doc)` method that returns the (possibly changed)
document; to reject it, the step calls `doc.reject(code, ...)`. Rejected documents skip the remaining steps but
keep flowing, so the writer at the end of the pipeline files them under `rejected/` with their reason. Steps that
need to see the stream (batching, cross-document state) override `run(docs)` instead.

A step never lets one bad document crash the run: an exception inside `process` becomes a rejection with the
code `error:<step>` and the exception text as detail. A document that takes longer than the per-document time
limit in one step (`set_document_time_limit`, `[run] doc_timeout_s`) is rejected with `timeout:<step>`: the limit
is a real-time interval timer (SIGALRM) armed around each `process` call in the process's main thread — where
sito's workers run their tasks — so a pathological document cannot hang a worker, even inside a regular
expression (Python's `re` checks for signals while it matches).
"""

from __future__ import annotations

import signal
import threading
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

    def count_out(self, doc: Document) -> None:
        """Count a document the step has handled: rejected by it, or passed on."""
        if doc.rejection is not None:
            self.rejected += 1
        else:
            self.docs_out += 1

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


_DOC_TIME_LIMIT = 0.0


class DocumentTimeout(Exception):
    """Raised inside a step when one document has used up the per-document time limit."""


def set_document_time_limit(seconds: float) -> None:
    """Seconds one document may spend in one step (0 = no limit). Applies to this process."""
    global _DOC_TIME_LIMIT
    _DOC_TIME_LIMIT = max(0.0, float(seconds))


def _on_alarm(signum, frame):  # pragma: no cover - called by the OS
    raise DocumentTimeout()


class _Deadline:
    """Arms SIGALRM for the per-document limit; a no-op without a limit or outside the main thread."""

    __slots__ = ("armed", "previous")

    def __enter__(self) -> "_Deadline":
        self.armed = _DOC_TIME_LIMIT > 0 and threading.current_thread() is threading.main_thread()
        if self.armed:
            self.previous = signal.signal(signal.SIGALRM, _on_alarm)
            signal.setitimer(signal.ITIMER_REAL, _DOC_TIME_LIMIT)
        return self

    def __exit__(self, *exc) -> None:
        if self.armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)


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
            given = doc
            try:
                with _Deadline():
                    doc = self.process(doc)
                if not isinstance(doc, Document):   # (a step that forgot `return doc`: the document is not lost)
                    got = type(doc).__name__
                    doc = given
                    doc.reject(f"error:{self.name}", step=self.name,
                               detail=f"the step returned {got}, not the document")
            except DocumentTimeout:
                doc = given
                doc.reject(f"timeout:{self.name}", step=self.name, value=round(clock() - t0, 3),
                           threshold=_DOC_TIME_LIMIT, detail="per-document time limit exceeded")
            except Exception as exc:  # one bad document never stops the run
                doc = given
                doc.reject(f"error:{self.name}", step=self.name, detail=f"{type(exc).__name__}: {exc}"[:500])
            st.seconds += clock() - t0
            st.count_out(doc)
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

"""The final stage shared by exact and near dedup: walk one task's stream against its decision file.

`DecisionStep.run` checks that the stream is the one the hashing stage saw (same ids at the same positions,
same length), passes rejected documents through, and hands every other document to `decide(doc, d, st)` with
its decision (`None` when the document is alone in its group); documents that had no words to hash go to
`no_words(doc, st)`. Subclasses (`ExactDuplicateStep`, `NearDuplicateStep`) only say what a decision means.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Iterable, Iterator

from ..document import Document
from ..errors import TaskError
from ..pipeline import RunStats, Step, StepStats
from . import store


class DecisionStep(Step):
    name = "decision"

    def __init__(self, work: str, task: int | None = None):
        self.work = Path(work)
        self.task = task

    def set_task(self, task: int) -> "DecisionStep":
        self.task = task
        return self

    def prepare(self) -> None:
        """Read what the step needs from the work folder before the stream starts."""

    def no_words(self, doc: Document, st: StepStats) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def decide(self, doc: Document, d, st: StepStats) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def run(self, docs: Iterable[Document], stats: RunStats) -> Iterator[Document]:
        if self.task is None:
            raise TaskError(f"{self.name}: the task index is not set (pass task= or call set_task)")
        dec = store.TaskDecisions(self.work, self.task)
        self.prepare()
        st = stats.step(self.name)
        clock = time.perf_counter
        seen = 0
        for pos, doc in enumerate(docs):
            seen = pos + 1
            t0 = clock()
            dec.check(pos, doc.id)
            if doc.rejection is not None:
                st.seconds += clock() - t0
                yield doc
                continue
            st.docs_in += 1
            if dec.status[pos] == store.STATUS_EMPTY:
                self.no_words(doc, st)
            else:
                self.decide(doc, dec.get(pos), st)
            st.seconds += clock() - t0
            st.count_out(doc)
            yield doc
        if seen != len(dec):
            raise TaskError(f"{self.name}: task {self.task} has {seen} documents, the hashing stage saw {len(dec)}")

"""A pipeline step for executor tests: sleeps a little per document so that a run can be killed mid-way."""

import os
import time

from sito.pipeline import Step


class SlowStep(Step):
    """Sleeps `seconds` per document, or SITO_TEST_STALL seconds when that is set in the environment of the run
    (a run that stalls in this step, resumed without it, gives the same output)."""

    name = "slow"

    def __init__(self, seconds: float = 0.01):
        self.seconds = seconds

    def process(self, doc):
        time.sleep(float(os.environ.get("SITO_TEST_STALL") or self.seconds))
        doc.metadata["slow"] = True
        return doc


class KillerStep(Step):
    """Kills its own worker process on one document (a crash no `try` catches: a segfault, the OOM killer)."""

    name = "killer"

    def __init__(self, victim: str = ""):
        self.victim = victim

    def process(self, doc):
        if doc.id == self.victim:
            import os
            import signal

            os.kill(os.getpid(), signal.SIGKILL)
        return doc


class BoomStep(Step):
    """Fails the whole task (its `run`, not one document): the run stops with the task's error."""

    name = "boom"

    def run(self, docs, stats):
        for _ in docs:
            raise RuntimeError("boom: the real cause of the failure")
        yield from ()

"""A pipeline step for executor tests: sleeps a little per document so that a run can be killed mid-way."""

import time

from sito.pipeline import Step


class SlowStep(Step):
    name = "slow"

    def __init__(self, seconds: float = 0.01):
        self.seconds = seconds

    def process(self, doc):
        time.sleep(self.seconds)
        doc.metadata["slow"] = True
        return doc

"""The `raw_check.v1` step: what the page's raw, uncleaned form would have failed, kept in the record.

Document filters judge the clean article. To show what the line cleaner saved, this step — placed right after
the cleaner when `[run] explain_raw = true` (`--explain-raw`) — rebuilds the page's original text from the
cleaner's `lines` and runs the preset's filters on it (`sito.filters.explain_raw`), storing in
`metadata["raw_check"]` whether the raw form passes and, if not, every failing check with its value, threshold
and margin. It never rejects: the decision stays with the filters on the clean text. It doubles the filtering
time, which is why it is off by default.
"""

from __future__ import annotations

from .document import Document
from .pipeline import Step


class RawCheckStep(Step):
    """Records which filter the uncleaned page would fail, and by how much (never rejects)."""

    name = "raw_check"

    def __init__(self, preset: str = "news"):
        self.preset = preset

    def process(self, doc: Document) -> Document:
        from .filters import explain_raw

        if doc.article is not None and doc.article.lines:
            raw = "\n".join(line.text for line in doc.article.lines)
        else:
            raw = doc.text
        res = explain_raw(raw, self.preset)
        doc.metadata["raw_check"] = {"preset": self.preset, "passed": res["passed"],
                                     "first_failure": res["first_failure"], "failures": res["failures"]}
        return doc


STEPS = {"raw_check.v1": RawCheckStep}

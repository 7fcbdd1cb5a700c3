"""The step contract: errors and slow documents become rejections; stats add up."""

from __future__ import annotations

import re

from sito.document import Document
from sito.pipeline import RunStats, Step, run_steps, set_document_time_limit


class Backtrack(Step):
    """Catastrophic backtracking on documents that ask for it (a real regex, not a sleep)."""

    name = "backtrack"

    def process(self, doc):
        if doc.text.startswith("evil"):
            re.match(r"(a+)+$", "a" * 40 + "b")
        return doc


class Boom(Step):
    name = "boom"

    def process(self, doc):
        if doc.id == "2":
            raise ValueError("bad field")
        doc.metadata["ok"] = True
        return doc


def test_errors_and_timeouts_become_rejections():
    docs = [Document("1", "fine"), Document("2", "fine"), Document("3", "evil text"), Document("4", "fine")]
    stats = RunStats()
    set_document_time_limit(0.3)
    try:
        out = list(run_steps([Backtrack(), Boom()], docs, stats))
    finally:
        set_document_time_limit(0)
    assert [d.id for d in out] == ["1", "2", "3", "4"]  # nothing lost, order kept
    assert out[2].rejection.code == "timeout:backtrack" and out[2].rejection.threshold == 0.3
    assert out[2].rejection.value >= 0.3
    assert out[1].rejection.code == "error:boom" and "bad field" in out[1].rejection.detail
    assert out[0].rejection is None and out[0].metadata["ok"]
    assert stats.steps["backtrack"].rejected == 1 and stats.steps["boom"].docs_in == 3  # 3 skipped after timeout


class Forgetful(Step):
    """A user's step that forgets `return doc` on some documents."""

    name = "forgetful"

    def process(self, doc):
        doc.metadata["seen"] = True
        if doc.id != "2":
            return doc


def test_a_step_that_returns_no_document_rejects_it_and_the_run_goes_on():
    """`process` returning None stopped the whole run ("internal error: AttributeError: 'NoneType' object has no
    attribute 'rejection'")."""
    stats = RunStats()
    out = list(run_steps([Forgetful(), Boom()], [Document(str(i), "fine") for i in range(1, 4)], stats))
    assert [d.id for d in out] == ["1", "2", "3"]
    assert out[1].rejection.code == "error:forgetful" and "returned NoneType" in out[1].rejection.detail
    assert out[0].rejection is None and out[2].rejection is None
    assert stats.steps["forgetful"].rejected == 1


def test_stats_add_up():
    a, b = RunStats(read=3, kept=2, rejected=1), RunStats(read=2, kept=2)
    a.reasons["x"] += 1
    a.step("s").docs_in += 3
    b.step("s").docs_in += 2
    c = a + b
    assert (c.read, c.kept, c.rejected, c.reasons["x"], c.steps["s"].docs_in) == (5, 4, 1, 1, 5)
    assert RunStats.from_dict(c.as_dict()).as_dict() == c.as_dict()


def test_the_public_api_is_listed_and_imported_lazily():
    """`dir(sito)` and help() show clean_text and clean_html; `import sito` alone loads neither the model (numpy)
    nor trafilatura."""
    import subprocess
    import sys

    import sito

    assert {"clean_text", "clean_html", "Article", "Document"} <= set(dir(sito))
    assert "`Article`" in sito.clean_text.__doc__ and "reason" in sito.clean_text.__doc__
    code = "import sys, sito; print(sorted(m for m in ('numpy', 'trafilatura') if m in sys.modules))"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"

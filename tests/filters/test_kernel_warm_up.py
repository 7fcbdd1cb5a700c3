"""The compiled n-gram kernel loads before the per-document time limit starts, not inside the first document's.

In a new process, importing numba and loading (or compiling) the kernel takes about a second: without the
warm-up in the steps' `run`, a short `doc_timeout_s` would reject the first document of every worker.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    from sito.document import Document
    from sito.filters.fineweb2 import FineWeb2Quality
    from sito.filters.gopher_repetition import GopherRepetition
    from sito.filters.words import split_words
    from sito.pipeline import RunStats, run_steps, set_document_time_limit

    split_words("load the word splitters first", "en"), split_words("najpierw", "pol_Latn")
    set_document_time_limit(0.5)
    text = "The council met on Monday and agreed the budget for the next year after a long debate. " * 20
    for step in (GopherRepetition(), FineWeb2Quality(language="pol_Latn")):
        (doc,) = run_steps([step], [Document(id="x", text=text)], RunStats())
        code = doc.rejection.code if doc.rejection else None
        assert code is None or not code.startswith("timeout:"), code
    print("ok")
""")


def test_first_document_is_not_charged_for_loading_the_kernel():
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr[-2000:]

"""The cleaner's compiled kernels load before the per-document time limit starts, not inside the first document's.

In a new process, importing numba and loading (or, on a new machine, compiling) the kernels takes one to a few
seconds: without the warm-up in the `clean.v1` and `html.v1` steps' `run`, a short `doc_timeout_s` would reject
the first document of every worker.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent("""
    import gzip, sys
    from sito.clean.step import CleanStep
    from sito.document import Document
    from sito.html.step import HtmlStep
    from sito.pipeline import RunStats, run_steps, set_document_time_limit

    import sito.html.extract  # the libraries' imports are not what is measured here
    set_document_time_limit(0.8)
    page = open(sys.argv[1], encoding="utf-8").read()
    html = gzip.open(sys.argv[2], "rb").read()
    for step, doc in ((CleanStep(), Document(id="t", text=page)), (HtmlStep(), Document(id="h", text="", html=html))):
        (out,) = run_steps([step], [doc], RunStats())
        code = out.rejection.code if out.rejection else None
        assert code is None or not code.startswith("timeout:"), code
        assert out.article is not None and out.article.text, step.name
        print(step.name, "ok")
""")


def test_first_document_is_not_charged_for_loading_the_kernels():
    page = ROOT / "examples" / "pl_news_scraped.txt"
    html = ROOT / "tests" / "fixtures" / "html" / "pl_utf8.html.gz"
    out = subprocess.run([sys.executable, "-c", SCRIPT, str(page), str(html)], capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0 and out.stdout.split() == ["clean", "ok", "html", "ok"], out.stderr[-2000:]

"""End to end: `sito clean` on the example page writes the report, and the inspector shows its removed lines."""

import re
from pathlib import Path

from sito.cli import main as sito_main
from sito.inspect.server import App

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "pl_news_scraped.txt"


def test_clean_then_report_and_inspect(tmp_path):
    out = tmp_path / "OUT"
    assert sito_main(["clean", str(EXAMPLE), "-o", str(out), "-q", "-w", "1", "--no-progress"]) == 0
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "<title>sito report" in page and 'id="sito-charts"' in page
    assert "Wybrane dla Ciebie" in page  # the recommendation cue is among the most frequent removed lines

    app = App(out)
    assert len(app.index) == 1
    row = app.index.rows(app.index.select())[0]
    assert row["status"] == "kept" and row["language"] == "pl" and row["removed"] >= 25
    html = app.doc_html(0, {})
    struck = re.findall(r'<li class="line role-recommendations removed" data-role="recommendations" '
                        r'data-index="\d+" title="([^"]+)">', html)
    assert len(struck) >= 24 and all("Wybrane dla Ciebie" in t for t in struck)

"""`sito clean` on the bundled example with the default pipeline and the fineweb2 preset: the article is kept,
clean and structured, detected as Polish, and its record says what its raw form would have failed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sito.cli import main
from sito.io import iter_output_records, output_files

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("preset", ["news", "fineweb2"])
def test_example_survives_the_pipeline_and_explains_its_raw_form(tmp_path, preset):
    out = tmp_path / "out"
    rc = main(["clean", str(ROOT / "examples" / "pl_news_scraped.txt"), "-o", str(out), "--preset", preset,
               "--explain-raw", "-q", "--no-report", "-w", "1"])
    assert rc == 0
    stats = json.loads((out / "stats.json").read_text())
    assert (stats["read"], stats["kept"], stats["rejected"]) == (1, 1, 0)
    [rec] = [r for f in output_files(out / "kept") for r in iter_output_records(f)]
    assert rec["text"] == (ROOT / "examples" / "pl_news_scraped.clean.txt").read_text("utf-8").rstrip("\n")
    gold = json.loads((ROOT / "examples" / "pl_news_scraped.gold.json").read_text("utf-8"))
    assert rec["captions"] == gold["captions"] and rec["credits"] == gold["credits"]
    assert rec["related"] == gold["related"]
    assert rec["metadata"]["language"] == "pl"
    raw = rec["metadata"]["raw_check"]
    assert raw["passed"] is False
    first = raw["first_failure"]
    assert first["code"].split(":")[0] in ("fineweb_quality", "gopher_repetition", "gopher_quality")
    assert first["value"] is not None and first["threshold"] is not None
    removed = {ln["role"] for ln in rec["lines"] if not ln["keep"]}
    assert {"caption", "credit", "related", "recommendations"} <= removed


def test_html_page_keeps_its_title_and_author_through_the_pipeline(tmp_path):
    """html.v1 cleans a page with its DOM hints; clean.v1 must keep that article (title, author), not redo it."""
    import gzip

    page = ROOT / "tests" / "fixtures" / "html" / "en_ars.html.gz"
    meta = json.loads((ROOT / "tests" / "fixtures" / "html" / "pages.json").read_text("utf-8"))["en_ars"]["meta"]
    src = tmp_path / "ars.html"
    src.write_bytes(gzip.decompress(page.read_bytes()))
    out = tmp_path / "out"
    assert main(["clean", str(src), "-o", str(out), "--preset", "none", "-q", "--no-report", "-w", "1"]) == 0
    [rec] = [r for f in output_files(out / "kept") for r in iter_output_records(f)]
    assert rec["title"] == meta["title"]
    assert rec["author"] and meta["author"] in rec["author"]
    assert "Minecraft" in rec["text"]

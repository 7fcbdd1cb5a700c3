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

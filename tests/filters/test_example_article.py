"""The example Polish article: clean, it passes the news and fineweb2 presets as Polish; raw, it fails, and
`explain_raw` says which filter and by how much."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sito.document import Document
from sito.filters import build_preset, explain_raw
from sito.pipeline import RunStats, run_steps

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def clean_article() -> str:
    gold = json.loads((EXAMPLES / "pl_news_scraped.gold.json").read_text("utf-8"))
    body = (EXAMPLES / "pl_news_scraped.clean.txt").read_text("utf-8")
    return gold["title"] + "\n\n" + body


@pytest.mark.parametrize("preset", ["news", "fineweb2"])
def test_clean_article_survives_preset_as_polish(preset):
    stats = RunStats()
    (doc,) = run_steps(build_preset(preset), [Document(id="pl", text=clean_article())], stats)
    assert doc.rejection is None, doc.rejection
    assert doc.metadata["language"] == "pl"
    assert doc.metadata["quality"]["fineweb2"]["config"] == "pol_Latn"
    assert stats.rejected == 0


@pytest.mark.parametrize("preset", ["news", "fineweb2"])
def test_raw_page_fails_and_explain_says_by_how_much(preset):
    raw = (EXAMPLES / "pl_news_scraped.txt").read_text("utf-8")
    (doc,) = run_steps(build_preset(preset), [Document(id="raw", text=raw)], RunStats())
    assert doc.rejection is not None
    ex = explain_raw(raw, preset)
    assert ex["language"] == "pl" and not ex["passed"]
    first = ex["first_failure"]
    assert first["code"] == doc.rejection.code  # the explanation names the filter the pipeline rejects on
    assert first["code"] == "fineweb_quality:char_dup_ratio"  # repeated menu / share lines of the raw page
    assert first["value"] > first["threshold"] and first["margin"] == pytest.approx(first["value"] - first["threshold"])
    assert explain_raw(clean_article(), preset)["passed"]

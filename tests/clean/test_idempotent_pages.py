"""Cleaning the clean text changes nothing, on real pages: the bundled fixture pages and the Polish example (always),
and a fixed sample of the dev pages (when ../shared/data/dev is present), as full-page text in `page` and
`thread` mode and as trafilatura's output in `page` and `extracted` mode. The hypothesis tests
(test_properties.py) check the same on generated text; real pages reach the model's doubtful cases, where a
shortcut in the re-reading passes shows."""

from pathlib import Path

import pytest

from sito.clean import clean_text
from sito.clean.sources import convert

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_PAGES = sorted((ROOT / "tests" / "fixtures" / "html").glob("*.html.gz"))
CASES = (("fulltext", "page"), ("fulltext", "thread"), ("extractor", "page"), ("extractor", "extracted"))
DEV_SAMPLE = 60   # dev pages, every k-th of the sorted list


def _not_idempotent(text: str, mode: str) -> bool:
    a = clean_text(text, mode=mode)
    return clean_text(a.text, mode=mode).text != a.text


def _html(path: Path) -> bytes:
    import gzip

    return gzip.decompress(path.read_bytes())


@pytest.mark.parametrize("mode", ["page", "extracted"])
def test_a_page_dated_three_times_ago(mode):
    """Three "N hours ago" lines are no byline (a listing dates its items); when the model kept one or two of them,
    the kept text, cleaned again, had at most two and lost them as bylines. The rule is read in every pass now."""
    para = ["The city council voted on Tuesday to approve the new budget for the coming year, after a long debate.",
            "Council members said the plan would fund new schools, repair roads and hire more teachers across the "
            "district.",
            "Critics argued that the budget relied on optimistic revenue projections and could leave a deficit next "
            "year."]
    text = "\n".join(["Council approves budget", "2 hours ago", *para, "Latest news", "Bus fares to rise next month",
                      "1 hour ago", "Park reopens after long repairs", "5 hours ago"])
    assert not _not_idempotent(text, mode)


def test_the_example_and_the_fixture_pages():
    bad = []
    example = (ROOT / "examples" / "pl_news_scraped.txt").read_text("utf-8")
    for mode in ("page", "extracted"):
        if _not_idempotent(example, mode):
            bad.append(("example", mode))
    assert FIXTURE_PAGES
    for path in FIXTURE_PAGES:
        html = _html(path)
        for kind, mode in CASES:
            if _not_idempotent(convert(kind, html, use_cache=False), mode):
                bad.append((path.name, kind, mode))
    assert not bad


def test_a_sample_of_the_dev_pages(dev_dir):
    from sito.clean.labels import dev_pages

    pages = dev_pages(split=None)
    if not pages:
        pytest.skip("no dev pages found")
    step = max(1, len(pages) // DEV_SAMPLE)
    bad = []
    for p in pages[::step][:DEV_SAMPLE]:
        html = p.html_bytes()
        for kind, mode in CASES:
            if _not_idempotent(convert(kind, html), mode):
                bad.append((p.set, p.name, kind, mode))
    assert not bad

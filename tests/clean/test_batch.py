"""Cleaning many texts with their lines measured together (`clean_texts`, `CleanStep(batch=)`) gives the same
articles as cleaning each on its own."""

import json
import os
from pathlib import Path

import pytest

from sito.clean import CleanStep, clean_text, clean_texts
from sito.clean import cleaner
from sito.document import Document
from sito.pipeline import RunStats, run_steps

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "tests" / "fixtures" / "clean"


def _texts() -> list[str]:
    texts = [(ROOT / "examples" / "pl_news_scraped.txt").read_text("utf-8")]
    texts += [json.loads((FIX / n).read_text("utf-8"))["text"] for n in ("pl_fulltext.json", "pl_fulltext2.json")]
    # the same lines on several pages, a page that is one of another's lines, blank and odd pages
    texts += [texts[0], "\n".join(texts[0].splitlines()[:5]), "", "   \n\t\n", "Reklama", "x" * 5000]
    return texts


def _dev_texts(n: int = 40) -> list[str]:
    if not os.environ.get("SITO_DEV_DATA") and not (ROOT.parent / "shared" / "data" / "dev").is_dir():
        pytest.skip("needs ../shared/data/dev (the dev pages); set SITO_DEV_DATA or add the shared data")
    from sito.clean.labels import dev_pages
    from sito.clean.sources import convert
    from sito.devdata import SETS

    pages = dev_pages(SETS, split="train")[::37][:n]
    return [convert(kind, p.html_bytes()) for p in pages for kind in ("extractor", "fulltext")]


@pytest.mark.parametrize("mode", ["page", "extracted"])
@pytest.mark.parametrize("batch", [1, 3, 32])
def test_clean_texts_gives_what_clean_text_gives(mode, batch):
    texts = _texts()
    alone = [clean_text(t, mode=mode) for t in texts]
    assert list(clean_texts(texts, mode=mode, batch=batch)) == alone
    assert list(clean_texts(iter(texts), mode=mode, batch=batch)) == alone   # any iterable, lazily


def test_clean_texts_on_dev_pages():
    texts = _dev_texts()
    for mode in ("page", "extracted"):
        assert list(clean_texts(texts, mode=mode)) == [clean_text(t, mode=mode) for t in texts]


def test_a_long_text_is_measured_on_its_own(monkeypatch):
    texts = _texts()
    monkeypatch.setattr(cleaner, "BATCH_MAX_CHARS", 3000)   # the example page and both fixtures are longer
    shared = cleaner.measure_together(texts)
    short = {ln.strip() for t in texts if len(t) <= 3000 for ln in t.splitlines() if ln.strip()}
    assert set(shared.pos) == short
    assert list(clean_texts(texts)) == [clean_text(t) for t in texts]


def test_clean_step_batches_give_the_same_documents_and_counts():
    texts = _texts()

    def run(batch):
        stats = RunStats()
        docs = [Document(id=str(i), text=t) for i, t in enumerate(texts)]
        docs.append(Document(id="rejected", text="kept out"))
        docs[-1].reject("read:test", step="read")
        out = list(run_steps([CleanStep(batch=batch)], docs, stats))
        return [(d.id, d.text, d.rejection and d.rejection.code, d.article and d.article.lines) for d in out], stats

    one, s1 = run(1)
    for b in (4, 32):
        many, sb = run(b)
        assert many == one
        a, c = s1.steps["clean"], sb.steps["clean"]
        assert (a.docs_in, a.docs_out, a.rejected, a.counters) == (c.docs_in, c.docs_out, c.rejected, c.counters)
    assert [r[0] for r in one][-1] == "rejected" and one[-1][2] == "read:test"


def test_a_batch_whose_measurement_fails_falls_back_to_each_document(monkeypatch):
    def broken(texts):
        raise MemoryError("no room for the batch")

    monkeypatch.setattr("sito.clean.step.measure_together", broken)
    texts = _texts()[:3]
    out = list(run_steps([CleanStep()], [Document(id=str(i), text=t) for i, t in enumerate(texts)], RunStats()))
    assert [d.article for d in out] == [clean_text(t) for t in texts]


def test_clean_texts_reads_each_texts_url():
    """A batch had no `url=`: a discussion thread's posts were cut to one block as on any page."""
    texts = _texts()[:4]
    urls = ["https://forum.example.com/threads/some-topic.123/", None, "https://example.com/a", None]
    assert list(clean_texts(texts, urls=urls, batch=3)) == [clean_text(t, url=u) for t, u in zip(texts, urls)]

"""Cross-page repeated-line removal on pages that share a recommendation block (the example's real one)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from planted import load_texts
from sito.dedup import RepeatedLinesStep, run_dedup, run_lines
from sito.dedup import lines as L
from sito.document import Article, Document, Line
from sito.errors import TaskError
from sito.pipeline import RunStats

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "pl_news_scraped.txt"
PAGE = EXAMPLE.read_text("utf-8").split("\n")
START = PAGE.index("Wybrane dla Ciebie")
BLOCK = [ln for ln in PAGE[START:] if ln.strip()]
HEADLINES = sorted(set(BLOCK[1:]))
SITE = "https://wiadomosci.wp.pl/"


def _corpus(n_pages: int = 12, seed: int = 5) -> tuple[list[Document], dict[str, list[str]]]:
    """Site pages: a real article each (the example's own, then wcxb texts) + a rotating recommendation block."""
    rng = random.Random(seed)
    articles = {"example": [ln for ln in PAGE[:START] if ln.strip()]}
    for rec in load_texts()[:n_pages - 1]:
        articles[rec["id"]] = [ln for ln in rec["text"].split("\n") if ln.strip()]
    docs = []
    for i, (doc_id, body) in enumerate(articles.items()):
        block = ["Wybrane dla Ciebie"] + rng.sample(HEADLINES, 8)
        text = "\n\n".join(body + block)
        url = SITE + f"artykul-{i}" if i % 2 == 0 else f"https://www.wiadomosci.wp.pl/artykul-{i}"
        doc = Document(id=doc_id, text=text, url=url)
        if doc_id == "example":  # a cleaner that missed the block: every line kept
            doc.article = Article(text=text, lines=[Line(j, ln, "paragraph", True) for j, ln in enumerate(text.split("\n"))])
        docs.append(doc)
    other = Document(id="other-site", text="\n".join(["Zupełnie inny artykuł na innej stronie."] + BLOCK[:4]),
                     url="https://example.org/x")
    return docs + [other], articles


def test_recommendation_blocks_removed_article_lines_untouched(tmp_path):
    docs, articles = _corpus()
    stats = RunStats()
    [out] = run_lines([docs], tmp_path, k=5, group_by="site", stats=stats)
    block_keys = {L.line_key(b) for b in BLOCK}
    for d in out[:-1]:
        assert d.rejection is None
        kept = [ln for ln in d.text.split("\n") if ln.strip()]
        assert kept == articles[d.id]  # every article line, verbatim and in order; no block line left
        assert not any(L.line_key(ln) in block_keys for ln in kept)
    # the other site's copy of four block lines is alone in its group: untouched
    assert out[-1].text == docs[-1].text
    ex = out[0]
    assert ex.article.text == ex.text
    marked = [ln for ln in ex.article.lines if not ln.keep]
    assert {ln.text for ln in marked} <= set(BLOCK) and "Wybrane dla Ciebie" in {ln.text for ln in marked}
    assert all(ln.role == "boilerplate" for ln in marked)
    assert ex.article.lines[[ln.text for ln in ex.article.lines].index("Wybrane dla Ciebie")].reason == \
        "repeated on 12 pages of wiadomosci.wp.pl"
    assert all(ln.keep for ln in ex.article.lines if ln.text in articles["example"])
    st = stats.steps["repeated_lines"]
    assert st.counters["docs_changed"] == 12 and st.counters["lines_removed"] == 12 * 9


def test_k_and_grouping(tmp_path):
    docs, _ = _corpus(n_pages=4)
    [out] = run_lines([docs], tmp_path / "k5", k=5, group_by="site")
    assert [d.text for d in out] == [d.text for d in docs]  # 4 pages < k: nothing removed
    docs, _ = _corpus(n_pages=4)
    [out] = run_lines([docs], tmp_path / "all", k=4, group_by="all")
    assert "Wybrane dla Ciebie" not in out[-1].text  # 5 documents in the whole corpus
    docs, _ = _corpus(n_pages=6)
    shards = [docs[:3], docs[3:]]
    out = run_lines(shards, tmp_path / "shard", k=3, group_by="shard")
    assert all("Wybrane dla Ciebie" not in d.text for s in out for d in s)


def test_page_made_only_of_repeated_lines_is_rejected(tmp_path):
    docs, _ = _corpus()
    docs.append(Document(id="only-block", text="\n".join(BLOCK[:3]), url=SITE + "tag/x"))
    out, stats = run_dedup([docs], tmp_path, kinds=("lines",), line_k=5)
    last = out[0][-1]
    assert last.rejection.code == "repeated_lines" and last.rejection.threshold == 5
    assert stats.read == stats.kept + stats.rejected == len(docs)


def test_normalisation_and_sites():
    assert L.normalize_line("  Wybrane   dla CIEBIE!! ") == "wybrane dla ciebie"
    assert L.normalize_line("Kurs: 4,31 zł (2024)") == L.normalize_line("kurs 4,99 zł — 2025")
    assert L.line_key("  ... ") is None
    assert L.site_of(Document(id="a", text="", url="https://WWW.Onet.pl:443/x")) == "onet.pl"
    assert L.site_of(Document(id="a", text="", url=None)) == L.NO_SITE
    assert L.site_of(Document(id="a", text="", url="http://[bad")) == L.NO_SITE
    # a "//" inside a path or a query is no scheme; an internationalised name and its punycode are one site;
    # backslashes as some crawls write them
    for url, site in (("example.com/a//b", "example.com"), ("www.example.com/go?to=http://x.org", "example.com"),
                      ("https://bücher.de/x", "xn--bcher-kva.de"), ("https://xn--bcher-kva.de/y", "xn--bcher-kva.de"),
                      ("https:\\\\example.com\\a", "example.com")):
        assert L.site_of(Document(id="a", text="", url=url)) == site, url


def test_misuse_raises(tmp_path):
    with pytest.raises(ValueError):
        RepeatedLinesStep(str(tmp_path), k=1)
    with pytest.raises(ValueError):
        RepeatedLinesStep(str(tmp_path), group_by="page")
    with pytest.raises(TaskError, match="no line counts"):
        list(RepeatedLinesStep(str(tmp_path)).run([Document(id="a", text="x")], RunStats()))
    docs, _ = _corpus(n_pages=3)
    run_lines([docs], tmp_path / "c", k=2, group_by="site")
    with pytest.raises(TaskError, match="grouped by"):
        list(RepeatedLinesStep(str(tmp_path / "c"), group_by="all").run(docs, RunStats()))


def test_run_dedup_counts_lines_after_near_duplicates_are_gone(tmp_path):
    """docs/dedup.md, "Known limits": an article syndicated to five pages of a site (near copies: each adds its own
    update line, so exact dedup keeps them all) must keep its own lines. `run_dedup`'s default order counted lines
    before MinHash, and the one copy that stayed lost its whole text to repeated-line removal."""
    body = [ln for ln in PAGE[:START] if ln.strip()]
    docs = [Document(id=f"copy-{i}", text="\n\n".join(body + [f"Aktualizacja {i}: artykuł uzupełniono."]),
                     url=SITE + f"kopia-{i}") for i in range(5)]
    docs += [d for d in _corpus(n_pages=4)[0] if d.id != "example"]
    out, stats = run_dedup([docs], tmp_path, line_k=5)
    copies = [d for d in out[0] if d.id.startswith("copy-")]
    kept = [d for d in copies if d.rejection is None]
    assert len(kept) == 1 and all(d.rejection.code == "near_duplicate" for d in copies if d is not kept[0])
    assert all(ln in kept[0].text for ln in body)   # its own lines are counted once, not five times
    assert stats.read == stats.kept + stats.rejected == len(docs)

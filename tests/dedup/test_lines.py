"""Cross-page repeated-line removal on pages that share a recommendation block (the example's real one)."""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path

import numpy as np
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
    # a work folder of the layout before the merge plan (counts/PPP/NNNNN.npz, merged/PPP.npz) says so
    old = tmp_path / "old"
    run_lines([docs], old, k=2, group_by="site")
    (old / "merge.json").unlink()
    (old / "merged" / "000.npz").write_bytes(b"")
    with pytest.raises(TaskError, match="older sito; run again into a fresh output folder"):
        list(RepeatedLinesStep(str(old), group_by="site").run(docs, RunStats()))


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


# --- memory: stage 2 holds one partition, of a size that does not grow with the corpus; stage 3 its task ------

ARTICLE_LINES = sorted({ln for r in load_texts() for ln in r["text"].split("\n") if len(ln.split()) >= 4})


def _sites(n_sites: int, pages: int = 20) -> list[Document]:
    """`n_sites` news sites of `pages` pages: real article lines (wcxb texts) inside each site's own template (a
    menu, a rotating recommendation block of the example's real headlines, a footer). Site s is the same in every
    corpus."""
    docs = []
    for s in range(n_sites):
        rng = random.Random(s)
        menu = [f"Strona główna serwisu portal{s}", "Wiadomości", "Sport", "Kontakt z redakcją"]
        menu += rng.sample(HEADLINES, 6)
        foot = [f"© 2024 portal{s}.pl Wszystkie prawa zastrzeżone", "Polityka prywatności i cookies"]
        for i in range(pages):
            body = rng.sample(ARTICLE_LINES, 12)
            block = ["Wybrane dla Ciebie"] + rng.sample(HEADLINES, 5)
            docs.append(Document(id=f"s{s}-p{i}", text="\n".join(menu + body + block + foot),
                                 url=f"https://www.portal{s}.pl/artykul-{i}"))
    return docs


def _peak(fn, *args):
    """fn(*args) and the peak of the memory it allocated (tracemalloc: every numpy array and Python object)."""
    import tracemalloc

    tracemalloc.start()
    try:
        res = fn(*args)
        return res, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_merge_memory_is_bounded_whatever_the_corpus_size(tmp_path):
    """With a fixed 16 partitions, one partition held 1/16 of every key of the corpus, and the step loaded every
    repeated key of the corpus: memory grew with the number of sites without bound. The number of partitions now
    follows the counted keys, so a partition's peak stays the same for a corpus four times larger, and the step
    holds its own task's keys only."""
    budget = 8192
    res = {}
    for n_sites in (50, 200):
        work = tmp_path / f"w{n_sites}"
        docs = _sites(n_sites)
        tasks = [docs[:100]] + [docs[100:][t::7] for t in range(7)]   # (task 0: sites 0-4 in both corpora)
        for t, task_docs in enumerate(tasks):
            L.count_task(work, t, task_docs, "site")
        parts = L.plan_merge(work, partition_keys=budget)
        entries = json.loads((work / "merge.json").read_text())["entries"]   # (task, group, line) counted
        assert parts == -(-entries // budget)
        runs = [_peak(L.merge_partition, work, p) for p in range(parts)]
        assert sum(r["keys_in"] for r, _ in runs) == entries
        assert max(r["keys_in"] for r, _ in runs) < 1.1 * budget   # (equal ranges of a uniform hash)
        list(RepeatedLinesStep(str(work), k=5, task=0).run(copy.deepcopy(tasks[0]), RunStats()))   # (warm caches)
        step, batch = RepeatedLinesStep(str(work), k=5, task=0), copy.deepcopy(tasks[0])
        out, step_peak = _peak(lambda: list(step.run(batch, RunStats())))
        assert all("Wybrane dla Ciebie" not in d.text for d in out)
        res[n_sites] = (entries, parts, max(p for _, p in runs), step_peak)
    (e1, p1, m1, s1), (e4, p4, m4, s4) = res[50], res[200]
    assert e4 > 3.9 * e1 and p4 >= 3 * p1     # four times the keys: about four times the partitions ...
    assert m1 < 64 * 1.1 * budget and m4 < 64 * 1.1 * budget   # ... each under the same bound (~50 B an entry)
    assert m4 < 1.5 * m1                      # (16 fixed partitions: 3.3 times the peak)
    assert s4 < s1 + 20_000                   # the step's memory does not follow the corpus (a table did)


def _kept_lines(texts: list[str]) -> list[list[str]]:
    return [[ln for ln in t.split("\n") if ln.strip()] for t in texts]


def _expected(docs: list[Document], k: int) -> list[list[str]]:
    """Brute force: a line goes when its normalised form is in k or more documents of the site."""
    seen: dict[tuple[str, int], int] = {}
    for d in docs:
        for key in {L.line_key(ln) for ln in d.text.split("\n")} - {None}:
            seen[L.site_of(d), key] = seen.get((L.site_of(d), key), 0) + 1
    return _kept_lines(["\n".join(ln for ln in d.text.split("\n") if seen.get((L.site_of(d), L.line_key(ln)), 0) < k)
                        for d in docs])


@pytest.mark.parametrize("tasks,budget", [(1, L.PARTITION_KEYS), (3, 3000), (8, 500)])
def test_results_do_not_depend_on_tasks_or_partitions(tmp_path, tasks, budget):
    docs = _sites(12) + _corpus()[0]
    want = _expected(docs, 5)
    shards = [docs[i * len(docs) // tasks:(i + 1) * len(docs) // tasks] for i in range(tasks)]
    out = run_lines(copy.deepcopy(shards), tmp_path, k=5, partition_keys=budget)
    assert _kept_lines([d.text for s in out for d in s]) == want
    # a step without its task (or on documents its task did not count) looks each document up in the merged files
    alone = list(RepeatedLinesStep(str(tmp_path), k=5).run(copy.deepcopy(docs), RunStats()))
    assert _kept_lines([d.text for d in alone]) == want
    plan = json.loads((tmp_path / "merge.json").read_text())
    assert plan["partitions"] == -(-plan["entries"] // budget) and (plan["partitions"] > 1) == (tasks > 1)
    assert sum(got != _kept_lines([d.text])[0] for got, d in zip(want, docs)) == len(docs) - 1  # (one other site)


def test_keys_of_one_place_are_told_apart(tmp_path):
    """Two (group, line) keys with the same `order` (a 64-bit coincidence) are looked up by group and line."""
    g1, l1, g2 = 11, 12345, 99
    l2 = int(L.order_key(np.array([g1]), np.array([l1]))[0] ^ L.order_key(np.array([g2]), np.array([0]))[0])
    assert L.order_key(np.array([g2]), np.array([l2]))[0] == L.order_key(np.array([g1]), np.array([l1]))[0]
    from sito.dedup import store

    store.write_params(tmp_path, "lines", {"group_by": "site"})
    t = np.array([[0, 0], [g1, g2], [l1, l2], [7, 3]], dtype=np.uint64)
    t[0] = L.order_key(t[1], t[2])
    store.save_npy(L.count_path(tmp_path, 0), t[:, np.lexsort((t[2], t[1], t[0]))])
    assert L.merge(tmp_path) == {"keys_in": 2, "repeated_keys": 2}
    step = RepeatedLinesStep(str(tmp_path), k=2)
    assert step._counts(g1, [l1, l2, 5]).tolist() == [7, 0, 0]
    assert step._counts(g2, [l1, l2]).tolist() == [0, 3]

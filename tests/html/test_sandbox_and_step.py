"""The sandboxed worker and the `html.v1` step: same result as in-process, time limit, restarts, rejections."""

from __future__ import annotations

import os
import signal

import pytest

from sito.document import Document
from sito.html import STEPS, HtmlError, HtmlStep, Sandbox, clean_html, extract_page
from sito.pipeline import RunStats, run_steps


def test_registered():
    assert STEPS["html.v1"] is HtmlStep


def test_sandbox_gives_the_in_process_result(pages, sandbox):
    raw = pages["pl_utf8"]["bytes"]
    a = extract_page(raw, "https://example.pl/a")
    b = sandbox.extract(raw, "https://example.pl/a")
    a.pop("seconds"), b.pop("seconds")
    assert a == b
    s = pages["en_ars"]["bytes"].decode("utf-8")
    assert clean_html(s, sandbox=sandbox).text == clean_html(s).text


def test_threads_may_share_a_sandbox(pages, sandbox):
    """Six threads, one Sandbox, every fixture page four times: each gets its own page's article."""
    from concurrent.futures import ThreadPoolExecutor

    names = sorted(pages) * 4
    want = {n: clean_html(pages[n]["bytes"]).text for n in sorted(pages)}
    with ThreadPoolExecutor(6) as ex:
        got = list(ex.map(lambda n: clean_html(pages[n]["bytes"], sandbox=sandbox).text, names))
    assert got == [want[n] for n in names]
    with pytest.raises(HtmlError) as e:   # a limit given with a sandbox is not ignored
        clean_html(pages["pl_utf8"]["bytes"], sandbox=sandbox, max_bytes=1000)
    assert e.value.code == "html:too_large"


def test_timeout_kills_the_worker_and_the_next_page_still_works(pages):
    raw = pages["pl_iso8859_2"]["bytes"]
    with Sandbox(timeout_s=60) as sb:
        sb.extract(raw)  # worker up and warm
        first_pid = sb.pid
        sb.timeout_s = 1e-4  # no real page is extracted in 0.1 ms
        with pytest.raises(HtmlError) as e:
            sb.extract(raw)
        assert e.value.code == "html:timeout" and e.value.threshold == 1e-4
        assert sb.pid is None  # the hung worker is gone
        assert not _alive(first_pid)
        sb.timeout_s = 60
        assert sb.extract(raw)["lines"]
        assert sb.starts == 2


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie not yet reaped still answers kill(0); read its state
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def test_dead_worker_is_replaced(pages):
    raw = pages["de_cp1252"]["bytes"]
    with Sandbox(timeout_s=60) as sb:
        sb.extract(raw)
        os.kill(sb.pid, signal.SIGKILL)
        sb._proc.wait(10)
        assert sb.extract(raw)["lines"]
        assert sb.starts == 2


def test_worker_memory_limit_turns_a_memory_bomb_into_a_rejection():
    # 16 MB of two million paragraphs: the tree needs far more than the 400 MB the worker may use
    page = b"<html><body>" + b"<p>x</p>" * 2_000_000 + b"</body></html>"
    with Sandbox(timeout_s=60, memory_mb=400) as sb:
        with pytest.raises(HtmlError) as e:
            sb.extract(page)
        assert e.value.code in ("html:crash", "html:too_large", "html:parse_error", "html:too_many_lines")
        # the sandbox is usable afterwards
        assert sb.extract(b"<html><body><p>" + b"Still working after that page. " * 20 + b"</p></body></html>")


def _docs(pages):
    docs = [Document(id=name, text="", html=p["bytes"], source=f"fixtures/{name}") for name, p in pages.items()]
    docs.append(Document(id="plain", text="already text", source="x"))
    docs.append(Document(id="big", text="", html=b"<html>" + b" " * 5000 + b"</html>", source="x"))
    docs.append(Document(id="empty", text="", html=b"<html><body></body></html>", source="x"))
    docs.append(Document(id="garbage", text="", html=bytes(range(256)) * 4, source="x"))
    return docs


def test_step_turns_html_documents_into_articles_and_rejects_with_codes(pages):
    stats = RunStats()
    step = HtmlStep(timeout_s=60, max_bytes=250_000)
    docs = _docs(pages)
    docs[-3].html = b"<html>" + b" " * 300_000 + b"</html>"
    out = list(run_steps([step], docs, stats))
    assert step._sandbox is None  # the worker is shut down at the end of the stream
    assert len(out) == len(docs)
    by = {d.id: d for d in out}
    for name in pages:
        d = by[name]
        assert d.rejection is None, d.rejection
        assert d.html is None and d.article is not None and d.text == d.article.text and d.text
        assert d.metadata["html"]["source"] in ("extractor", "extractor_recall", "extractor_default", "fulltext",
                                                "thread")
    # a forum thread without a URL is known by the canonical address it declares, and read from its whole page
    assert by["en_forum_thread"].metadata["html"]["source"] == "thread"
    assert by["de_cp1252"].metadata["html"]["encoding"] == "cp1252"
    assert by["plain"].text == "already text" and by["plain"].article is None
    assert by["big"].rejection.code == "html:too_large" and by["big"].rejection.value == 300_013
    assert by["big"].rejection.threshold == 250_000 and by["big"].html is None
    assert by["empty"].rejection.code == "html:empty"
    assert by["garbage"].rejection is not None or by["garbage"].text
    st = stats.steps["html"]
    assert st.docs_in == len(docs) and st.rejected == sum(d.rejection is not None for d in out)
    rec = by["en_gitlab"].to_record()
    assert rec["title"] and rec["date"] and rec["author"] and rec["lines"]


def test_step_timeout_is_a_rejection_not_a_stuck_run(pages):
    step = HtmlStep(timeout_s=1e-4)
    docs = [Document(id=n, text="", html=p["bytes"]) for n, p in list(pages.items())[:2]]
    out = list(run_steps([step], docs, RunStats()))
    assert [d.rejection.code for d in out] == ["html:timeout", "html:timeout"]
    assert out[0].rejection.value == 1e-4


def test_step_parameters_are_validated():
    with pytest.raises(ValueError):
        HtmlStep(timeout_s=0)
    with pytest.raises(ValueError):
        HtmlStep(max_bytes=-1)
    with pytest.raises(ValueError):
        HtmlStep(extractors="fast")


def test_step_with_one_trafilatura_call(pages):
    step = HtmlStep(timeout_s=60, extractors="recall")
    docs = [Document(id="en_gitlab", text="", html=pages["en_gitlab"]["bytes"])]
    (d,) = run_steps([step], docs, RunStats())
    assert d.rejection is None and d.metadata["html"]["source"] == "extractor_recall" and d.text


def test_an_interruption_while_the_worker_starts_never_shifts_the_replies():
    """A per-document time limit that fired while the worker was starting left its "ready" unread: the next page
    failed (JSONDecodeError) and every later page got the page before's article."""
    en = "The committee met on Tuesday to discuss the new budget proposal for the coming year. "

    def page(t):
        return f"<html><head><title>{t}</title></head><body><h1>{t}</h1><p>{t}. {en * 6}</p></body></html>"

    class Interrupted(Exception):
        pass

    def on_alarm(*_):
        raise Interrupted

    previous = signal.signal(signal.SIGALRM, on_alarm)
    sb = Sandbox(timeout_s=60)
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.3)   # (the worker takes longer than that to start)
        with pytest.raises(Interrupted):
            clean_html(page("Page A about apples"), sandbox=sb)
        signal.setitimer(signal.ITIMER_REAL, 0)
        for name in ("Page B about bananas", "Page C about cherries"):
            assert clean_html(page(name), sandbox=sb).title == name
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        sb.close()

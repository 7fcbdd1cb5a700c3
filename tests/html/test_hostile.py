"""Hostile HTML: deep nesting, huge attributes, entity bombs, broken encodings and external resources.

Each page must end as an article or as a rejection with an `html:` code — never a crash, a hang, a network
access or a memory blow-up (the parser keeps libxml2's limits; the sandbox adds a time and memory limit).
"""

from __future__ import annotations

import socket

import pytest

from sito.html import HtmlError, clean_html, extract_page

PARA = "<p>This paragraph is ordinary article text, long enough for the extractor to keep it as content.</p>"


def outcome(fn, *args, **kw):
    try:
        return fn(*args, **kw)
    except HtmlError as e:
        assert e.code.startswith("html:")
        return e


@pytest.fixture
def no_network(monkeypatch):
    calls = []

    def refuse(*a, **k):
        calls.append(a)
        raise AssertionError(f"network access attempted: {a!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return calls


def test_100000_nested_divs_in_process_and_in_sandbox(sandbox):
    html = "<html><body>" + PARA + "<div>" * 100_000 + "deep" + "</div>" * 100_000 + PARA + "</body></html>"
    for res in (outcome(extract_page, html), outcome(sandbox.extract, html)):
        if isinstance(res, HtmlError):
            assert res.code in ("html:empty", "html:parse_error")
        else:
            assert any("ordinary article text" in ln for ln in res["lines"])


def test_deeply_nested_inline_and_table_elements():
    html = "<html><body>" + PARA + "<span><b><table><tr><td>" * 20_000 + "x" + "</td></tr></table></b></span>" * 20_000 + "</body></html>"
    res = outcome(clean_html, html)
    assert isinstance(res, HtmlError) or "ordinary article text" in res.text


@pytest.mark.parametrize("inner", ["<div>{}</div>", "<span><b><table><tr><td>{}</td></tr></table></b></span>"])
def test_deep_nesting_read_as_a_thread_from_its_whole_page(inner):
    # a thread's URL sends the page to the full-page text (inscriptis) instead of trafilatura's lines
    opening, closing = inner.split("{}")
    html = "<html><body>" + PARA + opening * 50_000 + "x" + closing * 50_000 + "</body></html>"
    res = outcome(extract_page, html, "https://forum.example.org/t/a-thread/1")
    assert isinstance(res, HtmlError) or (res["source"] in ("thread", "extractor_recall")
                                          and any("ordinary article text" in ln for ln in res["lines"]))


def test_unclosed_headings_and_figcaptions_are_read_only_so_far():
    # an unclosed <h1> / <figcaption> holds the rest of the page (figcaptions nest: 250 of them, each with all
    # the text): the headline and caption readers stop at a few hundred characters, and take none of it
    rest = PARA * 5 + "<p>" + "word " * 400_000 + "</p>"
    for tag in ("h1", "figcaption"):
        html = f"<html><head><title>A page title here</title></head><body>{f'<{tag}>' * 250}{rest}</body></html>"
        res = outcome(clean_html, html)
        assert isinstance(res, HtmlError) or res.title == "A page title here" and not res.captions


def test_huge_attributes():
    big = "A" * 5_000_000
    html = f'<html><body><div data-x="{big}" class="{big}">{PARA}{PARA}</div></body></html>'
    art = clean_html(html)
    assert "ordinary article text" in art.text and "AAAA" not in art.text
    # above libxml2's 10 MB limit for one attribute: a clean failure or the rest of the page, nothing else
    html = f'<html><body><div title="{"B" * 11_000_000}">x</div>{PARA}</body></html>'
    res = outcome(clean_html, html)
    assert isinstance(res, HtmlError) or "BBBB" not in res.text


def test_billion_laughs_entities_are_not_expanded():
    lol = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    html = f'<?xml version="1.0"?><!DOCTYPE html [{lol}]><html><body>{PARA}<p>&lol9;</p></body></html>'
    res = outcome(clean_html, html)
    if not isinstance(res, HtmlError):
        assert len(res.text) < 10_000 and "lollollol" not in res.text


def test_no_network_and_no_local_files(no_network):
    html = """<?xml version="1.0"?>
    <!DOCTYPE html SYSTEM "http://127.0.0.1:9/evil.dtd" [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
    <html xmlns:xi="http://www.w3.org/2001/XInclude"><head>
      <link rel="stylesheet" href="http://127.0.0.1:9/a.css"><script src="http://127.0.0.1:9/a.js"></script>
      <script>document.write("<p>injected by script</p>")</script><base href="http://127.0.0.1:9/">
    </head><body><iframe src="http://127.0.0.1:9/frame"></iframe><img src="http://127.0.0.1:9/i.png">
      <xi:include href="file:///etc/passwd" parse="text"/>
      <p>&xxe;</p>""" + PARA * 3 + "</body></html>"
    art = clean_html(html.encode("utf-8"), url="http://127.0.0.1:9/page")
    assert "root:" not in art.text and "injected by script" not in art.text
    assert "ordinary article text" in art.text
    assert no_network == []


@pytest.mark.parametrize(
    "raw",
    [
        b"\xff\xfe\x00\x00garbage" + bytes(range(256)) * 50,  # random bytes, a bogus BOM
        b'<html><head><meta charset="x-no-such-charset"></head><body><p>caf\xe9 ' + b"na\xefve text " * 30 + b"</p></body></html>",
        b'<html><head><meta charset="utf-8"></head><body><p>' + b"bad \xc3\x28 utf8 \xa0\xa1 " * 40 + b"</p></body></html>",
        "<html><body><p>".encode("utf-16") + "Tekst w UTF-16 bez deklaracji. ".encode("utf-16-le") * 30,
        b"<html><body><p>" + b"nul\x00bytes\x01and\x08controls " * 40 + b"</p></body></html>",
        b"\x1f\x8b\x08\x00" + bytes(200),  # gzip magic, not inflated
    ],
)
def test_broken_encodings_never_crash(raw):
    res = outcome(clean_html, raw)
    if not isinstance(res, HtmlError):
        assert isinstance(res.text, str)
        res.text.encode("utf-8")  # valid text out


def test_lone_surrogates_in_str_input():
    res = outcome(clean_html, "<html><body><p>" + "half \ud800 pair " * 30 + "</p></body></html>")
    if not isinstance(res, HtmlError):
        res.text.encode("utf-8")


def test_huge_page_rejected_before_parsing():
    with pytest.raises(HtmlError) as e:
        clean_html(b"<p>" * 10, max_bytes=20)
    assert e.value.code == "html:too_large"


def test_binary_files_are_rejected_not_read_as_text():
    """An image, a PDF or random bytes given as a page: `html:binary`, not kilobytes of junk as the article."""
    import random
    from pathlib import Path

    png = (Path(__file__).resolve().parents[2] / "docs" / "img" / "report.png").read_bytes()
    pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + bytes(range(256)) * 20
    rng = random.Random(0)
    noise = bytes(rng.randrange(256) for _ in range(20000))
    for raw in (png, pdf, noise, noise.decode("latin-1")):
        with pytest.raises(HtmlError) as e:
            clean_html(raw)
        assert e.value.code == "html:binary", raw[:8]
    # text without a BOM in UTF-16 has NUL bytes and is still a page
    page = "<html><body>" + PARA * 5 + "</body></html>"
    assert "ordinary article text" in clean_html(page.encode("utf-16-le")).text


def test_a_page_of_more_lines_than_one_article_has_is_rejected():
    """A listing or a dump of 60,000 paragraphs: `html:too_many_lines` before the line cleaner, which holds a few
    KB per line (sito.document.MAX_LINES)."""
    from sito.document import MAX_LINES

    page = "<html><body>" + "".join(f"<p>Entry number {i} of a very long list.</p>" for i in range(MAX_LINES + 10_000))
    with pytest.raises(HtmlError) as e:
        clean_html(page + "</body></html>")
    assert e.value.code == "html:too_many_lines" and e.value.value > MAX_LINES

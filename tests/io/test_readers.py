"""Every reader on real content, in every compression: documents, ids, sources, metadata."""

from __future__ import annotations

import gzip
import io

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from sito.io import InputSlice, ReadOptions, read_slice

from io_helpers import (COMPRESSIONS, EXT, PAGES, REPO, codes, compress, corpus_records, example_text, jsonl_bytes,
                       page_bytes, read_all, warc_bytes, wet_bytes)


@pytest.mark.parametrize("kind", COMPRESSIONS)
def test_txt_one_document_per_file(tmp_path, kind):
    p = tmp_path / f"pl_news_scraped.txt{EXT[kind]}"
    p.write_bytes(compress(example_text().encode("utf-8"), kind))
    docs = read_all(p)
    assert len(docs) == 1
    d = docs[0]
    assert d.rejection is None
    assert d.text == example_text()
    assert d.id == p.as_posix() and d.source == p.as_posix()
    assert "encoding" not in d.metadata


def test_txt_legacy_charset_is_detected_and_recorded(tmp_path):
    text = example_text()
    p = tmp_path / "cp1250.txt"
    p.write_bytes(text.encode("cp1250"))
    (d,) = read_all(p)
    assert d.rejection is None
    assert d.text == text  # Polish letters (ą, ę, ł, ś, ż…) come back exactly
    assert d.metadata["encoding"] == "cp1250"


@pytest.mark.parametrize("codec", ["euc_jp", "shift_jis"])
def test_txt_japanese_legacy_charset(tmp_path, codec):
    """Japanese in EUC-JP, no declaration: GB18030 reads its kana as kana and its kanji as other characters, and the
    language identifier takes both for Japanese (0.9999); the CJK punctuation between two characters counted as a
    symbol inside a word, so Big5 mojibake won before, and GB18030 mojibake after that alone."""
    text = "市議会は火曜日、道路の補修や公園、北部地区の新しい図書館の建設資金を含む来年度の新しい予算案を承認した。" * 4
    p = tmp_path / "ja.txt"
    p.write_bytes(text.encode(codec))
    (d,) = read_all(p)
    assert d.rejection is None and d.text == text


def test_txt_western_legacy_charset_is_not_read_as_central_european(tmp_path):
    """The text of a real German page (tests/fixtures/html/de_cp1252.html.gz) saved as windows-1252 text: on
    short texts charset_normalizer's first guess is windows-1250, which reads "ü", "ä", "ß" alike but French
    "è", "à", "û" as "č", "ŕ", "ű"; the language identifier picks the right one."""
    from sito import clean_html

    page = gzip.decompress((REPO / "tests" / "fixtures" / "html" / "de_cp1252.html.gz").read_bytes())
    para = max(clean_html(page).text.split("\n\n"), key=len)
    french = "Le café crème et la crème brûlée sont très appréciés à Paris, où l'été dernier fut chaud."
    for text in (para, french):
        p = tmp_path / "legacy.txt"
        p.write_bytes(text.encode("cp1252"))
        (d,) = read_all(p)
        assert d.rejection is None and d.text == text, d.metadata
        assert d.metadata["encoding"] == "cp1252"


def test_txt_central_european_legacy_charset(tmp_path):
    """Short Polish text in ISO-8859-2 or windows-1250: charset_normalizer reads it as well in ISO-8859-4
    ("przyjąģ w ķrodę"); windows-1250 and ISO-8859-2 are always among the decodings weighed."""
    text = "Minister przyjął w środę projekt ustawy o zmianie przepisów dotyczących świadczeń rodzinnych."
    for enc in ("iso8859-2", "cp1250"):
        p = tmp_path / "pl.txt"
        p.write_bytes(text.encode(enc))
        (d,) = read_all(p)
        assert d.text == text and d.metadata["encoding"] == enc


def test_txt_utf16_with_bom(tmp_path):
    p = tmp_path / "u16.txt"
    p.write_bytes(example_text().encode("utf-16"))
    (d,) = read_all(p)
    assert d.rejection is None and d.text == example_text() and d.metadata["encoding"] == "utf-16"


@pytest.mark.parametrize("kind", COMPRESSIONS)
def test_html_raw_bytes_are_passed_on(tmp_path, kind):
    for url, fx in PAGES.items():
        raw = page_bytes(url)
        p = tmp_path / (fx.name[:-3] + EXT[kind])
        p.write_bytes(compress(raw, kind))
        (d,) = read_all(p)
        assert d.rejection is None
        assert d.html == raw and d.text == ""
        assert d.id == p.as_posix()


@pytest.mark.parametrize("kind", COMPRESSIONS)
def test_jsonl_fields_metadata_and_sources(tmp_path, kind):
    recs = corpus_records(25)
    p = tmp_path / f"corpus.jsonl{EXT[kind]}"
    p.write_bytes(compress(jsonl_bytes(recs), kind))
    docs = read_all(p)
    assert codes(docs) == [None] * 25
    for i, (d, r) in enumerate(zip(docs, recs), 1):
        assert (d.id, d.text, d.url) == (r["id"], r["text"], r["url"])
        assert d.metadata == {"lang": "pl", "n": r["n"]}
        assert d.source == f"{p.as_posix()}:{i}"


def test_jsonl_custom_fields_and_default_ids(tmp_path):
    recs = [{"content": r["text"], "link": r["url"], "meta": {"k": 1}} for r in corpus_records(4)]
    recs[1]["doc_id"] = 17
    p = tmp_path / "c.ndjson"
    p.write_bytes(jsonl_bytes(recs))
    docs = read_all(p, text_field="content", id_field="doc_id", url_field="link")
    assert codes(docs) == [None] * 4
    assert [d.id for d in docs] == [f"{p.as_posix()}:1", "17", f"{p.as_posix()}:3", f"{p.as_posix()}:4"]
    assert docs[0].url == recs[0]["link"] and docs[0].metadata == {"meta": {"k": 1}}


def test_jsonl_crlf_bom_and_blank_lines(tmp_path):
    recs = corpus_records(3)
    data = b"\xef\xbb\xbf" + jsonl_bytes(recs).replace(b"\n", b"\r\n") + b"\r\n  \n"
    p = tmp_path / "c.jsonl"
    p.write_bytes(data[:-1])  # and no final newline
    docs = read_all(p)
    assert codes(docs) == [None] * 3
    assert [d.text for d in docs] == [r["text"] for r in recs]


def _parquet(path, recs, row_group_size=None):
    pq.write_table(pa.Table.from_pylist(recs), path, row_group_size=row_group_size)


def test_parquet_rows_and_metadata(tmp_path):
    recs = corpus_records(40)
    p = tmp_path / "c.parquet"
    _parquet(p, recs, row_group_size=7)
    docs = read_all(p)
    assert codes(docs) == [None] * 40
    assert [d.text for d in docs] == [r["text"] for r in recs]
    assert [d.source for d in docs] == [f"{p.as_posix()}#{i}" for i in range(40)]
    assert docs[3].metadata == {"lang": "pl", "n": 3} and docs[3].id == "doc-0003"


def test_parquet_without_id_column(tmp_path):
    p = tmp_path / "c.parquet"
    _parquet(p, [{"text": r["text"]} for r in corpus_records(3)])
    docs = read_all(p)
    assert [d.id for d in docs] == [f"{p.as_posix()}#{i}" for i in range(3)]
    assert all(d.url is None for d in docs)


@pytest.mark.parametrize("kind,record_gzip", [(k, False) for k in COMPRESSIONS] + [("none", True)])
def test_warc_html_responses_and_the_rest_rejected(tmp_path, kind, record_gzip):
    # record_gzip: one gzip member per record, as Common Crawl writes .warc.gz
    data, kinds = warc_bytes(gzip_records=record_gzip)
    p = tmp_path / f"crawl.warc{EXT[kind] if not record_gzip else '.gz'}"
    p.write_bytes(compress(data, kind))
    docs = read_all(p)
    assert len(docs) == len(kinds)  # every record accounted for
    for d, k in zip(docs, kinds):
        if k == "html":
            assert d.rejection is None, d.rejection
            assert d.html and d.text == "" and d.url
            assert d.metadata["http_status"] == 200
        else:
            assert d.rejection.code == "read:warc_not_html", (k, d.rejection)
    html = [d for d, k in zip(docs, kinds) if k == "html"]
    urls = list(PAGES)
    assert html[0].html == page_bytes(urls[0]) and html[0].url == urls[0]
    assert html[0].metadata["http_charset"] == "utf-8"
    assert html[1].metadata["http_charset"] == "iso-8859-1"
    assert html[2].url == "https://example.pl/no-type" and b"<title>t</title>" in html[2].html
    assert all(not d.id.startswith("<") and d.id.startswith("urn:uuid:") for d in docs)
    assert [d.source for d in docs] == [f"{p.as_posix()}#{i}" for i in range(len(kinds))]
    image = docs[kinds.index("image")]
    assert "image/png" in image.rejection.detail


def test_warc_responses_that_are_not_2xx_are_rejected_with_their_status(tmp_path):
    # a crawl keeps redirects, "404 Not Found" and server error pages: HTML, but never the URL's content
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=True)
    body = page_bytes(next(iter(PAGES)))
    for status in ("200 OK", "301 Moved Permanently", "404 Not Found", "503 Service Unavailable", "204 No Content",
                   "206 Partial Content"):
        http = StatusAndHeaders(status, [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        w.write_record(w.create_warc_record("https://example.pl/a", "response", payload=io.BytesIO(body),
                                            http_headers=http))
    p = tmp_path / "crawl.warc.gz"
    p.write_bytes(buf.getvalue())
    docs = read_all(p)
    assert codes(docs) == [None, "read:http_status", "read:http_status", "read:http_status", None,
                           "read:http_status"]
    assert [d.rejection.value for d in docs[1:4]] == [301, 404, 503]
    assert "404 Not Found" in docs[2].rejection.detail
    assert docs[0].metadata["http_status"] == 200 and docs[4].metadata["http_status"] == 204


def test_a_warc_response_after_interim_responses_is_read_by_its_final_status(tmp_path):
    # a POST answered "100 Continue" (or "103 Early Hints") first: warcio takes the first status line for the
    # record's, and the final status line, headers and (still encoded) body for the payload
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    html = page_bytes(next(iter(PAGES)))
    gz = gzip.compress(html)
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(gz[i:i + 500]), gz[i:i + 500]) for i in range(0, len(gz), 500))
    finals = [
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html,
        b"HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html"
        b"\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n" + chunked + b"0\r\n\r\n",
        b"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\n<html><body>Not found</body></html>",
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n" + html,   # bad
    ]
    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=True)
    for body in finals:
        http = StatusAndHeaders("100 Continue", [], protocol="HTTP/1.1")
        w.write_record(w.create_warc_record("https://example.pl/a", "response", payload=io.BytesIO(body),
                                            http_headers=http))
    p = tmp_path / "crawl.warc.gz"
    p.write_bytes(buf.getvalue())
    docs = read_all(p)
    assert codes(docs) == [None, None, "read:http_status", "read:corrupt"]
    assert docs[0].html == html and docs[1].html == html
    assert docs[0].metadata["http_status"] == 200 and docs[0].metadata["http_charset"] == "utf-8"
    assert docs[2].rejection.value == 404
    small = read_all(p, max_record_bytes=len(html) - 1)   # (the final body is bounded as any payload is)
    assert codes(small)[:2] == ["read:too_large", "read:too_large"]


@pytest.mark.parametrize("kind", ["none", "gz", "zst"])
def test_wet_conversion_records_are_text(tmp_path, kind):
    p = tmp_path / f"crawl.warc.wet{EXT[kind]}"
    p.write_bytes(compress(wet_bytes(), kind))
    docs = read_all(p)
    assert codes(docs) == ["read:wet_not_conversion"] + [None] * 5
    recs = corpus_records(5)
    assert [d.text for d in docs[1:]] == [r["text"] for r in recs]
    assert [d.url for d in docs[1:]] == [r["url"] for r in recs]
    assert docs[1].metadata["language"] == "pol"


def test_read_slice_rejects_unknown_format(tmp_path):
    with pytest.raises(ValueError, match="unknown input format"):
        list(read_slice(InputSlice(tmp_path / "x", "pdf"), ReadOptions()))


def test_magic_bytes_win_over_the_extension(tmp_path):
    # a zstd file named .gz is read as zstd; a gzip file without a compression suffix is read as gzip
    recs = corpus_records(3)
    p = tmp_path / "c.jsonl.gz"
    p.write_bytes(compress(jsonl_bytes(recs), "zst"))
    assert codes(read_all(p)) == [None] * 3
    q = tmp_path / "d.jsonl"
    q.write_bytes(gzip.compress(jsonl_bytes(recs)))
    assert [d.text for d in read_all(q)] == [r["text"] for r in recs]


def test_parquet_binary_text_column_is_decoded(tmp_path):
    p = tmp_path / "b.parquet"
    texts = [r["text"].encode("utf-8") for r in corpus_records(3)] + [b"\xff\xfe bad"]
    pq.write_table(pa.table({"text": pa.array(texts, pa.binary())}), p)
    docs = read_all(p)
    assert codes(docs) == [None, None, None, "read:invalid_utf8"]
    assert [d.text for d in docs[:3]] == [r["text"] for r in corpus_records(3)]

"""Shared builders for the I/O tests: real texts and pages, and files in every format and compression."""

from __future__ import annotations

import bz2
import gzip
import io
import json
import lzma
from pathlib import Path

import zstandard

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "pl_news_scraped.txt"
FIXTURES = REPO / "tests" / "fixtures" / "io"
PAGES = {
    "http://www.news.cn/fortune/2023-11/17/c_1129981476.htm": FIXTURES / "chinese_article_002.html.gz",
    "https://www.mix1.de/music/leslie-clio/brave-new-woman/": FIXTURES / "mix1.de-clio.html.gz",
}
COMPRESSIONS = ("none", "gz", "zst", "bz2", "xz")
EXT = {"none": "", "gz": ".gz", "zst": ".zst", "bz2": ".bz2", "xz": ".xz"}


def compress(data: bytes, kind: str) -> bytes:
    if kind == "none":
        return data
    if kind == "gz":
        return gzip.compress(data, mtime=0)
    if kind == "zst":
        return zstandard.ZstdCompressor(write_checksum=True).compress(data)
    if kind == "bz2":
        return bz2.compress(data)
    if kind == "xz":
        return lzma.compress(data)
    raise ValueError(kind)


def example_text() -> str:
    return EXAMPLE.read_text("utf-8")


def page_bytes(url: str) -> bytes:
    return gzip.decompress(PAGES[url].read_bytes())


def corpus_records(n: int = 30) -> list[dict]:
    """`n` JSON records made from the example page: one per paragraph block, cycling, with ids, urls, metadata."""
    paras = [p.strip() for p in example_text().split("\n\n") if p.strip()]
    out = []
    for i in range(n):
        out.append({"id": f"doc-{i:04d}", "text": paras[i % len(paras)], "url": f"https://example.pl/a/{i}",
                    "lang": "pl", "n": i})
    return out


def jsonl_bytes(records: list[dict]) -> bytes:
    return b"".join((json.dumps(r, ensure_ascii=False) + "\n").encode("utf-8") for r in records)


def warc_bytes(gzip_records: bool = False) -> tuple[bytes, list[str]]:
    """A WARC with: warcinfo, and per fixture page a request + HTML response; plus an image response, an HTML
    response without Content-Type, and a metadata record. Returns the bytes and the list of record types."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=gzip_records)
    kinds = []

    def add(rec, kind):
        w.write_record(rec)
        kinds.append(kind)

    add(w.create_warcinfo_record("test.warc", {"software": "sito tests"}), "warcinfo")
    for url in PAGES:
        req = StatusAndHeaders("GET / HTTP/1.1", [("Host", "example")], is_http_request=True)
        add(w.create_warc_record(url, "request", payload=io.BytesIO(b""), http_headers=req), "request")
        charset = "utf-8" if "news.cn" in url else "iso-8859-1"
        http = StatusAndHeaders("200 OK", [("Content-Type", f"text/html; charset={charset}")], protocol="HTTP/1.1")
        add(w.create_warc_record(url, "response", payload=io.BytesIO(page_bytes(url)), http_headers=http), "html")
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
    http = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
    add(w.create_warc_record("https://example.pl/logo.png", "response", payload=io.BytesIO(png), http_headers=http),
        "image")
    http = StatusAndHeaders("200 OK", [("Server", "x")], protocol="HTTP/1.1")
    body = b"<!DOCTYPE html><html><head><title>t</title></head><body><p>" + example_text().encode() + b"</p></body></html>"
    add(w.create_warc_record("https://example.pl/no-type", "response", payload=io.BytesIO(body), http_headers=http),
        "html")
    add(w.create_warc_record("https://example.pl/no-type", "metadata", payload=io.BytesIO(b"fetchTimeMs: 12\r\n"),
                             warc_content_type="application/warc-fields"), "metadata")
    return buf.getvalue(), kinds


def wet_bytes(gzip_records: bool = False, n: int = 5) -> bytes:
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=gzip_records)
    w.write_record(w.create_warcinfo_record("test.warc.wet", {"software": "sito tests"}))
    for r in corpus_records(n):
        rec = w.create_warc_record(r["url"], "conversion", payload=io.BytesIO(r["text"].encode("utf-8")),
                                   warc_content_type="text/plain",
                                   warc_headers_dict={"WARC-Identified-Content-Language": "pol"})
        w.write_record(rec)
    return buf.getvalue()


def read_all(path: Path, **opts):
    from sito.io import ReadOptions, detect_format, plan_slices, read_slice

    options = ReadOptions(**opts)
    fmt = detect_format(path)
    return [d for sl in plan_slices(path, fmt) for d in read_slice(sl, options)]


def codes(docs) -> list[str | None]:
    return [d.rejection.code if d.rejection else None for d in docs]


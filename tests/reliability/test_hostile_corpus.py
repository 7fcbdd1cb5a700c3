"""Promises 1, 2 and 5 of docs/reliability.md on a corpus of hostile inputs the test builds itself.

Every kind of bad input of promise 2 sits in one folder next to good pages; one `sito clean` run over the folder
(the default pipeline, two workers) must finish, account for every input file, and give each bad record its
reason — no crash, no silent loss, no network access.
"""

from __future__ import annotations

import bz2
import gzip
import io
import json
import lzma
import os
import subprocess
import sys
from pathlib import Path

import pytest
import zstandard

from sito.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = (ROOT / "examples" / "pl_news_scraped.txt").read_text("utf-8")


def _warc_with_non_html(path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as f:
        w = WARCWriter(f, gzip=True)
        html = ("<html><head><title>Test</title></head><body><article><h1>Łukaszenka</h1>"
                + "".join(f"<p>{p}</p>" for p in EXAMPLE.split("\n\n")[:8]) + "</article></body></html>").encode()
        hdr = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        w.write_record(w.create_warc_record("https://example.pl/a", "response", payload=io.BytesIO(html),
                                            http_headers=hdr))
        png = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        w.write_record(w.create_warc_record("https://example.pl/a.png", "response",
                                            payload=io.BytesIO(b"\x89PNG\r\n\x1a\n" + os.urandom(200)), http_headers=png))
        w.write_record(w.create_warc_record("https://example.pl/a", "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")))
        w.write_record(w.create_warc_record("https://example.pl/meta", "metadata", payload=io.BytesIO(b"k: v\n")))


def build_hostile_corpus(root: Path, big_mb: int = 200) -> dict[str, str | None]:
    """Write the hostile inputs; returns file name -> the rejection code expected for it (None: no promise
    beyond being accounted for)."""
    root.mkdir(parents=True, exist_ok=True)
    expect: dict[str, str | None] = {}

    def put(name: str, data: bytes, code: str | None) -> None:
        (root / name).write_bytes(data)
        expect[name] = code

    put("good.txt", EXAMPLE.encode(), None)
    put("invalid_utf8.txt", EXAMPLE.encode()[:500] + b"\xff\xfe\xc3\x28 " + EXAMPLE.encode()[500:1500], None)
    put("latin2.txt", "Zażółć gęślą jaźń. Łódź i Kraków to miasta w Polsce.\n".encode("iso-8859-2") * 20, None)
    put("nul_bytes.txt", b"text\x00with\x00nul " * 50, "read:binary")
    put("binary.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40, "read:binary")
    put("empty.txt", b"", "read:empty_file")
    put("empty.jsonl", b"", "read:empty_file")
    lines = [
        json.dumps({"id": "ok1", "text": EXAMPLE}),
        "{not json",
        json.dumps([1, 2, 3]),
        json.dumps({"id": "notext", "body": "x"}),
        json.dumps({"id": "num", "text": 42}),
        json.dumps({"id": "null", "text": None}),
    ]
    mixed = "\n".join(lines).encode() + b"\n" + b'{"id": "latin1", "text": "caf\xe9"}\n'
    put("malformed.jsonl", mixed, "read:malformed_json")
    whole = (json.dumps({"id": "z", "text": EXAMPLE}) + "\n").encode() * 30
    put("truncated.jsonl.gz", gzip.compress(whole, mtime=0)[:-200], "read:truncated")
    put("truncated.jsonl.zst", zstandard.ZstdCompressor().compress(whole)[:-100], "read:truncated")
    put("truncated.txt.bz2", bz2.compress(EXAMPLE.encode() * 5)[:-100], "read:truncated")
    put("truncated.jsonl.xz", lzma.compress(whole)[:-100], "read:truncated")
    put("broken.parquet", b"PAR1" + os.urandom(3000) + b"PAR1", "read:corrupt")
    put("not_really.jsonl.gz", whole[:2000], "read:corrupt")
    _warc_with_non_html(root / "crawl.warc.gz")
    expect["crawl.warc.gz"] = "read:warc_not_html"
    deep = b"<html><body>" + b"<div>" * 100_000 + b"deep text" + b"</div>" * 100_000 + b"</body></html>"
    put("deep_nesting.html", deep, None)
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                         for i in range(1, 10))
              + b']><html><body><p>&lol9;</p><p>' + EXAMPLE.encode()[:800] + b"</p></body></html>")
    put("billion_laughs.html", laughs, None)
    external = (b'<html><head><link rel="stylesheet" href="http://192.0.2.1/x.css">'
                b'<script src="http://192.0.2.1/x.js"></script></head><body><img src="http://192.0.2.1/a.png">'
                b'<iframe src="http://192.0.2.1/"></iframe><article>'
                + b"".join(b"<p>" + p.encode() + b"</p>" for p in EXAMPLE.split("\n\n")[2:10])
                + b"</article></body></html>")
    put("external_resources.html", external, None)
    put("huge_attribute.html", b'<html><body><p title="' + b"x" * 5_000_000 + b'">short</p><p>'
        + EXAMPLE.encode()[:1000] + b"</p></body></html>", None)
    big = root / "big_line.jsonl"
    with open(big, "wb") as f:
        f.write(b'{"id": "big", "text": "')
        chunk = b"a" * (1 << 20)
        for _ in range(big_mb):
            f.write(chunk)
        f.write(b'"}\n')
        f.write((json.dumps({"id": "after-big", "text": EXAMPLE}) + "\n").encode())
    expect["big_line.jsonl"] = "read:too_large"
    return expect


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    corpus = tmp / "corpus"
    expect = build_hostile_corpus(corpus)
    out = tmp / "out"
    # dedup off: the good pages share the example's lines, which dedup would rightly remove (tested on its own)
    rc = main(["clean", str(corpus), "-o", str(out), "-w", "2", "-q", "--no-report", "--no-dedup"])
    assert rc == 0
    return corpus, out, expect


def _records(out: Path) -> list[dict]:
    from sito.io import iter_output_records, output_files

    recs = []
    for sub in ("kept", "rejected"):
        for f in output_files(out / sub):
            recs.extend(iter_output_records(f))
    return recs


def test_every_input_is_accounted_for(hostile_run):
    corpus, out, expect = hostile_run
    stats = json.loads((out / "stats.json").read_text())
    recs = _records(out)
    assert stats["read"] == stats["kept"] + stats["rejected"] == len(recs)
    assert sum(stats["reasons"].values()) == stats["rejected"]
    for name in expect:
        path = str(corpus / name)
        assert any(r["source"].startswith(path) for r in recs), f"{name}: no record at all"
    # the good documents around the bad ones are kept
    kept_sources = {r["source"].split(":")[0].split("#")[0] for r in recs if "reason" not in r}
    for name in ("good.txt", "external_resources.html", "invalid_utf8.txt"):
        assert str(corpus / name) in kept_sources, name
    # a few broken bytes in a UTF-8 page cost those bytes, not the page
    [bad] = [r for r in recs if r["source"] == str(corpus / "invalid_utf8.txt")]
    assert bad["metadata"]["encoding"] == "utf-8 (invalid bytes replaced)"
    assert any(r["id"] == "after-big" and "reason" not in r for r in recs), "the record after a huge one is lost"


def test_each_bad_input_has_its_reason(hostile_run):
    corpus, out, expect = hostile_run
    recs = _records(out)
    for name, code in expect.items():
        if code is None:
            continue
        path = str(corpus / name)
        codes = {r["reason"]["code"] for r in recs if "reason" in r and r["source"].startswith(path)}
        assert code in codes, f"{name}: expected {code}, got {codes}"
    malformed = {r["reason"]["code"] for r in recs if "reason" in r and "malformed.jsonl" in r["source"]}
    assert {"read:malformed_json", "read:not_object", "read:missing_field", "read:bad_field",
            "read:invalid_utf8"} <= malformed
    big = [r for r in recs if "big_line.jsonl" in r["source"] and "reason" in r]
    assert big[0]["reason"]["value"] >= 200 << 20


AUDIT_HOOK = """
import os, sys
_log = os.environ["SITO_TEST_NET_LOG"]
def _hook(event, args):
    if event in ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "urllib.Request",
                 "http.client.connect", "ftplib.connect"):
        with open(_log, "a") as f:
            f.write(f"{os.getpid()} {event} {args!r}\\n")
sys.addaudithook(_hook)
"""


def test_no_network_while_processing(tmp_path):
    """Promise 5: pages that reference external resources and entities are processed without any network
    call, in any process of the run (main, workers, HTML sandbox): an audit hook, installed in every Python
    process through sitecustomize, logs each connection or name lookup."""
    hook_dir = tmp_path / "hook"
    hook_dir.mkdir()
    (hook_dir / "sitecustomize.py").write_text(AUDIT_HOOK)
    log = tmp_path / "net.log"
    corpus = tmp_path / "corpus"
    build_hostile_corpus(corpus, big_mb=1)
    out = tmp_path / "out"
    env = dict(os.environ, SITO_TEST_NET_LOG=str(log),
               PYTHONPATH=os.pathsep.join([str(hook_dir), os.environ.get("PYTHONPATH", "")]))
    r = subprocess.run([sys.executable, "-m", "sito.cli", "clean", str(corpus), "-o", str(out), "-w", "2", "-q",
                        "--no-report"], env=env, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr
    # the hook really is active: a lookup made under the same environment is logged
    subprocess.run([sys.executable, "-c", "import socket\ntry: socket.getaddrinfo('localhost', 80)\nexcept OSError: pass"],
                   env=env, check=True)
    lines = log.read_text().splitlines()
    assert len(lines) == 1 and "getaddrinfo" in lines[0] and "localhost" in lines[0], lines

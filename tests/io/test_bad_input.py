"""Bad input never raises: each case gives a clear `read:*` reason and every record is accounted for."""

from __future__ import annotations

import gzip
import json
import os
import tracemalloc

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from sito.io import ReadOptions, detect_format, expand_inputs, plan_slices, read_slice

from io_helpers import (EXAMPLE, EXT, codes, compress, corpus_records, example_text, jsonl_bytes, read_all,
                        warc_bytes)


@pytest.mark.parametrize("kind", ["gz", "zst", "bz2", "xz"])
def test_truncated_jsonl_keeps_what_was_read_and_rejects_the_rest_once(tmp_path, kind):
    recs = corpus_records(8000)  # ~3 MB: several zstd blocks (128 KiB) and bzip2 blocks (900 kB)
    data = compress(jsonl_bytes(recs), kind)
    p = tmp_path / f"c.jsonl{EXT[kind]}"
    p.write_bytes(data[: len(data) * 2 // 3])
    docs = read_all(p)
    good = [d for d in docs if d.rejection is None]
    bad = [d for d in docs if d.rejection is not None]
    assert len(bad) == 1 and bad[0].rejection.code == "read:truncated", codes(docs)[-3:]
    assert docs[-1] is bad[0]
    # the documents kept are exactly the first records of the file, unchanged
    assert [d.id for d in good] == [r["id"] for r in recs[: len(good)]]
    assert [d.text for d in good] == [r["text"] for r in recs[: len(good)]]
    assert 0 < len(good) < len(recs)
    assert bad[0].source == f"{p.as_posix()}:{len(good) + 1}"
    assert "end-of-stream" in bad[0].rejection.detail or "last frame" in bad[0].rejection.detail


@pytest.mark.parametrize("kind", ["gz", "zst", "bz2", "xz"])
def test_truncated_txt_is_one_rejection(tmp_path, kind):
    data = compress(example_text().encode() * 20, kind)
    p = tmp_path / f"a.txt{EXT[kind]}"
    p.write_bytes(data[: len(data) // 2])
    assert codes(read_all(p)) == ["read:truncated"]


def test_corrupt_gzip_is_rejected(tmp_path):
    data = bytearray(gzip.compress(jsonl_bytes(corpus_records(300)), mtime=0))
    for i in range(len(data) // 2, len(data) // 2 + 64):
        data[i] ^= 0x5A
    p = tmp_path / "c.jsonl.gz"
    p.write_bytes(bytes(data))
    docs = read_all(p)
    assert docs[-1].rejection.code == "read:corrupt"
    assert sum(1 for d in docs if d.rejection and d.rejection.code == "read:corrupt") == 1


def test_extension_promises_compression_that_is_not_there(tmp_path):
    p = tmp_path / "c.jsonl.zst"
    p.write_bytes(jsonl_bytes(corpus_records(3)))
    (d,) = read_all(p)
    assert d.rejection.code == "read:corrupt" and "magic bytes" in d.rejection.detail


def test_bad_json_lines_each_rejected_with_reason_and_run_continues(tmp_path):
    good = corpus_records(3)
    lines = [
        json.dumps(good[0]).encode(),
        b'{"id": "x", "text": "unterminated',
        b"[1, 2, 3]",
        b'"just a string"',
        json.dumps({"id": "y", "body": "no text field", "title": "t"}).encode(),
        json.dumps({"id": "z", "text": 42}).encode(),
        json.dumps({"id": "n", "text": None}).encode(),
        b'{"id": "u", "text": "caf\xe9"}',
        b'{"id": "s", "text": "lone \\ud800 surrogate"}',
        b'{"id": "nul", "text": "a\x00b"}',
        b"[" * 100_000 + b"]" * 100_000,
        json.dumps(good[1]).encode(),
        b"",
        json.dumps(good[2]).encode(),
    ]
    p = tmp_path / "c.jsonl"
    p.write_bytes(b"\n".join(lines) + b"\n")
    docs = read_all(p)
    assert codes(docs) == [None, "read:malformed_json", "read:not_object", "read:not_object", "read:missing_field",
                           "read:bad_field", "read:bad_field", "read:invalid_utf8", "read:invalid_utf8",
                           "read:malformed_json", "read:malformed_json", None, None]
    assert [d.text for d in docs if not d.rejection] == [r["text"] for r in good]
    missing = docs[4].rejection
    assert "'body'" in missing.detail and "'title'" in missing.detail and "available keys" in missing.detail
    assert docs[5].rejection.value == "number" and docs[6].rejection.value == "null"
    assert docs[7].rejection.value == 24  # byte offset of the bad byte in the line
    # a record that parses keeps its own id when its text is missing or wrong; one that does not, its line
    assert [d.id for d in docs[4:9]] == ["y", "z", "n", p.as_posix() + ":8", "s"]
    # sources name the line; the blank line 13 is not a record
    assert [d.source.rsplit(":", 1)[1] for d in docs] == [str(i) for i in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14)]
    assert all(d.rejection.step == "read" for d in docs if d.rejection)


def test_200mb_single_line_is_rejected_by_size_without_loading_it(tmp_path):
    p = tmp_path / "huge.jsonl"
    head = jsonl_bytes(corpus_records(1))
    line = b'{"id": "big", "text": "' + b"x" * (200 << 20) + b'"}\n'
    with open(p, "wb") as f:
        f.write(head)
        for i in range(0, len(line), 8 << 20):
            f.write(line[i:i + (8 << 20)])
        f.write(head)
    del line
    opts = ReadOptions(max_record_bytes=4 << 20)
    tracemalloc.start()
    try:
        docs = [d for sl in plan_slices(p, "jsonl") for d in read_slice(sl, opts)]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert codes(docs) == [None, "read:too_large", None]
    rej = docs[1].rejection
    assert rej.value == (200 << 20) + len(b'{"id": "big", "text": ""}\n') and rej.threshold == 4 << 20
    assert docs[1].source == f"{p.as_posix()}:2"
    assert peak < 24 << 20, f"peak Python memory {peak >> 20} MiB while skipping a 200 MiB line"


def test_default_limit_rejects_a_200mb_line_in_bounded_memory(tmp_path):
    p = tmp_path / "huge.jsonl.gz"
    zeros = b"a" * (8 << 20)
    with gzip.GzipFile(p, "wb", compresslevel=1, mtime=0) as f:
        f.write(b'{"text": "')
        for _ in range(25):
            f.write(zeros)
        f.write(b'"}\n')
    tracemalloc.start()
    try:
        docs = read_all(p)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert codes(docs) == ["read:too_large"]
    assert peak < 120 << 20  # the 50 MB default limit, not the 200 MB line


@pytest.mark.parametrize("kind", ["gz", "zst"])
def test_decompression_bomb_is_a_rejection(tmp_path, kind):
    bomb = compress(b'{"text": "' + b"0" * (64 << 20) + b'"}\n', kind)
    assert len(bomb) < 1 << 20
    p = tmp_path / f"bomb.jsonl{EXT[kind]}"
    p.write_bytes(bomb)
    docs = read_all(p, max_decompressed_bytes=8 << 20, max_record_bytes=100 << 20)
    assert codes(docs) == ["read:decompression_limit"]
    assert "max_decompressed_bytes" in docs[0].rejection.detail


def test_txt_too_large_nul_bytes_and_binary(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(example_text().encode() * 100)
    (d,) = read_all(big, max_record_bytes=10_000)
    assert d.rejection.code == "read:too_large" and d.rejection.value == big.stat().st_size
    nul = tmp_path / "nul.txt"
    nul.write_bytes(b"Tekst\x00z\x00zerami" + example_text().encode())
    assert codes(read_all(nul)) == ["read:binary"]
    png = tmp_path / "image.txt"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    (d,) = read_all(png)
    assert d.rejection.code == "read:binary" and "NUL" in d.rejection.detail
    html = tmp_path / "image.html"   # (an .html file's bytes are judged by the HTML step: html:binary)
    html.write_bytes(png.read_bytes())
    (d,) = read_all(html)
    from sito.html import HtmlError, clean_html
    with pytest.raises(HtmlError) as e:
        clean_html(d.html)
    assert d.rejection is None and e.value.code == "html:binary"


@pytest.mark.parametrize("name", ["e.txt", "e.html", "e.jsonl", "e.parquet", "e.warc", "e.warc.wet"])
def test_empty_files_are_accounted_for(tmp_path, name):
    p = tmp_path / name
    p.write_bytes(b"")
    (d,) = read_all(p)
    assert d.rejection.code == "read:empty_file" and d.source.startswith(p.as_posix())


@pytest.mark.parametrize("name", ["e.txt.gz", "e.jsonl.zst", "e.jsonl.xz"])
def test_compressed_empty_and_blank_files(tmp_path, name):
    p = tmp_path / name
    p.write_bytes(compress(b"" if "txt" in name else b"\n\n  \n", {"gz": "gz", "zst": "zst", "xz": "xz"}[name.rsplit(".", 1)[1]]))
    assert codes(read_all(p)) == ["read:empty_file"]


def test_broken_parquet(tmp_path):
    recs = corpus_records(50)
    good = tmp_path / "good.parquet"
    pq.write_table(pa.Table.from_pylist(recs), good, row_group_size=10)
    data = good.read_bytes()
    cut = tmp_path / "cut.parquet"
    cut.write_bytes(data[: len(data) - 100])  # footer gone
    (d,) = read_all(cut)
    assert d.rejection.code == "read:corrupt" and "Parquet" in d.rejection.detail
    junk = tmp_path / "junk.parquet"
    junk.write_bytes(example_text().encode())
    assert codes(read_all(junk)) == ["read:corrupt"]
    # text column missing: one rejection per row, naming the columns
    notext = tmp_path / "notext.parquet"
    pq.write_table(pa.Table.from_pylist([{"body": r["text"], "id": r["id"]} for r in recs[:5]]), notext)
    docs = read_all(notext)
    assert codes(docs) == ["read:missing_field"] * 5 and "'body'" in docs[0].rejection.detail
    assert [d.id for d in docs] == [r["id"] for r in recs[:5]]  # the rows' own ids, not their row numbers
    bare = tmp_path / "bare.parquet"
    pq.write_table(pa.Table.from_pylist([{"body": "x"}] * 3), bare)
    assert [d.id for d in read_all(bare)] == [f"{bare}#{i}" for i in range(3)]
    wrong = tmp_path / "wrong.parquet"
    pq.write_table(pa.Table.from_pylist([{"text": i} for i in range(3)] + [{"text": None}]), wrong)
    assert codes(read_all(wrong)) == ["read:bad_field"] * 4


def test_damaged_parquet_page_rejects_the_rest_of_the_slice(tmp_path):
    recs = corpus_records(60)
    p = tmp_path / "p.parquet"
    pq.write_table(pa.Table.from_pylist(recs), p, row_group_size=20, compression="zstd")
    md = pq.ParquetFile(p).metadata
    col = md.row_group(1).column(1)  # the text column chunk of row group 1
    data = bytearray(p.read_bytes())
    start = col.data_page_offset
    for i in range(start + 20, start + 20 + 40):
        data[i] ^= 0xFF
    p.write_bytes(bytes(data))
    docs = read_all(p)
    assert codes(docs)[:20] == [None] * 20
    assert codes(docs)[-1] == "read:corrupt" and codes(docs).count("read:corrupt") == 1
    assert docs[-1].source == f"{p.as_posix()}#20"


def test_truncated_warc_gz_keeps_records_read(tmp_path):
    data, kinds = warc_bytes(gzip_records=True)
    p = tmp_path / "c.warc.gz"
    p.write_bytes(data[: len(data) - 300])
    docs = read_all(p)
    assert codes(docs)[-1] == "read:truncated"
    assert codes(docs)[:-1] == [None if k == "html" else "read:warc_not_html" for k in kinds[: len(docs) - 1]]


def test_truncated_plain_warc_rejects_the_cut_record(tmp_path):
    data, kinds = warc_bytes()
    p = tmp_path / "c.warc"
    p.write_bytes(data[: data.index(b"WARC/1.0", len(data) - 900) - 10])
    docs = read_all(p)
    # the cut falls inside the last HTML response: the records before it are read, that one is truncated
    expected = [None if k == "html" else "read:warc_not_html" for k in kinds[:-2]] + ["read:truncated"]
    assert codes(docs) == expected
    assert "ends inside this record" in docs[-1].rejection.detail


def test_warc_record_over_the_size_limit(tmp_path):
    data, kinds = warc_bytes()
    p = tmp_path / "c.warc"
    p.write_bytes(data)
    docs = read_all(p, max_record_bytes=5_000)
    assert "read:too_large" in codes(docs) and len(docs) == len(kinds)


def test_unreadable_file_is_a_rejection_not_a_crash(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root can read any file")
    p = tmp_path / "c.jsonl"
    p.write_bytes(jsonl_bytes(corpus_records(2)))
    p.chmod(0)
    try:
        assert codes(read_all(p)) == ["read:unreadable"]
    finally:
        p.chmod(0o644)


def test_hostile_folder_every_record_accounted_for(tmp_path):
    """A folder of good and bad files: read == documents + rejections, with one entry per good record."""
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    recs = corpus_records(50)
    expected = 0
    (root / "good.jsonl.gz").write_bytes(compress(jsonl_bytes(recs), "gz")); expected += 50
    (root / "sub" / "page.txt").write_text(example_text(), "utf-8"); expected += 1
    (root / "empty.jsonl").write_bytes(b""); expected += 1
    (root / "bin.txt").write_bytes(bytes(range(256)) * 8); expected += 1
    bad = jsonl_bytes(recs[:5]) + b"{oops\n[]\n" + b'{"t": 1}\n' + b'{"text": "\xff"}\n'
    (root / "bad.jsonl").write_bytes(bad); expected += 9
    data = compress(jsonl_bytes(recs), "zst")
    (root / "cut.jsonl.zst").write_bytes(data[: len(data) // 2])
    data, kinds = warc_bytes()
    (root / "crawl.warc").write_bytes(data); expected += len(kinds)
    pq.write_table(pa.Table.from_pylist(recs[:7]), root / "t.parquet"); expected += 7
    (root / "broken.parquet").write_bytes(b"PAR1 not really"); expected += 1
    (root / ".hidden.jsonl").write_bytes(b"{oops\n")
    (root / "README.md").write_text("not an input")
    files = expand_inputs([str(root)])
    assert [f.name for f in files] == ["bad.jsonl", "bin.txt", "broken.parquet", "crawl.warc", "cut.jsonl.zst",
                                       "empty.jsonl", "good.jsonl.gz", "page.txt", "t.parquet"]
    out = []
    for f in files:
        for sl in plan_slices(f, detect_format(f), target_bytes=4096):
            out.extend(read_slice(sl, ReadOptions()))
    cut = [d for d in out if d.source.startswith(str(root / "cut.jsonl.zst"))]
    assert codes(cut)[-1] == "read:truncated" and codes(cut).count("read:truncated") == 1
    assert len(out) - len(cut) == expected
    assert all(d.source for d in out)
    assert all(d.rejection.detail for d in out if d.rejection)
    # unique sources: nothing read twice
    assert len({d.source for d in out}) == len(out)


def test_warc_gz_bomb_is_reported_as_such(tmp_path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter
    import io

    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=True)
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    body = b"<html><body>" + b"a" * (20 << 20) + b"</body></html>"
    w.write_record(w.create_warc_record("https://example.pl/", "response", payload=io.BytesIO(body), http_headers=http))
    p = tmp_path / "bomb.warc.gz"
    p.write_bytes(buf.getvalue())
    docs = read_all(p, max_decompressed_bytes=1 << 20)
    assert codes(docs) == ["read:decompression_limit"]


def test_a_file_name_that_is_not_utf8_is_read_not_a_crash_of_the_run(tmp_path):
    """A file whose name's bytes are not UTF-8 (Latin-1 "naïve") stopped the whole `sito clean` run: the plan and
    the records could not hold the name. Its id and source now spell the odd byte as an escape."""
    import shutil

    from sito.cli import main

    root = tmp_path / "in"
    root.mkdir()
    shutil.copy(os.fsencode(EXAMPLE), os.fsencode(root) + b"/na\xefve.txt")
    (root / "other.txt").write_text("Zupełnie inny tekst o czymś innym, napisany tylko po to, by był drugi plik.\n",
                                    "utf-8")
    out = tmp_path / "out"
    assert main(["clean", str(root), "-o", str(out), "-w", "1", "-q", "--no-report"]) == 0
    stats = json.loads((out / "stats.json").read_text("utf-8"))
    assert stats["read"] == 2 == stats["kept"] + stats["rejected"]
    ids = []
    for part in sorted(out.glob("*/*.jsonl.gz")):
        ids += [json.loads(line)["id"] for line in gzip.open(part, "rt", encoding="utf-8")]
    assert sorted(ids) == sorted([f"{root.as_posix()}/na\\xefve.txt", f"{root.as_posix()}/other.txt"])


def _raw_warc_record(uri: bytes, block: bytes) -> bytes:
    return (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: " + uri + b"\r\nContent-Type: application/http; "
            b"msgtype=response\r\nContent-Length: %d\r\n\r\n" % len(block) + block + b"\r\n\r\n")


@pytest.mark.parametrize("case", ["gzip_body_over_the_limit", "bytes_after_the_last_chunk"])
def test_a_body_that_decodes_short_is_no_truncation_and_the_file_goes_on(tmp_path, case):
    """A response whose decoded body stops before its raw bytes do (a gzip body over max_record_bytes, bytes after
    the last chunk) was called `read:truncated` ("the file ends inside this record") and every record after it in
    the file was dropped without a count."""
    page = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body><p>"
            + b"A sentence of an ordinary news article. " * 30 + b"</p></body></html>")
    if case == "gzip_body_over_the_limit":
        import random

        rng = random.Random(0)   # (text that compresses about 4:1: the raw body is under the limit, 3 MB decoded)
        words = [bytes(rng.choice(b"abcdefghij") for _ in range(5)) for _ in range(300)]
        text = b" ".join(rng.choice(words) for _ in range(500_000))
        first = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n"
                 + gzip.compress(b"<html><body>" + text + b"</body></html>"))
        assert len(first) < 1_000_000
        expected = "read:too_large"
    else:
        body = b"<html><body><p>" + b"Text of the page. " * 20 + b"</p></body></html>"
        first = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
                 + b"%x\r\n" % len(body) + body + b"\r\n0\r\n\r\n" + b"\0" * 20_000)
        expected = None
    p = tmp_path / "c.warc"
    p.write_bytes(_raw_warc_record(b"http://a.example/0", first)
                  + b"".join(_raw_warc_record(b"http://a.example/%d" % i, page) for i in range(1, 6)))
    docs = read_all(p, max_record_bytes=1_000_000)
    assert len(docs) == 6 and docs[0].rejection is (None if expected is None else docs[0].rejection)
    if expected:
        assert docs[0].rejection.code == expected
    assert all(d.rejection is None for d in docs[1:]) and [d.url for d in docs[1:]] == [
        f"http://a.example/{i}" for i in range(1, 6)]


def test_a_byte_order_mark_starting_a_wet_record_is_no_text(tmp_path):
    body = b"\xef\xbb\xbfZa\xc5\xbc\xc3\xb3\xc5\x82\xc4\x87 g\xc4\x99\xc5\x9bl\xc4\x85 ja\xc5\xba\xc5\x84."
    rec = (b"WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Target-URI: http://a.example/\r\nContent-Type: text/plain\r\n"
           b"Content-Length: %d\r\n\r\n" % len(body) + body + b"\r\n\r\n")
    p = tmp_path / "c.warc.wet"
    p.write_bytes(rec)
    docs = read_all(p)
    assert [d.text for d in docs] == ["Zażółć gęślą jaźń."]


def test_parquet_time_columns_python_cannot_hold_are_text_not_a_lost_row_group(tmp_path):
    """Nanosecond timestamps (without pandas), a date past year 9999, ns times and durations failed the whole batch:
    the rest of the slice became one read:corrupt rejection (1,000 rows counted as one)."""
    text = [f"Article {i}: an ordinary paragraph of news text." for i in range(300)]
    pq.write_table(pa.table({"text": text, "crawled": pa.array(range(300), pa.timestamp("ns")),
                             "published": pa.array([0] * 299 + [3_000_000], pa.date32()),
                             "took": pa.array(range(300), pa.duration("ns")),
                             "at": pa.array(range(300), pa.time64("ns"))}), tmp_path / "t.parquet")
    docs = read_all(tmp_path / "t.parquet")
    assert len(docs) == 300 and all(d.rejection is None for d in docs)
    assert [d.text for d in docs] == text
    assert str(docs[-1].metadata["published"]).startswith("10183")   # (the year 10183 date, as text)


def test_nan_and_infinity_are_written_as_null():
    """json.dumps wrote NaN / Infinity, which strict JSON readers refuse (the whole line)."""
    import numpy as np

    from sito.io.records import dumps

    out = json.loads(dumps({"a": float("nan"), "b": [1.5, float("inf"), {"c": -float("inf")}], "d": np.float32("nan"),
                            "e": "NaN"}))
    assert out == {"a": None, "b": [1.5, None, {"c": None}], "d": None, "e": "NaN"}
    assert "NaN" not in dumps({"x": float("nan")})


def test_a_zstd_file_opening_with_a_skippable_frame_is_read(tmp_path):
    """pzstd writes a skippable frame before its frames: such a file was rejected whole ("does not start with the
    zst magic bytes")."""
    import struct

    import zstandard

    recs = corpus_records(5)
    p = tmp_path / "c.jsonl.zst"
    p.write_bytes(struct.pack("<II", 0x184D2A50, 4) + b"\0\0\0\0" + zstandard.ZstdCompressor().compress(jsonl_bytes(recs)))
    docs = read_all(p)
    assert len(docs) == 5 and all(d.rejection is None for d in docs)


def test_byte_order_marks_where_files_put_them(tmp_path):
    """A text file with a BOM and one broken byte was rejected as binary (no fallback after a BOM); a UTF-32-BE BOM
    was taken for binary; a JSONL file joined with `cat` from files with BOMs lost the record after each join."""
    text = "Zażółć gęślą jaźń. To jest zwykły polski tekst artykułu, który ma kilka zdań.\n"
    (tmp_path / "a.txt").write_bytes(b"\xef\xbb\xbf" + text.encode() + b"caf\xe9\n")
    (tmp_path / "b.txt").write_bytes(b"\x00\x00\xfe\xff" + text.encode("utf-32-be"))
    for name in ("a.txt", "b.txt"):
        docs = read_all(tmp_path / name)
        assert len(docs) == 1 and docs[0].rejection is None and docs[0].text.startswith("Zażółć"), name
    recs = corpus_records(4)
    (tmp_path / "c.jsonl").write_bytes(b"\xef\xbb\xbf" + jsonl_bytes(recs[:2]) + b"\xef\xbb\xbf" + jsonl_bytes(recs[2:]))
    docs = read_all(tmp_path / "c.jsonl")
    assert len(docs) == 4 and all(d.rejection is None for d in docs)


def test_a_warc_header_line_is_bounded(tmp_path):
    """warcio reads a header line whole however long it is, growing one bytes object (quadratic time, memory the
    size of the line): a hostile file's line of gigabytes took hours. Over 1 MiB it is a corrupt file now."""
    from sito.io.readers.warc import MAX_HEADER_LINE

    p = tmp_path / "c.warc"
    p.write_bytes(b"WARC/1.0\r\nWARC-Type: response\r\nX-Junk: " + b"a" * (3 * MAX_HEADER_LINE)
                  + b"\r\nContent-Length: 0\r\n\r\n\r\n\r\n")
    docs = read_all(p)
    assert codes(docs) == ["read:corrupt"] and "header line longer" in docs[0].rejection.detail


def test_a_damaged_parquet_footer_is_corrupt_not_unreadable(tmp_path):
    """pyarrow reports some footer damage as an OSError without an errno: it was `read:unreadable` (kept for
    permissions and disk errors)."""
    p = tmp_path / "t.parquet"
    pq.write_table(pa.table({"text": ["a" * 50] * 10}), p)
    b = bytearray(p.read_bytes())
    i = b.find(b"ARROW:schema")
    for k in range(i + 20, i + 60):
        b[k] ^= 0x55
    p.write_bytes(bytes(b))
    assert codes(read_all(p)) == ["read:corrupt"]


def test_html_files_are_judged_by_the_html_step_not_as_text(tmp_path):
    """A UTF-16 page without a byte order mark, or one with a stray NUL byte, was `read:binary` before the HTML
    step (which decodes both) saw it."""
    page = "<html><head><title>Strona</title></head><body><p>Zażółć gęślą jaźń.</p></body></html>"
    (tmp_path / "a.html").write_bytes(page.encode("utf-16-le"))
    (tmp_path / "b.html").write_bytes(page.encode().replace(b"<p>", b"<p>\x00"))
    for name in ("a.html", "b.html"):
        docs = read_all(tmp_path / name)
        assert len(docs) == 1 and docs[0].rejection is None and docs[0].html, name


def test_a_warc_page_without_content_type_is_html_after_a_bom_or_an_xml_declaration(tmp_path):
    body = b"<html><head><title>T</title></head><body><p>Text of the page.</p></body></html>"
    recs = b""
    for i, head in enumerate((b"", b"\xef\xbb\xbf", b'<?xml version="1.0" encoding="utf-8"?>\n')):
        recs += _raw_warc_record(b"http://a.example/%d" % i, b"HTTP/1.1 200 OK\r\n\r\n" + head + body)
    p = tmp_path / "c.warc"
    p.write_bytes(recs)
    docs = read_all(p)
    assert len(docs) == 3 and all(d.rejection is None for d in docs), codes(docs)

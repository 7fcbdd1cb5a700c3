"""Readers on the real development pages (skipped when ../shared/data/dev is absent)."""

from __future__ import annotations

import io
import json

import pytest

from sito.devdata import default_dev_dir, iter_pages
from sito.io import ShardedWriter, iter_output_records, output_files

from io_helpers import compress, read_all

pytestmark = pytest.mark.skipif(default_dev_dir() is None,
                                reason="dev data not found: set SITO_DEV_DATA or place it at ../shared/data/dev")


def _pages():
    return list(iter_pages(sets=("newspaper4k",)))  # an I/O round trip: no tuning, every page


def test_warc_gz_of_dev_pages_round_trips_every_html_byte(tmp_path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    pages = _pages()
    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=True)
    for pg in pages:
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        w.write_record(w.create_warc_record(pg.url or f"https://example.org/{pg.name}", "response",
                                            payload=io.BytesIO(pg.html_bytes()), http_headers=http))
    p = tmp_path / "dev.warc.gz"
    p.write_bytes(buf.getvalue())
    docs = read_all(p)
    assert len(docs) == len(pages) > 10
    assert all(d.rejection is None for d in docs)
    assert [d.html for d in docs] == [pg.html_bytes() for pg in pages]


@pytest.mark.parametrize("kind", ["gz", "zst"])
def test_jsonl_of_dev_texts_through_reader_and_writer(tmp_path, kind):
    pages = [pg for pg in _pages() if pg.reference]
    lines = b"".join((json.dumps({"id": pg.name, "text": pg.reference, "url": pg.url, "lang": pg.lang},
                                 ensure_ascii=False) + "\n").encode() for pg in pages)
    p = tmp_path / f"dev.jsonl.{kind}"
    p.write_bytes(compress(lines, kind))
    docs = read_all(p)
    assert [d.text for d in docs] == [pg.reference for pg in pages]
    for fmt in ("jsonl", "parquet"):
        with ShardedWriter(tmp_path / fmt, "part-00000", fmt=fmt, docs_per_shard=5) as w:
            for d in docs:
                w.write(d.to_record())
        back = [r for f in output_files(tmp_path / fmt) for r in iter_output_records(f)]
        assert back == [d.to_record() for d in docs]

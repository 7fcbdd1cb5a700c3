"""Sharded writers: every format and compression, round trip through iter_output_records, atomic renames,
deterministic bytes."""

from __future__ import annotations

import datetime as dt
import gzip
from decimal import Decimal

import pyarrow.parquet as pq
import pytest

from sito.document import Article, Document, Line
from sito.io import ShardedWriter, iter_output_records, output_files

from io_helpers import corpus_records, example_text

FORMATS = [("jsonl", "gz"), ("jsonl", "zst"), ("jsonl", "none"), ("parquet", "gz")]


def _records(n: int = 23) -> list[dict]:
    """Records as the pipeline writes them: plain, cleaned (with an article), and rejected."""
    out = []
    for i, r in enumerate(corpus_records(n)):
        d = Document(id=r["id"], text=r["text"], url=r["url"], metadata={"lang": "pl", "n": i}, source=f"in.jsonl:{i + 1}")
        if i % 3 == 1:
            d.article = Article(text=r["text"], title=f"Tytuł {i}", lead=None, headings=["Nagłówek"],
                                captions=[], credits=["PAP"], related=[], quotes=[{"text": "cytat", "by": None}],
                                language="pl", lines=[Line(0, r["text"], "body", True), Line(1, "Reklama", "ad", False, "ad")],
                                date="2024-05-01")
        if i % 3 == 2:
            d.reject("quality:too_short", step="gopher", value=3, threshold=50, detail="3 words < 50")
        out.append(d.to_record())
    out[0]["metadata"]["nested"] = {"a": [1, 2, {"b": None}], "ż": "ź"}
    return out


@pytest.mark.parametrize("fmt,comp", FORMATS)
def test_round_trip_and_sharding(tmp_path, fmt, comp):
    recs = _records(23)
    with ShardedWriter(tmp_path / "kept", "part-00003", fmt=fmt, compression=comp, docs_per_shard=10) as w:
        for r in recs:
            w.write(r)
    files = output_files(tmp_path / "kept")
    suffix = ".parquet" if fmt == "parquet" else {"gz": ".jsonl.gz", "zst": ".jsonl.zst", "none": ".jsonl"}[comp]
    assert [f.name for f in files] == [f"part-00003-{i:04d}{suffix}" for i in range(3)]
    back = [r for f in files for r in iter_output_records(f)]
    assert back == recs
    assert [list(r) for r in back] == [list(r) for r in recs]  # same key order


def test_close_returns_shards_and_no_records_no_file(tmp_path):
    w = ShardedWriter(tmp_path, "p", docs_per_shard=2)
    assert w.close() == []
    assert list(tmp_path.iterdir()) == []
    w = ShardedWriter(tmp_path, "q", docs_per_shard=2)
    for r in _records(5):
        w.write(r)
    paths = w.close()
    assert [p.name for p in paths] == ["q-0000.jsonl.gz", "q-0001.jsonl.gz", "q-0002.jsonl.gz"]
    assert w.close() == paths


@pytest.mark.parametrize("fmt,comp", FORMATS)
def test_unfinished_shard_is_a_hidden_temporary_until_complete(tmp_path, fmt, comp):
    w = ShardedWriter(tmp_path, "part-00000", fmt=fmt, compression=comp, docs_per_shard=4)
    for r in _records(6):
        w.write(r)
    names = sorted(p.name for p in tmp_path.iterdir())
    ext = ".parquet" if fmt == "parquet" else {"gz": ".jsonl.gz", "zst": ".jsonl.zst", "none": ".jsonl"}[comp]
    assert names == [f".tmp-part-00000-0001{ext}", f"part-00000-0000{ext}"]
    assert [p.name for p in output_files(tmp_path)] == [f"part-00000-0000{ext}"]
    w.abort()
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"part-00000-0000{ext}"]


def test_context_manager_aborts_on_error(tmp_path):
    with pytest.raises(RuntimeError):
        with ShardedWriter(tmp_path, "x", docs_per_shard=100) as w:
            w.write(_records(1)[0])
            raise RuntimeError("worker failed")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt,comp", FORMATS)
def test_output_is_deterministic(tmp_path, fmt, comp):
    recs = _records(30)
    for run in ("a", "b"):
        with ShardedWriter(tmp_path / run, "part-00000", fmt=fmt, compression=comp, docs_per_shard=12) as w:
            for r in recs:
                w.write(r)
    a, b = output_files(tmp_path / "a"), output_files(tmp_path / "b")
    assert [p.name for p in a] == [p.name for p in b] and len(a) == 3
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]


def test_gzip_header_has_no_name_or_time(tmp_path):
    with ShardedWriter(tmp_path, "p") as w:
        w.write(_records(1)[0])
    raw = (tmp_path / "p-0000.jsonl.gz").read_bytes()
    assert raw[3] == 0  # FLG: no FNAME
    assert raw[4:8] == b"\x00\x00\x00\x00"  # MTIME 0
    assert gzip.decompress(raw).decode("utf-8").endswith("}\n")


def test_parquet_schema_is_fixed_and_documented_types(tmp_path):
    with ShardedWriter(tmp_path, "p", fmt="parquet") as w:
        for r in _records(5):
            w.write(r)
    f = pq.ParquetFile(tmp_path / "p-0000.parquet")
    schema = f.schema_arrow
    assert schema.names[:4] == ["id", "text", "url", "source"]
    assert str(schema.field("headings").type) == "list<element: string>"
    for name in ("quotes", "lines", "metadata", "reason", "extra", "title", "date"):
        assert str(schema.field(name).type) == "string"
    assert f.metadata.row_group(0).column(1).compression == "ZSTD"
    t = f.read()
    assert t.column("title").to_pylist()[1] == "Tytuł 1"


def test_values_json_cannot_hold_and_unknown_keys(tmp_path):
    rec = {"id": "a", "text": example_text(), "url": None, "source": "x.parquet#0",
           "metadata": {"when": dt.datetime(2024, 5, 1, 12, 0), "price": Decimal("1.50"), "raw": b"\xff\x00",
                        "utf": b"tak"},
           "stats": {"words": 10}}
    for fmt in ("jsonl", "parquet"):
        with ShardedWriter(tmp_path / fmt, "p", fmt=fmt) as w:
            w.write(rec)
        (back,) = list(iter_output_records(output_files(tmp_path / fmt)[0]))
        assert back["metadata"] == {"when": "2024-05-01T12:00:00", "price": "1.50", "raw": "base64:/wA=", "utf": "tak"}
        assert back["stats"] == {"words": 10}
        assert back["text"] == example_text()


def test_lone_surrogates_never_break_a_shard(tmp_path):
    """A lone surrogate (which UTF-8 cannot hold) is written as U+FFFD, as in Parquet: the shard is valid UTF-8
    and sito reads it back as input (it rejects a "\\ud800" escape as invalid text)."""
    from io_helpers import read_all

    rec = {"id": "s", "text": "ok \udc80 here", "url": None, "source": "", "metadata": {"bad": "x\ud800y"}}
    with ShardedWriter(tmp_path, "p", compression="none") as w:
        w.write(rec)
    shard = tmp_path / "p-0000.jsonl"
    shard.read_bytes().decode("utf-8")
    (back,) = list(iter_output_records(shard))
    assert back == dict(rec, text="ok \ufffd here", metadata={"bad": "x\ufffdy"})
    (doc,) = read_all(shard)
    assert doc.rejection is None and doc.text == "ok \ufffd here"


def test_bad_writer_arguments(tmp_path):
    with pytest.raises(ValueError, match="compression"):
        ShardedWriter(tmp_path, "p", compression="lz4")
    with pytest.raises(ValueError, match="format"):
        ShardedWriter(tmp_path, "p", fmt="csv")
    with pytest.raises(ValueError):
        ShardedWriter(tmp_path, "p", docs_per_shard=0)


def test_output_files_ignores_temporaries_and_other_files(tmp_path):
    for name in ("b-0000.jsonl.gz", "a-0000.parquet", ".tmp-c-0000.jsonl.gz", "notes.txt", "d-0001.jsonl.zst"):
        (tmp_path / name).write_bytes(b"")
    (tmp_path / "sub.jsonl").mkdir()
    assert [p.name for p in output_files(tmp_path)] == ["a-0000.parquet", "b-0000.jsonl.gz", "d-0001.jsonl.zst"]
    assert output_files(tmp_path / "missing") == []


def test_parquet_row_groups_of_many_tiny_documents_are_bounded_by_rows(tmp_path):
    """A shard of many tiny documents is cut into row groups of `row_group_rows` rows, not one huge group."""
    with ShardedWriter(tmp_path, "p", fmt="parquet", docs_per_shard=250_000) as w:
        for i in range(250_000):
            w.write({"id": f"d{i}", "text": "ok", "url": None, "source": f"in.jsonl:{i + 1}"})
    md = pq.ParquetFile(tmp_path / "p-0000.parquet").metadata
    assert md.num_rows == 250_000 and md.num_row_groups == 250
    assert {md.row_group(i).num_rows for i in range(md.num_row_groups)} == {1_000}


def test_parquet_row_groups_count_every_column_not_only_the_text(tmp_path):
    """The ~64 MB budget of a row group counted the `text` column only: documents with short texts and large
    metadata (a crawl's raw fields, a cleaned page's lines) filled one row group of any size, held in memory."""
    base = (example_text() * 20)[:70_000]
    with ShardedWriter(tmp_path, "p", fmt="parquet") as w:
        for i in range(1_000):   # 70 kB of metadata each (all different: no dictionary shares them): 70 MB in all
            w.write({"id": f"d{i}", "text": "A short text.", "url": None, "source": f"in.jsonl:{i + 1}",
                     "metadata": {"raw": base[i * 50:] + base[:i * 50]}})
    md = pq.ParquetFile(tmp_path / "p-0000.parquet").metadata
    rows = [md.row_group(i).num_rows for i in range(md.num_row_groups)]
    assert sum(rows) == 1_000 and len(rows) == 2, rows
    assert all(md.row_group(i).total_byte_size < 70 << 20 for i in range(md.num_row_groups))

"""The inspector's on-disk index: built once from real shards, reused, rebuilt on change, filters and reads back."""

import json
import os

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from sito.inspect.index import INDEX_DIR, Index
from sito.report.records import iter_entries, list_shards, read_at


def test_index_fields_and_filters(tmp_path, builder):
    out = builder.build_out(tmp_path / "out")
    idx = Index(out)
    assert len(idx) == 10
    assert dict(idx.facets["status"]) == {"kept": 8, "rejected": 2}
    assert dict(idx.facets["reason"]) == {"": 8, "duplicate": 1, "fineweb:line_punct_ratio": 1}
    rows = idx.rows(idx.select(reason="duplicate"))
    assert [r["id"] for r in rows] == [builder.DUP_ID]
    assert rows[0]["language"] == "pl" and rows[0]["host"] == "wiadomosci.example.pl"
    assert rows[0]["removed"] == 28  # 25 recommendations, caption, credit, related
    assert [r["id"] for r in idx.rows(idx.select(status="kept", language="pl"))] == [
        builder.EXAMPLE_ID, next(r["id"] for r in idx.rows(idx.select(host="klubjagiellonski.pl")))]
    # title / URL / id search is case-insensitive
    assert {r["id"] for r in idx.rows(idx.select(q="ŁUKASZENKA"))} == {builder.EXAMPLE_ID, builder.DUP_ID}
    assert len(idx.select(q="no such words anywhere")) == 0
    # the index holds no texts
    assert "text" not in idx.table.column_names


def test_full_text_scan(tmp_path, builder):
    idx = Index(builder.build_out(tmp_path / "out"))
    found, complete = idx.scan_text(idx.select(), "Iskander", want=100)
    assert complete and [idx.row(int(g))["id"] for g in found] == [builder.EXAMPLE_ID, builder.DUP_ID]
    found, complete = idx.scan_text(idx.select(status="kept"), "iskander", want=100)
    assert [idx.row(int(g))["id"] for g in found] == [builder.EXAMPLE_ID]
    found, complete = idx.scan_text(idx.select(), "iskander", want=1)
    assert len(found) == 1 and not complete


def test_index_is_cached_and_refreshed(tmp_path, builder):
    out = builder.build_out(tmp_path / "out")
    msgs = []
    Index(out, progress=msgs.append)
    assert len(msgs) == 3 and (out / INDEX_DIR / "manifest.json").is_file()
    msgs.clear()
    Index(out, progress=msgs.append)
    assert msgs == []  # nothing indexed again
    # a changed shard is indexed again, the other one is reused
    kept, rejected, _ = builder.build_records()
    builder._write_jsonl(out / "rejected" / "part-00000-0000.jsonl.gz", rejected[:1], "gz")
    st = os.stat(out / "rejected" / "part-00000-0000.jsonl.gz")
    os.utime(out / "rejected" / "part-00000-0000.jsonl.gz", ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    idx = Index(out, progress=msgs.append)
    assert len(msgs) == 2 and msgs[0].startswith("indexed rejected/") and len(idx) == 9
    msgs.clear()
    Index(out, rebuild=True, progress=msgs.append)
    assert len(msgs) == 3
    # a shard that disappears leaves the index, and so does its index file
    (out / "rejected" / "part-00000-0000.jsonl.gz").unlink()
    idx = Index(out)
    assert len(idx) == 8 and len(list((out / INDEX_DIR).glob("*.arrow"))) == 1


@pytest.mark.parametrize("compression", ["gz", "zst", ""])
def test_read_back_every_record(tmp_path, builder, compression):
    out = builder.build_out(tmp_path / "out", compression=compression, broken_line=True)
    for _status, path in list_shards(out):
        for e in iter_entries(path):
            if e.record is None:
                assert "invalid JSON" in e.error
                assert read_at(path, e.pos) is None
            else:
                assert read_at(path, e.pos) == e.record


def test_parquet_shards(tmp_path, builder):
    kept, rejected, _ = builder.build_records()
    (tmp_path / "kept").mkdir()
    slim = [{"id": r["id"], "text": r["text"], "url": r["url"], "language": r["language"]} for r in kept]
    pq.write_table(pa.Table.from_pylist(slim), tmp_path / "kept" / "part-0.parquet", row_group_size=3)
    idx = Index(tmp_path)
    assert len(idx) == len(kept)
    for g in range(len(idx)):
        shard, pos = idx.locate(g)
        assert read_at(shard.path, pos) == slim[g]


def test_unreadable_and_odd_records_are_listed(tmp_path):
    (tmp_path / "kept").mkdir()
    lines = ['{"id": "ok", "text": "fine", "url": "javascript:alert(1)"}', "[1, 2]", "{broken",
             json.dumps({"id": 5, "title": ["x"], "metadata": "m", "lines": [1, None], "reason": "str"})]
    (tmp_path / "kept" / "part-0.jsonl").write_text("\n".join(lines) + "\n")
    idx = Index(tmp_path)
    rows = idx.rows(idx.select())
    assert [r["reason"] for r in rows] == ["", "unreadable", "unreadable", ""]
    assert rows[0]["host"] == "" and rows[3]["id"] == "5"


def test_unwritable_index_folder_falls_back_to_cache(tmp_path, builder, monkeypatch):
    out = builder.build_out(tmp_path / "out")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    (out / INDEX_DIR).write_text("a file where the index folder would go")  # mkdir fails, as on a read-only OUT
    idx = Index(out)
    assert len(idx) == 10 and idx.dir.is_relative_to(tmp_path / "cache")
    assert (out / INDEX_DIR).read_text().startswith("a file")


def test_missing_folder(tmp_path, capsys):
    from sito.inspect import main

    with pytest.raises(FileNotFoundError):
        Index("/nonexistent/sito/out")
    assert main([str(tmp_path / "nonexistent")]) == 2
    assert main([str(tmp_path), "--port", "0"]) == 2  # a folder no run wrote to: refused, not served empty
    assert "not a sito output folder" in capsys.readouterr().err


@pytest.mark.parametrize("fmt,compression", [("parquet", "gz"), ("jsonl", "gz"), ("jsonl", "zst"), ("jsonl", "none")])
def test_shards_written_by_sito_io(tmp_path, builder, fmt, compression):
    """Shards from sito's own writer (several per folder, small row groups) are indexed and read back exactly."""
    from sito.io import ShardedWriter, iter_output_records

    kept, rejected, _ = builder.build_records()
    for status, recs in (("kept", kept), ("rejected", rejected)):
        with ShardedWriter(tmp_path / status, "part-00000", fmt=fmt, compression=compression, docs_per_shard=3,
                           row_group_rows=2) as w:
            for r in recs:
                w.write(r)
    idx = Index(tmp_path)
    assert len(idx) == 10 and len(idx.shards) == 4
    expected = [rec for _, p in list_shards(tmp_path) for rec in iter_output_records(p)]
    for g in range(len(idx)):
        shard, pos = idx.locate(g)
        assert read_at(shard.path, pos) == expected[g]
    assert [r["id"] for r in idx.rows(idx.select(reason="duplicate"))] == [builder.DUP_ID]
    assert idx.rows(idx.select(reason="duplicate"))[0]["removed"] == 28


def test_parallel_indexing_matches_serial(tmp_path, builder):
    from sito.io import ShardedWriter

    kept, rejected, _ = builder.build_records()
    for status, recs in (("kept", kept), ("rejected", rejected)):
        with ShardedWriter(tmp_path / status, "part-00000", docs_per_shard=2) as w:
            for r in recs:
                w.write(r)
    msgs = []
    par = Index(tmp_path, rebuild=True, workers=2, parallel_bytes=0, progress=msgs.append)
    assert "with 2 process(es)" in msgs[-1]
    ser = Index(tmp_path, rebuild=True, workers=1)
    assert par.table.equals(ser.table) and len(par) == 10


def test_blank_lines_are_not_counted_as_removed(tmp_path):
    """`sito clean` writes blank separator lines with keep=false: the list counted them as removed lines (42
    where the report and stats.json say 28 on the example page)."""
    (tmp_path / "kept").mkdir()
    rec = {"id": "a", "text": "Body.", "lines": [
        {"index": 0, "text": "Menu", "role": "navigation", "keep": False, "reason": "nav"},
        {"index": 1, "text": "", "role": "blank", "keep": False, "reason": None},
        {"index": 2, "text": "   ", "role": "blank", "keep": False, "reason": None},
        {"index": 3, "text": "Body.", "role": "body", "keep": True, "reason": None}]}
    (tmp_path / "kept" / "part-0.jsonl").write_text(json.dumps(rec) + "\n")
    idx = Index(tmp_path)
    assert idx.rows(idx.select())[0]["removed"] == 1


def test_the_filter_cache_is_bounded_in_bytes(tmp_path, builder, monkeypatch):
    """Up to 32 filter results were kept whatever their size: 8 bytes per document each, 2.5 GB for an index of
    10 million documents."""
    from sito.inspect import index as index_mod

    idx = Index(builder.build_out(tmp_path / "out"))
    monkeypatch.setattr(index_mod, "CACHE_BYTES", 3 * 8 * len(idx))   # three full-table results
    for q in ("", "a", "e", "i", "o", "u"):
        idx.select(q=q)
        assert sum(v.nbytes for v in idx._cache.values()) <= index_mod.CACHE_BYTES
    assert idx.select(q="") is not None

"""plan_slices: slices of a file together read exactly the records of the whole file, with the same sources."""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from sito.io import InputSlice, ReadOptions, plan_slices, read_slice

from io_helpers import compress, corpus_records, jsonl_bytes, warc_bytes, wet_bytes


def _read(slices):
    return [d for s in slices for d in read_slice(s, ReadOptions())]


def _summary(docs):
    return [(d.id, d.source, d.text, d.html, d.rejection.code if d.rejection else None) for d in docs]


@pytest.mark.parametrize("target", [1, 100, 333, 1000, 4096, 1 << 30])
def test_jsonl_byte_ranges_cover_every_line_once(tmp_path, target):
    recs = corpus_records(60)
    data = jsonl_bytes(recs[:20]) + b"\n{broken\n" + jsonl_bytes(recs[20:])
    p = tmp_path / "c.jsonl"
    p.write_bytes(data)
    whole = _read([InputSlice(p, "jsonl", 0, len(data), "file")])
    slices = plan_slices(p, "jsonl", target_bytes=target)
    if target < len(data):
        assert len(slices) > 1 and all(s.kind == "bytes" for s in slices)
        assert [s.start for s in slices[1:]] == [s.end for s in slices[:-1]]
        assert all(data[s.start - 1:s.start] == b"\n" for s in slices[1:])
    assert _summary(_read(slices)) == _summary(whole)
    assert len(whole) == 61


def test_unaligned_byte_range_is_realigned(tmp_path):
    recs = corpus_records(10)
    data = jsonl_bytes(recs)
    p = tmp_path / "c.jsonl"
    p.write_bytes(data)
    cut = data.index(b"\n", 200) - 5  # inside a line
    lines_before = data[:cut].count(b"\n")
    a = InputSlice(p, "jsonl", 0, cut, "bytes", 0)
    b = InputSlice(p, "jsonl", cut, len(data), "bytes", lines_before)
    docs = _read([a, b])
    assert [d.id for d in docs] == [r["id"] for r in recs]


def test_compressed_jsonl_is_one_slice(tmp_path):
    p = tmp_path / "c.jsonl.gz"
    p.write_bytes(compress(jsonl_bytes(corpus_records(50)), "gz"))
    assert [s.kind for s in plan_slices(p, "jsonl", target_bytes=10)] == ["file"]


@pytest.mark.parametrize("fmt", ["warc", "wet"])
def test_warc_and_wet_byte_ranges_follow_record_starts(tmp_path, fmt):
    data = warc_bytes()[0] if fmt == "warc" else wet_bytes(n=12)
    p = tmp_path / ("c.warc" if fmt == "warc" else "c.warc.wet")
    p.write_bytes(data)
    whole = _read([InputSlice(p, fmt, 0, len(data), "file")])
    slices = plan_slices(p, fmt, target_bytes=500)
    assert len(slices) > 2 and all(s.kind == "bytes" for s in slices)
    assert all(data[s.start:s.start + 5] == b"WARC/" for s in slices)
    assert _summary(_read(slices)) == _summary(whole)


def test_parquet_row_group_slices(tmp_path):
    recs = corpus_records(100)
    p = tmp_path / "c.parquet"
    pq.write_table(pa.Table.from_pylist(recs), p, row_group_size=9)
    slices = plan_slices(p, "parquet", target_bytes=2000)
    assert len(slices) > 2 and all(s.kind == "rowgroups" for s in slices)
    assert _summary(_read(slices)) == _summary(_read([InputSlice(p, "parquet", 0, 0, "file")]))
    assert [d.text for d in _read(slices)] == [r["text"] for r in recs]


def test_slice_json_round_trip_and_stable_key(tmp_path):
    p = tmp_path / "c.jsonl"
    p.write_bytes(jsonl_bytes(corpus_records(40)))
    slices = plan_slices(p, "jsonl", target_bytes=500)
    again = [InputSlice.from_dict(json.loads(json.dumps(s.as_dict()))) for s in slices]
    assert again == slices
    assert [s.key for s in again] == [s.key for s in plan_slices(p, "jsonl", target_bytes=500)]
    assert len({s.key for s in slices}) == len(slices)


def test_a_record_larger_than_the_target_does_not_shred_the_rest(tmp_path):
    data = warc_bytes()[0]  # records of 0.3-35 kB, one page of 34 kB
    p = tmp_path / "c.warc"
    p.write_bytes(data)
    target = 2000
    slices = plan_slices(p, "warc", target_bytes=target)
    # every slice but the last holds at least `target` bytes
    assert all(s.end - s.start >= target for s in slices[:-1])
    recs = corpus_records(200)
    q = tmp_path / "c.jsonl"
    q.write_bytes(jsonl_bytes(recs[:5]) + json.dumps({"text": "x" * 50_000}).encode() + b"\n" + jsonl_bytes(recs))
    slices = plan_slices(q, "jsonl", target_bytes=target)
    assert all(s.end - s.start >= target for s in slices[:-1])
    assert len(_read(slices)) == 206

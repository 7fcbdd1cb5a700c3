"""Random access into compressed shards: every record read back through checkpoints equals the sequential read."""

import gzip
import json
import random

import pytest

from sito.inspect import seek
from sito.inspect.seek import GzipSeeker, RecordReader
from sito.report.records import iter_entries


def _records(builder, n):
    kept, rejected, _ = builder.build_records()
    base = kept + rejected
    return [dict(base[i % len(base)], id=f"doc-{i}") for i in range(n)]


@pytest.mark.parametrize("members", [1, 7])
def test_gzip_checkpoints(tmp_path, builder, monkeypatch, members):
    monkeypatch.setattr(seek, "CHECKPOINT_BYTES", 32 << 10)  # many checkpoints on a small file
    recs = _records(builder, 120)
    path = tmp_path / "part-0.jsonl.gz"
    lines = [(json.dumps(r, ensure_ascii=False) + "\n").encode() for r in recs]
    step = -(-len(lines) // members)
    with open(path, "wb") as f:  # `members` concatenated gzip members, as a writer flushing members would do
        for k in range(0, len(lines), step):
            f.write(gzip.compress(b"".join(lines[k:k + step]), mtime=0))
    entries = list(iter_entries(path))
    assert [e.record["id"] for e in entries] == [r["id"] for r in recs]
    sk = GzipSeeker(path)
    assert len(sk.points) > 5
    order = list(range(len(entries)))
    random.Random(1).shuffle(order)
    for i in order:
        assert json.loads(sk.read_line(entries[i].pos)) == entries[i].record


@pytest.mark.parametrize("compression", ["gz", "zst", ""])
def test_reader_random_and_sequential(tmp_path, builder, compression, monkeypatch):
    monkeypatch.setattr(seek, "CHECKPOINT_BYTES", 16 << 10)
    out = builder.build_out(tmp_path / "out", compression=compression, broken_line=True)
    reader = RecordReader(max_shards=1)  # two shards: exercises eviction
    entries = [(p, e) for p in sorted(out.rglob("part-*")) for e in iter_entries(p)]
    order = list(range(len(entries))) + list(range(len(entries)))[::-1]
    random.Random(2).shuffle(order)
    for i in list(range(len(entries))) + order:
        p, e = entries[i]
        assert reader.read(p, e.pos) == e.record


def test_damaged_gzip_returns_none(tmp_path, builder):
    out = builder.build_out(tmp_path / "out")
    p = out / "kept" / "part-00000-0000.jsonl.gz"
    entries = list(iter_entries(p))
    data = p.read_bytes()
    p.write_bytes(data[: len(data) // 2])
    assert RecordReader().read(p, entries[-1].pos) is None


@pytest.mark.parametrize("damage", ["cut", "flip"])
@pytest.mark.parametrize("compression", ["gz", "zst"])
def test_a_damaged_compressed_shard_ends_with_an_error_entry(tmp_path, compression, damage):
    """A shard cut short or with flipped bytes gives its good records and then one unreadable entry: a corrupt
    gzip or zstd shard (zlib.error, ZstdError) stopped `sito report` and `sito inspect`, and a cut zstd shard
    ended as if it were complete (its last records lost without a word)."""
    import zstandard

    rng = random.Random(0)   # (text that does not compress away: the damage lands after whole records)
    data = b"".join(json.dumps({"id": f"d{i}", "text": " ".join(str(rng.random()) for _ in range(200))}).encode()
                    + b"\n" for i in range(400))
    packed = bytearray(gzip.compress(data, mtime=0) if compression == "gz"
                       else zstandard.ZstdCompressor(write_checksum=True).compress(data))
    if damage == "cut":
        packed = packed[:-30]
    else:
        for i in range(len(packed) // 2, len(packed) // 2 + 40):
            packed[i] ^= 0xA5
    p = tmp_path / f"part-00000-0000.jsonl.{compression}"
    p.write_bytes(bytes(packed))
    entries = list(iter_entries(p))
    assert entries and entries[-1].error and "unreadable" in entries[-1].error
    good = [e for e in entries if e.error is None]
    assert [e.record["id"] for e in good] == [f"d{i}" for i in range(len(good))] and len(good) < 400
    reader = RecordReader()
    for e in good[:3]:   # (zstd's decoder may fail before it gives out anything of a damaged frame)
        assert reader.read(p, e.pos) == e.record
    assert reader.read(p, entries[-1].pos) is None


def test_a_damaged_parquet_shard_reads_back_as_none(tmp_path):
    """The inspector's view of a record in a cut Parquet shard answered HTTP 500 (ArrowInvalid)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    p = tmp_path / "part-00000-0000.parquet"
    pq.write_table(pa.table({"id": [f"d{i}" for i in range(50)], "text": ["word " * 50] * 50}), p)
    p.write_bytes(p.read_bytes()[: p.stat().st_size // 2])
    assert RecordReader().read(p, 3) is None

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

"""Fast reads of one record from a compressed shard: gzip checkpoints and forward-reading streams, kept per shard.

A gzip stream has no random access: reading the record at uncompressed offset X means inflating everything
before it (about a second for a 10,000-record shard). The first time a gzip shard is read, `GzipSeeker` inflates it
once and keeps a copy of the inflater's state (`zlib.Decompress.copy()`, ~40 KB) every `CHECKPOINT_BYTES` of
compressed input; later reads start from the nearest checkpoint, so they inflate at most that much — the idea of
zlib's `examples/zran.c`, kept in memory. Multi-member gzip files (one member per flush) are handled too.
zstd shards keep one open stream per shard that moves forward, so paging forward (j) is cheap and going back
reopens the stream. Plain JSON lines seek directly and Parquet reads one row group (see `sito.report.records`).

Only a few shards are kept (`MAX_SHARDS`, least recently used dropped), so memory stays bounded whatever the
corpus size.
"""

from __future__ import annotations

import bisect
import threading
import zlib
from collections import OrderedDict
from pathlib import Path
from typing import Any, BinaryIO

from sito.io.errors import ReadFailure
from sito.report.records import _open_stream, _parse, read_at, shard_kind

CHUNK = 64 << 10
CHECKPOINT_BYTES = 1 << 20  # compressed bytes between checkpoints: ≤ ~1 MB in, a few MB out per read
MAX_SHARDS = 16


class GzipSeeker:
    """Random access into one gzip file through in-memory inflater checkpoints."""

    def __init__(self, path: Path):
        self.path = path
        # (uncompressed offset, compressed offset of the next input byte, inflater state or None = member start)
        self.points: list[tuple[int, int, Any]] = []
        self._build()
        self._keys = [p[0] for p in self.points]

    def _build(self) -> None:
        with open(self.path, "rb") as f:
            d = zlib.decompressobj(31)
            self.points.append((0, 0, None))
            cin = uout = since = 0
            while True:
                chunk = f.read(CHUNK)
                if not chunk:
                    break
                while chunk:
                    try:
                        out = d.decompress(chunk)
                    except zlib.error:   # damaged data: the checkpoints before it still serve the records before it
                        return
                    uout += len(out)
                    if d.eof:  # end of a gzip member: the rest of the chunk starts the next one
                        used = len(chunk) - len(d.unused_data)
                        cin += used
                        chunk = d.unused_data
                        d = zlib.decompressobj(31)
                        self.points.append((uout, cin, None))
                        since = 0
                        continue
                    cin += len(chunk)
                    since += len(chunk)
                    chunk = b""
                if since >= CHECKPOINT_BYTES:
                    self.points.append((uout, cin, d.copy()))
                    since = 0

    def read_line(self, pos: int) -> bytes:
        i = bisect.bisect_right(self._keys, pos) - 1
        uoff, coff, state = self.points[max(i, 0)]
        d = state.copy() if state is not None else zlib.decompressobj(31)
        skip = pos - uoff
        buf = bytearray()
        with open(self.path, "rb") as f:
            f.seek(coff)
            while True:
                chunk = f.read(CHUNK)
                if not chunk:
                    return bytes(buf)
                while chunk:
                    out = d.decompress(chunk)
                    if skip:
                        if len(out) <= skip:
                            skip -= len(out)
                            out = b""
                        else:
                            out = out[skip:]
                            skip = 0
                    if out:
                        nl = out.find(b"\n")
                        if nl >= 0:
                            buf += out[: nl + 1]
                            return bytes(buf)
                        buf += out
                    if d.eof:
                        chunk = d.unused_data
                        d = zlib.decompressobj(31)
                    else:
                        chunk = b""


class ForwardStream:
    """One decompressing stream per shard that only moves forward; reopened to go back."""

    def __init__(self, path: Path):
        self.path = path
        self.stream: BinaryIO | None = None
        self.at = 0

    def read_line(self, pos: int) -> bytes:
        if self.stream is None or pos < self.at:
            if self.stream is not None:
                self.stream.close()
            self.stream, self.at = _open_stream(self.path), 0
        left = pos - self.at
        while left > 0:
            got = self.stream.read(min(left, 1 << 20))
            if not got:
                break
            left -= len(got)
        line = self.stream.readline()
        self.at = pos + len(line)
        return line

    def close(self) -> None:
        if self.stream is not None:
            self.stream.close()


class RecordReader:
    """Reads records back by (shard path, position), keeping seekers for the `MAX_SHARDS` most recent shards."""

    def __init__(self, max_shards: int = MAX_SHARDS):
        self.max_shards = max_shards
        self._open: OrderedDict[Path, tuple[threading.Lock, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def _seeker(self, path: Path) -> tuple[threading.Lock, Any]:
        with self._lock:
            hit = self._open.get(path)
            if hit is not None:
                self._open.move_to_end(path)
                return hit
            kind = shard_kind(path)
            entry = (threading.Lock(), None if kind != ".jsonl.zst" else ForwardStream(path))
            self._open[path] = entry
            while len(self._open) > self.max_shards:
                _, (_, old) = self._open.popitem(last=False)
                if isinstance(old, ForwardStream):
                    old.close()
            return entry

    def read(self, path: Path, pos: int) -> dict[str, Any] | None:
        kind = shard_kind(path)
        if kind not in (".jsonl.gz", ".jsonl.zst"):
            return read_at(path, pos)
        lock, seeker = self._seeker(path)
        try:
            with lock:
                if seeker is None:  # build the gzip checkpoints on first use, under the shard's lock
                    seeker = GzipSeeker(path)
                    with self._lock:
                        if path in self._open:
                            self._open[path] = (lock, seeker)
                line = seeker.read_line(pos)
        except (OSError, EOFError, ValueError, zlib.error, ReadFailure):
            return None
        rec, _ = _parse(line)
        return rec

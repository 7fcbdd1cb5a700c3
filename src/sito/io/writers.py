"""Sharded, atomic, deterministic writers for output records (`ShardedWriter`) and listing finished shards.

Each shard is written under a hidden temporary name (`.tmp-<prefix>-0000.jsonl.gz`), flushed and fsync'd, then
renamed to `<prefix>-0000.jsonl.gz` and the folder fsync'd: a crash leaves at most a hidden temporary, never a
partial file with a final name. `abort()` deletes the temporary of the shard being written.

Output is byte-for-byte deterministic: gzip headers carry no file name and mtime 0; zstd frames carry no
timestamp; Parquet files carry only pyarrow's fixed `created_by` string and the schema. JSON lines are compact,
UTF-8, keys in record order. Parquet shards are zstd-compressed, with row groups of at most `row_group_rows` rows
and about `row_group_bytes` characters of column data (every string column counts: a short text with large
metadata or lines fills a group as a long text does), so that the writer and a reader need little memory; the
schema is in `sito.io.records`.
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path
from typing import Any

import zstandard

from .records import SCHEMA, dumps_bytes, record_to_row

JSONL_COMPRESSIONS = {"gz": ".jsonl.gz", "zst": ".jsonl.zst", "none": ".jsonl"}
SHARD_SUFFIXES = (".jsonl", ".jsonl.gz", ".jsonl.zst", ".parquet")
# gzip level 3: on 40 MB of JSONL built from the dev texts, level 3 compressed at 21.5 MB/s to ratio 2.68, level 6
# (gzip(1)'s default) at 5.9 MB/s to 2.93 — 3.6x faster for 9% larger files (benchmarks/bench_io.py corpus).
GZIP_LEVEL = 3
ZSTD_LEVEL = 3  # zstd's default level
_FLUSH_BYTES = 1 << 20
ROW_GROUP_ROWS = 1_000
ROW_GROUP_BYTES = 64 << 20   # characters of all the string columns of the rows buffered for one row group


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class _JsonlShard:
    def __init__(self, tmp: Path, compression: str):
        self.raw = open(tmp, "wb")
        if compression == "gz":
            self.out = gzip.GzipFile(filename="", fileobj=self.raw, mode="wb", compresslevel=GZIP_LEVEL, mtime=0)
        elif compression == "zst":
            self.out = zstandard.ZstdCompressor(level=ZSTD_LEVEL, write_checksum=True).stream_writer(
                self.raw, closefd=False)
        else:
            self.out = self.raw
        self.buf: list[bytes] = []
        self.buffered = 0

    def write(self, rec: dict[str, Any]) -> None:
        b = dumps_bytes(rec) + b"\n"
        self.buf.append(b)
        self.buffered += len(b)
        if self.buffered >= _FLUSH_BYTES:
            self._flush()

    def _flush(self) -> None:
        if self.buf:
            self.out.write(b"".join(self.buf))
            self.buf, self.buffered = [], 0

    def finish(self) -> None:
        self._flush()
        if self.out is not self.raw:
            self.out.close()
        self.raw.flush()
        os.fsync(self.raw.fileno())
        self.raw.close()

    def discard(self) -> None:
        try:
            self.raw.close()
        except Exception:
            pass


def _row_size(row: dict[str, Any]) -> int:
    """Characters in a row's string and list-of-string columns (its size for the row group budget)."""
    n = 0
    for v in row.values():
        if isinstance(v, str):
            n += len(v)
        elif v:
            n += sum(len(x) for x in v if x)
    return n


class _ParquetShard:
    def __init__(self, tmp: Path, row_group_rows: int, row_group_bytes: int):
        import pyarrow.parquet as pq

        self.raw = open(tmp, "wb")
        self.writer = pq.ParquetWriter(self.raw, SCHEMA, compression="zstd", compression_level=ZSTD_LEVEL,
                                       write_statistics=False)
        self.rows: list[dict[str, Any]] = []
        self.size = 0
        self.row_group_rows = row_group_rows
        self.row_group_bytes = row_group_bytes

    def write(self, rec: dict[str, Any]) -> None:
        row = record_to_row(rec)
        self.rows.append(row)
        self.size += _row_size(row)
        if len(self.rows) >= self.row_group_rows or self.size >= self.row_group_bytes:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        if self.rows:
            self.writer.write_table(pa.Table.from_pylist(self.rows, schema=SCHEMA))
            self.rows, self.size = [], 0

    def finish(self) -> None:
        self._flush()
        self.writer.close()
        self.raw.flush()
        os.fsync(self.raw.fileno())
        self.raw.close()

    def discard(self) -> None:
        try:
            self.writer.close()
        except Exception:
            pass
        try:
            self.raw.close()
        except Exception:
            pass


class ShardedWriter:
    """Write records to `<folder>/<prefix>-NNNN.<ext>` shards of `docs_per_shard` records each.

    `fmt` is "jsonl" (with `compression` "gz", "zst" or "none") or "parquet" (always zstd inside; `compression`
    is ignored; a row group is written every `row_group_rows` rows, or sooner once its rows hold
    `row_group_bytes` characters in all). `close()` finishes the last shard and returns every shard written, in
    order; no records → no file. Use as a context manager: an exception inside the block aborts (temporaries
    deleted).
    """

    def __init__(self, folder: str | Path, prefix: str, *, fmt: str = "jsonl", compression: str = "gz",
                 docs_per_shard: int = 10_000, row_group_rows: int = ROW_GROUP_ROWS,
                 row_group_bytes: int = ROW_GROUP_BYTES):
        if fmt not in ("jsonl", "parquet"):
            raise ValueError(f"unknown output format {fmt!r}; use 'jsonl' or 'parquet'")
        if fmt == "jsonl" and compression not in JSONL_COMPRESSIONS:
            raise ValueError(f"unknown compression {compression!r}; use one of {', '.join(JSONL_COMPRESSIONS)}")
        if docs_per_shard < 1:
            raise ValueError("docs_per_shard must be at least 1")
        if not prefix or "/" in prefix or prefix.startswith("."):
            raise ValueError(f"bad shard prefix {prefix!r}")
        self.folder = Path(folder)
        self.prefix = prefix
        self.fmt = fmt
        self.compression = compression
        self.docs_per_shard = docs_per_shard
        self.row_group_rows = max(1, min(row_group_rows, docs_per_shard))
        self.row_group_bytes = max(1, row_group_bytes)
        self.suffix = ".parquet" if fmt == "parquet" else JSONL_COMPRESSIONS[compression]
        self._index = 0
        self._count = 0
        self._shard: _JsonlShard | _ParquetShard | None = None
        self._tmp: Path | None = None
        self._done: list[Path] = []
        self._closed = False
        self.records = 0

    def shard_name(self, index: int) -> str:
        return f"{self.prefix}-{index:04d}{self.suffix}"

    def _open(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self._tmp = self.folder / f".tmp-{self.shard_name(self._index)}"
        if self.fmt == "parquet":
            self._shard = _ParquetShard(self._tmp, self.row_group_rows, self.row_group_bytes)
        else:
            self._shard = _JsonlShard(self._tmp, self.compression)
        self._count = 0

    def _finish(self) -> None:
        assert self._shard is not None and self._tmp is not None
        self._shard.finish()
        final = self.folder / self.shard_name(self._index)
        os.replace(self._tmp, final)
        _fsync_dir(self.folder)
        self._done.append(final)
        self._shard, self._tmp = None, None
        self._index += 1

    def write(self, record: dict[str, Any]) -> None:
        if self._closed:
            raise ValueError("write() on a closed ShardedWriter")
        if self._shard is None:
            self._open()
        self._shard.write(record)  # type: ignore[union-attr]
        self._count += 1
        self.records += 1
        if self._count >= self.docs_per_shard:
            self._finish()

    def close(self) -> list[Path]:
        """Finish the current shard; return the paths of all shards written."""
        if not self._closed:
            if self._shard is not None:
                self._finish()
            self._closed = True
        return list(self._done)

    def abort(self) -> None:
        """Stop writing and delete the temporary file of the unfinished shard (finished shards stay)."""
        if self._shard is not None:
            self._shard.discard()
        if self._tmp is not None:
            self._tmp.unlink(missing_ok=True)
        self._shard, self._tmp = None, None
        self._closed = True

    def __enter__(self) -> "ShardedWriter":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()


def output_files(folder: str | Path) -> list[Path]:
    """The finished shards of an output folder (`OUT/kept`, `OUT/rejected`), sorted; temporaries are ignored."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and not p.name.startswith(".") and p.name.endswith(SHARD_SUFFIXES))

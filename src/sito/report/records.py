"""Reading the record shards of an output folder (`OUT/kept/`, `OUT/rejected/`) for the report and the inspector.

The report only needs a stream of records; the inspector also needs to come back to one record later without
keeping it in memory, so every record is yielded with its position in its shard: the byte offset of its line in
the (decompressed) JSON-lines stream, or its row number in a Parquet file. `read_at` reads one record back from
that position.

Shards are found as `sito.io.output_files` finds them (finished shards only, temporaries skipped) and Parquet
rows are decoded with `sito.io.records.row_to_record`, so records read here are the ones sito wrote. The JSON-lines
reading is done here rather than with `sito.io.iter_output_records` because the inspector needs each record's
position, and because a damaged line must not hide the rest of its shard from the report.

A line that is not valid JSON, or not a JSON object, never stops the reading: it comes out as an `error` entry
(the report counts them, the inspector lists them as unreadable) so nothing is lost silently.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Iterator

from sito.io.errors import ReadFailure

# Shard suffixes sito writes (see sito.io); temporary files (".tmp", dot-files) are skipped: they are not done.
SUFFIXES = (".jsonl", ".jsonl.gz", ".jsonl.zst", ".parquet")
STATUSES = ("kept", "rejected")


@dataclass(slots=True)
class Entry:
    """One record of a shard and where it sits: `pos` is a byte offset (JSON lines) or a row number (Parquet)."""

    row: int
    pos: int
    record: dict[str, Any] | None
    error: str | None = None


def shard_kind(path: Path) -> str | None:
    name = path.name
    if name.startswith(".") or name.endswith(".tmp"):
        return None
    for suf in SUFFIXES:
        if name.endswith(suf):
            return suf
    return None


def list_shards(out_dir: str | Path) -> list[tuple[str, Path]]:
    """(status, path) of every finished shard under OUT/kept and OUT/rejected, sorted by name."""
    out = Path(out_dir)
    shards: list[tuple[str, Path]] = []
    for status in STATUSES:
        folder = out / status
        if not folder.is_dir():
            continue
        for p in sorted(folder.iterdir()):
            if p.is_file() and shard_kind(p) is not None:
                shards.append((status, p))
    return shards


def _open_stream(path: Path) -> BinaryIO:
    """A shard's decompressed bytes through `sito.io.compression` (the readers' own streams): a cut or damaged
    shard ends with a `ReadFailure` (raised by `peek(1)` after the last good line), never a silent end."""
    if shard_kind(path) == ".jsonl":
        return open(path, "rb")
    from sito.io.compression import open_input

    return open_input(path).stream  # type: ignore[return-value]


# what reading a damaged shard may raise (sito.io's ReadFailure: truncated / corrupt compressed data)
_READ_ERRORS = (OSError, EOFError, ValueError, ReadFailure)


def _parse(line: bytes) -> tuple[dict[str, Any] | None, str | None]:
    try:
        rec = json.loads(line)
    except (ValueError, UnicodeDecodeError) as exc:
        return None, f"invalid JSON: {exc}"[:300]
    if not isinstance(rec, dict):
        return None, f"not a JSON object: {type(rec).__name__}"
    return rec, None


def iter_entries(path: str | Path) -> Iterator[Entry]:
    """Every record of one shard with its position; unreadable lines come out with `error` set."""
    path = Path(path)
    if shard_kind(path) == ".parquet":
        yield from _iter_parquet(path)
        return
    row = 0
    pos = 0
    try:
        with _open_stream(path) as f:
            for line in f:
                start = pos
                pos += len(line)
                if not line.strip():
                    continue
                rec, err = _parse(line)
                yield Entry(row, start, rec, err)
                row += 1
            f.peek(1)   # (a failure that ended the data early is raised here)
    except _READ_ERRORS as exc:  # truncated or damaged gzip/zstd: keep what was read, say what broke
        yield Entry(row, pos, None, f"shard unreadable after {row} records: {type(exc).__name__}: {exc}"[:300])


def _iter_parquet(path: Path) -> Iterator[Entry]:
    import pyarrow.parquet as pq

    row = 0
    try:
        pf = pq.ParquetFile(path)
        for batch in pf.iter_batches(batch_size=256):
            for rec in batch.to_pylist():
                yield Entry(row, row, _from_parquet(rec), None)
                row += 1
    except Exception as exc:  # a damaged Parquet file is reported, not raised
        yield Entry(row, row, None, f"shard unreadable after {row} records: {type(exc).__name__}: {exc}"[:300])


def _from_parquet(row: dict[str, Any]) -> dict[str, Any]:
    """A Parquet row as a record: sito's Parquet schema keeps lines / metadata / reason / quotes as JSON text."""
    if "extra" in row or any(isinstance(row.get(k), str) for k in ("lines", "metadata", "reason", "quotes")):
        from sito.io.records import row_to_record

        try:
            return row_to_record(row)
        except ValueError:
            return row
    return row


def read_at(path: str | Path, pos: int) -> dict[str, Any] | None:
    """The record at `pos` (from `iter_entries`) of one shard, or None if it cannot be read.

    Plain JSON lines seek straight to the offset; compressed shards are decompressed up to it (streams have no
    random access), which stays well under a second for shards of typical size (tens of MB).
    """
    path = Path(path)
    kind = shard_kind(path)
    if kind == ".parquet":
        import pyarrow.parquet as pq

        try:
            pf = pq.ParquetFile(path)
            start = 0
            for rg in range(pf.num_row_groups):
                n = pf.metadata.row_group(rg).num_rows
                if pos < start + n:
                    rows = pf.read_row_group(rg).slice(pos - start, 1).to_pylist()
                    return _from_parquet(rows[0]) if rows else None
                start += n
        except _READ_ERRORS:   # (pyarrow's ArrowInvalid is a ValueError)
            return None
        return None
    try:
        with _open_stream(path) as f:
            if kind == ".jsonl":
                f.seek(pos)
            else:
                left = pos
                while left > 0:
                    chunk = f.read(min(left, 1 << 20))
                    if not chunk:
                        return None
                    left -= len(chunk)
            rec, _ = _parse(f.readline())
            return rec
    except _READ_ERRORS:
        return None


def iter_output_records(out_dir: str | Path) -> Iterator[tuple[str, dict[str, Any] | None, str | None]]:
    """(status, record, error) for every record of the output folder, kept shards first."""
    for status, path in list_shards(out_dir):
        for e in iter_entries(path):
            yield status, e.record, e.error

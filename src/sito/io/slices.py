"""Splitting input files into slices that worker processes read independently (`plan_slices`).

A slice is a whole file (`kind="file"`), a byte range of an uncompressed JSONL / WARC / WET file (`kind="bytes"`)
or a range of Parquet row groups (`kind="rowgroups"`). Compressed files are one slice: a gzip/zstd stream cannot
be entered in the middle.

Byte ranges are aligned to record starts while planning, so each slice owns exactly the records that START in
[start, end): for JSON lines the cut is moved to the byte after the next newline, and for WARC/WET the record
headers are walked (reading each header and seeking over its Content-Length), so only headers are read. The
reader also re-aligns a slice that does not start on a record boundary. `first_index` is the number of lines (JSON
lines) or records / rows (WARC, WET, Parquet) before the slice, so that `Document.source` ("file:line",
"file#record") is the same however a file is sliced; counting the lines of a large JSONL file reads it once
while planning (at disk speed, `bytes.count`).

Slices are JSON-able (`as_dict` / `from_dict`) because the executor saves the plan for `--resume`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .compression import compression_from_name, sniff_compression

KINDS = ("file", "bytes", "rowgroups")
_SCAN = 4 << 20


@dataclass(frozen=True, slots=True)
class InputSlice:
    """Part of one input file: `[start, end)` in bytes (kind "bytes"/"file") or in row groups ("rowgroups")."""

    path: Path
    fmt: str
    start: int = 0
    end: int = 0
    kind: str = "file"
    first_index: int = 0  # lines / records / rows of the file before this slice

    @property
    def key(self) -> str:
        """A stable string naming the slice (same plan → same keys)."""
        return f"{Path(self.path).as_posix()}|{self.fmt}|{self.kind}|{self.start}-{self.end}"

    def as_dict(self) -> dict[str, Any]:
        return {"path": Path(self.path).as_posix(), "fmt": self.fmt, "start": self.start, "end": self.end,
                "kind": self.kind, "first_index": self.first_index}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "InputSlice":
        return cls(Path(d["path"]), str(d["fmt"]), int(d.get("start", 0)), int(d.get("end", 0)),
                   str(d.get("kind", "file")), int(d.get("first_index", 0)))


def _is_plain(path: Path) -> bool:
    if compression_from_name(path):
        return False
    with open(path, "rb") as f:
        return sniff_compression(f.read(6)) is None


def _next_line_start(f, pos: int, size: int) -> int:
    """The offset of the first line that starts at or after `pos` (a line starts after a newline)."""
    if pos <= 0:
        return 0
    f.seek(pos - 1)
    at = pos - 1
    while at < size:
        chunk = f.read(1 << 16)
        if not chunk:
            break
        i = chunk.find(b"\n")
        if i >= 0:
            return at + i + 1
        at += len(chunk)
    return size


def _count_newlines(f, start: int, end: int) -> int:
    f.seek(start)
    n, left = 0, end - start
    while left > 0:
        chunk = f.read(min(_SCAN, left))
        if not chunk:
            break
        n += chunk.count(b"\n")
        left -= len(chunk)
    return n


def _plan_jsonl(path: Path, fmt: str, size: int, target: int) -> list[InputSlice]:
    with open(path, "rb") as f:
        cuts = [0]
        while cuts[-1] + target < size:
            b = _next_line_start(f, cuts[-1] + target, size)
            if b >= size:
                break
            cuts.append(b)
        cuts.append(size)
        slices, lines = [], 0
        for a, b in zip(cuts, cuts[1:]):
            slices.append(InputSlice(path, fmt, a, b, "bytes", lines))
            lines += _count_newlines(f, a, b)
    return slices


_CONTENT_LENGTH = re.compile(rb"^content-length:\s*(\d+)\s*$", re.I | re.M)


def warc_record_offsets(f, size: int, max_header: int = 1 << 20):
    """Yield the start offset of every record of an uncompressed WARC/WET file by reading headers only.

    Returns early (the caller falls back to one slice) if a header is not a WARC header or has no
    Content-Length. A record is `WARC/1.x` header lines, a blank line, Content-Length bytes and two CRLFs.
    """
    pos = 0
    while pos < size:
        f.seek(pos)
        head = b""
        while b"\r\n\r\n" not in head and len(head) < max_header:
            chunk = f.read(8192)
            if not chunk:
                break
            head += chunk
        # tolerate blank lines between records
        stripped = head.lstrip(b"\r\n")
        pos += len(head) - len(stripped)
        head = stripped
        if not head:
            return
        end = head.find(b"\r\n\r\n")
        if not head.startswith(b"WARC/") or end < 0:
            raise ValueError(f"no WARC record header at offset {pos}")
        m = _CONTENT_LENGTH.search(head[:end])
        if m is None:
            raise ValueError(f"WARC record at offset {pos} has no Content-Length")
        yield pos
        pos += end + 4 + int(m.group(1))


def _plan_warc(path: Path, fmt: str, size: int, target: int) -> list[InputSlice]:
    cuts: list[tuple[int, int]] = [(0, 0)]  # (offset, records before)
    with open(path, "rb") as f:
        try:
            for i, off in enumerate(warc_record_offsets(f, size)):
                if off - cuts[-1][0] >= target:
                    cuts.append((off, i))
        except ValueError:
            return [InputSlice(path, fmt, 0, size, "file", 0)]
    bounds = [c[0] for c in cuts] + [size]
    return [InputSlice(path, fmt, bounds[i], bounds[i + 1], "bytes", cuts[i][1]) for i in range(len(cuts))]


def _plan_parquet(path: Path, fmt: str, size: int, target: int) -> list[InputSlice]:
    import pyarrow.parquet as pq

    try:
        md = pq.ParquetFile(path).metadata
    except Exception:  # a broken file: one slice, whose reader yields the rejection
        return [InputSlice(path, fmt, 0, size, "file", 0)]
    n = md.num_row_groups
    if n <= 1:
        return [InputSlice(path, fmt, 0, size, "file", 0)]
    slices, start, acc, rows_before, rows_in = [], 0, 0, 0, 0
    for i in range(n):
        rg = md.row_group(i)
        acc += rg.total_byte_size
        rows_in += rg.num_rows
        if acc >= target or i == n - 1:
            slices.append(InputSlice(path, fmt, start, i + 1, "rowgroups", rows_before))
            start, acc, rows_before, rows_in = i + 1, 0, rows_before + rows_in, 0
    if len(slices) == 1:
        return [InputSlice(path, fmt, 0, size, "file", 0)]
    return slices


def plan_slices(path: Path, fmt: str, *, target_bytes: int = 64 << 20) -> list[InputSlice]:
    """Slices of one input file of format `fmt`, each about `target_bytes` of input (see the module docstring)."""
    path = Path(path)
    try:
        size = os.path.getsize(path)
    except OSError:
        size = 0
    target = max(1, int(target_bytes))
    try:
        if fmt == "parquet" and size > 0:
            return _plan_parquet(path, fmt, size, target)
        if fmt in ("jsonl", "warc", "wet") and size > target and _is_plain(path):
            if fmt == "jsonl":
                return _plan_jsonl(path, fmt, size, target)
            return _plan_warc(path, fmt, size, target)
    except OSError:
        pass  # unreadable while planning: the reader reports it as a rejection
    return [InputSlice(path, fmt, 0, size, "file", 0)]

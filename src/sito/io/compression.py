"""Opening input files for streaming reads, whatever their compression (gzip, zstd, bzip2, xz or none).

The compression is named by the file extension and checked against the file's first bytes (magic numbers): the
magic bytes win when they name another known compression, and a file whose extension promises compression but
whose content is not compressed is reported as corrupt (`Corrupt`) rather than read as garbage.

A failure is reported to the buffered stream as an end of data first and raised on the next read, so that the
complete records decoded before it are not lost in the buffer; readers confirm an end of data with `peek(1)`.
The decompressed stream is wrapped so that every failure surfaces as one of three exceptions the readers turn into
rejections: `Truncated` (data ends before the end-of-stream marker), `Corrupt` (invalid data) and
`DecompressionLimit` (more than `max_decompressed_bytes` come out: a decompression bomb). The stdlib file classes
(`gzip.GzipFile`, `bz2.BZ2File`, `lzma.LZMAFile`) already decompress with bounded output and raise `EOFError` on
truncation; `zstandard`'s stream reader bounds output too but reports a truncated frame as a clean end of file,
so for zstd the frame structure is walked once at the end of the data (`zstd_truncation_offset`, a few bytes
read per 128 KiB block) to tell a complete file from a cut one. That walk is written here because no installed
library exposes it.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import zlib
from pathlib import Path
from typing import BinaryIO

import zstandard

from .errors import Corrupt, DecompressionLimit, Truncated

# Magic numbers: RFC 1952 (gzip), RFC 8878 section 3.1.1 (zstd frame), bzip2 stream header, xz file format 1.0.4.
MAGIC = {
    "gz": b"\x1f\x8b",
    "zst": b"\x28\xb5\x2f\xfd",
    "bz2": b"BZh",
    "xz": b"\xfd7zXZ\x00",
}
SUFFIXES = {".gz": "gz", ".gzip": "gz", ".zst": "zst", ".zstd": "zst", ".bz2": "bz2", ".xz": "xz"}
READ_BUFFER = 1 << 20


def compression_from_name(path: str | Path) -> str | None:
    """The compression named by the last extension ("gz", "zst", "bz2", "xz") or None."""
    return SUFFIXES.get(Path(path).suffix.lower())


def sniff_compression(head: bytes) -> str | None:
    """The compression whose magic number starts `head`, or None. A zstd file may open with a skippable frame
    (magic 0x184D2A50-0x184D2A5F; pzstd writes one before its frames)."""
    for kind, magic in MAGIC.items():
        if head.startswith(magic):
            return kind
    if len(head) >= 4 and head[1:4] == b"\x2a\x4d\x18" and head[0] & 0xF0 == 0x50:
        return "zst"
    return None


def zstd_truncation_offset(f: BinaryIO) -> int | None:
    """Walk the zstd frames of a seekable file; return the offset where a frame is cut short, or None if whole.

    Frame layout from RFC 8878 section 3.1: magic, frame header (descriptor, window, dictionary id, content size),
    blocks with a 3-byte header (last-block bit, type, size), optional 4-byte checksum; skippable frames are
    magic 0x184D2A5? followed by a 4-byte length. Data that is not a zstd frame is left to the decompressor.
    """
    f.seek(0, io.SEEK_END)
    size = f.tell()
    pos = 0
    while pos < size:
        f.seek(pos)
        head = f.read(4)
        if len(head) < 4:
            return pos
        magic = int.from_bytes(head, "little")
        if 0x184D2A50 <= magic <= 0x184D2A5F:
            n = f.read(4)
            if len(n) < 4:
                return pos
            pos += 8 + int.from_bytes(n, "little")
            if pos > size:
                return size
            continue
        if magic != 0xFD2FB528:
            return None
        d = f.read(1)
        if not d:
            return pos
        fhd = d[0]
        single = (fhd >> 5) & 1
        fcs = (fhd >> 6) & 3
        header = 1 + (0 if single else 1) + (0, 1, 2, 4)[fhd & 3] + ((1 if single else 0), 2, 4, 8)[fcs]
        frame_start = pos
        pos += 4 + header
        while True:
            if pos + 3 > size:
                return max(frame_start, min(pos, size))
            f.seek(pos)
            v = int.from_bytes(f.read(3), "little")
            btype = (v >> 1) & 3
            bsize = v >> 3
            pos += 3 + (1 if btype == 1 else bsize)
            if v & 1:
                break
        if (fhd >> 2) & 1:
            pos += 4
        if pos > size:
            return size
    return None


class _Guarded(io.RawIOBase):
    """A raw stream over a decompressor that maps failures to Truncated / Corrupt and enforces the size limit."""

    def __init__(self, inner: BinaryIO, raw: BinaryIO, kind: str | None, limit: int | None, name: str):
        self._inner = inner
        self._raw = raw
        self._kind = kind
        self._limit = limit
        self._name = name
        self.total = 0  # decompressed bytes produced so far
        self._checked_end = False
        self._pending: Exception | None = None

    def readable(self) -> bool:
        return True

    def compressed_offset(self) -> int | None:
        try:
            return self._raw.tell()
        except (OSError, ValueError):
            return None

    def readinto(self, b) -> int:  # type: ignore[override]
        # A failure is reported as end of data once, then raised on the next call: io.BufferedReader drops the
        # bytes it already buffered when the raw stream raises, and those are good records.
        if self._pending is not None:
            exc, self._pending = self._pending, None
            raise exc
        try:
            n = self._read(b)
        except (Truncated, Corrupt, DecompressionLimit) as exc:
            self._pending = exc
            return 0
        return n

    def _read(self, b) -> int:
        try:
            if self._inner is self._raw:
                n = self._raw.readinto(b)
            else:
                # read1: one read of the decompressor, so nothing decoded is held back when the next read fails
                data = self._inner.read1(len(b))
                n = len(data)
                b[:n] = data
        except EOFError as exc:
            raise Truncated(f"{self._kind} data ends before its end-of-stream marker ({exc})", self.compressed_offset()) from None
        except (OSError, zlib.error, lzma.LZMAError, zstandard.ZstdError, ValueError) as exc:
            msg = str(exc)
            if "ended before" in msg:
                raise Truncated(f"{self._kind} data ends before its end-of-stream marker", self.compressed_offset()) from None
            what = f"invalid {self._kind} data" if self._kind else "read error"
            raise Corrupt(f"{what}: {msg or type(exc).__name__}", self.compressed_offset()) from None
        if not n and self._kind == "zst" and not self._checked_end:
            self._checked_end = True
            cut = zstd_truncation_offset(self._raw)
            if cut is not None:
                raise Truncated("zstd data ends before the end of its last frame", cut)
        self.total += n or 0
        if self._limit is not None and self.total > self._limit:
            raise DecompressionLimit(
                f"{self._name} decompresses to more than max_decompressed_bytes={self._limit}", self.compressed_offset())
        return n or 0

    def close(self) -> None:
        try:
            if self._inner is not self._raw:
                self._inner.close()
        finally:
            self._raw.close()
            super().close()


class InputStream:
    """A buffered binary stream of a file's decompressed bytes (`stream`), with the compression used (`kind`).

    Use as a context manager. Opening raises `Corrupt` when the extension promises a compression that the magic
    bytes do not show; reading raises `Truncated`, `Corrupt` or `DecompressionLimit`.
    """

    def __init__(self, path: str | Path, max_decompressed_bytes: int | None = None, buffer_size: int = READ_BUFFER):
        self.path = Path(path)
        raw = open(self.path, "rb")
        try:
            head = raw.read(6)
            raw.seek(0)
            named = compression_from_name(self.path)
            kind = sniff_compression(head)
            if named and kind is None and head:
                raise Corrupt(f"{self.path.name} ends in {self.path.suffix} but does not start with the {named} "
                              f"magic bytes (starts with {head[:4]!r})", 0)
            if kind == "gz":
                inner: BinaryIO = gzip.GzipFile(fileobj=raw, mode="rb")
            elif kind == "bz2":
                inner = bz2.BZ2File(raw, mode="rb")
            elif kind == "xz":
                inner = lzma.LZMAFile(raw, mode="rb")
            elif kind == "zst":
                inner = zstandard.ZstdDecompressor().stream_reader(raw, read_size=READ_BUFFER, read_across_frames=True,
                                                                  closefd=False)
            else:
                inner = raw
        except BaseException:
            raw.close()
            raise
        self.kind = kind
        self._guard = _Guarded(inner, raw, kind, max_decompressed_bytes, self.path.name)
        self.stream = io.BufferedReader(self._guard, buffer_size=buffer_size)

    @property
    def decompressed_bytes(self) -> int:
        return self._guard.total

    def compressed_offset(self) -> int | None:
        return self._guard.compressed_offset()

    def check_end(self) -> None:
        """Raise the failure, if any, that ended the data early (a short read may hide one; see `_Guarded`)."""
        self.stream.peek(1)

    def close(self) -> None:
        try:
            self.stream.close()
        except Exception:  # closing a broken decompressor must not hide the original problem
            pass

    def __enter__(self) -> "InputStream":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_input(path: str | Path, max_decompressed_bytes: int | None = None) -> InputStream:
    """Open `path` for a streaming read of its decompressed bytes (see `InputStream`)."""
    return InputStream(path, max_decompressed_bytes)

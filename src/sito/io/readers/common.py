"""Helpers shared by the readers: building rejected documents and reading bounded byte strings."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from ...document import Document, Rejection
from ..errors import ReadFailure

STEP = "read"


def path_str(path: str | Path) -> str:
    """A file's path as document ids and sources name it: as given, except that the bytes of a name that is not
    UTF-8 (which Python holds as lone surrogates, and no output file can) are written as escapes, "na\\xefve.txt"."""
    s = Path(path).as_posix()
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        s = s.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return s


def rejected(source: str, code: str, *, doc_id: str | None = None, value=None, threshold=None, detail: str = "",
             url: str | None = None, metadata: dict | None = None) -> Document:
    """A document that could not be read: empty text, the reason, and where it came from."""
    return Document(id=doc_id or source, text="", url=url, metadata=metadata or {}, source=source,
                    rejection=Rejection(code=code, step=STEP, value=value, threshold=threshold, detail=detail))


def failure(source: str, exc: ReadFailure, what: str) -> Document:
    """The one rejection that stands for the unreadable rest of a file."""
    where = f" (compressed byte offset {exc.offset})" if exc.offset is not None else ""
    return rejected(source, exc.code, value=exc.offset, detail=f"{exc.detail}{where}; the rest of the file, after {what}, "
                    "could not be read")


def read_bounded(stream: BinaryIO, limit: int) -> tuple[bytes | None, int]:
    """Read a whole stream if it has at most `limit` bytes: (data, size); else (None, size) where size is the
    total length, counted by reading through in 1 MiB chunks without keeping them."""
    data = stream.read(limit + 1)
    if len(data) <= limit:
        stream.peek(1)  # raises the failure that ended the data early, if any
        return data, len(data)
    size = len(data)
    del data
    while True:
        chunk = stream.read(1 << 20)
        if not chunk:
            break
        size += len(chunk)
    return None, size


def looks_binary(head: bytes) -> bool:
    """NUL bytes in the first KiB mean a binary file (the test `file(1)` and git use), unless a UTF-16/32 BOM
    says the NULs are part of wide characters."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):   # (UTF-16 LE/BE, UTF-32 LE/BE)
        return False
    return b"\x00" in head[:1024]

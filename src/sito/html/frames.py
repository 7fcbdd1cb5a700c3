"""Length-prefixed frames (8-byte big-endian length, then the bytes) between the sandbox and its worker."""

from __future__ import annotations

import struct

LEN = struct.Struct(">Q")


def read_frame(f) -> bytes | None:
    """One frame from a binary file, or None at end of input / on a truncated frame."""
    head = f.read(LEN.size)
    if len(head) < LEN.size:
        return None
    (n,) = LEN.unpack(head)
    data = f.read(n)
    return data if len(data) == n else None


def write_frame(f, data: bytes) -> None:
    f.write(LEN.pack(len(data)))
    f.write(data)
    f.flush()

"""Errors of the I/O layer: `InputError` stops a run before it starts; the others never leave a reader.

`InputError` (a `ValueError`, one-line message) is raised for a path that does not exist or cannot be read, a
pattern that matches nothing, or an unsupported file type. The CLI prints it and exits.

`Truncated`, `Corrupt` and `DecompressionLimit` are raised by the decompressing streams of `sito.io.compression`
while a file is read; the readers catch them and turn them into one rejected record (`read:truncated`,
`read:corrupt`, `read:decompression_limit`) after the documents read so far, so a damaged file never stops a run.
"""

from __future__ import annotations

try:  # the lead error taxonomy, when present, lets the CLI treat every sito error alike
    from ..errors import SitoError as _Base
except ImportError:  # pragma: no cover - older trees without sito.errors
    _Base = Exception


class InputError(_Base, ValueError):
    """An input path is missing, unreadable, matches nothing, or has an unsupported type."""


class ReadFailure(Exception):
    """The rest of a file cannot be read; `offset` is the compressed byte offset reached (or None)."""

    code = "read:corrupt"

    def __init__(self, detail: str, offset: int | None = None):
        super().__init__(detail)
        self.detail = detail
        self.offset = offset


class Truncated(ReadFailure):
    """Compressed data ends before its end-of-stream marker (an interrupted download or copy)."""

    code = "read:truncated"


class Corrupt(ReadFailure):
    """The data is not valid for its compression format (or the file cannot be read at all)."""

    code = "read:corrupt"


class DecompressionLimit(ReadFailure):
    """The file decompresses to more than `ReadOptions.max_decompressed_bytes` (a decompression bomb)."""

    code = "read:decompression_limit"

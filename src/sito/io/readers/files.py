"""Readers for one-document-per-file inputs: plain text (.txt) and HTML pages (.html).

The document id and source are the file's path as the user gave it (see `sito.io.inputs`). Text is decoded as
UTF-8 (a BOM selects UTF-8/16/32); UTF-8 with at most 1 % invalid bytes keeps its text with those bytes replaced
by U+FFFD (`metadata["encoding"] = "utf-8 (invalid bytes replaced)"`); otherwise the charset is the likeliest
decoding (`sito.io.charsets`: of windows-1252/1250, ISO-8859-2 and charset_normalizer's guesses, the fewest
symbols inside words, then the language identifier's surest), and the encoding used is recorded in
`metadata["encoding"]` (absent for plain UTF-8). HTML is passed on as raw
bytes in `doc.html` with empty text: the HTML step detects its charset from the page itself.
"""

from __future__ import annotations

import codecs
import os
from typing import Iterator

from ...document import Document
from ..charsets import guesses, likeliest
from ..compression import open_input
from ..errors import ReadFailure
from ..options import ReadOptions
from ..slices import InputSlice
from .common import failure, looks_binary, path_str, read_bounded, rejected

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)


LOSSY_UTF8 = "utf-8 (invalid bytes replaced)"


def decode_text(data: bytes) -> tuple[str | None, str | None]:
    """(text, encoding) — encoding None for plain UTF-8; (None, None) if no charset decodes the bytes."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError:   # (a few broken bytes cost only those characters, as without a BOM)
                lossy = _nearly(data, enc)
                return (lossy, f"{enc} (invalid bytes replaced)") if lossy is not None else (None, None)
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    # UTF-8 with a few broken or foreign bytes (a cut multi-byte character, a latin-1 word pasted in): keep the
    # text and replace just those bytes, rather than let a charset guess re-decode the whole page as mojibake
    lossy = _nearly(data, "utf-8")
    if lossy is not None:
        return lossy, LOSSY_UTF8
    return likeliest(data, guesses(data))


def _nearly(data: bytes, enc: str) -> str | None:
    """`data` decoded by `enc` with its broken bytes replaced, when they are at most 1 % of the characters."""
    lossy = data.decode(enc, "replace")
    return lossy if lossy.count("\ufffd") <= max(1, len(lossy) // 100) else None


def _read_whole(sl: InputSlice, opts: ReadOptions, text: bool = True) -> tuple[bytes | None, Document | None]:
    """The file's decompressed bytes, or a rejection (empty, too large, truncated, corrupt, unreadable)."""
    name = path_str(sl.path)
    try:
        if os.path.getsize(sl.path) == 0:
            return None, rejected(name, "read:empty_file", value=0, detail="the file is empty")
        with open_input(sl.path, opts.max_decompressed_bytes) as inp:
            data, size = read_bounded(inp.stream, opts.max_record_bytes)
    except ReadFailure as exc:
        return None, failure(name, exc, "the start of the file")
    except OSError as exc:
        return None, rejected(name, "read:unreadable", detail=f"cannot read the file: {exc.strerror or exc}")
    if data is None:
        return None, rejected(name, "read:too_large", value=size, threshold=opts.max_record_bytes,
                              detail=f"{size} bytes is more than max_record_bytes={opts.max_record_bytes}")
    if not data:
        return None, rejected(name, "read:empty_file", value=0, detail="the file decompresses to nothing")
    if text and looks_binary(data[:1024]):   # (an HTML page's bytes are judged by the HTML step: html:binary)
        return None, rejected(name, "read:binary", detail="NUL bytes in the first KiB: not a text file")
    return data, None


def read_txt(sl: InputSlice, opts: ReadOptions) -> Iterator[Document]:
    name = path_str(sl.path)
    data, rej = _read_whole(sl, opts)
    if rej is not None:
        yield rej
        return
    text, enc = decode_text(data)
    if text is None:
        yield rejected(name, "read:binary", detail="not UTF-8 and no text encoding fits the bytes")
        return
    meta = {"encoding": enc} if enc else {}
    yield Document(id=name, text=text, metadata=meta, source=name)


def read_html(sl: InputSlice, opts: ReadOptions) -> Iterator[Document]:
    name = path_str(sl.path)
    data, rej = _read_whole(sl, opts, text=False)   # (UTF-16 without a BOM, a stray NUL: the page decodes)
    if rej is not None:
        yield rej
        return
    yield Document(id=name, text="", source=name, html=data)

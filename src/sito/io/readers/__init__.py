"""One streaming reader per input format; `read_slice` picks the reader for a slice's format."""

from __future__ import annotations

from typing import Callable, Iterator

from ...document import Document
from ..options import ReadOptions
from ..slices import InputSlice
from .files import read_html, read_txt
from .jsonl import read_jsonl
from .parquet import read_parquet
from .warc import read_warc, read_wet

READERS: dict[str, Callable[[InputSlice, ReadOptions], Iterator[Document]]] = {
    "txt": read_txt,
    "jsonl": read_jsonl,
    "parquet": read_parquet,
    "html": read_html,
    "warc": read_warc,
    "wet": read_wet,
}


def read_slice(slice: InputSlice, options: ReadOptions | None = None) -> Iterator[Document]:  # noqa: A002
    """Stream the documents of one slice: every record becomes a Document, rejected with a `read:*` reason when
    it cannot be read. Never raises for bad data; raises ValueError only for an unknown format name."""
    reader = READERS.get(slice.fmt)
    if reader is None:
        raise ValueError(f"unknown input format {slice.fmt!r}; known: {', '.join(READERS)}")
    return reader(slice, options or ReadOptions())

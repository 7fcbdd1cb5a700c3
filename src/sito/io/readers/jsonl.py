"""The JSON-lines reader: one document per line, with configurable text / id / url fields.

Lines are read with a bounded `readline`, so a line longer than `max_record_bytes` is skipped in 1 MiB chunks and
rejected with its size (`read:too_large`) without ever being held in memory. Every non-blank line becomes exactly
one document or one rejection (`read:invalid_utf8`, `read:malformed_json`, `read:not_object`,
`read:missing_field`, `read:bad_field`); blank lines (ASCII whitespace only) are not records. Fields other than
text / id / url go to `metadata` unchanged. A missing id becomes "<file>:<line>" (1-based line number), which is
also the document's `source`.
"""

from __future__ import annotations

import json
import os
from typing import Any, BinaryIO, Iterator

from ...document import Document
from ..compression import open_input
from ..errors import ReadFailure
from ..options import ReadOptions
from ..slices import InputSlice
from .common import failure, path_str, rejected

_CHUNK = 1 << 20
_MAX_KEYS_SHOWN = 20


def _read_line(f: BinaryIO, limit: int) -> tuple[bytes | None, int]:
    """(line, size) for the next line (newline included); (None, size) for a line over `limit`; (b"", 0) at EOF."""
    chunk = f.readline(limit + 2)
    if not chunk:
        f.peek(1)  # raises the failure that ended the data, if any
        return b"", 0
    n = len(chunk)
    if chunk.endswith(b"\n"):
        content = n - (2 if chunk.endswith(b"\r\n") else 1)
        return (chunk, n) if content <= limit else (None, n)
    if n <= limit:  # the last line, without a newline: make sure the data really ends here
        f.peek(1)
        return chunk, n
    size = n
    del chunk
    while True:
        c = f.readline(_CHUNK)
        if not c:
            break
        size += len(c)
        if c.endswith(b"\n"):
            break
    return None, size


def _blank_from(f: BinaryIO, pos: int) -> bool:
    """True if the file holds only ASCII whitespace from `pos` to its end."""
    f.seek(pos)
    while True:
        chunk = f.read(_CHUNK)
        if not chunk:
            return True
        if chunk.strip():
            return False


def _type_name(v: Any) -> str:
    return {dict: "object", list: "array", str: "string", bool: "boolean", int: "number", float: "number",
            type(None): "null"}.get(type(v), type(v).__name__)


def _has_lone_surrogate(s: str) -> bool:
    try:
        s.encode("utf-8")
        return False
    except UnicodeEncodeError:
        return True


def parse_record(raw: bytes, source: str, opts: ReadOptions) -> Document:
    """One JSON line (without its newline) → a Document, or a rejected one saying what is wrong."""
    try:
        s = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return rejected(source, "read:invalid_utf8", value=exc.start,
                        detail=f"invalid UTF-8 at byte {exc.start} of the line ({raw[exc.start:exc.start + 4]!r})")
    try:
        obj = json.loads(s)
    except RecursionError:
        return rejected(source, "read:malformed_json", detail="JSON nested too deeply")
    except ValueError as exc:
        return rejected(source, "read:malformed_json", detail=f"not valid JSON: {str(exc)[:200]}")
    if not isinstance(obj, dict):
        return rejected(source, "read:not_object", value=_type_name(obj),
                        detail=f"the line is a JSON {_type_name(obj)}, not an object")
    tf, idf, uf = opts.text_field, opts.id_field, opts.url_field
    doc_id = obj.get(idf)   # (a record's own id names it even when it is rejected)
    if doc_id is None or doc_id == "":
        doc_id = source
    elif not isinstance(doc_id, str):
        doc_id = json.dumps(doc_id, ensure_ascii=False) if isinstance(doc_id, (dict, list)) else str(doc_id)
    if tf not in obj:
        keys = list(obj)
        shown = ", ".join(repr(k) for k in keys[:_MAX_KEYS_SHOWN]) + (", …" if len(keys) > _MAX_KEYS_SHOWN else "")
        return rejected(source, "read:missing_field", doc_id=doc_id, value=tf,
                        detail=f"no {tf!r} field (set the text field name?); available keys: {shown or 'none'}")
    text = obj[tf]
    if not isinstance(text, str):
        return rejected(source, "read:bad_field", doc_id=doc_id, value=_type_name(text),
                        detail=f"field {tf!r} is a JSON {_type_name(text)}, not a string")
    if "\\u" in s and _has_lone_surrogate(text):
        return rejected(source, "read:invalid_utf8", doc_id=doc_id,
                        detail=f"field {tf!r} has a lone surrogate escape (\\ud800-\\udfff)")
    meta = {k: v for k, v in obj.items() if k not in (tf, idf, uf)}
    url = obj.get(uf)
    if url is not None and not isinstance(url, str):
        meta[uf] = url
        url = None
    return Document(id=doc_id, text=text, url=url, metadata=meta, source=source)


def read_jsonl(sl: InputSlice, opts: ReadOptions) -> Iterator[Document]:
    name = path_str(sl.path)
    line_no = sl.first_index
    limit = opts.max_record_bytes
    produced = 0
    ranged = sl.kind == "bytes"
    try:
        if not ranged and os.path.getsize(sl.path) == 0:
            yield rejected(name, "read:empty_file", value=0, detail="the file is empty")
            return
        if ranged:
            inp = None
            f: BinaryIO = open(sl.path, "rb", buffering=_CHUNK)
        else:
            inp = open_input(sl.path, opts.max_decompressed_bytes)
            f = inp.stream
    except ReadFailure as exc:
        yield failure(f"{name}:1", exc, "the start of the file")
        return
    except OSError as exc:
        yield rejected(name, "read:unreadable", detail=f"cannot read the file: {exc.strerror or exc}")
        return
    try:
        pos = 0
        if ranged:
            pos = sl.start
            if pos > 0:
                f.seek(pos - 1)
                if f.read(1) != b"\n":  # not on a line start: the partial line belongs to the previous slice
                    while True:
                        c = f.readline(_CHUNK)
                        pos += len(c)
                        if not c or c.endswith(b"\n"):
                            break
                    line_no += 1
        while not ranged or pos < sl.end:
            try:
                line, size = _read_line(f, limit)
            except ReadFailure as exc:
                yield failure(f"{name}:{line_no + 1}", exc, f"line {line_no}")
                return
            if size == 0:
                break
            pos += size
            line_no += 1
            source = f"{name}:{line_no}"
            if line is None:
                produced += 1
                yield rejected(source, "read:too_large", value=size, threshold=limit,
                               detail=f"a {size}-byte line is more than max_record_bytes={limit}")
                continue
            if line.startswith(b"\xef\xbb\xbf"):   # (on any line: files joined with `cat` keep theirs)
                line = line[3:]
            body = line.strip()
            if not body:
                continue
            produced += 1
            doc = parse_record(body, source, opts)
            if line_no == 1 and doc.rejection is not None and body[:1] == b"[":
                doc.rejection.detail += ("; a file holding one JSON array is not JSON lines (one object per line): "
                                         "convert it with `jq -c '.[]'`")
            yield doc
        if produced == 0 and (not ranged or (sl.start == 0 and _blank_from(f, sl.end))):
            # a file without records is accounted for once: by its whole-file slice, or by the first byte range
            yield rejected(name, "read:empty_file", value=0, detail="no JSON lines in the file (empty or blank)")
    except OSError as exc:
        yield rejected(f"{name}:{line_no + 1}", "read:unreadable", detail=f"read error: {exc.strerror or exc}")
    finally:
        if inp is not None:
            inp.close()
        else:
            f.close()

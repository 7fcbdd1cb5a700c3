"""WARC and WET readers (warcio), streaming one record at a time.

WARC: a `response` (or `resource`) record whose HTTP Content-Type is HTML (or, with no type, whose payload starts
like HTML) becomes a document with the raw payload in `doc.html` (chunked transfer and content encodings undone
by warcio, bounded by `max_record_bytes`), `url` = WARC-Target-URI, `id` = WARC-Record-ID. The HTTP status, the
content type and the charset it declares go to `metadata`. Every other record (request, metadata, warcinfo,
revisit, images, PDFs…) is a `read:warc_not_html` rejection naming its record type and content type, and a
response whose HTTP status says it holds no page (a redirect, "404 Not Found", a server error: the site's error
page or an empty body, never the URL's content) or part of one ("206 Partial Content") is `read:http_status` with
the status as value; after interim responses ("100 Continue", "103 Early Hints") the final one counts, its body
decoded by its own headers. So the count of records read always equals documents + rejections.

WET (Common Crawl's extracted text): each `conversion` record is a text document (UTF-8) with its language
header in `metadata["language"]`; other records (the `warcinfo` header) are `read:wet_not_conversion`.

Decompression goes through `sito.io.compression` (not warcio's own), so truncated, corrupt or oversized
compressed files are handled like every other format. A record whose body is shorter than its Content-Length
(an uncompressed file cut short) is `read:truncated`. `source` is "file#N" with N the 0-based record number.
"""

from __future__ import annotations

import io
import os
import re
from typing import BinaryIO, Iterator

from ...document import Document
from ..compression import open_input
from ..errors import Corrupt, ReadFailure
from ..options import ReadOptions
from ..slices import InputSlice
from .common import failure, path_str, rejected

_HTML_TYPES = ("text/html", "application/xhtml+xml", "application/xml+xhtml", "application/vnd.wap.xhtml+xml")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:\-]+)", re.I)
# (after a UTF-8 byte order mark, an XML declaration and comments)
_HTML_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]{0,200}\?>\s*)?(?:<!--.*?-->\s*)*"
                         rb"<(!doctype\s+html|html|head|body|meta|title)\b", re.I | re.S)


class _RangeReader:
    """The bytes [start, end) of a file: the records of one byte-range slice (the plan cuts at record starts)."""

    def __init__(self, f: BinaryIO, start: int, end: int):
        self._f = f
        f.seek(start)
        self._left = end - start

    def read(self, size: int = -1) -> bytes:
        if self._left <= 0:
            return b""
        n = self._left if size is None or size < 0 else min(size, self._left)
        data = self._f.read(n)
        self._left -= len(data)
        return data

    def readline(self, size: int = -1) -> bytes:
        if self._left <= 0:
            return b""
        n = self._left if size is None or size < 0 else min(size, self._left)
        data = self._f.readline(n)
        self._left -= len(data)
        return data

    def close(self) -> None:
        self._f.close()


def _no_check() -> None:
    return None


def _record_id(rec, fallback: str) -> str:
    rid = rec.rec_headers.get_header("WARC-Record-ID")
    return rid.strip().strip("<>") if rid else fallback


def _is_html(content_type: str | None, head: bytes) -> bool:
    if content_type:
        ct = content_type.split(";", 1)[0].strip().lower()
        return ct in _HTML_TYPES
    return bool(_HTML_START.match(head[:1024]))


# Longest WARC or HTTP header line read. warcio reads a line whole, however long, growing one bytes object 16 KiB at
# a time (quadratic time, memory the size of the line): a hostile file's 2 GB line would take hours.
MAX_HEADER_LINE = 1 << 20


def _cap_header_lines(reader) -> None:
    """Make warcio's reader refuse a header line over MAX_HEADER_LINE (the record bodies are read with `read`)."""
    readline = reader.readline
    run = [0]   # bytes of the current line given out so far (warcio gives a long line in pieces)

    def capped(length=None):
        want = MAX_HEADER_LINE + 1 if length is None or length > MAX_HEADER_LINE else length
        line = readline(want)
        run[0] = 0 if line.endswith(b"\n") or not line else run[0] + len(line)
        if run[0] > MAX_HEADER_LINE or len(line) > MAX_HEADER_LINE:
            raise Corrupt(f"a header line longer than {MAX_HEADER_LINE} bytes")
        return line

    reader.readline = capped


def _remaining(rec) -> int:
    """Bytes of the record body that warcio could not deliver (> 0 only when the file ends inside the record)."""
    return int(getattr(rec.raw_stream, "limit", 0) or 0)


def _missing(rec) -> int:
    """Bytes of the record body the file does not have: the rest of the raw body is read first (a decoded body
    may end before its raw bytes do — a gzip body cut off at max_record_bytes, bytes after a gzip stream or after
    the last chunk — and those bytes are there, not missing). The raw body is at most max_record_bytes long
    (`_too_large` is checked first)."""
    raw = rec.raw_stream
    while raw.read(1 << 16):
        pass
    return _remaining(rec)


def _iter_records(sl: InputSlice, opts: ReadOptions, what: str) -> Iterator[tuple[object, object, int, str] | Document]:
    """Yield (record, check_end, number, source) for every record of the slice, or a final rejection Document.
    `check_end()` raises the decompression failure, if any, that cut the data short."""
    from warcio.archiveiterator import ArchiveIterator

    name = path_str(sl.path)
    ranged = sl.kind == "bytes"
    inp = None
    f = None
    try:
        if not ranged and os.path.getsize(sl.path) == 0:
            yield rejected(name, "read:empty_file", value=0, detail="the file is empty")
            return
        if ranged:
            f: BinaryIO = _RangeReader(open(sl.path, "rb", buffering=1 << 20), sl.start, sl.end)
        else:
            inp = open_input(sl.path, opts.max_decompressed_bytes)
            f = inp.stream
    except ReadFailure as exc:
        yield failure(f"{name}#0", exc, "the start of the file")
        return
    except OSError as exc:
        yield rejected(name, "read:unreadable", detail=f"cannot read the file: {exc.strerror or exc}")
        return
    number = sl.first_index
    produced = 0
    try:
        it = ArchiveIterator(f, no_record_parse=False, check_digests=False, ensure_http_headers=False)
        _cap_header_lines(it.reader)
        records = iter(it)
        while True:
            try:
                rec = next(records)
            except StopIteration:
                try:
                    if inp is not None:
                        inp.check_end()  # raises the failure that ended the data, if any
                except ReadFailure as exc:
                    yield failure(f"{name}#{number}", exc, f"{number} records")
                    return
                break
            except ReadFailure as exc:
                yield failure(f"{name}#{number}", exc, f"{number} records")
                return
            except Exception as exc:  # warcio's ArchiveLoadFailed and parse errors on damaged data
                yield rejected(f"{name}#{number}", "read:corrupt",
                               detail=f"not a valid {what} record ({str(exc)[:200]}); the rest of the file, after "
                                      f"{number} records, could not be read")
                return
            produced += 1
            yield rec, (inp.check_end if inp is not None else _no_check), number, f"{name}#{number}"
            number += 1
        if produced == 0 and not ranged:
            yield rejected(name, "read:empty_file", value=0, detail=f"no {what} records in the file")
    except OSError as exc:
        yield rejected(f"{name}#{number}", "read:unreadable", detail=f"read error: {exc.strerror or exc}")
    finally:
        if inp is not None:
            inp.close()
        elif f is not None:
            f.close()


def _too_large(rec, source: str, limit: int, rid: str, url: str | None) -> Document | None:
    try:
        length = int(rec.rec_headers.get_header("Content-Length") or 0)
    except ValueError:
        length = 0
    if length > limit:
        return rejected(source, "read:too_large", doc_id=rid, url=url, value=length, threshold=limit,
                        detail=f"a {length}-byte record is more than max_record_bytes={limit}")
    return None


def _body(rec, source: str, limit: int, rid: str, url: str | None, what: str) -> bytes | Document:
    """A record's decoded body (at most `limit` bytes), or its rejection: too large by its Content-Length or once
    decoded, or cut off by the end of the file."""
    big = _too_large(rec, source, limit, rid, url)
    if big is not None:
        return big
    data = rec.content_stream().read(limit + 1)
    missing = _missing(rec)
    if missing > 0:
        return rejected(source, "read:truncated", doc_id=rid, url=url, value=missing,
                        detail=f"the file ends inside this record ({missing} bytes missing)")
    if len(data) > limit:
        return rejected(source, "read:too_large", doc_id=rid, url=url, value=len(data), threshold=limit,
                        detail=f"{what} is more than max_record_bytes={limit}")
    return data


def _read_records(sl: InputSlice, opts: ReadOptions, what: str, to_document) -> Iterator[Document]:
    """The documents of a WARC / WET slice: `to_document(record, source, max_record_bytes)` for each record,
    failures of the file or of a record as rejections."""
    records = _iter_records(sl, opts, what)
    try:
        for item in records:
            if isinstance(item, Document):
                yield item
                continue
            rec, check_end, number, source = item
            try:
                doc = to_document(rec, source, opts.max_record_bytes)
                if doc.rejection is not None and doc.rejection.code == "read:truncated":
                    check_end()  # a short record may hide a decompression failure: report that instead
            except ReadFailure as exc:
                yield failure(source, exc, f"{number} records")
                return
            except Exception as exc:  # a damaged record body (bad chunked or content encoding)
                doc = rejected(source, "read:corrupt", doc_id=_record_id(rec, source),
                               detail=f"the record body cannot be decoded ({str(exc)[:200]})")
            yield doc
            if doc.rejection is not None and doc.rejection.code == "read:truncated":
                return
    finally:
        records.close()


def read_warc(sl: InputSlice, opts: ReadOptions) -> Iterator[Document]:
    return _read_records(sl, opts, "WARC", _warc_document)


def _warc_document(rec, source: str, limit: int) -> Document:
    rid = _record_id(rec, source)
    url = rec.rec_headers.get_header("WARC-Target-URI")
    rtype = rec.rec_type
    if rtype not in ("response", "resource"):
        return rejected(source, "read:warc_not_html", doc_id=rid, url=url, value=rtype,
                        detail=f"a WARC {rtype} record, not an HTML response")
    http = rec.http_headers if rtype == "response" else None
    payload = _body(rec, source, limit, rid, url, "the decoded payload")
    if isinstance(payload, Document):
        return payload
    http, payload = _final_response(http, payload, limit)
    if len(payload) > limit:
        return rejected(source, "read:too_large", doc_id=rid, url=url, value=len(payload), threshold=limit,
                        detail=f"the final response's decoded body is more than max_record_bytes={limit}")
    status = _status(http)
    if isinstance(status, int) and (status >= 300 or status == 206):
        return rejected(source, "read:http_status", doc_id=rid, url=url, value=status,
                        detail=f"an HTTP {status} response ({_reason(http)}), not a page's content")
    ctype = (http.get_header("Content-Type") if http is not None else None) or (
        rec.rec_headers.get_header("Content-Type") if rtype == "resource" else None)
    if not _is_html(ctype, payload):
        return rejected(source, "read:warc_not_html", doc_id=rid, url=url, value=ctype or "",
                        detail=f"a {rtype} record with content type {ctype!r}, not HTML")
    meta: dict = {"warc_date": rec.rec_headers.get_header("WARC-Date")}
    if http is not None:
        meta["http_status"] = status
    if ctype:
        meta["content_type"] = ctype
        m = _CHARSET.search(ctype)
        if m:
            meta["http_charset"] = m.group(1).lower()
    return Document(id=rid, text="", url=url, metadata=meta, source=source, html=payload)


MAX_INTERIM = 8   # interim (1xx) responses read before a record's final one


def _final_response(http, payload: bytes, limit: int):
    """(headers, body) of the final response of a record that holds interim ones first ("100 Continue", "103 Early
    Hints", each a status line and headers): warcio reads the first status line as the record's, and the final
    response's status line, headers and body (still in its own transfer and content encoding) as the payload.
    Bodies are read to at most `limit` + 1 bytes; a damaged encoding raises (the record is then `read:corrupt`)."""
    from warcio.bufferedreaders import ChunkedDataReader, DecompressingBufferedReader
    from warcio.statusandheaders import StatusAndHeadersParser

    for _ in range(MAX_INTERIM):
        status = _status(http)
        if not (isinstance(status, int) and 100 <= status < 200 and payload[:5] == b"HTTP/"):
            break
        stream = io.BytesIO(payload)
        http = StatusAndHeadersParser([], verify=False).parse(stream)
        te = (http.get_header("Transfer-Encoding") or "").lower()
        ce = (http.get_header("Content-Encoding") or "").strip().lower()
        decomp = ce if ce in ("gzip", "deflate", "br") else None
        if "chunked" in te:
            payload = ChunkedDataReader(stream, raise_exceptions=True, decomp_type=decomp).read(limit + 1)
        elif decomp:
            payload = DecompressingBufferedReader(stream, decomp_type=decomp).read(limit + 1)
        else:
            payload = stream.read()
    return http, payload


def _status(http) -> int | str | None:
    """The response's HTTP status code: an int, or the status line's text when it is not a number."""
    if http is None:
        return None
    code = http.get_statuscode()
    try:
        return int(code)
    except (TypeError, ValueError):
        return code


def _reason(http) -> str:
    line = (http.statusline or "").strip()
    return line[:80] or "no reason given"


def read_wet(sl: InputSlice, opts: ReadOptions) -> Iterator[Document]:
    return _read_records(sl, opts, "WET", _wet_document)


def _wet_document(rec, source: str, limit: int) -> Document:
    rid = _record_id(rec, source)
    url = rec.rec_headers.get_header("WARC-Target-URI")
    if rec.rec_type != "conversion":
        return rejected(source, "read:wet_not_conversion", doc_id=rid, url=url, value=rec.rec_type,
                        detail=f"a WET {rec.rec_type} record, not a text conversion")
    body = _body(rec, source, limit, rid, url, "the record body")
    if isinstance(body, Document):
        return body
    try:
        text = body.decode("utf-8-sig")   # (a byte order mark is no text)
    except UnicodeDecodeError as exc:
        return rejected(source, "read:invalid_utf8", doc_id=rid, url=url, value=exc.start,
                        detail=f"invalid UTF-8 at byte {exc.start} of the record")
    meta: dict = {"warc_date": rec.rec_headers.get_header("WARC-Date")}
    for header, key in (("WARC-Identified-Content-Language", "language"), ("WARC-Refers-To", "refers_to")):
        v = rec.rec_headers.get_header(header)
        if v:
            meta[key] = v
    return Document(id=rid, text=text, url=url, metadata=meta, source=source)

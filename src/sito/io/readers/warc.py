"""WARC and WET readers (warcio), streaming one record at a time.

WARC: a `response` (or `resource`) record whose HTTP Content-Type is HTML (or, with no type, whose payload starts
like HTML) becomes a document with the raw payload in `doc.html` (chunked transfer and content encodings undone
by warcio, bounded by `max_record_bytes`), `url` = WARC-Target-URI, `id` = WARC-Record-ID. The HTTP status, the
content type and the charset it declares go to `metadata`. Every other record (request, metadata, warcinfo,
revisit, images, PDFs…) is a `read:warc_not_html` rejection naming its record type and content type, and a
response whose HTTP status is not 2xx (a redirect, "404 Not Found", a server error page: the site's error page or
an empty body, never the URL's content) is `read:http_status` with the status as value, so the count of records
read always equals documents + rejections.

WET (Common Crawl's extracted text): each `conversion` record is a text document (UTF-8) with its language
header in `metadata["language"]`; other records (the `warcinfo` header) are `read:wet_not_conversion`.

Decompression goes through `sito.io.compression` (not warcio's own), so truncated, corrupt or oversized
compressed files are handled like every other format. `source` is "file#N" with N the 0-based record number.

Damaged records (`_Records`): a record must end where its Content-Length says, at blank lines followed by the next
record or the end of the file. A record that does not (a Content-Length made larger or smaller, a header that is
not a WARC header, a gzip member that does not decompress) is one `read:corrupt` rejection whose detail says what
was wrong and where (its byte offset, or the compressed offset of its gzip member, also the rejection's value),
and reading goes on at the next record start after it: the next line `WARC/1.0` or `WARC/1.1` of an uncompressed
file, the next gzip member (`\x1f\x8b\x08`) of a .warc.gz of one member per record, found by scanning the file
1 MiB at a time. A candidate whose header does not parse (such a line inside a page, bytes that look like a gzip
header) is passed over, so the damaged stretch is one rejection. A record the file ends inside, with no record
after it, is `read:truncated` ("the file ends inside this record"). A byte-range slice owns the records that
start in [start, end): it goes on after a damaged record only to a record that starts before its end.

A .warc.gz compressed as ONE gzip stream, and .warc.zst / .bz2 / .xz files, cannot be re-entered at a record
start: the decompressor's state there depends on all the data before it, so going back means decompressing
again from the start of the file. There a damaged record is the one rejection that stands for the rest of the
file, as for every other compressed format (it is not kept as a page with the next records in its body).
"""

from __future__ import annotations

import os
import re
from typing import BinaryIO, Iterator

from ...document import Document
from ..compression import open_input
from ..errors import Corrupt, DecompressionLimit, ReadFailure
from ..options import ReadOptions
from ..slices import InputSlice
from .common import failure, path_str, rejected

_HTML_TYPES = ("text/html", "application/xhtml+xml", "application/xml+xhtml", "application/vnd.wap.xhtml+xml")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:\-]+)", re.I)
# (after a UTF-8 byte order mark, an XML declaration and comments)
_HTML_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]{0,200}\?>\s*)?(?:<!--.*?-->\s*)*"
                         rb"<(!doctype\s+html|html|head|body|meta|title)\b", re.I | re.S)


def _record_id(rec, fallback: str) -> str:
    rid = rec.rec_headers.get_header("WARC-Record-ID")
    return rid.strip().strip("<>") if rid else fallback


def _is_html(content_type: str | None, head: bytes) -> bool:
    if content_type:
        ct = content_type.split(";", 1)[0].strip().lower()
        return ct in _HTML_TYPES
    return bool(_HTML_START.match(head[:1024]))


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
    decoded. (A record the file ends inside is found by `_Records`, which reads every body to its end.)"""
    big = _too_large(rec, source, limit, rid, url)
    if big is not None:
        return big
    data = rec.content_stream().read(limit + 1)
    if len(data) > limit:
        return rejected(source, "read:too_large", doc_id=rid, url=url, value=len(data), threshold=limit,
                        detail=f"{what} is more than max_record_bytes={limit}")
    return data


# Longest WARC or HTTP header line read. warcio reads a line whole, however long, growing one bytes object 16 KiB at
# a time (quadratic time, memory the size of the line): a hostile file's 2 GB line would take hours.
MAX_HEADER_LINE = 1 << 20
_RECORD_START = re.compile(rb"\nWARC/1\.[01]\r?\n")      # (the newline ending the line before a record)
_GZIP_MEMBER = re.compile(rb"\x1f\x8b\x08[\x00-\x1f]")   # magic, deflate, flags with the reserved bits clear
_SCAN = 1 << 20


def _find(f: BinaryIO, pattern: re.Pattern, start: int, stop: int | None) -> int | None:
    """The offset of the first match of `pattern` that starts at or after `start` (and before `stop`), reading
    `f` 1 MiB at a time."""
    f.seek(start)
    at, tail = start, b""
    while stop is None or at - len(tail) < stop:
        chunk = f.read(_SCAN)
        if not chunk:
            return None
        buf = tail + chunk
        m = pattern.search(buf)
        if m:
            found = at - len(tail) + m.start()
            return found if stop is None or found < stop else None
        tail = buf[-16:]
        at += len(chunk)
    return None


class _Lines:
    """What warcio reads records from: `read`, and `readline` refusing a line over MAX_HEADER_LINE, over the
    buffered stream; `pos` counts the bytes given out since the stream started."""

    def __init__(self, stream: BinaryIO):
        self._stream = stream
        self.pos = 0
        self._run = 0   # bytes of the current line given out so far (warcio may ask for a long line in pieces)

    def read(self, size: int | None = -1) -> bytes:
        data = self._stream.read(-1 if size is None else size)
        self.pos += len(data)
        return data

    def readline(self, size: int | None = None) -> bytes:
        want = MAX_HEADER_LINE + 1 if size is None or size < 0 or size > MAX_HEADER_LINE else size
        line = self._stream.readline(want)
        self.pos += len(line)
        self._run = 0 if line.endswith(b"\n") or not line else self._run + len(line)
        if self._run > MAX_HEADER_LINE or len(line) > MAX_HEADER_LINE:
            raise Corrupt(f"a header line longer than {MAX_HEADER_LINE} bytes")
        return line

    def next_line(self) -> tuple[bytes, int]:
        """The next line that is not blank (b"" at the end of the data), and where it starts."""
        while True:
            at = self.pos
            line = self.readline()
            if not line or line.strip():
                return line, at


class _Damaged(Exception):
    """The record being read is damaged. `kind`: "header" (not a record header), "length" (the bytes after its
    Content-Length do not start a record), "short" (the data ends inside it, `missing` bytes short) or "failure"
    (the data cannot be decompressed or read). `later`: the record read stands, the damage starts after it."""

    def __init__(self, kind: str, what: str = "", *, length: int | None = None, missing: int = 0,
                 failure: ReadFailure | None = None, later: bool = False):
        super().__init__(what or kind)
        self.kind, self.what, self.length, self.missing = kind, what, length, missing
        self.failure, self.later = failure, later


class _Records:
    """The records of one WARC / WET slice, read with warcio's record parser.

    Each record is checked against the data around it: its Content-Length must end where blank lines and the next
    record (or the end of the file) begin. A damaged record is one rejection, and reading goes on at the next
    record start after it: a line `WARC/1.0` or `WARC/1.1` in an uncompressed file, the next gzip member in a
    .warc.gz of one member per record (scanned for 1 MiB at a time, through a second handle on the file). A
    record that does not open a gzip member (a .warc.gz compressed as one stream) or one in another compression
    cannot be gone back to: there the damaged record stands for the rest of the file."""

    def __init__(self, sl: InputSlice, inp, name: str, what: str):
        from warcio.recordloader import ArcWarcRecordLoader

        self.inp, self.name, self.what, self.path = inp, name, what, sl.path
        self.plain = inp.kind is None
        self.first_index = sl.first_index
        self.end = sl.end if sl.kind == "bytes" else None   # a byte range owns the records that start before `end`
        self.size = os.path.getsize(sl.path)
        self.base = sl.start if sl.kind == "bytes" else 0   # where the stream started (a byte, or a gzip member)
        self.lines = _Lines(inp.stream)
        self.loader = ArcWarcRecordLoader(verify_http=False, arc2warc=False)
        self._side: BinaryIO | None = None

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
        self.inp.close()

    def _file(self) -> BinaryIO:
        if self._side is None:
            self._side = open(self.path, "rb", buffering=0)
        return self._side

    def documents(self, opts: ReadOptions, to_document) -> Iterator[Document]:
        number, produced = self.first_index, 0
        known = None            # the archive format, once a record has shown it
        line: bytes | None = None
        rec = None              # the next record, when already parsed (after a damaged one)
        start, previous = 0, -1  # where the next and the previous record start in the current stream
        while True:
            source = f"{self.name}#{number}"
            origin = None
            try:
                if rec is None:
                    if line is None:
                        line, start = self._next_line()
                    if not line:
                        break
                    if self.end is not None and self.base + start >= self.end:
                        break
                    origin = self._origin(start, previous)
                    rec = self._parse(line, known)
                else:
                    origin = self._origin(start, previous)
                known = rec.format
                doc = self._document(rec, source, opts, to_document, origin)
                line, after = self._after(rec, origin)
            except _Damaged as damage:
                if damage.later:   # the record read stands; the damage begins with the next one
                    yield doc
                    produced, number, previous, start = produced + 1, number + 1, start, self.lines.pos
                    source, origin, rec = f"{self.name}#{number}", None, None
                if origin is None:
                    origin = self._origin(start, previous)
                found = yield from self._damaged(damage, number, source, origin, rec)
                produced, number, line, rec = produced + 1, number + 1, None, None
                if found is None:
                    return
                rec, start, previous = found, 0, -1
                continue
            yield doc
            produced, number, previous, start, rec = produced + 1, number + 1, start, after, None
        if produced == 0 and self.end is None:
            yield rejected(self.name, "read:empty_file", value=0, detail=f"no {self.what} records in the file")

    def _next_line(self) -> tuple[bytes, int]:
        try:
            line, start = self.lines.next_line()
            if not line:
                self.inp.check_end()   # a failure of the data shows first as its end
        except ReadFailure as exc:
            raise _Damaged("failure", failure=exc) from None
        return line, start

    def _parse(self, line: bytes, known: str | None):
        try:
            return self.loader.parse_record_stream(self.lines, line, known, False, False)
        except ReadFailure as exc:
            raise _Damaged("failure", failure=exc) from None
        except Exception as exc:  # warcio's ArchiveLoadFailed and parse errors on damaged data
            raise _Damaged("header", f"not a valid {self.what} record ({str(exc)[:200]})") from None

    def _document(self, rec, source: str, opts: ReadOptions, to_document, origin: int | None) -> Document:
        """The record's document, after checking that its Content-Length ends where the record does; its body is
        read to its end (and no further than the gzip member it opens: a record of a .warc.gz of one member per
        record ends in its member, so a Content-Length of gigabytes is not read through to the end of the file)."""
        length = None
        if rec.format == "warc":
            value = rec.rec_headers.get_header("Content-Length")
            try:
                length = int(value)
            except (TypeError, ValueError):
                length = -1
            if length < 0:
                raise _Damaged("header", f"a {self.what} record without a valid Content-Length ({value!r})")
            if self.plain:   # (checked before the body is read: a length of gigabytes is not read through)
                end = self.base + self.lines.pos + rec.raw_stream.limit
                if end > self.size:
                    raise _Damaged("short", length=length, missing=end - self.size)
                if not self._record_ends_at(end):
                    raise _Damaged("length", length=length)
        try:
            doc = to_document(rec, source, opts.max_record_bytes)
        except ReadFailure as exc:
            raise _Damaged("failure", failure=exc) from None
        except Exception as exc:  # a damaged record body (bad chunked or content encoding)
            doc = rejected(source, "read:corrupt", doc_id=_record_id(rec, source),
                           detail=f"the record body cannot be decoded ({str(exc)[:200]})")
        try:
            while not self._past_member(origin) and rec.raw_stream.read(1 << 16):
                pass
        except ReadFailure as exc:
            raise _Damaged("failure", failure=exc) from None
        if self._past_member(origin):
            raise _Damaged("length", length=length)
        missing = int(getattr(rec.raw_stream, "limit", 0) or 0)
        if missing > 0:
            raise _Damaged("short", length=length, missing=missing)
        return doc

    def _past_member(self, origin: int | None) -> bool:
        """Whether the record, which opens the gzip member at `origin`, has been read into the next member."""
        members = self.inp.members
        return (members is not None and origin is not None and len(members.starts) > 1
                and members.starts[1][0] < self.lines.pos)

    def _record_ends_at(self, offset: int) -> bool:
        """Whether an uncompressed file has blank lines, then a record or its end, at `offset`."""
        f = self._file()
        f.seek(offset)
        data = f.read(4096)
        rest = data.lstrip()
        return rest.startswith(b"WARC/") if rest else len(data) < 4096

    def _after(self, rec, origin: int | None) -> tuple[bytes, int]:
        """The first line of the next record (b"" at the end) and where it starts: the record just read must end
        there."""
        try:
            line, start = self._next_line()
        except _Damaged as damage:
            # a failure in the record's own gzip member makes its bytes doubtful; one in a later member does not
            members = self.inp.members
            own = members is not None and origin is not None and members.starts and members.starts[-1][1] == origin
            damage.later = not own
            raise
        if rec.format == "warc" and line and not line.startswith(b"WARC/"):
            raise _Damaged("length", length=int(rec.rec_headers.get_header("Content-Length")))
        return line, start

    def _origin(self, start: int, previous: int) -> int | None:
        """Where the record that starts at `start` of the current stream begins in the file, for going on after it
        if it is damaged: its byte offset in an uncompressed file, or the compressed offset of the gzip member it
        opens; None when it opens no member (one gzip stream, a member of several records) or the compression
        cannot be entered in the middle."""
        if self.plain:
            return self.base + start
        members = self.inp.members
        if members is None:
            return None
        starts = members.starts
        while len(starts) > 1 and starts[1][0] <= start:
            starts.popleft()
        if starts and previous < starts[0][0] <= start:
            return starts[0][1]
        return None

    def _damaged(self, damage: _Damaged, number: int, source: str, origin: int | None, rec):
        """Yield the one rejection of a damaged record and return the next record, read where the next record
        start after it is found, or None when there is none (in this slice)."""
        failure_ = damage.failure
        if failure_ is None:
            try:
                self.inp.check_end()   # a failure of the data shows first as its end
            except ReadFailure as exc:
                failure_ = exc
        if origin is None or isinstance(failure_, DecompressionLimit):
            if failure_ is not None:
                yield failure(source, failure_, f"{number} records")
            elif damage.kind == "short":
                yield rejected(source, "read:truncated", value=damage.missing,
                               detail=f"the file ends inside this record ({damage.missing} bytes missing)")
            else:
                what = damage.what or f"its Content-Length ({damage.length} bytes) does not end where the record does"
                yield rejected(source, "read:corrupt", detail=f"{what}; the rest of the file, after {number} records, "
                                                              "could not be read")
            return None
        try:
            found = self._resync(origin)
        except DecompressionLimit as exc:
            yield failure(source, exc, f"{number} records")
            return None
        rid = _record_id(rec, source) if rec is not None else None
        url = rec.rec_headers.get_header("WARC-Target-URI") if rec is not None else None
        if failure_ is not None:
            code, what = failure_.code, failure_.detail
        elif damage.kind == "short" and found is None:
            yield rejected(source, "read:truncated", doc_id=rid, url=url, value=damage.missing,
                           detail=f"the file ends inside this record ({damage.missing} bytes missing)")
            return None
        elif damage.kind == "short":
            code, what = "read:corrupt", (f"its Content-Length ({damage.length} bytes) runs past the end of the data "
                                          f"({damage.missing} bytes missing), over the records after it")
        elif damage.kind == "length":
            code, what = "read:corrupt", (f"its Content-Length ({damage.length} bytes) does not end where the record "
                                          "does (the bytes after it do not start a record)")
        else:
            code, what = "read:corrupt", damage.what
        where = (f"the record at byte offset {origin}" if self.plain else
                 f"the gzip member at compressed byte offset {origin}")
        if found is not None:
            then = (f"reading goes on at the next record, byte offset {self.base}" if self.plain else
                    f"reading goes on at the next gzip member, compressed byte offset {self.base}")
        elif self.end is not None:
            then = f"no record starts after it before the end of the slice, byte offset {self.end}"
        else:
            then = "no record starts after it"
        yield rejected(source, code, doc_id=rid, url=url, value=origin, detail=f"{where}: {what}; {then}")
        return found

    def _resync(self, origin: int):
        """Go on at the first record start after `origin` whose header reads as a record (a line `WARC/1.x`
        inside a page, or bytes that look like a gzip header, are passed over): its parsed record, or None."""
        pattern = _RECORD_START if self.plain else _GZIP_MEMBER
        at = origin if self.plain else origin + 1
        while True:
            found = _find(self._file(), pattern, at, self.end)
            if found is None:
                return None
            if self.plain:
                found += 1   # (after the newline)
                if self.end is not None and found >= self.end:
                    return None
            self.inp.restart(found)
            self.base, self.lines = found, _Lines(self.inp.stream)
            try:
                return self.loader.parse_record_stream(self.lines, self.lines.readline(), "warc", False, False)
            except DecompressionLimit:
                raise
            except Exception:  # not a record start after all
                at = found if self.plain else found + 1


def _read_records(sl: InputSlice, opts: ReadOptions, what: str, to_document) -> Iterator[Document]:
    """The documents of a WARC / WET slice: `to_document(record, source, max_record_bytes)` for each record,
    failures of the file or of a record as rejections."""
    name = path_str(sl.path)
    ranged = sl.kind == "bytes"
    try:
        if not ranged and os.path.getsize(sl.path) == 0:
            yield rejected(name, "read:empty_file", value=0, detail="the file is empty")
            return
        inp = open_input(sl.path, opts.max_decompressed_bytes, start=sl.start if ranged else 0, gzip_members=True)
    except ReadFailure as exc:
        yield failure(f"{name}#0", exc, "the start of the file")
        return
    except OSError as exc:
        yield rejected(name, "read:unreadable", detail=f"cannot read the file: {exc.strerror or exc}")
        return
    records = None
    try:
        records = _Records(sl, inp, name, what)
        yield from records.documents(opts, to_document)
    except OSError as exc:
        yield rejected(f"{name}#?", "read:unreadable", detail=f"read error: {exc.strerror or exc}")
    finally:
        if records is not None:
            records.close()
        else:
            inp.close()


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
    status = _status(http)
    if isinstance(status, int) and not 200 <= status < 300:
        return rejected(source, "read:http_status", doc_id=rid, url=url, value=status,
                        detail=f"an HTTP {status} response ({_reason(http)}), not a page's content")
    ctype = (http.get_header("Content-Type") if http is not None else None) or (
        rec.rec_headers.get_header("Content-Type") if rtype == "resource" else None)
    payload = _body(rec, source, limit, rid, url, "the decoded payload")
    if isinstance(payload, Document):
        return payload
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

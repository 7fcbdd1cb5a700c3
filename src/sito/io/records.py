"""The output record in Parquet form, JSON encoding of records, and reading output shards back.

JSON lines shards hold `Document.to_record()` dicts as they are. Parquet shards use one fixed schema so that every
shard of every run can be read together:

- strings: id, text, url, source, title, lead, language, author, date, sitename, description
- list<string>: headings, captions, credits, related
- JSON text (strings holding JSON, because their shape varies): quotes, lines, metadata, reason, and `extra` for
  any key outside the schema (so nothing is dropped).

`iter_output_records` turns either form back into the same dicts: the article fields come back when any of them
is set (a cleaned record always has `lines`), `reason` when the record was rejected, the `extra` keys at the end.
Values JSON cannot hold (dates, bytes, decimals from Parquet input metadata) are written as ISO strings, UTF-8 text
(or base64 for binary) and decimal strings.
"""

from __future__ import annotations

import base64
import datetime as _dt
import decimal
import json
import math
import re
from pathlib import Path
from typing import Any, Iterator

import pyarrow as pa

from ..document import ARTICLE_FIELDS
from .compression import open_input

STRING_FIELDS = ("id", "text", "url", "source", "title", "lead", "language", "author", "date", "sitename",
                 "description")
LIST_FIELDS = ("headings", "captions", "credits", "related")
JSON_FIELDS = ("quotes", "lines", "metadata", "reason", "extra")
_BASE = ("id", "text", "url", "source")
_ORDER = ("id", "text", "url", "source", "title", "lead", "headings", "captions", "credits", "related", "quotes",
          "language", "author", "date", "sitename", "description", "lines", "metadata", "reason", "extra")
SCHEMA = pa.schema([
    pa.field(name, pa.list_(pa.string()) if name in LIST_FIELDS else pa.string()) for name in _ORDER
])
_KNOWN = frozenset(_ORDER) - {"extra"}


def json_default(o: Any) -> Any:
    if isinstance(o, (_dt.datetime, _dt.date, _dt.time)):
        return o.isoformat()
    if isinstance(o, (bytes, bytearray, memoryview)):
        b = bytes(o)
        try:
            return b.decode("utf-8")
        except UnicodeDecodeError:
            return "base64:" + base64.b64encode(b).decode("ascii")
    if isinstance(o, decimal.Decimal):
        return str(o)
    if isinstance(o, (set, frozenset, tuple)):
        return list(o)
    if hasattr(o, "item"):  # numpy scalars
        return o.item()
    if hasattr(o, "tolist"):
        return o.tolist()
    return str(o)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _finite(o: Any) -> Any:
    """`o` with every float that is NaN or infinite replaced by None (in dicts, lists and tuples)."""
    if isinstance(o, float):
        return o if math.isfinite(o) else None
    if isinstance(o, dict):
        return {k: _finite(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [_finite(v) for v in o]
    if hasattr(o, "item") and not isinstance(o, (str, bytes)):   # (numpy scalars)
        try:
            return _finite(o.item())
        except (TypeError, ValueError):
            return o
    return o


def dumps_bytes(obj: Any) -> bytes:
    """Compact JSON as UTF-8 bytes, non-ASCII text kept as is; a lone surrogate (which UTF-8 cannot hold) becomes
    U+FFFD, as in Parquet shards, so writing never fails and sito's JSONL reader reads the shard back (it rejects
    a "\\ud800" escape as invalid text)."""
    try:
        s = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=json_default, allow_nan=False)
    except ValueError:   # NaN / Infinity, which JSON has no words for (strict readers reject the line): null
        s = json.dumps(_finite(obj), ensure_ascii=False, separators=(",", ":"), default=json_default)
    try:
        return s.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", s).encode("utf-8")


def dumps(obj: Any) -> str:
    """`dumps_bytes` as a str."""
    return dumps_bytes(obj).decode("utf-8")


def _as_str(v: Any) -> str | None:
    if v is None:
        return None
    if not isinstance(v, str):
        v = v if isinstance(v, (int, float, bool)) else dumps(v)
        v = str(v)
    try:
        v.encode("utf-8")
    except UnicodeEncodeError:
        v = v.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    return v


def record_to_row(rec: dict[str, Any]) -> dict[str, Any]:
    """A record dict → a row of `SCHEMA`."""
    row: dict[str, Any] = {}
    for k in STRING_FIELDS:
        row[k] = _as_str(rec.get(k))
    for k in LIST_FIELDS:
        v = rec.get(k)
        row[k] = None if v is None else [_as_str(x) for x in v]
    for k in ("quotes", "lines", "metadata", "reason"):
        row[k] = dumps(rec[k]) if k in rec else None
    extra = {k: v for k, v in rec.items() if k not in _KNOWN}
    row["extra"] = dumps(extra) if extra else None
    return row


def row_to_record(row: dict[str, Any]) -> dict[str, Any]:
    """A row of `SCHEMA` → the record dict it was written from."""
    rec: dict[str, Any] = {k: row.get(k) for k in _BASE}
    if any(row.get(k) is not None for k in ARTICLE_FIELDS):
        for k in ARTICLE_FIELDS:
            v = row.get(k)
            rec[k] = json.loads(v) if (k in JSON_FIELDS and v is not None) else v
    if row.get("metadata") is not None:
        rec["metadata"] = json.loads(row["metadata"])
    if row.get("reason") is not None:
        rec["reason"] = json.loads(row["reason"])
    if row.get("extra") is not None:
        rec.update(json.loads(row["extra"]))
    return rec


def iter_output_records(path: str | Path) -> Iterator[dict[str, Any]]:
    """The record dicts of one output shard (.jsonl, .jsonl.gz, .jsonl.zst or .parquet), in order.

    Raises ValueError naming the file and line if a JSON line is damaged (shards are written atomically, so this
    means the file was changed after sito wrote it)."""
    path = Path(path)
    if path.name.endswith(".parquet"):
        import pyarrow.parquet as pq

        pf = pq.ParquetFile(path)
        try:
            for batch in pf.iter_batches(batch_size=256, use_threads=False):
                for row in batch.to_pylist():
                    yield row_to_record(row)
        finally:
            pf.close()
        return
    with open_input(path) as inp:
        for n, line in enumerate(inp.stream, 1):
            if not line.strip():
                continue
            try:
                yield json.loads(line)
            except ValueError as exc:
                raise ValueError(f"{path}:{n}: damaged output record ({exc})") from None

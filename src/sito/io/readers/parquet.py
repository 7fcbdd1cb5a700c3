"""The Parquet reader (pyarrow), by row group and in small batches, so memory is bounded by one batch.

Columns are mapped like JSON fields: text / id / url columns by name, every other column into `metadata`. A file
whose footer cannot be read is one `read:corrupt` rejection; a row group that fails to decode yields one
rejection for the rest of the slice, with the row reached. A file without the text column yields one
`read:missing_field` rejection per row, naming the columns, with the row's id and url when those columns exist
(only they are decoded). A row group whose uncompressed size is over `max_decompressed_bytes` is not decoded
(`read:decompression_limit`). Row numbers in `source` ("file#row") are 0-based and count from the start of the
file.
"""

from __future__ import annotations

import os
from typing import Iterator

from ...document import Document
from ..options import ReadOptions
from ..slices import InputSlice
from .common import path_str, rejected
from .jsonl import _type_name


def read_parquet(sl: InputSlice, opts: ReadOptions) -> Iterator[Document]:
    import pyarrow.parquet as pq

    name = path_str(sl.path)
    try:
        if os.path.getsize(sl.path) == 0:
            yield rejected(name, "read:empty_file", value=0, detail="the file is empty")
            return
        pf = pq.ParquetFile(sl.path, memory_map=False)
        md = pf.metadata
    except OSError as exc:
        if exc.errno is None:   # (pyarrow's own OSError for a damaged footer: "Invalid flatbuffers message")
            yield rejected(name, "read:corrupt", detail=f"not a readable Parquet file: {str(exc)[:200]}")
        else:
            yield rejected(name, "read:unreadable", detail=f"cannot read the file: {exc.strerror or exc}")
        return
    except Exception as exc:  # pyarrow raises ArrowInvalid (a ValueError) and others for a broken footer
        yield rejected(name, "read:corrupt", detail=f"not a readable Parquet file: {str(exc)[:200]}")
        return
    try:
        if sl.kind == "rowgroups":
            groups = list(range(sl.start, min(sl.end, md.num_row_groups)))
        else:
            groups = list(range(md.num_row_groups))
        row = sl.first_index
        if sl.kind != "rowgroups" and md.num_rows == 0:
            yield rejected(name, "read:empty_file", value=0, detail="the Parquet file has no rows")
            return
        columns = pf.schema_arrow.names
        tf, idf, uf = opts.text_field, opts.id_field, opts.url_field
        if tf not in columns:
            yield from _missing_text(pf, groups, row, name, columns, opts)
            return
        limit = opts.max_record_bytes
        for g in groups:
            rg = md.row_group(g)
            if rg.total_byte_size > opts.max_decompressed_bytes:
                yield rejected(f"{name}#{row}", "read:decompression_limit", value=rg.total_byte_size,
                               threshold=opts.max_decompressed_bytes,
                               detail=f"row group {g} decompresses to {rg.total_byte_size} bytes; the rest of the "
                                      "slice is not read")
                return
            try:
                for batch in pf.iter_batches(batch_size=opts.parquet_batch_rows, row_groups=[g], use_threads=False):
                    for rec in _rows(batch):
                        source = f"{name}#{row}"
                        row += 1
                        yield _row_document(rec, source, tf, idf, uf, limit)
            except Exception as exc:
                yield rejected(f"{name}#{row}", "read:corrupt",
                               detail=f"row group {g} cannot be decoded ({str(exc)[:200]}); the rest of the slice, "
                                      f"after row {row}, could not be read")
                return
    finally:
        try:
            pf.close()
        except Exception:
            pass


def _rows(batch) -> list[dict]:
    """The batch's rows as dicts. A column Python cannot hold as is (nanosecond times without pandas, a date past
    year 9999, a time or duration in ns) is given as text instead of failing the batch and the rest of the slice."""
    try:
        return batch.to_pylist()
    except Exception:   # (ArrowInvalid, ValueError, OverflowError… of one column)
        pass
    import pyarrow as pa
    import pyarrow.compute as pc

    cols = {}
    for name, col in zip(batch.schema.names, batch.columns):
        try:
            cols[name] = col.to_pylist()
        except Exception:
            try:
                cols[name] = pc.cast(col, pa.string()).to_pylist()
            except Exception:
                cols[name] = [None if v is None else str(v) for v in (col[i] for i in range(len(col)))]
    names = list(cols)
    return [dict(zip(names, vals)) for vals in zip(*cols.values())] if names else [{} for _ in range(batch.num_rows)]


def _missing_text(pf, groups: list[int], row: int, name: str, columns: list[str], opts: ReadOptions
                  ) -> Iterator[Document]:
    """One `read:missing_field` rejection per row of a file without the text column, with the row's own id and
    url when the file has those columns (only they are decoded), else named by its row."""
    tf, idf, uf = opts.text_field, opts.id_field, opts.url_field
    shown = ", ".join(repr(c) for c in columns[:20])
    detail = f"no {tf!r} column (set the text field name?); columns: {shown}"
    keys = [c for c in (idf, uf) if c in columns]
    for g in groups:
        if keys:
            batches = (b.to_pylist() for b in pf.iter_batches(batch_size=opts.parquet_batch_rows, row_groups=[g],
                                                               columns=keys, use_threads=False))
        else:
            batches = iter([[{}] * pf.metadata.row_group(g).num_rows])
        try:
            for batch in batches:
                for rec in batch:
                    doc_id, url = rec.get(idf), rec.get(uf)
                    yield rejected(f"{name}#{row}", "read:missing_field", value=tf, detail=detail,
                                   doc_id=None if doc_id is None or doc_id == "" else str(doc_id),
                                   url=url if isinstance(url, str) else None)
                    row += 1
        except Exception as exc:
            yield rejected(f"{name}#{row}", "read:corrupt",
                           detail=f"row group {g} cannot be decoded ({str(exc)[:200]}); the rest of the slice, "
                                  f"after row {row}, could not be read")
            return


def _row_document(rec: dict, source: str, tf: str, idf: str, uf: str, limit: int) -> Document:
    text = rec.get(tf)
    if isinstance(text, bytes):  # a binary column holding text
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            return rejected(source, "read:invalid_utf8", value=exc.start,
                            detail=f"column {tf!r} is binary and not UTF-8 (bad byte at {exc.start})")
    if not isinstance(text, str):
        return rejected(source, "read:bad_field", value=_type_name(text),
                        detail=f"column {tf!r} is {_type_name(text)} here, not a string")
    if len(text) > limit // 4 and len(text.encode("utf-8", "surrogatepass")) > limit:
        n = len(text.encode("utf-8", "surrogatepass"))
        return rejected(source, "read:too_large", value=n, threshold=limit,
                        detail=f"a {n}-byte text is more than max_record_bytes={limit}")
    meta = {k: v for k, v in rec.items() if k not in (tf, idf, uf)}
    doc_id = rec.get(idf)
    doc_id = source if doc_id is None or doc_id == "" else (doc_id if isinstance(doc_id, str) else str(doc_id))
    url = rec.get(uf)
    if url is not None and not isinstance(url, str):
        meta[uf] = url
        url = None
    return Document(id=doc_id, text=text, url=url, metadata=meta, source=source)

"""`ReadOptions`: the field names and per-record / per-file size limits every reader takes."""

from __future__ import annotations

from dataclasses import dataclass

# 50 MB for one text: far above any real article (the longest page of the dev data is under 10 MB of HTML) and
# well below what one worker can hold; Common Crawl truncates WARC payloads at 1 MiB, so CC input never gets near.
DEFAULT_MAX_RECORD_BYTES = 50 * 1000 * 1000
# 64 GiB decompressed per file: Common Crawl WARC files are ~1 GB gzipped / ~5 GB raw, Dolma/FineWeb shards a few
# GB; a file that inflates past this is treated as a decompression bomb. Reading is streaming, so this bounds
# time, not memory.
DEFAULT_MAX_DECOMPRESSED_BYTES = 64 << 30


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """How to read records: JSON/Parquet field names and the size limits (a record over a limit is rejected)."""

    text_field: str = "text"
    id_field: str = "id"
    url_field: str = "url"
    max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES
    max_decompressed_bytes: int = DEFAULT_MAX_DECOMPRESSED_BYTES
    parquet_batch_rows: int = 256

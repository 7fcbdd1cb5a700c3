"""Corpus I/O: finding input files, planning slices, streaming readers, and atomic sharded writers.

- `expand_inputs(inputs)` → sorted input files; `detect_format(path)` → "txt" | "jsonl" | "parquet" | "html" |
  "warc" | "wet"; `InputError` for missing / unreadable / unsupported input.
- `plan_slices(path, fmt, target_bytes=)` → `InputSlice`s (byte ranges of large plain JSONL/WARC/WET files,
  row-group ranges of Parquet, else whole files).
- `read_slice(slice, ReadOptions(...))` → `Document`s; bad records and damaged files become rejected documents
  with a `read:*` reason, never exceptions.
- `ShardedWriter(folder, prefix, fmt=, compression=, docs_per_shard=)` writes `Document.to_record()` dicts;
  `output_files(folder)` lists finished shards; `iter_output_records(path)` reads them back.

See docs/io.md for the formats, options, rejection codes and output layout.
"""

from __future__ import annotations

from .compression import open_input
from .errors import Corrupt, DecompressionLimit, InputError, ReadFailure, Truncated
from .inputs import FORMATS, detect_format, expand_inputs
from .options import ReadOptions
from .readers import READERS, read_slice
from .records import SCHEMA as PARQUET_SCHEMA
from .records import iter_output_records
from .slices import InputSlice, plan_slices
from .writers import SHARD_SUFFIXES, ShardedWriter, output_files

__all__ = [
    "FORMATS", "InputError", "InputSlice", "PARQUET_SCHEMA", "READERS", "ReadFailure", "ReadOptions", "SHARD_SUFFIXES",
    "ShardedWriter", "Truncated", "Corrupt", "DecompressionLimit", "detect_format", "expand_inputs",
    "iter_output_records", "open_input", "output_files", "plan_slices", "read_slice",
]

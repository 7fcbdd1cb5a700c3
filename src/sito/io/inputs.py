"""Turning the paths a user gives into a sorted list of input files, and naming each file's format.

`expand_inputs` accepts files, folders (walked recursively) and glob patterns. In folders and glob matches, hidden
files and folders (a leading dot, which covers sito's own `.tmp-*` files) and files of an unsupported type (a
README, Spark's `_SUCCESS`, `.crc` checksums) are skipped, with one log line saying how many; a file named
explicitly must have a supported type. The result is sorted by path and free of duplicates, so the same command
line always gives the same file list, and every path keeps the form the user wrote (relative stays relative):
the id of a one-document-per-file input (.txt, .html) is that path.
"""

from __future__ import annotations

import glob
import logging
import os
from pathlib import Path

from .compression import SUFFIXES as COMPRESSION_SUFFIXES
from .errors import InputError

log = logging.getLogger(__name__)

FORMATS = ("txt", "jsonl", "parquet", "html", "warc", "wet")
_EXT_FORMAT = {
    ".txt": "txt", ".text": "txt",
    ".jsonl": "jsonl", ".json": "jsonl", ".ndjson": "jsonl",
    ".parquet": "parquet", ".pq": "parquet",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".warc": "warc",
    ".wet": "wet",
}
SUPPORTED = (" ".join(_EXT_FORMAT) + " (optionally + "
             + " ".join(sorted(COMPRESSION_SUFFIXES, key=lambda s: (COMPRESSION_SUFFIXES[s], len(s)))) + ")")


def _split_name(name: str) -> tuple[str, str | None]:
    """(name without a compression suffix, that suffix or None), lower-cased."""
    low = name.lower()
    for suf in COMPRESSION_SUFFIXES:
        if low.endswith(suf) and len(low) > len(suf):
            return low[: -len(suf)], suf
    return low, None


def detect_format(path: str | Path) -> str:
    """The reader for `path` from its extension, after stripping a compression suffix (.gz, .zst, .bz2, .xz).

    `.json`/`.ndjson` are JSON lines; `.htm` is HTML; `.warc.wet(.gz)` and `.wet` are WET. Raises InputError
    naming the supported extensions for anything else.
    """
    base, _ = _split_name(Path(path).name)
    if base.endswith(".warc.wet"):
        return "wet"
    ext = os.path.splitext(base)[1]
    fmt = _EXT_FORMAT.get(ext)
    if fmt is None:
        raise InputError(f"{path}: unsupported file type; supported: {SUPPORTED}")
    if fmt == "parquet" and base != Path(path).name.lower():
        raise InputError(f"{path}: a compressed Parquet file is not supported (Parquet compresses its own pages)")
    return fmt


def _supported(path: Path) -> bool:
    try:
        detect_format(path)
        return True
    except InputError:
        return False


def _walk(folder: Path) -> tuple[list[Path], int]:
    """The supported files under `folder`, in sorted order, following symbolic links to folders (each real
    folder once: a link back up is no loop), and how many files were skipped (unsupported, or a broken link)."""
    found: list[Path] = []
    skipped = 0
    seen: set[tuple[int, int]] = set()
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=True):
        try:
            st = os.stat(dirpath)
        except OSError:
            dirnames[:] = []
            continue
        if (st.st_dev, st.st_ino) in seen:
            dirnames[:] = []
            continue
        seen.add((st.st_dev, st.st_ino))
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            p = Path(dirpath) / name
            if not p.is_file():
                skipped += not p.exists()   # (a broken link; sockets and pipes are no input either way)
                continue
            if _supported(p):
                _check_readable(p)
                found.append(p)
            else:
                skipped += 1
    return found, skipped


def _check_readable(p: Path) -> None:
    if not os.access(p, os.R_OK):
        raise InputError(f"{p}: permission denied (cannot read)")


def expand_inputs(inputs: list[str]) -> list[Path]:
    """Files, folders (recursive) and glob patterns → the sorted list of input files. Raises InputError if a path
    does not exist or is unreadable, or if an input (or all of them) yields no supported file."""
    if not inputs:
        raise InputError("no input given")
    files: list[Path] = []
    skipped = 0
    for item in inputs:
        item = str(item)
        p = Path(item)
        if p.is_dir():
            _check_readable(p)
            got, sk = _walk(p)
            skipped += sk
            if not got:
                raise InputError(f"{item}: folder has no input files of a supported type ({SUPPORTED})")
            files.extend(got)
        elif p.is_file():
            _check_readable(p)
            detect_format(p)
            files.append(p)
        elif p.exists():
            raise InputError(f"{item}: not a regular file or folder")
        elif glob.has_magic(item):
            matches = sorted(glob.glob(item, recursive=True))
            got = []
            for m in matches:
                mp = Path(m)
                if mp.name.startswith("."):
                    continue
                if mp.is_dir():
                    sub, sk = _walk(mp)
                    got.extend(sub)
                    skipped += sk
                elif mp.is_file():
                    if _supported(mp):
                        _check_readable(mp)
                        got.append(mp)
                    else:
                        skipped += 1
            if not got:
                raise InputError(f"{item}: pattern matches no input file of a supported type ({SUPPORTED})")
            files.extend(got)
        else:
            raise InputError(f"{item}: no such file or folder")
    if skipped:
        log.warning("skipped %d file(s) of an unsupported type (or broken links) in the input folders/patterns", skipped)
    seen: set[str] = set()
    out: list[Path] = []
    for f in sorted(files, key=lambda q: q.as_posix()):
        real = os.path.realpath(f)
        if real in seen:
            continue
        seen.add(real)
        out.append(f)
    return out

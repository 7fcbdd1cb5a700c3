"""Writing a whole file so that a reader sees the old one or the complete new one, never half of it.

The files sito writes in one piece — dedup's stage files, the run plan, the conversion caches, the report, the
inspector's index — go through `atomic_write`: the content goes to a temporary file in the target's folder,
named `.tmp-<name>.<pid>-<random>`, which is then renamed over the target (`os.replace`: atomic within one file
system). The temporary name starts with a dot, which sito's readers skip, and does not end in the target's
suffix, which globs such as `*.json` or `*.arrow` look for, so a process killed in the middle of a write leaves
nothing that looks finished; on an error the temporary file is removed. The file is created like any other
(permissions from the umask, not `mkstemp`'s private 0600). `fsync=True` also flushes it to disk before the
rename, for the files a resumed run trusts (the run plan, the task stats).

The shard writers (`writers.py`) stream many records into one file and finish it the same way themselves.
"""

from __future__ import annotations

import os
import secrets
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator


def temporary_name(path: Path) -> Path:
    """A fresh temporary name beside `path` (a dot-file: skipped by sito's readers)."""
    return path.with_name(f".tmp-{path.name}.{os.getpid()}-{secrets.token_hex(4)}")


@contextmanager
def atomic_write(path: "str | os.PathLike", mode: str = "wb", *, encoding: str | None = None,
                 fsync: bool = False) -> Iterator[IO]:
    """Open a temporary file beside `path` for writing (`mode` "wb" or "w"); when the block ends without an
    error, rename it over `path`; on an error, remove it. Creates `path`'s folder when missing."""
    if mode not in ("wb", "w"):
        raise ValueError(f"atomic_write writes a new file: mode 'wb' or 'w', not {mode!r}")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_name(path)
    try:
        with open(tmp, mode.replace("w", "x"), encoding=encoding if mode == "w" else None) as f:
            yield f
            if fsync:
                f.flush()
                os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_bytes(path: "str | os.PathLike", data: bytes, *, fsync: bool = False) -> None:
    with atomic_write(path, "wb", fsync=fsync) as f:
        f.write(data)


def write_text(path: "str | os.PathLike", text: str, *, fsync: bool = False) -> None:
    with atomic_write(path, "w", encoding="utf-8", fsync=fsync) as f:
        f.write(text)

"""The inspector's on-disk index of an output folder: one small Arrow table per shard, built once, memory-mapped.

For every record it keeps where the record is (shard, byte offset or row) and the few fields the list filters on
(status, reason code, language, host, length, removed lines, a shortened title, id and URL) — never the text.
The tables live in `OUT/.sito-index/` (or a per-user cache folder when OUT is read-only) with a manifest that
records each shard's size and modification time, so a shard is indexed again only when it changes. Loading
memory-maps the Arrow IPC files, so opening the index of millions of documents costs little memory and time, and
filtering runs in pyarrow's vectorised kernels.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlsplit

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sito.io.atomic import write_bytes
from sito.report.records import iter_entries, list_shards

CACHE_BYTES = 256 << 20   # filter results kept for the next request (row numbers, 8 bytes each)
INDEX_VERSION = 2   # (2: blank lines are not counted as removed)
INDEX_DIR = ".sito-index"
TITLE_CHARS = 160  # list view shows a title this long at most
ID_CHARS = 200
URL_CHARS = 300
# Shards to index adding up to this many bytes are indexed in parallel processes (one per core); smaller
# folders are indexed in-process, where starting workers would cost more than it saves.
PARALLEL_BYTES = 64 << 20

SCHEMA = pa.schema([
    ("row", pa.int64()),
    ("pos", pa.int64()),
    ("id", pa.string()),
    ("status", pa.string()),
    ("reason", pa.string()),
    ("language", pa.string()),
    ("host", pa.string()),
    ("length", pa.int64()),
    ("removed", pa.int32()),
    ("title", pa.string()),
    ("url", pa.string()),
])


def _short(x: Any, n: int) -> str:
    if not isinstance(x, str):
        return "" if x is None else str(x)[:n]
    x = " ".join(x.split())
    return x if len(x) <= n else x[: n - 1] + "…"


def _host(url: Any) -> str:
    if not isinstance(url, str) or not url:
        return ""
    try:
        return (urlsplit(url).hostname or "")[:200]
    except ValueError:
        return ""


def index_shard(path: Path, status: str) -> pa.Table:
    """The index rows of one shard (read once, record by record)."""
    cols: dict[str, list] = {f.name: [] for f in SCHEMA}
    for e in iter_entries(path):
        rec = e.record
        if rec is None:
            vals = dict(row=e.row, pos=e.pos, id=f"(unreadable record {e.row})", status=status,
                        reason="unreadable", language="", host="", length=0, removed=0,
                        title=_short(e.error, TITLE_CHARS), url="")
        else:
            reason = rec.get("reason")
            code = ""
            if isinstance(reason, dict):
                code = str(reason.get("code") or "unknown")
            meta = rec.get("metadata") if isinstance(rec.get("metadata"), dict) else {}
            lines = rec.get("lines") if isinstance(rec.get("lines"), list) else []
            text = rec.get("text") if isinstance(rec.get("text"), str) else ""
            title = rec.get("title") if isinstance(rec.get("title"), str) and rec.get("title") else text[:TITLE_CHARS]
            vals = dict(
                row=e.row, pos=e.pos, id=_short(rec.get("id"), ID_CHARS),
                status="rejected" if code else status, reason=code,
                language=_short(meta.get("language") or rec.get("language") or "", 20),
                host=_host(rec.get("url")), length=len(text),
                removed=removed_lines(lines),
                title=_short(title, TITLE_CHARS), url=_short(rec.get("url"), URL_CHARS),
            )
        for k, v in vals.items():
            cols[k].append(v)
    return pa.table(cols, schema=SCHEMA)


def _index_dir(out: Path) -> Path:
    d = out / INDEX_DIR
    try:
        d.mkdir(exist_ok=True)
        probe = d / ".write-test"
        probe.write_bytes(b"")
        probe.unlink()
        return d
    except OSError:  # read-only output folder: keep the index in the user's cache instead
        key = hashlib.sha1(str(out.resolve()).encode()).hexdigest()[:16]
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        d = base / "sito" / "inspect" / key
        d.mkdir(parents=True, exist_ok=True)
        return d


def _open_ipc(path: Path) -> pa.Table | None:
    try:
        table = pa.ipc.open_file(pa.memory_map(str(path))).read_all()
    except (OSError, pa.ArrowInvalid):
        return None
    return table if table.schema == SCHEMA else None


def _index_to_file(job: tuple[str, str, str]) -> int:
    """Index one shard into its Arrow file (run in a worker process for large folders); returns its rows."""
    path, status, ipc = job
    table = index_shard(Path(path), status)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_file(sink, SCHEMA) as w:
        w.write_table(table)
    write_bytes(Path(ipc), sink.getvalue().to_pybytes())
    return table.num_rows


@dataclass
class Shard:
    status: str
    path: Path


class Index:
    """All records of an output folder as one memory-mapped table, plus filtering and facet counts."""

    def __init__(self, out_dir: str | Path, *, rebuild: bool = False,
                 progress: Callable[[str], None] | None = None, workers: int | None = None,
                 parallel_bytes: int = PARALLEL_BYTES):
        self.workers = max(1, workers if workers is not None else (os.cpu_count() or 1))
        self.parallel_bytes = parallel_bytes
        self.out = Path(out_dir).resolve()
        if not self.out.is_dir():
            raise FileNotFoundError(f"output folder not found: {self.out}")
        self.dir = _index_dir(self.out)
        self.shards: list[Shard] = []
        self.table = self._load(rebuild, progress or (lambda msg: None))
        self._cache: dict[tuple, np.ndarray] = {}
        self._cache_lock = threading.Lock()
        self.facets = {
            "status": self._counts("status"),
            "reason": self._counts("reason"),
            "language": self._counts("language"),
            "host": self._counts("host", limit=300),
        }

    def __len__(self) -> int:
        return self.table.num_rows

    def _load(self, rebuild: bool, progress: Callable[[str], None]) -> pa.Table:
        manifest_path = self.dir / "manifest.json"
        manifest: dict[str, Any] = {}
        if manifest_path.is_file() and not rebuild:
            try:
                manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                manifest = {}
        if manifest.get("version") != INDEX_VERSION:
            manifest = {"version": INDEX_VERSION, "shards": {}}
        known = manifest["shards"]
        shards = list_shards(self.out)
        plan = []  # (status, path, rel, sig, arrow file, cached table or None)
        for status, path in shards:
            rel = path.relative_to(self.out).as_posix()
            st = path.stat()
            sig = {"size": st.st_size, "mtime_ns": st.st_mtime_ns}
            entry = known.get(rel)
            ipc = self.dir / (hashlib.sha1(rel.encode()).hexdigest()[:20] + ".arrow")
            table = None
            if entry and entry.get("sig") == sig and ipc.is_file():
                table = _open_ipc(ipc)
            plan.append((status, path, rel, sig, ipc, table))
        todo = [(str(path), status, str(ipc)) for status, path, _, _, ipc, table in plan if table is None]
        if todo:
            t0 = time.perf_counter()
            big = sum(Path(p).stat().st_size for p, _, _ in todo) >= self.parallel_bytes
            n = min(self.workers, len(todo)) if big else 1
            if n > 1:
                import multiprocessing
                from concurrent.futures import ProcessPoolExecutor

                # spawn: the caller may run threads (a server), which fork must not copy
                with ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("spawn")) as ex:
                    for (p, _, _), rows in zip(todo, ex.map(_index_to_file, todo)):
                        progress(f"indexed {Path(p).relative_to(self.out).as_posix()}: {rows:,} records")
            else:
                for job in todo:
                    rows = _index_to_file(job)
                    progress(f"indexed {Path(job[0]).relative_to(self.out).as_posix()}: {rows:,} records")
            progress(f"indexed {len(todo)} shard(s) in {time.perf_counter() - t0:.1f}s with {n} process(es)")
        tables = []
        new_known: dict[str, Any] = {}
        for i, (status, path, rel, sig, ipc, table) in enumerate(plan):
            if table is None:
                table = _open_ipc(ipc)
                if table is None:
                    raise OSError(f"index file {ipc} could not be read back after writing it")
            new_known[rel] = {"sig": sig, "file": ipc.name, "rows": table.num_rows}
            self.shards.append(Shard(status, path))
            tables.append(table.append_column("shard", pa.array(np.full(table.num_rows, i, dtype=np.int32))))
        if new_known != known:
            manifest["shards"] = new_known
            write_bytes(manifest_path, json.dumps(manifest, indent=1).encode("utf-8"))
            live = {v["file"] for v in new_known.values()}
            for f in self.dir.glob("*.arrow"):  # index files of shards that are gone
                if f.name not in live:
                    f.unlink(missing_ok=True)
        if not tables:
            return SCHEMA.empty_table().append_column("shard", pa.array([], pa.int32()))
        return pa.concat_tables(tables)

    def _counts(self, col: str, limit: int | None = None) -> list[tuple[str, int]]:
        if not len(self):
            return []
        vc = pc.value_counts(self.table[col])
        pairs = [(v["values"].as_py(), v["counts"].as_py()) for v in vc]
        pairs.sort(key=lambda kv: (-kv[1], kv[0]))
        return pairs[:limit] if limit else pairs

    def select(self, status: str = "", reason: str = "", language: str = "", host: str = "",
               q: str = "") -> np.ndarray:
        """Global row numbers matching the filters (exact values; `q` is a case-insensitive substring of the
        title, URL or id), in index order."""
        key = (status, reason, language, host, q)
        with self._cache_lock:
            hit = self._cache.get(key)
        if hit is not None:
            return hit
        t = self.table
        mask = None

        def both(m):
            return m if mask is None else pc.and_(mask, m)

        for col, val in (("status", status), ("reason", reason), ("language", language), ("host", host)):
            if val:
                mask = both(pc.equal(t[col], val))
        if q:
            m = pc.or_(pc.or_(pc.match_substring(t["title"], q, ignore_case=True),
                              pc.match_substring(t["url"], q, ignore_case=True)),
                       pc.match_substring(t["id"], q, ignore_case=True))
            mask = both(m)
        if mask is None:
            rows = np.arange(len(self), dtype=np.int64)
        else:
            rows = pc.indices_nonzero(pc.fill_null(mask, False)).to_numpy().astype(np.int64)
        with self._cache_lock:  # the server answers requests in threads
            # at most 32 results and CACHE_BYTES of them (a filter of a 10-million-document index is 80 MB)
            while self._cache and (len(self._cache) >= 32
                                   or sum(v.nbytes for v in self._cache.values()) + rows.nbytes > CACHE_BYTES):
                self._cache.pop(next(iter(self._cache)))
            if rows.nbytes <= CACHE_BYTES:
                self._cache[key] = rows
        return rows

    def row(self, i: int) -> dict[str, Any]:
        """The index fields of global row `i`."""
        return {name: self.table[name][i].as_py() for name in self.table.column_names}

    def rows(self, idx: np.ndarray) -> list[dict[str, Any]]:
        if not len(idx):
            return []
        sub = self.table.take(pa.array(idx))
        return sub.to_pylist()

    def locate(self, i: int) -> tuple[Shard, int]:
        r = self.row(i)
        return self.shards[r["shard"]], r["pos"]

    def scan_text(self, candidates: np.ndarray, needle: str, want: int,
                  seconds: float = 5.0) -> tuple[np.ndarray, bool]:
        """Rows among `candidates` whose text, title, URL or id contains `needle` (case-insensitive), reading the
        shards in order.

        Stops after `want` matches or `seconds` of reading, whichever comes first, and says whether the scan was
        complete: the texts are not in the index, so a full-text search costs a pass over the shards.
        """
        needle = needle.casefold()
        if not needle or not len(candidates):
            return np.asarray([], dtype=np.int64), True
        sub = self.table.take(pa.array(candidates)).select(["shard", "pos"])
        shards = sub["shard"].to_numpy()
        poss = sub["pos"].to_numpy()
        found: list[int] = []
        deadline = time.perf_counter() + seconds
        for s in np.unique(shards):
            sel = shards == s
            wanted = dict(zip(poss[sel].tolist(), candidates[sel].tolist()))
            for e in iter_entries(self.shards[int(s)].path):
                g = wanted.get(e.pos)
                if g is not None and e.record is not None:
                    # (the text as well as the title, URL and id the plain search reads)
                    hay = "\n".join(v if isinstance(v, str) else str(v) for v in
                                    (e.record.get(k) for k in ("text", "title", "url", "id")) if v is not None)
                    if needle in hay.casefold():
                        found.append(g)
                        if len(found) >= want:
                            return np.asarray(sorted(found), dtype=np.int64), False
                if time.perf_counter() > deadline:
                    return np.asarray(sorted(found), dtype=np.int64), False
        return np.asarray(sorted(found), dtype=np.int64), True


def removed_lines(lines: list) -> int:
    """Removed lines that have text (blank separator lines are not counted, as in the report and stats.json)."""
    return sum(1 for ln in lines if isinstance(ln, dict) and ln.get("keep") is False
               and isinstance(ln.get("text"), str) and ln["text"].strip())

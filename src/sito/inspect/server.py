"""The inspector's local HTTP server (standard library `http.server`): routes, safe file serving, headers.

Routes: `/` (list with filters and paging), `/doc/<n>` (one document), `/api/record/<n>` (its record as JSON),
`/static/<name>` (the inspector's own CSS/JS shipped in the package) and `/files/<path>` (files of the output
folder, e.g. `report.html`, `stats.json`). Nothing outside the output folder or the static folder is ever served:
paths with `..`, absolute paths, backslashes, NUL bytes or symbolic links leading out are refused with 403.
HTML responses carry a Content-Security-Policy without inline script, so even a rendering bug could not run
script from a document. Requests whose Host header is not the address the server was bound to are refused
(a guard against DNS rebinding), unless it was bound to all interfaces.
"""

from __future__ import annotations

import json
import mimetypes
import shutil
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import numpy as np


from . import views
from .index import Index
from .seek import RecordReader

STATIC_DIR = Path(__file__).resolve().parent / "static"
PAGE_SIZE = 50
# Full-text search reads shards; give up after this long per request and say the result is partial.
TEXT_SEARCH_SECONDS = 5.0

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
# report.html is written by sito and draws its charts with its own inline module script
REPORT_CSP = ("default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; "
              "img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
LOCAL_NAMES = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})


def safe_join(root: Path, rel: str) -> Path | None:
    """`root/rel` if it stays inside `root` (after resolving symlinks) and names a file; else None."""
    if not rel or "\x00" in rel or "\\" in rel or rel.startswith("/"):
        return None
    parts = rel.split("/")
    if any(p in ("", ".", "..") for p in parts):
        return None
    root_r = root.resolve()
    try:
        target = (root_r / rel).resolve()
    except (OSError, RuntimeError):
        return None
    if not target.is_relative_to(root_r) or not target.is_file():
        return None
    return target


class App:
    """The state behind the server: the output folder and its index."""

    def __init__(self, out_dir: str | Path, *, rebuild: bool = False, progress=None):
        self.index = Index(out_dir, rebuild=rebuild, progress=progress)
        self.out = self.index.out
        self.reader = RecordReader()
        self._text_cache: dict[tuple, tuple[np.ndarray, bool]] = {}
        self._lock = threading.Lock()

    @property
    def has_report(self) -> bool:
        return (self.out / "report.html").is_file()

    def params(self, qs: dict[str, list[str]]) -> dict[str, str]:
        return {k: qs[k][0][:500] for k in views.FILTERS if qs.get(k) and qs[k][0]}

    def matches(self, p: dict[str, str], need: int) -> tuple[np.ndarray, bool]:
        """Rows matching the filters; full-text search scans until `need` rows are found (cached)."""
        if p.get("text") and p.get("q"):
            cands = self.index.select(p.get("status", ""), p.get("reason", ""), p.get("language", ""),
                                      p.get("host", ""), "")
            key = tuple(sorted(p.items()))
            with self._lock:
                hit = self._text_cache.get(key)
            if hit is not None and (hit[1] or len(hit[0]) >= need):
                return hit
            found, complete = self.index.scan_text(cands, p["q"], need, TEXT_SEARCH_SECONDS)
            with self._lock:
                if len(self._text_cache) > 16:
                    self._text_cache.clear()
                self._text_cache[key] = (found, complete)
            return found, complete
        return self.index.select(p.get("status", ""), p.get("reason", ""), p.get("language", ""),
                                 p.get("host", ""), p.get("q", "")), True

    def list_html(self, qs: dict[str, list[str]]) -> str:
        p = self.params(qs)
        try:
            page_no = max(0, int(qs.get("page", ["0"])[0]))
        except ValueError:
            page_no = 0
        start = page_no * PAGE_SIZE
        rows, complete = self.matches(p, start + PAGE_SIZE + 1)
        sel = rows[start:start + PAGE_SIZE]
        recs = self.index.rows(sel)
        for r, g in zip(recs, sel.tolist()):
            r["_row"] = g
        p_out = dict(p)
        return views.list_page(out_name=str(self.out), total=len(self.index), has_report=self.has_report,
                               params=p_out, facets=self.index.facets, rows=recs, start=start,
                               matched=len(rows), complete=complete, page_size=PAGE_SIZE)

    def record(self, row: int) -> dict[str, Any] | None:
        shard, pos = self.index.locate(row)
        return self.reader.read(shard.path, pos)

    def doc_html(self, row: int, qs: dict[str, list[str]]) -> str:
        p = self.params(qs)
        idx = self.index.row(row)
        rec = self.record(row)
        pos: int | None = None
        try:
            pos = int(qs.get("pos", [""])[0])
        except ValueError:
            pos = None
        rows, complete = self.matches(p, (pos or 0) + 2)
        if pos is None or not (0 <= pos < len(rows)) or int(rows[pos]) != row:
            hits = np.flatnonzero(rows == row)
            pos = int(hits[0]) if len(hits) else None
        prev_href = next_href = None
        if pos is not None:
            if pos > 0:
                prev_href = f"/doc/{int(rows[pos - 1])}{views.query(p, pos=pos - 1)}"
            if pos + 1 < len(rows):
                next_href = f"/doc/{int(rows[pos + 1])}{views.query(p, pos=pos + 1)}"
            list_href = "/" + views.query(p, page=(pos // PAGE_SIZE) or None)
        else:
            list_href = "/" + views.query(p)
        return views.doc_page(out_name=str(self.out), total=len(self.index), has_report=self.has_report,
                              params=p, row=row, rec=rec, idx=idx, pos=pos,
                              matched=len(rows) if complete else max(len(rows), (pos or 0) + 1),
                              prev_href=prev_href, next_href=next_href, list_href=list_href)


def make_handler(app: App, bound_host: str):
    check_host = bound_host not in ("0.0.0.0", "::", "")

    class Handler(BaseHTTPRequestHandler):
        server_version = "sito-inspect"
        sys_version = ""
        quiet = True

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
            if not self.quiet:
                super().log_message(format, *args)

        def _send(self, code: int, body: bytes, ctype: str, csp: str | None = CSP) -> None:
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Referrer-Policy", "no-referrer")
            self.send_header("Cache-Control", "no-store")
            if csp:
                self.send_header("Content-Security-Policy", csp)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _html(self, code: int, text: str) -> None:
            self._send(code, text.encode("utf-8"), "text/html; charset=utf-8")

        def _error(self, code: int, message: str) -> None:
            self._html(code, views.error_page(code, message))

        def do_HEAD(self) -> None:  # noqa: N802 - stdlib name
            self.do_GET()

        def do_GET(self) -> None:  # noqa: N802 - stdlib name
            try:
                self._route()
            except (BrokenPipeError, ConnectionResetError):
                pass
            except Exception as exc:  # one bad request never stops the server
                try:
                    self._error(500, f"{type(exc).__name__}: {exc}")
                except OSError:
                    pass

        def _route(self) -> None:
            if check_host:
                hdr = self.headers.get("Host") or ""
                if hdr.startswith("["):
                    host = hdr.split("]")[0] + "]"
                else:
                    host = hdr.rsplit(":", 1)[0] if hdr.count(":") == 1 else hdr
                if host not in LOCAL_NAMES and host != bound_host:
                    self._error(403, "unexpected Host header")
                    return
            raw = self.path
            if "\x00" in raw:
                self._error(400, "bad request")
                return
            parts = urlsplit(raw)
            path = unquote(parts.path)
            qs = parse_qs(parts.query, keep_blank_values=False)
            if path == "/" or path == "/index.html":
                self._html(200, app.list_html(qs))
            elif path.startswith("/doc/") or path.startswith("/api/record/"):
                num = path.rsplit("/", 1)[1]
                if not (num.isascii() and num.isdigit() and len(num) <= 18) or int(num) >= len(app.index):
                    self._error(404, "no such document")
                    return
                row = int(num)
                if path.startswith("/doc/"):
                    self._html(200, app.doc_html(row, qs))
                else:
                    rec = app.record(row)
                    body = json.dumps(rec, ensure_ascii=False).encode("utf-8")
                    self._send(200 if rec is not None else 404, body, "application/json; charset=utf-8")
            elif path.startswith("/static/"):
                target = safe_join(STATIC_DIR, path[len("/static/"):])
                if target is None:
                    self._error(403 if ".." in path else 404, "not an inspector asset")
                    return
                self._file(target, csp=CSP)
            elif path.startswith("/files/"):
                rel = path[len("/files/"):]
                target = safe_join(app.out, rel)
                if target is None:
                    bad = ".." in rel.split("/") or rel.startswith("/") or "\\" in rel
                    self._error(403 if bad else 404, "only files inside the output folder are served")
                    return
                self._file(target, csp=REPORT_CSP if target.suffix == ".html" else CSP)
            else:
                self._error(404 if ".." not in path else 403, "not found")

        def _file(self, target: Path, csp: str | None) -> None:
            ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            if target.name.endswith((".jsonl", ".json")):
                ctype = "application/json"
            if ctype.startswith("text/") or ctype == "application/javascript":
                ctype += "; charset=utf-8"
            size = target.stat().st_size
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(size))
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Referrer-Policy", "no-referrer")
            if csp:
                self.send_header("Content-Security-Policy", csp)
            self.end_headers()
            if self.command != "HEAD":
                with open(target, "rb") as f:  # streamed: shards can be large
                    shutil.copyfileobj(f, self.wfile, 1 << 20)

    return Handler


def make_server(out_dir: str | Path, host: str = "127.0.0.1", port: int = 8700, *, rebuild: bool = False,
                progress=None) -> tuple[ThreadingHTTPServer, App]:
    """Build the index and a server bound to (host, port); port 0 picks a free port. Call `serve_forever()`."""
    app = App(out_dir, rebuild=rebuild, progress=progress)
    cls = _ThreadingHTTPServer6 if ":" in host else ThreadingHTTPServer   # ("::1", "::")
    server = cls((host.strip("[]"), port), make_handler(app, host))
    server.daemon_threads = True
    return server, app


class _ThreadingHTTPServer6(ThreadingHTTPServer):
    address_family = socket.AF_INET6

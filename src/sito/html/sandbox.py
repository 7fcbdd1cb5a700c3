"""A persistent child process that runs `extract_page` with a per-document time limit and a memory limit.

trafilatura's Python API has no timeout, and pathological pages take minutes or exhaust memory (trafilatura
issues #651, #657, #704). As in datatrove's `ExtractorSandbox`, the extraction runs in a long-lived worker
process (`worker.py`): the parent sends the page and waits at most `timeout_s` for the answer; on timeout the
worker is killed (and started again for the next page), so a hang becomes a `html:timeout` rejection instead of
a stuck run. A worker that dies (segfault, or killed at its address-space limit) becomes `html:crash`.

The worker is a fresh interpreter (`python -m sito.html.worker`, not a fork: no copy of the parent's threads,
locks or memory, and no re-import of the caller's main script) reused across documents, so its start-up
(importing trafilatura, about half a second) is paid once, not per page. Messages are length-prefixed bytes
(JSON header, raw page, JSON reply): nothing is pickled, so a hostile page cannot make either side run code.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import threading
import time
from typing import Any

from .errors import HtmlError
from .extract import DEFAULT_MAX_BYTES
from .frames import LEN as _LEN

DEFAULT_TIMEOUT_S = 30.0
STARTUP_TIMEOUT_S = 120.0  # a fresh interpreter importing trafilatura on a busy machine
DEFAULT_MEMORY_MB = 2048  # address-space limit of the worker; a 20 MB page parses in well under 1 GB


class _Timeout(Exception):
    pass


class Sandbox:
    """Runs `extract_page` in a reusable worker process. Use as a context manager or call `close()`. Threads may
    share one: their pages go through the worker one at a time (a Sandbox per thread runs them in parallel)."""

    def __init__(self, timeout_s: float = DEFAULT_TIMEOUT_S, memory_mb: int | None = DEFAULT_MEMORY_MB,
                 max_bytes: int = DEFAULT_MAX_BYTES):
        self.timeout_s = float(timeout_s)
        self.memory_mb = int(memory_mb or 0)
        self.max_bytes = int(max_bytes)
        self._proc: subprocess.Popen | None = None
        self.starts = 0
        self._lock = threading.Lock()   # one page at a time through the worker: threads may share a Sandbox

    # -- process management -------------------------------------------------------------------------------
    def _start(self) -> None:
        env = dict(os.environ)
        src = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        env["PYTHONPATH"] = src + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "sito.html.worker", "--memory-mb", str(self.memory_mb)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, close_fds=True,
        )
        self.starts += 1
        try:
            ready = self._read_frame(time.monotonic() + STARTUP_TIMEOUT_S)
        except (_Timeout, EOFError, OSError):
            ready = None
        except BaseException:
            # interrupted while starting (the run's per-document time limit, Ctrl-C): its "ready" is unread, and
            # the next request would take it for its reply — every later page getting the page before's article
            self._kill()
            raise
        if ready != b"ready":
            code = self._proc.poll()
            self._kill()
            raise HtmlError("html:crash", f"extraction worker did not start (exit code {code})", value=code)

    def _kill(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.kill()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:  # pragma: no cover
            pass
        for f in (proc.stdin, proc.stdout):
            try:
                f.close()
            except OSError:
                pass

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    # -- framing with a deadline --------------------------------------------------------------------------
    def _read_exact(self, n: int, deadline: float) -> bytes:
        fd = self._proc.stdout.fileno()
        chunks, got = [], 0
        while got < n:
            left = deadline - time.monotonic()
            if left <= 0:
                raise _Timeout
            r, _, _ = select.select([fd], [], [], left)
            if not r:
                raise _Timeout
            b = os.read(fd, min(n - got, 1 << 20))
            if not b:
                raise EOFError("worker closed its output")
            chunks.append(b)
            got += len(b)
        return b"".join(chunks)

    def _read_frame(self, deadline: float) -> bytes:
        (n,) = _LEN.unpack(self._read_exact(_LEN.size, deadline))
        return self._read_exact(n, deadline)

    def _write_frame(self, data: bytes) -> None:
        w = self._proc.stdin
        w.write(_LEN.pack(len(data)))
        w.write(data)
        w.flush()

    # -- API ----------------------------------------------------------------------------------------------
    def extract(self, html: str | bytes, url: str | None = None, *, charset: str | None = None,
                source: str = "gated") -> dict[str, Any]:
        """Like `extract_page`, in the worker; raises `HtmlError` (also `html:timeout` and `html:crash`)."""
        if not isinstance(html, (str, bytes, bytearray)):
            raise HtmlError("html:parse_error", f"expected str or bytes, got {type(html).__name__}")
        if len(html) > self.max_bytes:  # checked here too, so a huge page is never copied to the worker
            raise HtmlError("html:too_large", f"{len(html)} bytes", value=len(html), threshold=self.max_bytes)
        is_str = isinstance(html, str)
        page = html.encode("utf-8", "surrogatepass") if is_str else bytes(html)
        header = json.dumps({"url": url, "charset": charset, "is_str": is_str, "max_bytes": self.max_bytes,
                             "source": source}).encode()
        with self._lock:
            return self._request(header, page)

    def _request(self, header: bytes, page: bytes) -> dict[str, Any]:
        if self._proc is not None and self._proc.poll() is not None:
            self._kill()
        if self._proc is None:
            self._start()
        try:
            self._write_frame(header)
            self._write_frame(page)
            reply = self._read_frame(time.monotonic() + self.timeout_s)
            res = json.loads(reply)
        except _Timeout:
            self._kill()
            raise HtmlError("html:timeout", f"no result after {self.timeout_s:g} s", value=self.timeout_s,
                            threshold=self.timeout_s) from None
        except (EOFError, OSError, ValueError) as exc:
            code = self._proc.poll() if self._proc is not None else None
            if code is None and self._proc is not None:
                try:
                    code = self._proc.wait(2)
                except subprocess.TimeoutExpired:
                    pass
            self._kill()
            raise HtmlError("html:crash", f"extraction worker died ({type(exc).__name__}, exit code {code})",
                            value=code) from None
        except BaseException:
            # interrupted mid-request (the run's per-document time limit, Ctrl-C): the worker still holds this
            # page, so it is stopped, never reused with a reply that belongs to another document
            self._kill()
            raise
        if "error" in res:
            raise HtmlError.from_dict(res["error"])
        return res["ok"]

    def close(self) -> None:
        with self._lock:
            if self._proc is not None and self._proc.poll() is None:
                try:
                    self._write_frame(b"stop")
                    self._proc.wait(2)
                except (OSError, ValueError, subprocess.TimeoutExpired):
                    pass
            self._kill()

    def __enter__(self) -> "Sandbox":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self):  # pragma: no cover - best effort when the owner forgot close()
        try:
            self._kill()
        except Exception:
            pass

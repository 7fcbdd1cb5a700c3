"""The extraction worker process (`python -m sito.html.worker`), driven by `sandbox.Sandbox` over its stdin/stdout.

Protocol, both directions: frames of an 8-byte big-endian length followed by that many bytes. A request is two
frames — a JSON header ({url, charset, is_str, max_bytes, source}) and the raw page — and the reply is one JSON
frame, {"ok": extract_page result} or {"error": HtmlError fields}. A header frame `stop` ends the worker. Nothing
is pickled. The worker caps its own address space (`--memory-mb`), so a page that would exhaust memory kills
only the worker, which the parent reports as `html:crash` and replaces.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import sys

from .frames import read_frame, write_frame

def _limit_memory(memory_mb: int) -> None:
    if memory_mb <= 0:
        return
    try:
        import resource

        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):  # not available here: the time limit still applies
        pass


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    memory_mb = int(argv[argv.index("--memory-mb") + 1]) if "--memory-mb" in argv else 0
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when the worker ends
    # the protocol owns the real stdout; anything a library prints goes to stderr instead
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    inp = os.fdopen(os.dup(0), "rb")
    for name in ("trafilatura", "htmldate", "courlan", "justext", "charset_normalizer"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    _limit_memory(memory_mb)

    from .errors import HtmlError
    from .extract import DEFAULT_MAX_BYTES, extract_page

    write_frame(out, b"ready")
    while True:
        header = read_frame(inp)
        if header is None or header == b"stop":
            return 0
        page = read_frame(inp)
        if page is None:
            return 0
        req = json.loads(header)
        html: str | bytes = page.decode("utf-8", "surrogatepass") if req.get("is_str") else page
        try:
            res = {"ok": extract_page(html, req.get("url"), charset=req.get("charset"),
                                      max_bytes=req.get("max_bytes", DEFAULT_MAX_BYTES),
                                      source=req.get("source", "gated"))}
        except HtmlError as exc:
            res = {"error": exc.as_dict()}
        except MemoryError:
            res = {"error": {"code": "html:too_large", "detail": "out of memory while parsing",
                             "threshold": memory_mb}}
        except RecursionError:
            res = {"error": {"code": "html:parse_error", "detail": "nesting too deep"}}
        except Exception as exc:  # any other failure of the libraries on this page
            res = {"error": {"code": "html:parse_error", "detail": f"{type(exc).__name__}: {exc}"[:300]}}
        del html, page
        try:
            write_frame(out, json.dumps(res, ensure_ascii=False).encode("utf-8", "surrogatepass"))
        except (BrokenPipeError, OSError):
            return 0


if __name__ == "__main__":
    sys.exit(main())

"""`sito inspect OUT`: a local web app to browse an output folder — filter the documents, read one line by line.

The list filters by status (kept / rejected), rejection reason, language, site and a search in title / URL / id
(or, on request, in the full text), with paging; it runs on a small on-disk index (`OUT/.sito-index/`, see
`index.py`) so it stays fast on millions of documents. The document view shows every original line coloured by
role, removed lines struck through with their reason on hover, and the structured fields (title, lead, quotes
with speakers, headings, captions, credits, related). j / k move between documents. Standard-library HTTP
server, bound to 127.0.0.1 by default; it serves only its own assets and files inside the output folder. A
folder without any shard is refused (a mistyped path), not served empty.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..report.records import list_shards
from .index import Index
from .server import App, make_server

__all__ = ["main", "make_server", "App", "Index"]


def main(argv: list[str] | None = None) -> int:
    """`sito inspect OUT [--port 8700] [--host 127.0.0.1] [--rebuild-index]`; returns the exit code."""
    ap = argparse.ArgumentParser(prog="sito inspect", description="Browse a sito output folder in the browser.")
    ap.add_argument("out", help="output folder written by `sito clean -o OUT`")
    ap.add_argument("--port", type=int, default=8700, help="port to listen on (0: any free port; default 8700)")
    ap.add_argument("--host", default="127.0.0.1",
                    help="address to bind (default 127.0.0.1: this machine only; 0.0.0.0 exposes it to the network)")
    ap.add_argument("--rebuild-index", action="store_true", help="index every shard again")
    args = ap.parse_args(argv)
    if Path(args.out).is_dir() and not list_shards(args.out):
        print(f"sito inspect: nothing to show in {args.out} (no shards in kept/ or rejected/: not a sito output "
              "folder?)", file=sys.stderr)
        return 2
    try:
        server, app = make_server(args.out, args.host, args.port, rebuild=args.rebuild_index,
                                  progress=lambda msg: print(msg, file=sys.stderr))
    except FileNotFoundError as exc:
        print(f"sito inspect: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"sito inspect: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 2
    host, port = server.server_address[:2]
    shown = f"[{host}]" if ":" in str(host) else host
    print(f"sito inspect: {len(app.index):,} documents in {app.out}")
    print(f"open http://{shown}:{port}/  (Ctrl-C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0

"""Reading speed of a per-record .warc.gz (Common Crawl's layout) built from every dev page, and whether two
versions of sito read the same documents from it.

The WARC holds one HTTP 200 response record per page of ../shared/data/dev (1,953 pages, ~80 MB compressed). Each
version (this checkout, and with `--against OLD/src` another source tree, e.g. `git archive <rev> src`) reads it in
its own process `--repeat` times; the best CPU time is reported with a digest of the ids and payloads read.

Run: nice .venv/bin/python benchmarks/bench_warc.py [--against OLD/src] [--repeat 3]
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tempfile
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"

_READ = """
import hashlib, sys, time
from sito.io import ReadOptions, detect_format, plan_slices, read_slice
path, repeat = sys.argv[1], int(sys.argv[2])
best = None
for _ in range(repeat):
    t = time.process_time()
    docs = [d for sl in plan_slices(path, detect_format(path)) for d in read_slice(sl, ReadOptions())]
    best = min(best or 1e9, time.process_time() - t)
h = hashlib.sha1(b"".join((d.id or "").encode() + (d.html or b"") for d in docs)).hexdigest()[:12]
print(len(docs), sum(d.rejection is None for d in docs), f"{best:.3f}", h)
"""


def build(path: Path) -> int:
    import logging

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    sys.path.insert(0, str(SRC))
    from sito.clean.labels import dev_pages
    from sito.devdata import SETS

    logging.getLogger("warcio").setLevel(logging.ERROR)
    n = 0
    with open(path, "wb") as f:
        w = WARCWriter(f, gzip=True)
        for p in dev_pages(SETS, split="all"):
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            w.write_record(w.create_warc_record((p.url or "http://example.org/").replace(" ", "%20"), "response",
                                                payload=io.BytesIO(p.html_bytes()), http_headers=http))
            n += 1
    return n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--against", help="another sito source tree (its src folder) to read the same file")
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "dev.warc.gz"
        n = build(path)
        print(f"{n} records, {path.stat().st_size / 2**20:.1f} MB")
        trees = [("this checkout", SRC)] + ([("against", Path(a.against))] if a.against else [])
        for _ in range(2):   # (each version twice, taking turns)
            for name, src in trees:
                out = subprocess.run([sys.executable, "-c", _READ, str(path), str(a.repeat)], capture_output=True,
                                     text=True, env={"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin"}, check=True)
                docs, kept, cpu, digest = out.stdout.split()
                print(f"{name:14} documents {docs} kept {kept}  CPU {cpu} s  ({int(docs) / float(cpu):,.0f} records/s)"
                      f"  digest {digest}")


if __name__ == "__main__":
    main()

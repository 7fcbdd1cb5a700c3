"""`sito report`: one self-contained HTML file that shows what a run kept, removed and why.

`write_report(out_dir)` reads `OUT/stats.json` and streams every record of `OUT/kept/` and `OUT/rejected/` once,
then writes `OUT/report.html` (or `path`): the funnel, rejection reasons, removed lines by role and reason,
languages, sites, length histograms before and after, each quality statistic with its threshold, the most
frequent removed lines, duplicate-cluster sizes and the slowest steps. Charts are Vega-Lite (built with altair)
and drawn by the Vega libraries inlined in the page, so the file opens offline. The command refuses a folder
with neither `stats.json` nor a shard (a mistyped path); `write_report` reports an empty folder as empty.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..io.atomic import write_text
from .collect import Collected, collect
from .page import build_html
from .records import list_shards

__all__ = ["write_report", "main", "collect", "Collected"]


def write_report(out_dir: str | Path, path: str | Path | None = None) -> Path:
    """Write the report of output folder `out_dir` to `path` (default `OUT/report.html`) and return its path.

    Raises FileNotFoundError if `out_dir` is not a folder. The file is written under a temporary name and then
    renamed, so a reader never sees half a report.
    """
    out = Path(out_dir)
    if not out.is_dir():
        raise FileNotFoundError(f"output folder not found: {out}")
    target = Path(path) if path is not None else out / "report.html"
    page = build_html(out, collect(out))
    write_text(target, page)
    return target


def main(argv: list[str] | None = None) -> int:
    """`sito report OUT [-o report.html]`; returns the exit code."""
    ap = argparse.ArgumentParser(prog="sito report", description="Write an HTML report of a sito output folder.")
    ap.add_argument("out", help="output folder written by `sito clean -o OUT`")
    ap.add_argument("-o", "--output", help="where to write the report (default: OUT/report.html)")
    args = ap.parse_args(argv)
    out = Path(args.out)
    if out.is_dir() and not (out / "stats.json").is_file() and not list_shards(out):
        print(f"sito report: {out} is not a sito output folder (no stats.json, nothing in kept/ or rejected/)",
              file=sys.stderr)
        return 2
    try:
        target = write_report(args.out, args.output)
    except FileNotFoundError as exc:
        print(f"sito report: {exc}", file=sys.stderr)
        return 2
    print(f"report written: {target}")
    return 0

"""The `sito` command: clean | report | inspect | train | eval | eval-quotes | steps — a thin layer over config
and the API.

Errors a user can fix (a bad flag, a missing input, a wrong config key) print one line and exit with status 2;
a run that fails (a task failing repeatedly) exits with 1; no traceback unless `--debug` is given.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import signal
import sys
import threading
from typing import Sequence

from . import __version__
from .errors import ConfigError, SitoError, TaskError

CLEAN_DESCRIPTION = """\
Clean scraped web pages into articles and a filtered corpus.

INPUT can be files, folders (read recursively) or glob patterns, in any of these formats:
  .txt/.text (one page per file), .jsonl/.json/.ndjson (one document per line), .parquet/.pq,
  .html/.htm/.xhtml (one page per file), .warc/.warc.gz (Common Crawl WARC), .wet/.warc.wet.gz,
  each optionally compressed: .gz/.gzip .zst/.zstd .bz2 .xz.

Every input document ends in OUT/kept/ or in OUT/rejected/ with a reason; OUT/stats.json counts them
(read == kept + rejected) and OUT/report.html shows the run.

examples:
  sito clean examples/pl_news_scraped.txt -o out/example
  sito clean crawl/*.warc.gz -o out/crawl --preset fineweb2 --workers 8
  sito clean data.jsonl.zst -o out/data --text-field content --format parquet
  sito clean data.jsonl.zst -o out/data --resume        # continue an interrupted run
"""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (and the exit status 2)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _clean_parser(sub) -> None:
    p = sub.add_parser("clean", help="clean pages into articles and a filtered corpus",
                       description=CLEAN_DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="input files, folders or glob patterns")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="output folder (created; must be empty "
                   "unless --resume or --overwrite)")
    p.add_argument("--config", metavar="sito.toml", help="configuration file; flags override it")
    p.add_argument("--preset", help="pipeline preset: news (default: line cleaning, language ID, FineWeb-2's "
                   "per-language quality filters), fineweb (English FineWeb filters), fineweb2 (FineWeb-2: "
                   "language ID, per-language filters, e-mail and IP masking), none (cleaning only); "
                   "deduplication runs after any preset unless --no-dedup")
    p.add_argument("-w", "--workers", type=int, help="worker processes (default: all cores)")
    p.add_argument("--format", choices=["jsonl", "parquet"], help="output format (default: jsonl)")
    p.add_argument("--compression", choices=["gz", "zst", "none"], help="JSONL compression (default: gz)")
    p.add_argument("--docs-per-shard", type=int, metavar="N", help="documents per output file (default: 10000)")
    p.add_argument("--title-in-text", action="store_true", default=None,
                   help="put the article title first in `text` (for corpora that want it)")
    p.add_argument("--explain-raw", action="store_true", default=None,
                   help="record in metadata.raw_check which filter each page's raw, uncleaned form would fail")
    p.add_argument("--text-field", help="JSONL/Parquet field holding the text (default: text)")
    p.add_argument("--id-field", help="JSONL/Parquet field holding the id (default: id)")
    p.add_argument("--url-field", help="JSONL/Parquet field holding the URL (default: url)")
    p.add_argument("--resume", action="store_true", help="continue an interrupted run: finished tasks are kept, "
                   "unfinished ones are redone from scratch")
    p.add_argument("--overwrite", action="store_true", help="replace an earlier sito output in OUT")
    p.add_argument("--executor", choices=["local", "ray"], help="where tasks run (default: local processes)")
    p.add_argument("--ray-address", metavar="ADDRESS", help="Ray cluster to join (default: start a local one)")
    p.add_argument("--no-dedup", action="store_true", help="skip duplicate removal")
    p.add_argument("--no-report", action="store_true", help="do not write OUT/report.html")
    p.add_argument("--no-progress", action="store_true", help="no live progress bar")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")


def _forward(sub, name: str, help_: str) -> None:
    p = sub.add_parser(name, help=help_, add_help=False)
    p.add_argument("args", nargs=argparse.REMAINDER)


_FORWARDED = {
    "report": ("sito.report", "write the HTML report of an output folder"),
    "inspect": ("sito.inspect", "browse an output folder in a local web app"),
    "train": ("sito.clean.train", "rebuild the line-role model from labelled pages"),
    "eval": ("sito.evaluate.run", "score sito against reference articles (dev sets)"),
    "eval-quotes": ("sito.evaluate.quotes", "score the quotations and speakers against annotated paragraphs"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="sito", description="sito — turn scraped web pages into clean, structured articles and "
                     "curated text corpora.")
    parser.add_argument("--version", action="version", version=f"sito {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    _clean_parser(sub)
    for name, (_, help_) in _FORWARDED.items():
        _forward(sub, name, help_)
    sub.add_parser("steps", help="list the registered pipeline steps and presets",
                   description="List the registered pipeline steps (name.vN, for [[steps]] in a config file) and "
                               "the steps of each preset, in order.")
    return parser


def _cmd_clean(a: argparse.Namespace) -> int:
    from .config import load_config
    from .executors.run import run

    run_over = {
        "workers": a.workers, "format": a.format, "compression": a.compression, "docs_per_shard": a.docs_per_shard,
        "preset": a.preset, "title_in_text": a.title_in_text, "explain_raw": a.explain_raw, "executor": a.executor, "ray_address": a.ray_address,
    }
    if a.no_dedup:
        run_over["dedup"] = False
    if a.no_report:
        run_over["report"] = False
    input_over = {"text_field": a.text_field, "id_field": a.id_field, "url_field": a.url_field}
    cfg = load_config(a.config, {"run": run_over, "input": input_over})
    logger = logging.getLogger("sito")
    level = logger.level
    if a.quiet:   # (warnings too: "skipped 2 file(s) of an unsupported type")
        logger.setLevel(logging.ERROR)
    try:
        run(a.inputs, a.output, cfg, resume=a.resume, overwrite=a.overwrite,
            progress=False if a.no_progress else None, quiet=a.quiet)
    finally:
        logger.setLevel(level)
    return 0


def _cmd_steps() -> int:
    from .config import preset_steps, step_registry

    for name, cls in sorted(step_registry().items()):
        doc = (cls.__doc__ or "").strip().splitlines()
        print(f"{name:28s} {doc[0] if doc else ''}")
    try:
        from .filters.presets import PRESETS
        names = ["none", *PRESETS]
    except ImportError:
        names = ["none", "news"]
    print()
    for preset in names:
        print(f"preset {preset}: " + " → ".join(s.name for s in preset_steps(preset)))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    if argv and argv[0] in _FORWARDED:  # its own parser reads all the rest, --help included
        a = argparse.Namespace(command=argv[0], args=argv[1:], debug=False)
    elif len(argv) > 1 and argv[0] == "--debug" and argv[1] in _FORWARDED:
        a = argparse.Namespace(command=argv[1], args=argv[2:], debug=True)
    else:
        late = "--debug" in argv[1:] and argv[0] != "--debug"   # ("sito clean … --debug", as the hint reads)
        a = parser.parse_args([x for x in argv if x != "--debug"] if late else argv)
        a.debug = a.debug or late
    if a.command is None:
        parser.print_help()
        return 2
    previous = _stop_on_sigterm()
    try:
        if a.command == "clean":
            return _cmd_clean(a)
        if a.command == "steps":
            return _cmd_steps()
        module, _ = _FORWARDED[a.command]
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name and module.startswith(exc.name):
                raise ConfigError(f"`sito {a.command}` is not available in this installation") from None
            raise
        rest = a.args
        return int(mod.main(rest) or 0)
    except KeyboardInterrupt:
        print("sito: interrupted (finished tasks are kept; continue with --resume)", file=sys.stderr)
        return 130
    except (SitoError, ValueError, OSError) as exc:
        if a.debug:
            raise
        code = 1 if isinstance(exc, TaskError) else 2
        msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        print(f"sito: error: {msg}", file=sys.stderr)
        return code
    except Exception as exc:  # a bug: one line, the traceback with --debug
        if a.debug:
            raise
        print(f"sito: internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback)", file=sys.stderr)
        return 1
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _stop_on_sigterm():
    """SIGTERM (kill, timeout, a batch system's stop) ends a run as Ctrl-C does: workers are stopped, finished
    tasks kept for --resume (by default SIGTERM ended this process alone and left its workers running)."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def stop(signum, frame):
        raise KeyboardInterrupt

    return signal.signal(signal.SIGTERM, stop)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

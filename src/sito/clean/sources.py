"""Turning a dev page's HTML into the two kinds of text the cleaner reads, with an on-disk cache.

- full-page text: inscriptis on the whole page (menus, footers and all), the way a naive scraper sees it;
- extractor output: trafilatura's main-text extraction with the settings in `TRAFILATURA_SETTINGS`;
- the HTML path's lines (`html_extraction`): what `sito.html.extract_page` gives `clean_html`'s cleaner — the
  lines of its default combination of trafilatura calls, each with its DOM hints.

All are slow compared with the cleaner itself, so `sito train` and `sito eval` cache them under
`$SITO_CACHE` (default `~/.cache/sito`), keyed by the xxh64 of the page bytes and the conversion settings; the
cache is never part of the package. The HTML is parsed once with trafilatura's `load_html` so that both
conversions see the same document tree. Its decoding differs from `clean_html`'s (`sito.html.decode`) on 4 of
the 1,953 dev pages, all in the train split: three German pages in windows-1252 read as Latin-1 (the C1 controls
\x84 \x93 \x85 for „ “ …) and a Polish one in ISO-8859-2 read as another charset ("dziesi±tej"). The shipped model
was trained on these conversions; decoding them as `clean_html` does changes its training data and waits for a
retrain that is judged out of fold anyway.
"""

from __future__ import annotations

import functools
import gzip
import json
import os
from pathlib import Path

import xxhash

from ..html.extract import TRAFILATURA_DEFAULT_OPTIONS, TRAFILATURA_OPTIONS
from ..io.atomic import atomic_write, write_text

# "Extractor output" is what the HTML path's recall-tuned trafilatura call returns, as text; the side-by-side
# comparison uses trafilatura's own defaults. Both settings live in `sito.html.extract`.
TRAFILATURA_SETTINGS = dict(TRAFILATURA_OPTIONS, output_format="txt")
TRAFILATURA_DEFAULT_SETTINGS = TRAFILATURA_DEFAULT_OPTIONS
_VERSION = "1"
KINDS = ("fulltext", "extractor", "trafilatura_default", "fulltext-flat")


def cache_dir() -> Path:
    return Path(os.environ.get("SITO_CACHE") or Path.home() / ".cache" / "sito") / "convert"


def _key(kind: str, data: bytes) -> str:
    settings = {"extractor": json.dumps(TRAFILATURA_SETTINGS, sort_keys=True),
                "trafilatura_default": json.dumps(TRAFILATURA_DEFAULT_SETTINGS, sort_keys=True)}.get(kind, "inscriptis")
    return xxhash.xxh64_hexdigest(data + f"\0{kind}\0{settings}\0{_VERSION}".encode())


def fulltext(html: bytes | str) -> str:
    """The whole page as text (inscriptis, links and images not shown)."""
    from inscriptis import Inscriptis
    from inscriptis.model.config import ParserConfig
    from trafilatura import load_html

    tree = load_html(html)
    if tree is None:
        return ""
    return Inscriptis(tree, ParserConfig(display_links=False, display_images=False)).get_text()


def extractor(html: bytes | str) -> str:
    """trafilatura's main text of the page ("" when it finds none)."""
    import trafilatura

    return trafilatura.extract(html, **TRAFILATURA_SETTINGS) or ""


def convert(kind: str, html: bytes, *, use_cache: bool = True) -> str:
    """`fulltext` or `extractor` text of a page, from the cache when it is there. "fulltext-flat" is the
    full-page text with each line's indentation removed: a scraper's text that keeps no layout."""
    if kind not in KINDS:
        raise ValueError(f"unknown conversion {kind!r}; known: {', '.join(KINDS)}")
    if kind == "fulltext-flat":
        return "\n".join(s.lstrip() for s in convert("fulltext", html, use_cache=use_cache).splitlines())
    path = cache_dir() / kind / (_key(kind, html) + ".txt")
    if use_cache and path.exists():
        return path.read_text("utf-8")
    if kind == "trafilatura_default":
        import trafilatura

        text = trafilatura.extract(html, **TRAFILATURA_DEFAULT_SETTINGS) or ""
    else:
        text = fulltext(html) if kind == "fulltext" else extractor(html)
    if use_cache:
        write_text(path, text)
    return text


# the HTML path's cache entries are keyed by the code that makes them too, so that a change to it (or going back to
# an earlier version) never reads lines another version of the code extracted
_HTML_CODE = ("html/extract.py", "html/hints.py", "html/decode.py", "html/parse.py", "html/metadata.py",
              "pagetype.py")


@functools.lru_cache(maxsize=1)
def _html_code_version() -> str:
    root = Path(__file__).resolve().parent.parent
    return xxhash.xxh64_hexdigest(b"".join((root / f).read_bytes() for f in _HTML_CODE))


def html_extraction(html: bytes, url: str | None = None, *, threads: bool = True, use_cache: bool = True) -> dict:
    """The HTML path's lines of a page, as `clean_html` reads them by default: {"lines", "hints", "source",
    "title"} (and "fallback"; "title" is the page's metadata title) from `sito.html.extract_page` (its default
    `source`; `threads=False`: a discussion thread's trafilatura lines, not its whole page), or {"error": code}
    for a page it rejects. Cached."""
    from ..html.extract import SECOND_CALL_BELOW, extract_page

    tag = json.dumps([TRAFILATURA_SETTINGS, TRAFILATURA_DEFAULT_SETTINGS, SECOND_CALL_BELOW, url,
                      _html_code_version(), threads], sort_keys=True)
    path = cache_dir() / "html" / (xxhash.xxh64_hexdigest(html + b"\0" + tag.encode()) + ".json.gz")
    if use_cache and path.exists():
        with gzip.open(path, "rt", encoding="utf-8") as f:
            return json.load(f)
    from ..html import HtmlError

    try:
        ex = extract_page(html, url, threads=threads)
        out = {k: ex[k] for k in ("lines", "hints", "source", "fallback") if k in ex}
        out["title"] = (ex.get("metadata") or {}).get("title")
    except HtmlError as e:
        out = {"error": e.code}
    if use_cache:
        with atomic_write(path) as raw, gzip.open(raw, "wt", encoding="utf-8") as f:
            json.dump(out, f)
    return out

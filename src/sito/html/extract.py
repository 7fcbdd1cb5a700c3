"""One page's HTML to candidate text lines with per-line DOM hints and page metadata (the part that can hang).

This is what runs inside the sandboxed worker (`sandbox.py`), or in-process for `clean_html`: decode the bytes
(`decode.py`), parse once with the safe parser (`parse.py`), and reuse that one tree for

- trafilatura tuned for recall (`bare_extraction`, favor_recall, comments off), and — when its output is short
  (under `SECOND_CALL_BELOW` characters: the pages where recall mode tends to keep only one part, such as
  forums and listings), or on every page with `extractors="both"` — with its default settings too (`extract`:
  balanced, comments on), both with deduplicate, links and images off. With two outputs, the longer of the two
  (the default output only when it is over `DEFAULT_LONGER` times longer) gives the lines, and each line is
  marked with whether the OTHER setting also kept it (`in_extractor`): text both settings agree on is almost
  always article, text only one of them found is the doubtful part the cleaner must judge. With one output, its
  lines are read as an extractor's output (the cleaner's "extracted" mode). Why this combination, measured on
  the dev TRAIN split: the second call helps where the recall-tuned output is short, and on other pages it
  mostly adds comments the article does not have (docs/html.md); calling it only there costs about a seventh
  of a trafilatura call per page instead of a whole one;
- trafilatura's metadata rules (`metadata.py`: title, author, sitename, description; htmldate dates);
- the DOM walk that gives every line its structural hints (`hints.py`);
- inscriptis' full-page text, only when trafilatura's output is tiny (fewer than `MIN_EXTRACTOR_CHARS`); that
  tiny output is returned too, as the fallback when the cleaner keeps nothing of the full page;
- for a discussion thread (its URL, the canonical URL it declares or its schema.org type says so:
  `sito.pagetype`), the full-page text instead of trafilatura's lines, which hold only part of the posts
  (source "thread"; trafilatura's recall-tuned output marks `in_extractor` and is the fallback, and the second
  call is not made).

trafilatura and inscriptis read the tree inside `parse.EntitiesAsShown`, so that a page showing "&lt;p&gt;"
gives "&lt;p&gt;", not "<p>" (both unescape text that lxml has already decoded).

The result is a plain JSON-able dict, so the worker can send it back without pickling.
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections import Counter
from typing import Any

from ..document import MAX_LINES
from ..pagetype import declares_thread, is_thread_url
from .decode import decode_html
from .errors import HtmlError
from .hints import BlockMap, norm
from .figures import figure_captions
from .metadata import declared_url, page_metadata
from .parse import EntitiesAsShown, parse_html, shows_entities

DEFAULT_MAX_BYTES = 20_000_000  # pages above 20 MB are rejected before parsing (html:too_large)

# Below this many characters of trafilatura output the page is read from its full text instead.
# Chosen on the dev TRAIN split among 0/100/250/500/1000 (benchmarks/bench_html.py --quality --split train):
# 1000 had the best sum of per-set scores; see docs/html.md.
MIN_EXTRACTOR_CHARS = 1000

# The default output replaces the recall-tuned one when it has more than this share of its characters: on the
# dev TRAIN split, trafilatura's recall mode sometimes keeps only one part of a forum thread, listing or service
# page, which its default settings (with comments) return whole (docs/html.md).
DEFAULT_LONGER = 1.1

# The trafilatura calls. deduplicate must stay off: its cache is process-wide, so a page's output would depend on
# the pages extracted before it (trafilatura issue #778).
TRAFILATURA_OPTIONS = dict(
    favor_recall=True,
    deduplicate=False,
    include_comments=False,
    include_tables=True,
    include_images=False,
    include_links=False,
    with_metadata=False,  # metadata comes from metadata.py on the same tree (trafilatura's rules, fewer scans)
)
# trafilatura with its own defaults (balanced, comments and tables included, no images or links, text output;
# deduplicate is off by default): the second call of the HTML path, and the baseline sito is compared with
TRAFILATURA_DEFAULT_OPTIONS = dict(deduplicate=False, output_format="txt")


# trafilatura's default-settings call is made only when the recall-tuned output has fewer characters than this
# (source "gated", the default): where recall mode keeps only one part of a page (forums, listings, service
# pages), its output is short. Chosen on the dev TRAIN split among 500-5000 (benchmarks/bench_second_call.py,
# docs/html.md): the call is made on 15% of the pages, with about the scores of making it on every page.
SECOND_CALL_BELOW = 1500

# The `extractors` option of clean_html / html.v1 -> extract_page's `source`: the recall-tuned call, plus the
# default-settings one when the first output is short (the default); both calls on every page; the recall-tuned
# call only.
EXTRACTORS = {"auto": "gated", "both": "auto", "recall": "recall"}


# the start of files that are not HTML (image, PDF, archive, font, media, executable), and what they are
_BINARY_MAGIC = {b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image", b"GIF87a": "a GIF image",
                 b"GIF89a": "a GIF image", b"%PDF-": "a PDF", b"PK\x03\x04": "a ZIP archive (or an office document)",
                 b"\x1f\x8b": "a gzip file", b"RIFF": "a RIFF file (WebP, WAV, AVI)", b"wOFF": "a web font",
                 b"wOF2": "a web font", b"\x7fELF": "an ELF executable", b"\xd0\xcf\x11\xe0": "an OLE document",
                 b"OggS": "an Ogg file", b"ID3": "an MP3 file", b"\x00\x00\x01\x00": "an icon",
                 b"\x00\x00\x00\x18ftyp": "a media file", b"\x00\x00\x00\x1cftyp": "a media file",
                 b"\x00\x00\x00\x20ftyp": "a media file"}
# decoded text with this share of control characters (not tab, line breaks, form feed) or U+FFFD in its first
# BINARY_SAMPLE characters is binary data read as text, not a page
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]").findall
BINARY_SAMPLE = 4096
BINARY_SHARE = 0.05


def source_for(extractors: str) -> str:
    if extractors not in EXTRACTORS:
        raise ValueError(f"extractors must be one of {sorted(EXTRACTORS)}, got {extractors!r}")
    return EXTRACTORS[extractors]


def fulltext_lines(tree, shown: EntitiesAsShown | None = None) -> list[str]:
    """The whole page as text lines, rendered by inscriptis (links and images not shown); `shown`: the page's
    `EntitiesAsShown`, when the caller has it."""
    from inscriptis import Inscriptis
    from inscriptis.model.config import ParserConfig

    with shown if shown is not None else EntitiesAsShown(tree):
        return Inscriptis(tree, ParserConfig(display_links=False, display_images=False)).get_text().splitlines()


def extract_page(html: str | bytes, url: str | None = None, *, charset: str | None = None,
                 max_bytes: int = DEFAULT_MAX_BYTES, min_extractor_chars: int = MIN_EXTRACTOR_CHARS,
                 source: str = "gated", threads: bool = True) -> dict[str, Any]:
    """Decode, parse and extract one page. `source`: "gated" (trafilatura tuned for recall, and with its default
    settings too when that output is shorter than `SECOND_CALL_BELOW`; full text when tiny), "auto" (trafilatura
    with both settings on every page, full text when tiny), "recall" (trafilatura tuned for recall only — one call
    instead of two —, full text when tiny),
    "extractor", "fulltext". Returns {lines, hints, source, encoding, metadata, figures, seconds} (and, with source
    "fulltext", `fallback`: trafilatura's short output as {lines, hints} when it has any text), `source` being
    "extractor" (the recall-tuned output), "extractor_default" (trafilatura's default output), "extractor_recall"
    (the recall-tuned output, the default one not computed), "fulltext" or "thread" (the full-page text of a
    discussion thread, with "gated", "auto" or "recall" and a thread's URL or markup: `sito.pagetype`;
    `threads=False` reads threads as any other page); raises `HtmlError`."""
    import trafilatura

    t0 = time.perf_counter()
    if not isinstance(html, (str, bytes, bytearray)):
        raise HtmlError("html:parse_error", f"expected str or bytes, got {type(html).__name__}")
    size = len(html)
    if size > max_bytes:
        raise HtmlError("html:too_large", f"{size} bytes", value=size, threshold=max_bytes)
    if isinstance(html, (bytes, bytearray)):
        kind = next((k for m, k in _BINARY_MAGIC.items() if html.startswith(m)), None)
        if kind is not None:
            raise HtmlError("html:binary", f"not HTML: the bytes start as {kind} does")
        text, encoding = decode_html(bytes(html), charset)
    else:
        text, encoding = html, None
    odd = len(_CONTROL(text[:BINARY_SAMPLE]))
    if odd > BINARY_SHARE * min(len(text), BINARY_SAMPLE):
        raise HtmlError("html:binary", f"not text: {odd} control or undecodable characters in the first "
                        f"{min(len(text), BINARY_SAMPLE)}", value=odd)
    tree = parse_html(text)
    shown = EntitiesAsShown(tree, shows_entities(text))
    del text

    try:
        with shown:
            doc = trafilatura.bare_extraction(tree, url=url, **TRAFILATURA_OPTIONS)
    except Exception:  # trafilatura (or lxml under it) fails on some trees, e.g. b"<SVG>": use the full text
        doc = None
    ext_text = unicodedata.normalize("NFC", doc.text or "") if doc is not None else ""
    ext_lines = [ln for ln in ext_text.splitlines()]
    n_chars = sum(len(ln.strip()) for ln in ext_lines)
    if threads and source in ("gated", "auto", "recall") and (
            is_thread_url(url or declared_url(tree)) or declares_thread(tree)):
        source = "thread"  # a discussion thread: its posts are the article, read from the whole page
    elif source == "gated":  # a short recall-tuned output gets the second call, a long one is read alone
        source = "auto" if n_chars < SECOND_CALL_BELOW else "recall"
    def_lines: list[str] = []
    if source in ("auto", "extractor"):  # ("both", for the benchmark, reads the recall-tuned output only)
        try:
            with shown:
                def_text = trafilatura.extract(tree, url=url, **TRAFILATURA_DEFAULT_OPTIONS) or ""
            def_lines = unicodedata.normalize("NFC", def_text).splitlines()
        except Exception:  # same failures as above: the recall-tuned output (or the full text) is used
            def_lines = []
    n_def = sum(len(ln.strip()) for ln in def_lines)

    blocks = BlockMap(tree)
    if source == "both":  # for measuring the combinations (benchmarks/bench_html.py): both texts, one parse
        full = fulltext_lines(tree, shown)
        lines, used = ext_lines, "extractor"
        out_both = {"extractor": (ext_lines, _hints(ext_lines, blocks, None)),
                    "fulltext": (full, _hints(full, blocks, ext_lines))}
    elif source == "thread":  # (a thread whose whole page has no text keeps trafilatura's lines, if any)
        full = fulltext_lines(tree, shown)
        lines, used = (full, "thread") if any(ln.strip() for ln in full) else (ext_lines, "extractor_recall")
    elif source != "fulltext" and n_def > n_chars * DEFAULT_LONGER and n_def >= min_extractor_chars:
        lines, used = def_lines, "extractor_default"
    elif source == "fulltext" or (source in ("auto", "recall") and n_chars < min_extractor_chars):
        lines, used = fulltext_lines(tree, shown), "fulltext"
    elif source == "recall":
        lines, used = ext_lines, "extractor_recall"
    else:
        lines, used = ext_lines, "extractor"
    if len(lines) > MAX_LINES:   # (the line cleaner holds a few KB per line)
        raise HtmlError("html:too_many_lines", f"{len(lines)} lines of text is more than {MAX_LINES}: not one article",
                        value=len(lines), threshold=MAX_LINES)
    other = {"fulltext": ext_lines, "thread": ext_lines, "extractor": def_lines, "extractor_default": ext_lines,
             "extractor_recall": None}[used]
    hints = _hints(lines, blocks, other)
    # the full-page fallback keeps trafilatura's short output at hand: when the cleaner keeps nothing of the whole
    # page, the article is read from it instead (`article.clean_extracted`)
    fallback = None
    if used in ("fulltext", "thread") and any(ln.strip() for ln in ext_lines):
        fallback = {"lines": ext_lines, "hints": _hints(ext_lines, blocks, None)}

    meta = page_metadata(tree, url)
    if not meta.get("title"):
        t = tree.find(".//title")
        if t is not None and t.text_content().strip():
            meta["title"] = " ".join(t.text_content().split())
    if source != "both" and not any(ln.strip() for ln in lines):
        raise HtmlError("html:empty", "no text in the page", value=0, threshold=1)
    return {
        "lines": lines,
        "hints": hints,
        "source": used,
        "encoding": encoding,
        "metadata": meta,
        "figures": dict(zip(("captions", "credits"), figure_captions(tree))),
        "seconds": round(time.perf_counter() - t0, 6),
        **({"fallback": fallback} if fallback is not None else {}),
        **({"both": out_both} if source == "both" else {}),
    }


def _hints(lines: list[str], blocks: BlockMap, ext_lines: list[str] | None) -> list[dict[str, Any]]:
    """One hint dict per line; `ext_lines` given (the other extraction): in_extractor = the line occurs in them,
    else True for every line."""
    # a line counts as kept by the other extraction when its text occurs in that output (which sometimes joins
    # several blocks into one line, e.g. trafilatura's baseline fallback on small pages)
    in_ext = None if ext_lines is None else "\n".join(norm(ln) for ln in ext_lines if ln.strip())
    keys = list(map(norm, lines))
    times = Counter(keys)
    hints = []
    for ln, key in zip(lines, keys):
        h = blocks.hint(ln, once=times[key] == 1)
        h["in_extractor"] = True if in_ext is None else bool(key) and key in in_ext
        hints.append(h)
    return hints

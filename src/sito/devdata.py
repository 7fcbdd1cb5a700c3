"""Loading the development pages (../shared/data/dev) and the fixed train / held-out split used everywhere.

Four sets: `readability`, `trafilatura` (trafilatura-eval), `newspaper4k` and `wcxb`. Each page is a `DevPage`
with its raw HTML bytes, its reference article text where the set has one, the with/without snippets where the
set has them, language, page type, URL and reference metadata.

The split is a pure function of the set and page name (`is_heldout`): xxh64 of "set/name" modulo 4 == 0 puts a
page in the held-out quarter. Training, tuning and threshold choices use only `split == "train"`; reported
numbers are on `split == "heldout"`. Never change the rule: numbers across sessions stay comparable.
"""

from __future__ import annotations

import gzip
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import xxhash

SETS = ("readability", "trafilatura", "newspaper4k", "wcxb")
_FOLDERS = {"readability": "readability", "trafilatura": "trafilatura-eval", "newspaper4k": "newspaper4k", "wcxb": "wcxb"}

# readability's hand-written one-rule fixtures (see the dev README): not real pages, left out of scores.
READABILITY_FIXTURES = frozenset(
    """003-metadata-preferred 004-metadata-space-separated-properties 005-unescape-html-entities base-url
    base-url-base-element base-url-base-element-relative basic-tags-cleaning comment-inside-script-parsing
    data-url-image dev418 embedded-videos hidden-nodes invalid-attributes js-link-replacement lazy-image-3
    metadata-content-missing missing-paragraphs normalize-spaces ol parsely-metadata remove-aria-hidden
    remove-extra-brs remove-extra-paragraphs remove-script-tags reordering-paragraphs replace-brs
    replace-font-tags rtl-1 rtl-2 rtl-3 rtl-4 social-buttons style-tags-removal svg-parsing
    title-and-h1-discrepancy title-en-dash visibility-hidden""".split()
)


def default_dev_dir() -> Path | None:
    """The dev data folder: $SITO_DEV_DATA, else ../shared/data/dev next to the repository; None if absent."""
    env = os.environ.get("SITO_DEV_DATA")
    candidates = [Path(env)] if env else []
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidates.append(parent.parent / "shared" / "data" / "dev")
    candidates.append(Path.cwd().parent / "shared" / "data" / "dev")
    for c in candidates:
        if (c / "readability").is_dir():
            return c
    return None


def is_heldout(set_name: str, name: str) -> bool:
    return xxhash.xxh64_intdigest(f"{set_name}/{name}".encode("utf-8")) % 4 == 0


@dataclass
class DevPage:
    set: str
    name: str
    html_path: Path
    reference: str | None = None  # reference article text (plain text, paragraphs separated by blank lines)
    with_snippets: list[str] = field(default_factory=list)
    without_snippets: list[str] = field(default_factory=list)
    lang: str | None = None
    page_type: str | None = None
    url: str | None = None
    meta: dict = field(default_factory=dict)  # reference title / author / date where known

    @property
    def split(self) -> str:
        return "heldout" if is_heldout(self.set, self.name) else "train"

    def html_bytes(self) -> bytes:
        with gzip.open(self.html_path, "rb") as f:
            return f.read()


def html_to_reference_text(html: str) -> str:
    """Plain text of a reference article given as HTML (readability's expected.html): blocks become paragraphs."""
    from inscriptis import get_text
    from inscriptis.model.config import ParserConfig

    text = get_text(html, ParserConfig(display_links=False, display_images=False))
    # inscriptis separates block elements by newlines; keep each non-empty line as its own paragraph
    out = []
    for line in text.splitlines():
        s = " ".join(line.split())
        if s:
            out.append(s)
    return "\n\n".join(out)


def iter_pages(dev_dir: Path | None = None, sets: tuple[str, ...] = SETS, split: str | None = None,
               include_fixtures: bool = False) -> Iterator[DevPage]:
    """All dev pages of the given sets, in a fixed order; `split` = "train" / "heldout" / None (both)."""
    dev = Path(dev_dir) if dev_dir else default_dev_dir()
    if dev is None:
        raise FileNotFoundError("dev data not found: set SITO_DEV_DATA or place it at ../shared/data/dev")
    for s in sets:
        for page in _iter_set(dev, s, include_fixtures):
            if split is None or page.split == split:
                yield page


def _iter_set(dev: Path, s: str, include_fixtures: bool) -> Iterator[DevPage]:
    root = dev / _FOLDERS[s]
    if s == "readability":
        for d in sorted(p for p in root.iterdir() if p.is_dir()):
            if d.name in READABILITY_FIXTURES and not include_fixtures:
                continue
            meta = json.loads((d / "expected-metadata.json").read_text("utf-8"))
            with gzip.open(d / "expected.html.gz", "rt", encoding="utf-8") as f:
                ref = html_to_reference_text(f.read())
            yield DevPage(s, d.name, d / "source.html.gz", reference=ref, lang=meta.get("lang"),
                          page_type="article", url="http://fakehost/test/page.html",
                          meta={"title": meta.get("title"), "author": meta.get("byline"),
                                "date": meta.get("publishedTime"), "sitename": meta.get("siteName"),
                                "excerpt": meta.get("excerpt")})
    elif s == "trafilatura":
        with open(root / "annotations.jsonl", encoding="utf-8") as f:
            for line in f:
                d = json.loads(line)
                yield DevPage(s, d["file"], root / "pages" / (d["file"] + ".gz"), reference=None,
                              with_snippets=d["with"], without_snippets=d["without"], lang=d.get("lang"),
                              page_type="article", url=None if d["url"].startswith("hard::") else d["url"])
    elif s == "newspaper4k":
        with open(root / "index.jsonl", encoding="utf-8") as f:
            for line in f:
                d = json.loads(line)
                ref = (root / d["text"]).read_text("utf-8")
                yield DevPage(s, d["name"], root / d["html"], reference=ref, lang=d.get("lang"),
                              page_type="article", url=d.get("url"), meta={"title": d.get("title")})
    elif s == "wcxb":
        for gt_path in sorted((root / "ground-truth").glob("*.json")):
            d = json.loads(gt_path.read_text("utf-8"))
            gt = d.get("ground_truth", {})
            ptype = (d.get("_internal", {}).get("page_type", {}) or {}).get("primary")
            yield DevPage(s, gt_path.stem, root / "html" / (gt_path.stem + ".html.gz"),
                          reference=gt.get("main_content") or None,
                          with_snippets=gt.get("with") or [], without_snippets=gt.get("without") or [],
                          lang=None, page_type=ptype, url=d.get("url"),
                          meta={"title": gt.get("title"), "author": gt.get("author"), "date": gt.get("publish_date")})
    else:
        raise ValueError(f"unknown dev set {s!r}; known: {', '.join(SETS)}")

"""sito — turn scraped web pages into clean, structured articles and curated text corpora.

Public API: `clean_text`, `clean_html`, `Article`, `Document`, `Line`, `Rejection`.

    import sito
    art = sito.clean_text(open("page.txt").read())        # extracted or scraped text -> Article
    art = sito.clean_html(open("page.html", "rb").read())  # HTML -> Article with page metadata
    art.text, art.title, art.lead, art.quotes, [(ln.role, ln.reason) for ln in art.lines]

The pipeline (`sito clean` on files, folders, WARC, JSONL, Parquet) is `sito.executors.run`; docs/ has the rest.
"""

from __future__ import annotations

from .document import Article, Document, Line, Rejection

__version__ = "0.1.0"
__all__ = ["Article", "Document", "Line", "Rejection", "clean_text", "clean_html", "__version__"]


def __getattr__(name: str):
    # imported lazily: the cleaner loads its model and the HTML path imports trafilatura
    if name == "clean_text":
        from .clean import clean_text

        return clean_text
    if name == "clean_html":
        from .html import clean_html

        return clean_html
    raise AttributeError(f"module 'sito' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(__all__) | {k for k in globals() if k.startswith("__")})

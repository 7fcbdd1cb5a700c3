"""The article cleaner: a role and a reason for every line of extracted text (see clean/cleaner.py)."""

from __future__ import annotations

from ..document import Article, Line


def clean_text(text: str, *, language: str | None = None, url: str | None = None) -> Article:
    """Interim pass-through until the line model lands: every non-empty line is kept as body."""
    lines = [Line(i, t, "body" if t.strip() else "blank", bool(t.strip())) for i, t in enumerate(text.splitlines())]
    kept = [ln.text for ln in lines if ln.keep]
    return Article(text="\n\n".join(kept), language=language, url=url, lines=lines)

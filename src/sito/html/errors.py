"""The one exception of the HTML path: `HtmlError`, carrying a stable rejection code and the measured value.

`HtmlStep` turns it into a `Rejection`; `clean_html` lets it propagate so that API callers see why a page gave
nothing. Codes: `html:too_large`, `html:binary` (an image, a PDF, bytes that are no text), `html:parse_error`,
`html:too_many_lines` (more than `sito.document.MAX_LINES` lines of text), `html:empty`, `html:timeout`,
`html:crash` (the sandboxed worker died, e.g. killed by its memory limit).
"""

from __future__ import annotations

from typing import Any


class HtmlError(ValueError):
    """A page that cannot be turned into an article, with the rejection code and the value that decided it."""

    def __init__(self, code: str, detail: str = "", value: Any = None, threshold: Any = None):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail
        self.value = value
        self.threshold = threshold

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "detail": self.detail, "value": self.value, "threshold": self.threshold}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "HtmlError":
        return cls(d.get("code", "html:parse_error"), d.get("detail", ""), d.get("value"), d.get("threshold"))

"""The article cleaner: a role and a reason for every line of extracted text.

Public API: `clean_text(text, language=, url=)` and `clean_lines(lines, hints=, language=, url=)` return an
`Article` (see cleaner.py); `clean_texts(texts)` yields the same articles for many texts, faster on short ones;
`CleanStep` is the pipeline step, registered as "clean.v1".
"""

from __future__ import annotations

from .cleaner import ROLES, clean_lines, clean_text, clean_texts
from .step import CleanStep

STEPS = {"clean.v1": CleanStep}

__all__ = ["clean_text", "clean_texts", "clean_lines", "CleanStep", "ROLES", "STEPS"]

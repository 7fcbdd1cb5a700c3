"""The filter steps of sito's presets, as data: `PRESETS[name] = [(step_name, params), ...]`, in order.

The configuration module puts the line cleaner ("clean.v1") before these steps and the dedup steps around them;
so every preset judges an article after its debris is gone. Step names are those of `sito.filters.STEPS`.

- `news` (default): language ID (any language, lid.176 score > 0.5 — lower than FineWeb's 0.65 because short
  news articles and mixed-language pages score lower; see docs/filters.md), then FineWeb-2's per-language
  repetition / FineWeb / Gopher quality checks with the document's own language config (English: FineWeb's
  datatrove defaults for the same three filters), and other languages without a config pass unfiltered
  (counted as `no_config_passed`) rather than being dropped.
- `fineweb`: English FineWeb as published: lid.176 English > 0.65, GopherRepetition, GopherQuality,
  C4Quality with `filter_no_terminal_punct=False`, FineWebQuality, all at datatrove's defaults.
- `fineweb2`: FineWeb-2: language ID (lid.176 score > 0.65), then per language GopherRepetition ->
  FineWebQuality -> GopherQuality with FineWeb-2's config; no config -> rejected (`fineweb2_quality:no_config`),
  then PII masking of e-mails and IPs, as FineWeb-2 does after filtering (`pii.v1` can mask phones, PESEL
  and NIP too: its `kinds`).
"""

from __future__ import annotations

from typing import Any

PRESETS: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "news": [
        ("language.v1", {"min_score": 0.5}),
        ("fineweb2_quality.v1", {"language": "auto", "on_missing": "pass", "fallback": {"en": "eng"}}),
    ],
    "fineweb": [
        ("language.v1", {"languages": ["en"], "min_score": 0.65}),
        ("gopher_repetition.v1", {"language": "eng_Latn"}),
        ("gopher_quality.v1", {"language": "eng_Latn"}),
        ("c4_quality.v1", {"language": "eng_Latn", "filter_no_terminal_punct": False}),
        ("fineweb_quality.v1", {"language": "eng_Latn"}),
    ],
    "fineweb2": [
        ("language.v1", {"min_score": 0.65}),
        ("fineweb2_quality.v1", {"language": "auto", "on_missing": "reject"}),
        ("pii.v1", {"kinds": ["email", "ip"]}),
    ],
}

"""FineWeb-2's per-language quality filtering: its configs, shipped in the package, applied as its pipeline does.

`resources/fineweb2/configs.json.gz` holds FineWeb-2's 1,929 per-language configs (Apache-2.0,
huggingface/fineweb-2 commit d0defb24f193, values unchanged; see the LICENSE next to it). For each document,
`FineWeb2Quality` picks the config of its language (the language step's `metadata["language_fineweb2"]`, or a
fixed `language`) and applies, in FineWeb-2's order (`fineweb-2-pipeline.py`):

1. GopherRepetition with the config's `dup_line_frac`, `top_n_grams`, `dup_n_grams`, and the paragraph /
   character checks off (`dup_para_frac=0, dup_line_char_frac=0, dup_para_char_frac=0`);
2. FineWebQuality with the config's `line_punct_thr`, `new_line_ratio`, `short_line_thr=999` (off) and
   `char_duplicates_ratio=0.1`;
3. GopherQuality with the config's `stopwords`, `min_stop_words=2`, `min/max_avg_word_length`,
   `max_non_alpha_words_ratio`, other parameters at datatrove's defaults.

Words are split with the tokenizer datatrove assigns to the language (`sito.filters.words`). A document whose
language has no config (English, a few lid.176 labels, or no language detected) is handled by `on_missing`:
"reject" (default; code `fineweb2_quality:no_config`, the language in the detail), "pass" (kept unfiltered,
counted as `no_config_passed`), or a config name to use instead ("eng" = FineWeb's English settings).
`fallback` maps a detected language to a config first (the news preset uses `{"en": "eng"}`).
"""

from __future__ import annotations

import gzip
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..document import Document
from .base import FilterStep, doc_language
from .fineweb_quality import FineWebQuality
from .gopher_quality import GopherQuality
from .gopher_repetition import GopherRepetition
from .languages import config_name
from .text import check_blank_lines

_RES = Path(__file__).resolve().parent.parent / "resources" / "fineweb2"


@lru_cache(maxsize=1)
def configs() -> dict[str, dict[str, Any]]:
    """All FineWeb-2 configs, keyed by name (`pol_Latn`)."""
    with gzip.open(_RES / "configs.json.gz", "rb") as f:
        return json.loads(f.read().decode("utf-8"))


def config(name: str) -> dict[str, Any] | None:
    return configs().get(name)


def filters_for(name: str, blank_lines: str = "skip") -> tuple[GopherRepetition, FineWebQuality, GopherQuality]:
    """The three filters FineWeb-2 runs for the config `name` (FineWeb's English ones for "eng"); `blank_lines`:
    `sito.filters.text.BLANK_LINES`."""
    return _filters_for(name, blank_lines)


@lru_cache(maxsize=512)
def _filters_for(name: str, blank_lines: str = "skip") -> tuple[GopherRepetition, FineWebQuality, GopherQuality]:
    if name == "eng":
        # FineWeb (English): datatrove's defaults
        return (GopherRepetition(language="eng_Latn"), FineWebQuality(language="eng_Latn", blank_lines=blank_lines),
                GopherQuality(language="eng_Latn", blank_lines=blank_lines))
    cfg = config(name)
    if cfg is None:
        raise ValueError(f"no FineWeb-2 config named {name!r}")
    rep = GopherRepetition(
        language=name, dup_line_frac=cfg["dup_line_frac"], top_n_grams=cfg["top_n_grams"],
        dup_n_grams=cfg["dup_n_grams"], dup_para_frac=0, dup_line_char_frac=0, dup_para_char_frac=0,
    )
    fw = FineWebQuality(
        language=name, line_punct_thr=cfg["line_punct_thr"], new_line_ratio=cfg["new_line_ratio"],
        short_line_thr=999, char_duplicates_ratio=0.1, blank_lines=blank_lines,
    )
    gq = GopherQuality(
        language=name, stop_words=cfg["stopwords"], min_stop_words=2,
        min_avg_word_length=cfg["min_avg_word_length"], max_avg_word_length=cfg["max_avg_word_length"],
        max_non_alpha_words_ratio=cfg["max_non_alpha_words_ratio"], blank_lines=blank_lines,
    )
    return rep, fw, gq


class FineWeb2Quality(FilterStep):
    """FineWeb-2's GopherRepetition -> FineWebQuality -> GopherQuality with each document's language config.

    Rejection codes are those of the inner filter (`gopher_repetition:top_2_gram`…), with this step as `step`.
    """

    name = "fineweb2_quality"
    uses_ngram_kernel = True  # its GopherRepetition filters

    def __init__(self, language: str = "auto", on_missing: str = "reject", fallback: dict[str, str] | None = None,
                 blank_lines: str = "skip", **kw: Any):
        if language not in ("auto", "eng") and config(language) is None:
            # a lid.176 label or an ISO 639-3 code names its config too ("pl", "pol" -> "pol_Latn")
            name = config_name(language)
            if name is None or config(name) is None:
                raise ValueError(f"no FineWeb-2 config for language {language!r}: give a config name such as "
                                 f"'pol_Latn', 'eng' (FineWeb's English) or 'auto'")
            language = name
        super().__init__(language=language, **kw)
        self.blank_lines = check_blank_lines(blank_lines)
        self.on_missing = on_missing
        self.fallback = dict(fallback or {})
        for name in self.fallback.values():
            filters_for(name)
        if on_missing not in ("reject", "pass"):
            filters_for(on_missing)  # fail early on an unknown fallback config

    def config_name(self, doc: Document) -> str | None:
        if self.language != "auto":
            return self.language
        return doc_language(doc)

    def judge(self, doc: Document) -> Document:
        name = self.config_name(doc)
        if name is None or config(name) is None:
            alt = self.fallback.get(doc.metadata.get("language") or "") or self.fallback.get(name or "")
            if alt is not None:
                name = alt
        if name is None or (config(name) is None and name != "eng"):
            if self.on_missing == "reject":
                return self.fail(doc, "no_config", name, None,
                                 f"no FineWeb-2 config for language {name or doc.metadata.get('language')!r}")
            if self.on_missing == "pass":
                self.counters["no_config_passed"] += 1
                return doc
            name = self.on_missing
        doc.metadata.setdefault("quality", {})["fineweb2"] = {"config": name}
        self.counters[f"config:{name}"] += 1
        for f in filters_for(name, self.blank_lines):
            f.counters = self.counters
            doc = f.judge(doc)
            if doc.rejection is not None:
                doc.rejection.step = self.name
                return doc
        return doc

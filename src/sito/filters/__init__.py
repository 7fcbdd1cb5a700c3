"""Corpus quality filters: language ID, Gopher repetition / quality, C4, FineWeb, FineWeb-2 per language, PII.

Each filter is a pipeline `Step` built from keyword parameters and registered in `STEPS` under a versioned
name, so that a pipeline can be rebuilt from `sito.toml` on any worker. Decisions and statistics follow
datatrove's filters (see docs/filters.md for the parity measurements); `presets.PRESETS` lists the filter steps
of the `news`, `fineweb` and `fineweb2` presets.
"""

from __future__ import annotations

from typing import Any

from .c4 import C4Quality
from .fineweb2 import FineWeb2Quality
from .fineweb_quality import FineWebQuality
from .gopher_quality import GopherQuality
from .gopher_repetition import GopherRepetition
from .language import LanguageID
from .pii import PIIMask

STEPS = {
    "language.v1": LanguageID,
    "gopher_repetition.v1": GopherRepetition,
    "gopher_quality.v1": GopherQuality,
    "c4_quality.v1": C4Quality,
    "fineweb_quality.v1": FineWebQuality,
    "fineweb2_quality.v1": FineWeb2Quality,
    "pii.v1": PIIMask,
}


def build_step(name: str, params: dict[str, Any] | None = None):
    """A filter step from its registered name and keyword parameters."""
    try:
        cls = STEPS[name]
    except KeyError:
        raise ValueError(f"unknown filter step {name!r}; known: {', '.join(sorted(STEPS))}") from None
    return cls(**(params or {}))


def build_preset(preset: str) -> list:
    """The filter steps of a preset (without the cleaner and dedup steps)."""
    from .presets import PRESETS

    if preset not in PRESETS:
        raise ValueError(f"unknown preset {preset!r}; known: {', '.join(sorted(PRESETS))}")
    return [build_step(n, p) for n, p in PRESETS[preset]]


def explain_raw(text: str, preset: str = "news") -> dict[str, Any]:
    """Which filters of `preset` the (uncleaned) `text` fails, and by how much; see `sito.filters.explain`."""
    from .explain import explain_raw as _explain

    return _explain(text, preset)


__all__ = ["STEPS", "build_step", "build_preset", "explain_raw", "LanguageID", "GopherRepetition",
           "GopherQuality", "C4Quality", "FineWebQuality", "FineWeb2Quality", "PIIMask"]

"""Language names: lid.176 labels (fastText's language identification model) to FineWeb-2 config names.

FineWeb-2's configs are named ISO 639-3 + script (`pol_Latn`); lid.176 predicts ISO 639-1 codes where they
exist (`pl`) and ISO 639-3 otherwise (`arz`). The table `resources/fineweb2/lid176_to_fineweb2.json` is built
from datatrove's tokenizer assignment table (which marks the default ISO 639-3 code and script of each ISO 639-1
code) with four hand-picked entries (`no` -> `nob_Latn`, `sh` -> `hrv_Latn`, `tl` -> `fil_Latn`,
`bh` -> `bho_Deva`); see `build_resources.py`. English maps to None: FineWeb-2 has no English config (English is
FineWeb's), and a few lid.176 labels have no config at all.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

_CONFIG_NAME = re.compile(r"[a-z]{3}_[A-Z][a-z]{3}").fullmatch
_RES = Path(__file__).resolve().parent.parent / "resources" / "fineweb2"


@lru_cache(maxsize=1)
def lid_to_fineweb2() -> dict[str, str | None]:
    return json.loads((_RES / "lid176_to_fineweb2.json").read_text("utf-8"))


def fineweb2_name(lang: str) -> str | None:
    """`pl` -> `pol_Latn`; a name that is already a config name is returned as is; None if there is none."""
    if "_" in lang:
        return lang
    return lid_to_fineweb2().get(lang)


def config_name(language: str) -> str | None:
    """The FineWeb-2 config name of a language in any spelling `lid_code` reads (`pl`, `pol`, `pl_PL`, `pol_Latn`),
    or None when it names no lid.176 language or lid.176's language has no config (English)."""
    if isinstance(language, str) and _CONFIG_NAME(language):
        return language   # already a config name ("pol_Latn", "cmn_Hani")
    try:
        return fineweb2_name(lid_code(language))
    except (TypeError, ValueError):
        return None


@lru_cache(maxsize=256)
def lid_code(language: str) -> str:
    """The lid.176 label (ISO 639-1 where there is one: `pl`) of a language given as such a label, an ISO 639-3
    code (`pol`), a FineWeb-2 config name (`pol_Latn`) or a locale (`pl_PL`, `pl-PL`), in any case. Raises
    TypeError for a value that is no string and ValueError for one that names none of lid.176's languages."""
    if not isinstance(language, str):
        raise TypeError(f"language must be a string such as 'pl', not {type(language).__name__}")
    table = lid_to_fineweb2()
    s = language.strip().replace("-", "_")
    low = s.lower()
    head0 = low.split("_")[0]
    if head0 in _ALIASES:   # ("nb_NO")
        low = _ALIASES[head0]
    if low in table:
        return low
    head = low.split("_")[0]
    if head in table and (head != low or len(head) == 2):
        return head   # "pl_PL", "pl-pl"
    by_iso3 = _by_iso3()
    if head in by_iso3:
        return by_iso3[head]   # "pol", "pol_Latn", "eng", "eng_Latn"
    raise ValueError(f"unknown language {language!r}: give an ISO 639-1 code ('pl'), an ISO 639-3 code ('pol'), "
                     "a FineWeb-2 name ('pol_Latn') or a locale ('pl_PL')")


# codes lid.176 does not use for a language it knows: Norwegian Bokmål ("nb", "nob": lid.176's "no"), Tagalog's
# ISO 639-3 code ("tgl", Filipino "fil": lid.176's "tl")
_ALIASES = {"nb": "no", "nob": "no", "tgl": "tl", "fil": "tl"}


@lru_cache(maxsize=1)
def _by_iso3() -> dict[str, str]:
    """ISO 639-3 code -> lid.176 label, from the FineWeb-2 names of the table."""
    # English (no FineWeb-2 config) and the macrolanguages whose table entry names one member ("ara" for arb_Arab)
    out = {"eng": "en", "zho": "zh", "ara": "ar", "aze": "az", "est": "et", "fas": "fa", "per": "fa", "grn": "gn",
           "kur": "ku", "lav": "lv", "mlg": "mg", "mon": "mn", "msa": "ms", "may": "ms", "nep": "ne", "nor": "no",
           "ori": "or", "pus": "ps", "que": "qu", "sqi": "sq", "alb": "sq", "swa": "sw", "uzb": "uz", "yid": "yi"}
    for label, name in sorted(lid_to_fineweb2().items(), key=lambda kv: (len(kv[0]) != 2, kv[0])):
        if name:
            iso3 = name.split("_")[0]
            out.setdefault(iso3, iso3 if iso3 in lid_to_fineweb2() else label)
    return out


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
from functools import lru_cache
from pathlib import Path

_RES = Path(__file__).resolve().parent.parent / "resources" / "fineweb2"


@lru_cache(maxsize=1)
def lid_to_fineweb2() -> dict[str, str | None]:
    return json.loads((_RES / "lid176_to_fineweb2.json").read_text("utf-8"))


def fineweb2_name(lang: str) -> str | None:
    """`pl` -> `pol_Latn`; a name that is already a config name is returned as is; None if there is none."""
    if "_" in lang:
        return lang
    return lid_to_fineweb2().get(lang)

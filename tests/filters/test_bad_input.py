"""Bad input never crashes a filter: a clear rejection or a documented pass, in bounded time."""

from __future__ import annotations

import time

import pytest

from sito.document import Document
from sito.filters import build_preset
from sito.filters.base import MAX_CHARS
from sito.filters.fineweb2 import FineWeb2Quality
from sito.pipeline import RunStats, run_steps


@pytest.mark.parametrize("preset", ["news", "fineweb", "fineweb2"])
@pytest.mark.parametrize("text", ["", "   \n\t  \n", "\x00\x00\x00", "a\x00b " * 200, "...\n---\n!!!"])
def test_degenerate_texts_are_rejected_with_a_reason(preset, text):
    (doc,) = run_steps(build_preset(preset), [Document(id="x", text=text)], RunStats())
    assert doc.rejection is not None
    assert not doc.rejection.code.startswith("error:"), doc.rejection


def test_nul_bytes_inside_prose_do_not_break_filters():
    text = ("Prezydent Białorusi jest otwartym sojusznikiem Władimira Putina, choć oficjalnie zaprzecza, by brał "
            "udział w wojnie.\x00 ") * 20
    (doc,) = run_steps(build_preset("fineweb2"), [Document(id="x", text=text)], RunStats())
    assert doc.metadata["language"] == "pl"
    assert doc.rejection is None or not doc.rejection.code.startswith("error:")


def test_language_without_config_is_a_clear_rejection():
    text = "Ĉi tio estas frazo en Esperanto, kiu estas sufiĉe longa por esti rekonita. " * 10
    doc = FineWeb2Quality().process(Document(id="x", text=text, metadata={"language": "xx"}))
    assert doc.rejection.code == "fineweb2_quality:no_config"


def test_one_50_megabyte_line_is_bounded():
    text = "slowo" * 10_000_000  # 50 MB, no newline, no space
    t0 = time.perf_counter()
    (doc,) = run_steps(build_preset("fineweb2"), [Document(id="x", text=text)], RunStats())
    elapsed = time.perf_counter() - t0
    assert doc.rejection is not None
    assert doc.rejection.code == "language:too_long" and doc.rejection.value == len(text)
    assert elapsed < 20  # rejected on its length, before any per-word work; generous for a loaded CI machine
    d = FineWeb2Quality(language="pol_Latn").process(Document(id="y", text=text))
    assert d.rejection.code == "fineweb2_quality:too_long" and d.rejection.value == len(text)
    assert d.rejection.threshold == MAX_CHARS

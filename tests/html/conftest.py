"""Shared fixtures of the HTML tests: the real pages in tests/fixtures/html and one sandbox per test module."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "html"


def load_pages() -> dict[str, dict]:
    pages = json.loads((FIXTURES / "pages.json").read_text("utf-8"))
    for name, p in pages.items():
        p["bytes"] = gzip.decompress((FIXTURES / f"{name}.html.gz").read_bytes())
    return pages


@pytest.fixture(scope="session")
def pages() -> dict[str, dict]:
    return load_pages()


@pytest.fixture(scope="module")
def sandbox():
    from sito.html import Sandbox

    with Sandbox(timeout_s=60) as sb:
        yield sb

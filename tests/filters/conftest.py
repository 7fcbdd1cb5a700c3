"""Shared fixtures of the filter tests: the small in-repo documents and the dev-data switch."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from sito.devdata import default_dev_dir

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "filters"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="session")
def fixture_docs() -> dict[str, list[str]]:
    with gzip.open(FIXTURES / "docs.json.gz", "rt", encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture(scope="session")
def dev_dir():
    d = default_dev_dir()
    if d is None:
        pytest.skip("dev data (../shared/data/dev or $SITO_DEV_DATA) is absent: dev parity tests skipped")
    return d

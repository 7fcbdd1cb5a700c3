"""Shared test fixtures: paths to the bundled example and to the dev data (skipped when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture
def example_path() -> Path:
    return EXAMPLES / "pl_news_scraped.txt"


@pytest.fixture(scope="session")
def dev_dir() -> Path:
    from sito.devdata import default_dev_dir

    d = default_dev_dir()
    if d is None:
        pytest.skip("dev data (../shared/data/dev) not present: set SITO_DEV_DATA to run this test")
    return d

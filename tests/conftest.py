"""Shared test fixtures: paths to the bundled example and to the dev data (skipped when absent)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Test modules are imported in importlib mode (several folders have a test_properties.py); the helper modules
# that tests of one folder share (io_helpers.py, slow_step.py…) are found through sys.path.
for _d in sorted((ROOT / "tests").iterdir()):
    if _d.is_dir() and not _d.name.startswith((".", "_")) and str(_d) not in sys.path:
        sys.path.insert(0, str(_d))
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

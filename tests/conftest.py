"""Shared test fixtures: paths to the bundled example and to the dev data (skipped when absent), and the builder of
a small real output folder (tests/fixtures/report/outdir.py) that the report and inspector tests read."""

from __future__ import annotations

import importlib.util
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


@pytest.fixture(scope="session")
def builder():
    """tests/fixtures/report/outdir.py: writes a run's output folder from real records."""
    spec = importlib.util.spec_from_file_location("sito_test_outdir", ROOT / "tests" / "fixtures" / "report" / "outdir.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod

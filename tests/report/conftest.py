"""Fixtures for the report tests: a small real output folder written by tests/fixtures/report/outdir.py."""

import importlib.util
from pathlib import Path

import pytest

_BUILDER = Path(__file__).resolve().parents[1] / "fixtures" / "report" / "outdir.py"


def load_builder():
    spec = importlib.util.spec_from_file_location("sito_test_report_outdir", _BUILDER)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="session")
def builder():
    return load_builder()


@pytest.fixture(scope="session")
def out_dir(tmp_path_factory, builder):
    return builder.build_out(tmp_path_factory.mktemp("report") / "OUT")

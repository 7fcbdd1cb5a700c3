"""Fixtures for the report tests: a small real output folder written by tests/fixtures/report/outdir.py."""

import pytest


@pytest.fixture(scope="session")
def out_dir(tmp_path_factory, builder):
    return builder.build_out(tmp_path_factory.mktemp("report") / "OUT")

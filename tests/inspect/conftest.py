"""Fixtures for the inspector tests: a real output folder and a running inspector server on a free port."""

import threading

import pytest

from sito.inspect import make_server


@pytest.fixture(scope="session")
def out_dir(tmp_path_factory, builder):
    return builder.build_out(tmp_path_factory.mktemp("inspect") / "OUT", broken_line=True)


@pytest.fixture(scope="module")
def server(out_dir):
    """(base URL, App) of an inspector serving `out_dir` on 127.0.0.1 and a free port."""
    from sito.report import write_report

    write_report(out_dir)
    srv, app = make_server(out_dir, "127.0.0.1", 0)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    host, port = srv.server_address[:2]
    yield f"http://{host}:{port}", app
    srv.shutdown()
    srv.server_close()

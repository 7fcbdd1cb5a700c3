"""The Ray executor on a real local Ray instance: same output as the local executor, survives a killed worker."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import pytest

pytest.importorskip("ray", reason="Ray is an optional extra: pip install 'sito[ray]'")

from test_local import SLOW, _canonical, _config, _corpus, _run_cli  # noqa: E402


def _ray_workers() -> list[int]:
    pids = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            cmd = (d / "cmdline").read_bytes()
        except OSError:
            continue
        if cmd.startswith(b"ray::_run_remote"):
            pids.append(int(d.name))
    return pids


def test_ray_output_equals_local(tmp_path):
    """The full default pipeline (html, clean, repeated lines, language, quality, MinHash) on both executors."""
    corpus = _corpus(tmp_path, n=40)
    cfg = tmp_path / "default.toml"
    cfg.write_text("[run]\ntask_bytes = 3000\ndocs_per_shard = 7\nreport = false\n")
    local, ray_out = tmp_path / "local", tmp_path / "ray"
    assert _run_cli(["clean", str(corpus), "-o", str(local), "--config", str(cfg), "-w", "2", "-q"]).wait(300) == 0
    p = _run_cli(["clean", str(corpus), "-o", str(ray_out), "--config", str(cfg), "-w", "2", "-q", "--executor", "ray"])
    assert p.wait(300) == 0, p.stderr.read()
    assert _canonical(ray_out) == _canonical(local)
    a, b = (json.loads((d / "stats.json").read_text()) for d in (ray_out, local))
    assert (a["read"], a["kept"], a["rejected"], a["reasons"]) == (b["read"], b["kept"], b["rejected"], b["reasons"])
    assert a["executor"] == "ray"
    assert a["passes"] == ["p0", "p1", "final"] and "clean" in a["steps"] and "minhash" in a["steps"]
    assert a["kept"] > 0 and a["reasons"].get("near_duplicate") == 2


def test_ray_killed_worker_is_retried(tmp_path):
    corpus = _corpus(tmp_path, n=80)
    cfg = _config(tmp_path, SLOW)
    ref = tmp_path / "ref"
    assert _run_cli(["clean", str(corpus), "-o", str(ref), "--config", str(cfg), "-w", "2", "-q"]).wait(300) == 0
    out = tmp_path / "out"
    p = _run_cli(["clean", str(corpus), "-o", str(out), "--config", str(cfg), "-w", "2", "-q", "--executor", "ray"])
    killed = False
    deadline = time.time() + 180
    while time.time() < deadline and not killed and p.poll() is None:
        workers = _ray_workers()
        if workers and (out / "completions").is_dir() and list((out / "completions").glob("task-*")):
            os.kill(workers[0], signal.SIGKILL)
            killed = True
        time.sleep(0.05)
    assert killed, "no Ray worker seen running a task"
    assert p.wait(300) == 0, p.stderr.read()
    assert _canonical(out) == _canonical(ref)


def test_an_unreachable_cluster_is_a_clear_error_at_once(tmp_path):
    """Ray retries an address where nothing listens without end; sito checks it first and says so."""
    import socket

    from sito.errors import ConfigError
    from sito.executors.ray import RayExecutor

    with socket.socket() as s:   # a port that was free a moment ago: nothing listens there
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    t = time.monotonic()
    with pytest.raises(ConfigError, match=f"cannot reach the Ray cluster at 127.0.0.1:{port}"):
        with RayExecutor(address=f"127.0.0.1:{port}"):
            pass
    assert time.monotonic() - t < 30


def test_a_port_that_is_not_ray_is_a_clear_error_at_once(tmp_path):
    """A port that accepts connections but is no Ray GCS (a dashboard, a web server) was retried without end."""
    import http.server
    import threading

    from sito.errors import ConfigError
    from sito.executors.ray import RayExecutor

    srv = http.server.HTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        t = time.monotonic()
        with pytest.raises(ConfigError, match="does not answer as a Ray cluster"):
            with RayExecutor(address=f"127.0.0.1:{srv.server_address[1]}"):
                pass
        assert time.monotonic() - t < 30
    finally:
        srv.shutdown()
        srv.server_close()


def test_a_failed_task_says_its_own_error(tmp_path):
    """Ray's error named only the remote function, in terminal colours: the cause was lost."""
    corpus = _corpus(tmp_path, n=5, bad=False)
    cfg = _config(tmp_path, '\n[[steps]]\nname = "slow_step:BoomStep"\n')
    p = _run_cli(["clean", str(corpus), "-o", str(tmp_path / "out"), "--config", str(cfg), "-w", "1", "-q",
                  "--executor", "ray", "--no-dedup"])
    assert p.wait(300) == 1
    err = p.stderr.read().decode()
    assert "RuntimeError: boom: the real cause of the failure" in err and "\x1b[" not in err, err

"""The Ray executor: the same tasks as the local executor, run as Ray tasks on a cluster (or a local Ray instance).

Each task is one `ray.remote` call of `run_task` — the function the local executor runs — given the task's
input slices and the configuration as plain data; the steps are rebuilt on the worker from their registered
names, so nothing but JSON-like data is shipped. A worker that dies has its task retried by Ray (`max_retries`);
since a task clears and rewrites its own shards and publishes them with renames, a retry never loses or doubles a
document, and `--resume` works exactly as with the local executor (completion markers in the output folder).

Requirements on a real cluster: the input files and the output folder must be on storage every node sees at the
same path (NFS, a mounted bucket); see docs/cluster.md. Ray is an optional extra: `pip install "sito[ray]"`.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Callable

from ..errors import ConfigError, TaskError
from ..pipeline import RunStats
from .plan import Task
from .task import run_task

MAX_RETRIES = 3
CONNECT_TIMEOUT_S = 10.0   # to reach a cluster's address before Ray is asked to


def _ray():
    try:
        import ray
    except ImportError:
        raise ConfigError('--executor ray needs Ray: pip install "sito[ray]"') from None
    return ray


def _reachable(address: str, timeout: float = CONNECT_TIMEOUT_S) -> None:
    """Fail at once, with the address, when nothing listens there: Ray itself retries an unreachable cluster
    without end (and does not stop on SIGTERM meanwhile). "auto" and addresses without a port are left to Ray."""
    import socket

    hostport = address.split("://", 1)[-1].rstrip("/")
    host, sep, port = hostport.rpartition(":")
    if not sep or not port.isdigit() or not host:
        return
    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=timeout) as sock:
            # Ray's GCS speaks gRPC (HTTP/2): to the client preface and an empty SETTINGS frame it answers with a
            # SETTINGS frame. Another server on the port (a dashboard, a web server) answers otherwise or not at
            # all, and Ray would retry it without end.
            sock.sendall(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + b"\x00\x00\x00\x04\x00\x00\x00\x00\x00")
            try:
                head = sock.recv(9)
            except socket.timeout:
                head = b""
    except OSError as exc:
        raise ConfigError(f"cannot reach the Ray cluster at {address}: {exc.strerror or exc}") from None
    if len(head) < 4 or head[3] != 0x04:
        raise ConfigError(f"{address} does not answer as a Ray cluster's GCS does (gRPC): give the head node's GCS "
                          "address (port 6379 by default), or ray://host:10001 for Ray Client")


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _cause(exc: BaseException) -> str:
    """The error a task raised on a Ray worker (RayTaskError wraps it: its own first line names only the remote
    function, in terminal colours)."""
    cause = getattr(exc, "cause", None) or exc
    text = _ANSI.sub("", str(cause)).strip()
    return f"{type(cause).__name__}: {text.splitlines()[-1] if text else ''}"


def _run_remote(task: Task, cfg_dict: dict, out: str, pass_dict: dict | None) -> dict:
    return run_task(task, cfg_dict, Path(out), pass_dict=pass_dict).as_dict()


def _call(fn, args: tuple):
    return fn(*args)


class RayExecutor:
    def __init__(self, address: str | None = None, workers: int | None = None, max_retries: int = MAX_RETRIES):
        self.address = address
        self.workers = workers
        self.max_retries = max_retries

    def _init(self):
        ray = _ray()
        if ray.is_initialized():
            return ray, False
        kw: dict = dict(ignore_reinit_error=True, log_to_driver=False, include_dashboard=False,
                        configure_logging=False)
        # workers import sito (and a user's own steps) from the same paths as this process
        env = {"PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        if self.address:
            _reachable(self.address)
            ray.init(address=self.address, runtime_env={"env_vars": env}, **kw)
        else:
            ray.init(num_cpus=self.workers or os.cpu_count() or 1, runtime_env={"env_vars": env}, **kw)
        return ray, True

    def __enter__(self) -> "RayExecutor":
        self._ray, self._started = self._init()
        return self

    def __exit__(self, *exc) -> None:
        if self._started:
            self._ray.shutdown()

    def map(self, fn, args: list[tuple]) -> list:
        """fn(*a) for each a as Ray tasks (the partitioned dedup stages); results in order."""
        ray, started = self._init()
        try:
            remote = ray.remote(num_cpus=1, max_retries=self.max_retries)(_call)
            return ray.get([remote.remote(fn, a) for a in args])
        finally:
            if started:
                ray.shutdown()

    def run_tasks(self, tasks: list[Task], cfg_dict: dict, out: Path,
                  on_docs: Callable[[int], None], on_task_done: Callable[[Task, RunStats], None],
                  pass_dict: dict | None = None) -> None:
        if not tasks:
            return
        ray, started = self._init()
        try:
            remote = ray.remote(num_cpus=1, max_retries=self.max_retries, retry_exceptions=False)(_run_remote)
            refs = {remote.remote(t, cfg_dict, str(Path(out).resolve()), pass_dict): t for t in tasks}
            while refs:
                done, _ = ray.wait(list(refs), num_returns=1)
                for ref in done:
                    t = refs.pop(ref)
                    try:
                        st = RunStats.from_dict(ray.get(ref))
                    except Exception as exc:
                        raise TaskError(f"task {t.index} failed on Ray: {_cause(exc)}; run again with --resume") from exc
                    on_docs(st.read)
                    on_task_done(t, st)
        finally:
            if started:
                ray.shutdown()

"""The local executor: tasks on N worker processes of this machine (default: all cores), with retries.

Workers are started once per run with the `spawn` method (no state inherited from the parent; the steps are
rebuilt from the configuration in each worker) and serve every pass and every partition stage of the run; they
report progress over a queue read by the parent. A worker killed by the OS (OOM, kill -9) breaks the pool: the
executor starts a new pool, runs each task that was running then again alone (a worker reports each task it
starts), and the other unfinished tasks together after them. Only a task that kills its worker while running
alone is charged an attempt; after `max_attempts` it fails — once the other tasks have finished. Since every
task rewrites its outputs from scratch (see task.py), a retry never loses or doubles a document. With one
worker, tasks run in this process — the simplest thing to debug.
"""

from __future__ import annotations

import multiprocessing as mp
import queue as queue_mod
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Callable

from ..errors import TaskError
from ..pipeline import RunStats
from .plan import Task
from .task import run_task

_progress_queue = None


def _init_worker(q) -> None:
    global _progress_queue
    _progress_queue = q
    _die_with_parent()


def _die_with_parent() -> None:
    """On Linux, ask the kernel to kill this worker when the process that started it dies (kill -9 of the run):
    an orphaned worker would go on writing into the output folder, racing a later --resume."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)   # PR_SET_PDEATHSIG
    except (OSError, AttributeError):   # (not Linux: the pool's own end-of-run shutdown still applies)
        pass


def _report(n: int) -> None:
    if _progress_queue is not None:
        try:
            _progress_queue.put_nowait(n)
        except Exception:
            pass


def _worker_run(task: Task, cfg_dict: dict, out: str, pass_dict: dict | None) -> tuple[int, dict]:
    if _progress_queue is not None:   # (which tasks were running when a worker died: `LocalExecutor.run_tasks`)
        try:
            _progress_queue.put(("start", task.index))
        except Exception:
            pass
    stats = run_task(task, cfg_dict, Path(out), progress=_report, pass_dict=pass_dict)
    return task.index, stats.as_dict()


def _star(fa: tuple) -> object:
    fn, a = fa
    return fn(*a)


class LocalExecutor:
    def __init__(self, workers: int, max_attempts: int = 3):
        self.workers = max(1, workers)
        self.max_attempts = max_attempts
        self._ctx = mp.get_context("spawn")
        self._pool: ProcessPoolExecutor | None = None
        self._queue = None
        self._on_docs: Callable[[int], None] | None = None
        self._stop = threading.Event()
        self._reader: threading.Thread | None = None
        self._started: set[int] = set()   # tasks a worker has started (reported over the queue)

    # --- the pool, shared by every pass of a run ----------------------------------------------------------
    def _pump(self) -> None:
        while not self._stop.is_set():
            try:
                n = self._queue.get(timeout=0.1)
            except queue_mod.Empty:
                continue
            except (EOFError, OSError, ValueError):
                return
            if isinstance(n, tuple):   # ("start", task index)
                self._started.add(n[1])
            elif self._on_docs is not None:
                self._on_docs(n)

    def _get_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            if self._queue is None:
                self._queue = self._ctx.Queue()
                self._reader = threading.Thread(target=self._pump, daemon=True)
                self._reader.start()
            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=self._ctx,
                                             initializer=_init_worker, initargs=(self._queue,))
        return self._pool

    def _drop_pool(self, kill: bool = False) -> None:
        if self._pool is not None:
            if kill:   # (an interrupted run: the running tasks are redone by --resume, not waited for)
                for proc in list(getattr(self._pool, "_processes", {}).values()):
                    proc.terminate()
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> "LocalExecutor":
        return self

    def __exit__(self, exc_type, *exc) -> None:
        self._drop_pool(kill=exc_type is not None)
        self._stop.set()
        if self._reader is not None:
            self._reader.join(timeout=2)
        if self._queue is not None:
            self._queue.close()
            self._queue = None

    # --- work -----------------------------------------------------------------------------------------------
    def map(self, fn: Callable, args: list[tuple]) -> list:
        """fn(*a) for each a, on the workers; results in order. Used by the partitioned dedup stages."""
        if self.workers == 1 or len(args) <= 1:
            return [fn(*a) for a in args]
        for attempt in range(self.max_attempts):
            try:
                return list(self._get_pool().map(_star, [(fn, a) for a in args]))
            except BrokenProcessPool:
                self._drop_pool()
        raise TaskError(f"a corpus-wide stage failed {self.max_attempts} times (a worker process died each time)")

    def run_tasks(self, tasks: list[Task], cfg_dict: dict, out: Path,
                  on_docs: Callable[[int], None], on_task_done: Callable[[Task, RunStats], None],
                  pass_dict: dict | None = None) -> None:
        if not tasks:
            return
        if self.workers == 1 or len(tasks) == 1:
            for t in tasks:
                on_task_done(t, run_task(t, cfg_dict, out, progress=on_docs, pass_dict=pass_dict))
            return
        self._on_docs = on_docs
        attempts = {t.index: 0 for t in tasks}
        pending = {t.index: t for t in tasks}
        suspects: list[int] = []   # tasks running when a worker died: each is run again alone
        failed: list[int] = []
        breaks = 0
        while pending:
            pool = self._get_pool()
            solo = next((i for i in suspects if i in pending), None)
            batch = [pending[solo]] if solo is not None else sorted(pending.values(), key=lambda t: t.index)
            self._started.clear()
            futures = {}
            for t in batch:
                if solo is not None:   # (alone, a task that kills its worker is known: the attempt counts)
                    attempts[t.index] += 1
                futures[pool.submit(_worker_run, t, cfg_dict, str(out), pass_dict)] = t
            broken = False
            while futures:
                done, _ = wait(futures, return_when=FIRST_COMPLETED)
                for fut in done:
                    t = futures.pop(fut)
                    try:
                        _, st = fut.result()
                    except BrokenProcessPool:
                        broken = True
                        continue
                    except Exception as exc:
                        raise TaskError(f"task {t.index} failed: {type(exc).__name__}: {exc}") from exc
                    on_task_done(t, RunStats.from_dict(st))
                    pending.pop(t.index, None)
                if broken:
                    break
            if not broken:
                continue
            self._drop_pool()
            breaks += 1
            if solo is not None:
                if attempts[solo] >= self.max_attempts:   # it killed its worker every time it ran alone
                    failed.append(solo)
                    pending.pop(solo)
                    suspects.remove(solo)
                continue
            time.sleep(0.2)   # (the last "start" messages)
            running = sorted(i for i in self._started if i in pending)
            suspects.extend(i for i in (running or sorted(pending)) if i not in suspects)
            if breaks > self.max_attempts * (len(tasks) + 1):   # (never: a safety stop)
                break
        if failed or pending:
            bad = sorted(failed) or sorted(pending)
            raise TaskError(f"task(s) {', '.join(map(str, bad))} failed {self.max_attempts} times "
                            "(a worker process died each time); fix the cause and run again with --resume")
        self._on_docs = None

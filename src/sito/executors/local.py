"""The local executor: tasks on N worker processes of this machine (default: all cores), with retries.

Workers are started with the `spawn` method (no state inherited from the parent; the steps are rebuilt from the
configuration in each worker) and report progress over a queue read by the parent. A worker killed by the OS
(OOM, kill -9) breaks the pool: the executor starts a new pool and runs the unfinished tasks again, at most
`max_attempts` times each; since every task rewrites its outputs from scratch (see task.py), a retry never
loses or doubles a document. With one worker, tasks run in this process — the simplest thing to debug.
"""

from __future__ import annotations

import multiprocessing as mp
import queue as queue_mod
import threading
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


def _report(n: int) -> None:
    if _progress_queue is not None:
        try:
            _progress_queue.put_nowait(n)
        except Exception:
            pass


def _worker_run(task: Task, cfg_dict: dict, out: str) -> tuple[int, dict]:
    stats = run_task(task, cfg_dict, Path(out), progress=_report)
    return task.index, stats.as_dict()


class LocalExecutor:
    def __init__(self, workers: int, max_attempts: int = 3):
        self.workers = max(1, workers)
        self.max_attempts = max_attempts

    def run_tasks(self, tasks: list[Task], cfg_dict: dict, out: Path,
                  on_docs: Callable[[int], None], on_task_done: Callable[[Task, RunStats], None]) -> None:
        if not tasks:
            return
        if self.workers == 1 or len(tasks) == 1:
            for t in tasks:
                on_task_done(t, run_task(t, cfg_dict, out, progress=on_docs))
            return
        ctx = mp.get_context("spawn")
        q = ctx.Queue()
        stop = threading.Event()

        def pump() -> None:
            while not stop.is_set():
                try:
                    on_docs(q.get(timeout=0.1))
                except queue_mod.Empty:
                    continue
                except (EOFError, OSError):
                    return

        reader = threading.Thread(target=pump, daemon=True)
        reader.start()
        attempts = {t.index: 0 for t in tasks}
        pending = {t.index: t for t in tasks}
        try:
            while pending:
                with ProcessPoolExecutor(max_workers=min(self.workers, len(pending)), mp_context=ctx,
                                         initializer=_init_worker, initargs=(q,)) as pool:
                    futures = {}
                    for t in sorted(pending.values(), key=lambda t: t.index):
                        attempts[t.index] += 1
                        futures[pool.submit(_worker_run, t, cfg_dict, str(out))] = t
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
                if pending:
                    over = [i for i in pending if attempts[i] >= self.max_attempts]
                    if over:
                        raise TaskError(f"task(s) {', '.join(map(str, sorted(over)))} failed {self.max_attempts} times "
                                        "(a worker process died each time); fix the cause and run again with --resume")
        finally:
            stop.set()
            reader.join(timeout=2)
            # drain what is left so the feeder thread can exit
            try:
                while True:
                    on_docs(q.get_nowait())
            except Exception:
                pass
            q.close()

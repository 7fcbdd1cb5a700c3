"""Live progress of a run (documents, documents/s, tasks, ETA) and the final summary table, with rich.

The bar advances by input bytes of finished tasks, so the ETA reflects the work left; the document counter and
rate update while tasks run. Nothing is drawn when the output is not a terminal (CI logs, pipes).
"""

from __future__ import annotations

import sys
import threading
import time
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from ..pipeline import RunStats
from .plan import Plan, Task


class RunProgress:
    def __init__(self, plan: Plan, done: set[int] | None = None, enabled: bool | None = None, quiet: bool = False,
                 label: str = ""):
        self.label = label
        self.console = Console(stderr=True)
        if enabled is None:
            enabled = self.console.is_terminal and not quiet
        self.enabled = enabled
        self.total_bytes = max(1, sum(t.nbytes for t in plan.tasks))
        done = done or set()
        self.done_bytes = sum(t.nbytes for t in plan.tasks if t.index in done)
        self.tasks_total = len(plan.tasks)
        self.tasks_done = len(done)
        self.docs = 0
        self.t0 = time.monotonic()
        self._lock = threading.Lock()
        self._progress = None
        self._bar = None

    def __enter__(self) -> "RunProgress":
        if self.enabled:
            self._progress = Progress(
                TextColumn("[bold]sito[/bold] {task.fields[tasks]}"),
                BarColumn(),
                TextColumn("{task.fields[docs]} docs · {task.fields[rate]} docs/s"),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                console=self.console,
                transient=False,
            )
            self._progress.__enter__()
            self._bar = self._progress.add_task("run", total=self.total_bytes, tasks=self._tasks_text(),
                                                docs=0, rate="0")
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._progress is not None:
            self._refresh()
            self._progress.__exit__(*exc)

    def _tasks_text(self) -> str:
        return f"{self.label}tasks {self.tasks_done}/{self.tasks_total}"

    def _refresh(self) -> None:
        if self._progress is None:
            return
        elapsed = max(1e-6, time.monotonic() - self.t0)
        self._progress.update(self._bar, completed=self.done_bytes, tasks=self._tasks_text(),
                              docs=f"{self.docs:,}", rate=f"{self.docs / elapsed:,.0f}")

    def on_docs(self, n: int) -> None:
        with self._lock:
            self.docs += n
            self._refresh()

    def on_task_done(self, task: Task, stats: RunStats) -> None:
        with self._lock:
            self.tasks_done += 1
            self.done_bytes += task.nbytes
            self._refresh()


def print_summary(result: dict[str, Any], out) -> None:
    console = Console(file=sys.stderr)
    t = Table(title=f"sito: {out}", show_header=True, header_style="bold")
    t.add_column("")
    t.add_column("documents", justify="right")
    t.add_column("share", justify="right")
    read = max(1, result["read"])
    t.add_row("read", f"{result['read']:,}", "")
    t.add_row("kept", f"{result['kept']:,}", f"{100 * result['kept'] / read:.1f} %")
    t.add_row("rejected", f"{result['rejected']:,}", f"{100 * result['rejected'] / read:.1f} %")
    for code, n in list(result["reasons"].items())[:12]:
        t.add_row(f"  {code}", f"{n:,}", f"{100 * n / read:.1f} %")
    console.print(t)
    s = Table(show_header=True, header_style="bold", title="steps")
    for col in ("step", "in", "rejected", "seconds", "docs/s"):
        s.add_column(col, justify="right" if col != "step" else "left")
    for name, st in result["steps"].items():
        rate = st["in"] / st["seconds"] if st["seconds"] > 0 else 0.0
        s.add_row(name, f"{st['in']:,}", f"{st['rejected']:,}", f"{st['seconds']:.2f}", f"{rate:,.0f}")
    console.print(s)
    console.print(f"{result['tasks']} task(s) on {result['workers']} worker(s) in {result['wall_seconds']:.1f} s → {out}")

"""One run of `sito clean`: prepare the output folder, plan, execute the tasks, merge the stats, write the report.

The output folder (documented in README "Output folder"):

    OUT/
      config.json              the resolved configuration of the run (reused by --resume)
      plan.json                the tasks: which input slices each one reads (reused by --resume)
      kept/part-NNNNN-SSSS.*   kept documents of task NNNNN, shard SSSS
      rejected/part-NNNNN-SSSS.*  rejected documents, each with its reason
      stats/task-NNNNN.json    per-task stats; completions/task-NNNNN marks a finished task
      stats.json               the merged stats: read == kept + rejected, reasons, per-step counts and times
      report.html              the report (unless disabled)
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from ..config import Config, config_from_dict
from ..errors import ConfigError
from ..pipeline import RunStats
from .plan import Plan, make_plan, write_json_atomic
from .task import completion_marker, is_done, task_stats_path

_SITO_MARKERS = ("plan.json", "config.json")


def _prepare_output(out: Path, resume: bool, overwrite: bool) -> None:
    if out.exists() and not out.is_dir():
        raise ConfigError(f"output {out} exists and is not a folder")
    if out.is_dir() and any(out.iterdir()):
        is_sito = any((out / m).exists() for m in _SITO_MARKERS)
        if resume:
            if not (out / "plan.json").exists():
                raise ConfigError(f"--resume: {out} has no plan.json, it is not the output of an earlier sito run")
            return
        if overwrite:
            if not is_sito:
                raise ConfigError(f"--overwrite: {out} does not look like a sito output folder; refusing to delete it")
            shutil.rmtree(out)
        else:
            raise ConfigError(f"output folder {out} is not empty: use --resume to continue that run or --overwrite to replace it")
    out.mkdir(parents=True, exist_ok=True)


def merge_stats(out: Path, plan: Plan) -> RunStats:
    total = RunStats()
    for t in plan.tasks:
        p = task_stats_path(out, t.index)
        total = total + RunStats.from_dict(json.loads(p.read_text("utf-8")))
    return total


def run(inputs: list[str], out: str | Path, cfg: Config, *, resume: bool = False, overwrite: bool = False,
        progress: bool | None = None, quiet: bool = False) -> dict[str, Any]:
    """Run the pipeline of `cfg` over `inputs` into `out`; returns the content of stats.json."""
    out = Path(out)
    _prepare_output(out, resume, overwrite)
    wall0 = time.perf_counter()
    if resume and (out / "config.json").exists():
        saved = config_from_dict(json.loads((out / "config.json").read_text("utf-8")))
        saved.run.workers = cfg.run.workers  # the one setting a resumed run may change
        saved.run.executor, saved.run.ray_address = cfg.run.executor, cfg.run.ray_address
        cfg = saved
    cfg_dict = cfg.as_dict()  # builds the step list once: unknown steps fail here, before any work
    from ..config import build_steps

    build_steps(cfg.pipeline_steps())
    if resume and (out / "plan.json").exists():
        plan = Plan.load(out / "plan.json")
    else:
        plan = make_plan(inputs, cfg.run.task_bytes)
        write_json_atomic(out / "config.json", cfg_dict)
        plan.save(out / "plan.json")
    todo = [t for t in plan.tasks if not is_done(out, t.index)]
    workers = cfg.run.resolved_workers()

    from .progress import RunProgress

    done = {t.index for t in plan.tasks} - {t.index for t in todo}
    with RunProgress(plan, done=done, enabled=progress, quiet=quiet) as prog:
        if cfg.run.executor == "ray":
            from .ray import RayExecutor

            executor = RayExecutor(address=cfg.run.ray_address, workers=cfg.run.workers or None)
        else:
            from .local import LocalExecutor

            executor = LocalExecutor(workers)
        executor.run_tasks(todo, cfg_dict, out, prog.on_docs, prog.on_task_done)

    missing = [t.index for t in plan.tasks if not completion_marker(out, t.index).exists()]
    if missing:  # an executor returned without finishing: never write stats that would look complete
        raise ConfigError(f"tasks not completed: {missing[:10]}; run again with --resume")
    total = merge_stats(out, plan)
    result = total.as_dict()
    result["tasks"] = len(plan.tasks)
    result["workers"] = workers
    result["executor"] = cfg.run.executor
    result["wall_seconds"] = round(time.perf_counter() - wall0, 3)
    write_json_atomic(out / "stats.json", result)
    if cfg.run.report:
        _write_report(out, quiet)
    if not quiet:
        from .progress import print_summary

        print_summary(result, out)
    return result


def _write_report(out: Path, quiet: bool) -> None:
    try:
        from ..report import write_report
    except ImportError:
        return
    try:
        write_report(out)
    except Exception as exc:  # the report is a view of the data; it never fails the run
        if not quiet:
            print(f"warning: report not written: {type(exc).__name__}: {exc}", file=sys.stderr)


__all__ = ["run", "merge_stats"]

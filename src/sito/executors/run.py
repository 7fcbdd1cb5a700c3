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
      work/                    intermediate passes of dedup (see passes.py), removed when the run completes
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from ..config import Config, build_steps, config_from_dict
from ..errors import ConfigError, TaskError
from ..pipeline import RunStats
from .passes import Pass, global_stage, plan_passes
from .plan import Plan, make_plan, write_json_atomic
from .task import is_done, task_stats_path

def _check_output(out: Path, resume: bool, overwrite: bool) -> bool:
    """Refuse an output folder the run may not use (nothing is changed here); True when it holds an earlier
    run's output that --overwrite replaces."""
    if out.exists() and not out.is_dir():
        raise ConfigError(f"output {out} exists and is not a folder")
    if not (out.is_dir() and any(out.iterdir())):
        return False
    if resume:
        if not (out / "plan.json").exists():
            raise ConfigError(f"--resume: {out} has no plan.json, it is not the output of an earlier sito run")
        return False
    if overwrite:
        if not _is_sito_output(out):
            raise ConfigError(f"--overwrite: {out} does not look like a sito output folder; refusing to delete it")
        return True
    raise ConfigError(f"output folder {out} is not empty: use --resume to continue that run or --overwrite to replace it")


def _is_sito_output(out: Path) -> bool:
    """Whether a folder holds a sito run: its plan.json, or (a run stopped before planning) its config.json — as
    sito writes them, not any file of that name."""
    for name, keys in (("plan.json", {"version", "inputs", "tasks"}), ("config.json", {"run", "input", "dedup"})):
        try:
            d = json.loads((out / name).read_text("utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(d, dict) and keys <= d.keys():
            return True
    return False


def _prepare_output(out: Path, replace: bool) -> None:
    if replace:
        shutil.rmtree(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:   # ("a/b" where a is a file, a read-only place, no such device…)
        raise ConfigError(f"cannot create the output folder {out}: {exc.strerror or exc}") from None


def _given_and_different(cfg: Config, saved: Config) -> list[str]:
    """The settings of `cfg` that were given (differ from the defaults: a flag or the config file set them) and
    differ from the saved run's: `sito clean IN -o OUT --resume` alone gives none, whatever the run was started with."""
    now, then, default = cfg.as_dict(), saved.as_dict(), Config().as_dict()
    out = [f"{sec}.{k}" for sec in ("run", "input", "dedup") for k, v in now[sec].items()
           if v != default[sec].get(k) and v != then[sec].get(k)]
    if cfg.steps is not None and now.get("steps") != then.get("steps"):
        out.append("steps")
    return out


def _absolute(inputs: list, cwd: str | None = None) -> list[str]:
    return [os.path.normpath(os.path.join(cwd or os.getcwd(), str(i))) for i in inputs]


def merge_stats(out: Path, plan: Plan, passes: list[Pass]) -> RunStats:
    """Sum the per-task stats: documents read in the first pass, kept / rejected / reasons of the final pass,
    and every pass's step counts and times."""
    total = RunStats()
    for i, p in enumerate(passes):
        part = RunStats()
        for t in plan.tasks:
            part = part + RunStats.from_dict(json.loads(task_stats_path(out, t.index, p.name).read_text("utf-8")))
        if i == 0:
            total.read = part.read
        if p.final:
            total.kept, total.rejected, total.reasons = part.kept, part.rejected, part.reasons
        total.seconds += part.seconds
        for name, st in part.steps.items():
            total.steps[name] = total.steps[name] + st if name in total.steps else st
    return total


def _map_here(fn, args: list[tuple]) -> list:
    return [fn(*a) for a in args]


def _stage_marker(out: Path, p: Pass) -> Path:
    return out / "completions" / f"{p.name}-{p.hash.kind}-stage"


def run(inputs: list[str], out: str | Path, cfg: Config, *, resume: bool = False, overwrite: bool = False,
        progress: bool | None = None, quiet: bool = False) -> dict[str, Any]:
    """Run the pipeline of `cfg` over `inputs` into `out`; returns the content of stats.json."""
    out = Path(out).resolve()
    replace = _check_output(out, resume, overwrite)
    wall0 = time.perf_counter()
    if resume and (out / "config.json").exists():
        saved = config_from_dict(json.loads((out / "config.json").read_text("utf-8")))
        saved.run.workers = cfg.run.workers  # the settings a resumed run may change
        saved.run.executor, saved.run.ray_address = cfg.run.executor, cfg.run.ray_address
        saved.run.report = cfg.run.report
        differ = _given_and_different(cfg, saved)
        if differ and not quiet:
            print(f"warning: --resume finishes the run as it was started: {', '.join(differ)} given now differ from "
                  "the saved configuration, which is used", file=sys.stderr)
        cfg = saved
    cfg_dict = cfg.as_dict()
    # unknown steps, bad parameters and missing inputs fail here, before any work and before --overwrite deletes
    build_steps(cfg.pipeline_steps())
    passes = plan_passes(cfg, out)
    if resume and (out / "plan.json").exists():
        plan = Plan.load(out / "plan.json")
        plan.check_cwd()
        plan.check_files()
        if _absolute(inputs) != _absolute(plan.inputs, plan.cwd) and not quiet:
            print(f"warning: --resume reads the inputs the run was started with ({' '.join(plan.inputs)[:200]}), "
                  "not the ones given now", file=sys.stderr)
        _prepare_output(out, False)
    else:
        plan = make_plan(inputs, cfg.run.task_bytes, exclude=out)
        _prepare_output(out, replace)
        write_json_atomic(out / "config.json", cfg_dict)
        plan.save(out / "plan.json")
    workers = cfg.run.resolved_workers()
    if cfg.run.executor == "ray":
        from .ray import RayExecutor

        executor = RayExecutor(address=cfg.run.ray_address, workers=cfg.run.workers or None)
    else:
        from .local import LocalExecutor

        executor = LocalExecutor(workers)

    from .progress import RunProgress

    stage_counters: dict[str, dict[str, int]] = {}
    with executor:
        for p in passes:
            todo = [t for t in plan.tasks if not is_done(out, t.index, p.name)]
            done = {t.index for t in plan.tasks} - {t.index for t in todo}
            label = "" if len(passes) == 1 else f"{p.name} "
            with RunProgress(plan, done=done, enabled=progress, quiet=quiet, label=label) as prog:
                executor.run_tasks(todo, cfg_dict, out, prog.on_docs, prog.on_task_done, pass_dict=p.as_dict())
            missing = [t.index for t in plan.tasks if not is_done(out, t.index, p.name)]
            if missing:  # an executor returned without finishing: never write stats that would look complete
                raise TaskError(f"pass {p.name}: tasks not completed: {missing[:10]}; run again with --resume")
            if p.hash is not None:
                marker = _stage_marker(out, p)
                counters_path = out / "stats" / f"{p.hash.kind}-stage.json"
                if not marker.exists():
                    t0 = time.perf_counter()
                    # a corpus of one task is small: its partitions are not worth starting processes for
                    mapper = executor.map if len(plan.tasks) > 1 else _map_here
                    counters = global_stage(p.hash, mapper)
                    counters["seconds"] = round(time.perf_counter() - t0, 3)
                    write_json_atomic(counters_path, counters)
                    marker.touch()
                stage_counters[p.hash.kind] = json.loads(counters_path.read_text("utf-8"))
    total = merge_stats(out, plan, passes)
    result = total.as_dict()
    for kind, counters in stage_counters.items():
        secs = float(counters.get("seconds", 0.0))
        result["steps"][f"dedup:{kind}"] = {"in": 0, "out": 0, "rejected": 0, "seconds": secs,
                                            "counters": {k: v for k, v in counters.items() if k != "seconds"}}
    result["tasks"] = len(plan.tasks)
    result["passes"] = [p.name for p in passes]
    result["workers"] = workers
    result["executor"] = cfg.run.executor
    result["wall_seconds"] = round(time.perf_counter() - wall0, 3)
    write_json_atomic(out / "stats.json", result)
    if len(passes) > 1:
        shutil.rmtree(out / "work", ignore_errors=True)  # intermediate passes: not needed once stats.json exists
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

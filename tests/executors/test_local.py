"""The local executor end to end through the CLI: run folder layout, accounting, determinism, kill and resume."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sito.cli import main

HERE = Path(__file__).resolve().parent


def _corpus(tmp: Path, n: int = 60, bad: bool = True) -> Path:
    """A JSONL corpus of documents recombined from the real sentences of the example page, with two exact
    copies and, if `bad`, four bad records."""
    import random
    import re

    text = (HERE.parent.parent / "examples" / "pl_news_scraped.clean.txt").read_text("utf-8")
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text.replace("\n", " ")) if len(s) > 20]
    docs = []
    for i in range(n):
        rng = random.Random(i)
        picked = rng.sample(sentences, 9)
        docs.append("\n\n".join(" ".join(picked[k:k + 3]) for k in (0, 3, 6)))
    if n > 20:
        docs[10] = docs[3]
        docs[20] = docs[3]
    lines = [json.dumps({"id": f"d{i:04d}", "text": body, "url": f"https://site{i % 7}.example.pl/{i}"},
                        ensure_ascii=False) for i, body in enumerate(docs)]
    if bad:
        lines.insert(5, "{not json")
        lines.insert(9, json.dumps([1, 2, 3]))
        lines.insert(13, json.dumps({"id": "no-text", "body": "x"}))
        lines.insert(17, json.dumps({"id": "num", "text": 42}))
    p = tmp / "corpus.jsonl"
    p.write_text("\n".join(lines) + "\n", "utf-8")
    return p


def _records(out: Path) -> dict[str, list[dict]]:
    from sito.io import iter_output_records, output_files

    res = {}
    for sub in ("kept", "rejected"):
        recs = []
        for f in output_files(out / sub):
            recs.extend(iter_output_records(f))
        res[sub] = recs
    return res


def _config(tmp: Path, extra: str = "") -> Path:
    """Executor tests run the I/O and dedup passes without the cleaner and filters (tested on their own)."""
    p = tmp / "sito.toml"
    steps = "" if "[[steps]]" in extra else "steps = []"
    p.write_text(f"""{steps}
[run]
task_bytes = 3000
docs_per_shard = 7
report = false
{extra}
""", "utf-8")
    return p


def test_run_folder_layout_and_accounting(tmp_path):
    corpus = _corpus(tmp_path)
    out = tmp_path / "out"
    rc = main(["clean", str(corpus), "-o", str(out), "--config", str(_config(tmp_path)), "-w", "1", "-q"])
    assert rc == 0
    stats = json.loads((out / "stats.json").read_text())
    assert stats["read"] == 64
    assert stats["read"] == stats["kept"] + stats["rejected"]
    assert stats["reasons"].get("read:malformed_json") == 1
    assert stats["reasons"].get("read:not_object") == 1
    assert stats["reasons"].get("read:missing_field") == 1
    assert stats["reasons"].get("read:bad_field") == 1
    assert stats["reasons"].get("near_duplicate") == 2  # the two planted copies
    assert stats["kept"] > 40
    for name in ("config.json", "plan.json", "stats.json"):
        assert (out / name).is_file()
    plan = json.loads((out / "plan.json").read_text())
    assert len(plan["tasks"]) > 1  # small task_bytes splits the file
    n = len(plan["tasks"])
    assert stats["passes"] == ["p0", "p1", "final"]  # dedup: MinHash, then repeated lines, then the rest
    tasks = [f"{pre}task-{i:05d}" for pre in ("", "p0-", "p1-") for i in range(n)]
    assert sorted(p.name for p in (out / "completions").iterdir()) == sorted(tasks + ["p0-minhash-stage", "p1-lines-stage"])
    assert sorted(p.name for p in (out / "stats").iterdir()) == sorted(
        [t + ".json" for t in tasks] + ["lines-stage.json", "minhash-stage.json"])
    assert not (out / "work").exists()  # intermediate passes are removed once the run is complete
    recs = _records(out)
    assert len(recs["kept"]) == stats["kept"] and len(recs["rejected"]) == stats["rejected"]
    assert all("reason" in r and r["reason"]["code"] for r in recs["rejected"])
    assert not any(p.name.startswith(".tmp") for p in (out / "kept").iterdir())
    assert "read" in stats["steps"] and "write" in stats["steps"]
    # the corpus-wide stage's counters are its totals (the partitions' and the global step's were added up: twice)
    mh = stats["steps"]["dedup:minhash"]["counters"]
    assert mh["removed"] == stats["reasons"]["near_duplicate"] and mh["edges"] <= mh["candidates"]
    for name, st in stats["steps"].items():   # (the first read counted its rejections as passed on too)
        assert st["in"] == st["out"] + st["rejected"], (name, st)


@pytest.mark.parametrize("verify", ["signature", "none"])
def test_dedup_verify_is_a_setting(tmp_path, verify):
    """`[dedup] verify` chooses how MinHash candidates are confirmed (it was not a `sito clean` setting: the run
    always stored every document's shingle set)."""
    from sito.config import ConfigError, load_config

    corpus = _corpus(tmp_path, bad=False)
    out = tmp_path / "out"
    cfg = _config(tmp_path, f'[dedup]\nverify = "{verify}"')
    assert load_config(cfg).dedup.minhash_params()["verify"] == verify
    assert main(["clean", str(corpus), "-o", str(out), "--config", str(cfg), "-w", "1", "-q"]) == 0
    stats = json.loads((out / "stats.json").read_text())
    assert stats["reasons"].get("near_duplicate") == 2 and stats["read"] == stats["kept"] + stats["rejected"]
    with pytest.raises(ConfigError, match="verify must be jaccard, signature or none"):
        load_config(_config(tmp_path, '[dedup]\nverify = "exact"'))


def test_output_is_identical_for_any_number_of_workers(tmp_path):
    corpus = _corpus(tmp_path)
    cfg = _config(tmp_path)
    outs = []
    for w in (1, 2):
        out = tmp_path / f"out{w}"
        assert main(["clean", str(corpus), "-o", str(out), "--config", str(cfg), "-w", str(w), "-q"]) == 0
        outs.append(out)
    files = [sorted(p.relative_to(o) for p in (o / "kept").rglob("*")) + sorted(p.relative_to(o) for p in (o / "rejected").rglob("*")) for o in outs]
    assert files[0] == files[1]
    for rel in files[0]:
        assert (outs[0] / rel).read_bytes() == (outs[1] / rel).read_bytes(), rel


def test_refuses_non_empty_output_without_resume(tmp_path, capsys):
    corpus = _corpus(tmp_path, n=3, bad=False)
    out = tmp_path / "out"
    args = ["clean", str(corpus), "-o", str(out), "-q", "--config", str(_config(tmp_path))]
    assert main(args) == 0
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "not empty" in err and "Traceback" not in err
    assert main(args + ["--overwrite"]) == 0


def test_overwrite_deletes_only_a_sito_output_and_only_once_the_run_can_start(tmp_path, capsys):
    """--overwrite took any folder with a file named config.json for a sito output and deleted all of it; and it
    deleted the earlier output before the inputs, the preset or the steps were checked."""
    corpus = _corpus(tmp_path, n=3, bad=False)
    proj = tmp_path / "proj"
    (proj / "src").mkdir(parents=True)
    (proj / "config.json").write_text("{}")
    (proj / "src" / "main.py").write_text("precious")
    assert main(["clean", str(corpus), "-o", str(proj), "--overwrite", "-q", "--no-dedup"]) == 2
    assert (proj / "src" / "main.py").read_text() == "precious"
    assert "does not look like a sito output" in capsys.readouterr().err
    out = tmp_path / "out"
    assert main(["clean", str(corpus), "-o", str(out), "-q", "--config", str(_config(tmp_path))]) == 0
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    for bad in (["clean", str(tmp_path / "missing.jsonl"), "-o", str(out), "--overwrite", "-q"],
                ["clean", str(corpus), "-o", str(out), "--overwrite", "-q", "--preset", "bogus"]):
        assert main(bad) == 2
        assert sorted(p.relative_to(out) for p in out.rglob("*")) == before
    assert main(["clean", str(corpus), "-o", str(out), "--overwrite", "-q", "--config", str(_config(tmp_path))]) == 0


def test_resume_refuses_inputs_changed_since_the_run_started(tmp_path, capsys):
    """The plan's byte ranges are those of the files as planned: a file appended to or rewritten before --resume
    would be read in ranges that no longer fall on its records."""
    corpus = _corpus(tmp_path, n=3, bad=False)
    out = tmp_path / "out"
    cfg = str(_config(tmp_path))
    assert main(["clean", str(corpus), "-o", str(out), "-q", "--config", cfg]) == 0
    with open(corpus, "a", encoding="utf-8") as f:
        f.write(json.dumps({"id": "late", "text": "Appended after the run started."}) + "\n")
    capsys.readouterr()
    assert main(["clean", str(corpus), "-o", str(out), "-q", "--resume", "--config", cfg]) == 2
    assert "has changed since the run started" in capsys.readouterr().err


def test_an_output_folder_inside_the_input_folder_is_not_read(tmp_path):
    """`sito clean in -o in/out --overwrite` read the earlier run's shards, stats and plan as input (111
    rejections for one document), then deleted them while reading."""
    src = tmp_path / "in"
    src.mkdir()
    _corpus(src, n=3, bad=False)
    args = ["clean", str(src), "-o", str(src / "out"), "-q", "--config", str(_config(tmp_path)), "--no-dedup"]
    assert main(args) == 0 and main(args + ["--overwrite"]) == 0
    stats = json.loads((src / "out" / "stats.json").read_text())
    assert stats["read"] == 3 and stats["rejected"] == 0


def test_resume_elsewhere_with_relative_inputs_is_refused(tmp_path, monkeypatch, capsys):
    """plan.json keeps the input paths as given: resumed from another folder, every unfinished task read nothing
    and its documents became read:unreadable rejections, with exit code 0."""
    corpus = _corpus(tmp_path, n=3, bad=False)
    cfg = str(_config(tmp_path))
    monkeypatch.chdir(tmp_path)
    assert main(["clean", corpus.name, "-o", "out", "-q", "--config", cfg]) == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    capsys.readouterr()
    assert main(["clean", str(corpus), "-o", str(tmp_path / "out"), "--resume", "-q", "--config", cfg]) == 2
    assert f"started in {tmp_path}" in capsys.readouterr().err
    monkeypatch.chdir(tmp_path)   # from its own folder, given the same file by an absolute path: no warning
    assert main(["clean", str(corpus), "-o", "out", "--resume", "--no-progress", "--config", cfg]) == 0
    assert "warning" not in capsys.readouterr().err


def test_resume_with_other_inputs_or_settings_says_it_keeps_the_saved_ones(tmp_path, capsys):
    corpus = _corpus(tmp_path, n=3, bad=False)
    other = tmp_path / "other.jsonl"
    other.write_text(corpus.read_text("utf-8"), "utf-8")
    out = tmp_path / "out"
    cfg = str(_config(tmp_path))
    assert main(["clean", str(corpus), "-o", str(out), "-q", "--config", cfg]) == 0
    capsys.readouterr()
    assert main(["clean", str(corpus), "-o", str(out), "--no-progress", "--resume", "--config", cfg]) == 0
    assert "warning" not in capsys.readouterr().err   # the same run: nothing to say
    assert main(["clean", str(other), "-o", str(out), "--no-progress", "--resume", "--config", cfg,
                 "--format", "parquet"]) == 0
    err = capsys.readouterr().err
    assert "run.format given now differ" in err and "reads the inputs the run was started with" in err
    assert not list((out / "kept").glob("*.parquet"))   # the saved settings were used
    # resuming with no flag at all says nothing, whatever the run was started with (it warned of a difference)
    out2 = tmp_path / "out2"
    assert main(["clean", str(corpus), "-o", str(out2), "-q", "--config", cfg, "--format", "parquet"]) == 0
    capsys.readouterr()
    assert main(["clean", str(corpus), "-o", str(out2), "--no-progress", "--resume"]) == 0
    assert "warning" not in capsys.readouterr().err


def test_bad_path_and_bad_flag_are_one_line_errors(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text("The council voted on Tuesday to close the old bridge for repairs.", "utf-8")
    r = subprocess.run([sys.executable, "-m", "sito.cli", "clean", str(page), "-o", str(page / "sub")],
                       capture_output=True, text=True)
    assert r.returncode == 2 and r.stderr.startswith("sito: error: cannot create the output folder"), r.stderr
    for args in (["clean", str(tmp_path / "missing.jsonl"), "-o", str(tmp_path / "o")],
                 ["clean", "x", "-o", str(tmp_path / "o"), "--format", "xml"],
                 ["clean", "x"]):
        r = subprocess.run([sys.executable, "-m", "sito.cli", *args], capture_output=True, text=True)
        assert r.returncode == 2, (args, r.stderr)
        assert "Traceback" not in r.stderr
        assert len(r.stderr.strip().splitlines()) == 1, r.stderr


def _run_cli(args, extra_env=None, **kw):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(HERE), *sys.path]), **(extra_env or {}))
    return subprocess.Popen([sys.executable, "-m", "sito.cli", *args], env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)


def _children(pid: int) -> list[int]:
    kids = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            kids.append(int(d.name))
    return kids


def _canonical(out: Path) -> tuple:
    recs = _records(out)
    return (sorted(json.dumps(r, sort_keys=True) for r in recs["kept"]),
            sorted(json.dumps(r, sort_keys=True) for r in recs["rejected"]))


SLOW = '\n[[steps]]\nname = "slow_step:SlowStep"\nseconds = 0.03\n'


@pytest.mark.parametrize("marker,kill_after", [("p1-task-*", 2), ("task-*", 1)])
def test_kill_whole_run_then_resume_equals_uninterrupted(tmp_path, marker, kill_after):
    """kill -9 during the second pass (after the first corpus-wide stage) and during the final pass."""
    corpus = _corpus(tmp_path, n=80)
    cfg = _config(tmp_path, SLOW)
    ref = tmp_path / "ref"
    r = _run_cli(["clean", str(corpus), "-o", str(ref), "--config", str(cfg), "-w", "2", "-q"])
    assert r.wait(120) == 0, r.stderr.read()
    out = tmp_path / "out"
    p = _run_cli(["clean", str(corpus), "-o", str(out), "--config", str(cfg), "-w", "2", "-q"])
    deadline = time.time() + 60
    while time.time() < deadline:
        done = list((out / "completions").glob(marker)) if (out / "completions").is_dir() else []
        if len(done) >= kill_after:
            break
        time.sleep(0.02)
    os.killpg(p.pid, signal.SIGKILL)  # the main process and its workers, mid-run
    p.wait()
    n_tasks = len(json.loads((out / "plan.json").read_text())["tasks"])
    assert len(list((out / "completions").glob("task-*"))) < n_tasks, "run finished before it was killed"
    assert not (out / "stats.json").exists()
    r = _run_cli(["clean", str(corpus), "-o", str(out), "--config", str(cfg), "-w", "2", "-q", "--resume"])
    assert r.wait(120) == 0, r.stderr.read()
    assert _canonical(out) == _canonical(ref)
    a, b = (json.loads((d / "stats.json").read_text()) for d in (out, ref))
    assert (a["read"], a["kept"], a["rejected"], a["reasons"]) == (b["read"], b["kept"], b["rejected"], b["reasons"])


def _reference_then_run(tmp_path):
    """An uninterrupted one-worker run of a slow corpus (`ref`), then the same on two workers started (`p`, into
    `out`) for a test to interrupt."""
    corpus = _corpus(tmp_path, n=80)
    cfg = _config(tmp_path, SLOW)
    ref = tmp_path / "ref"
    assert _run_cli(["clean", str(corpus), "-o", str(ref), "--config", str(cfg), "-w", "1", "-q"]).wait(120) == 0
    out = tmp_path / "out"
    return corpus, cfg, ref, out, _run_cli(["clean", str(corpus), "-o", str(out), "--config", str(cfg), "-w", "2",
                                            "-q"])


def test_killed_worker_is_retried_and_nothing_is_lost(tmp_path):
    corpus, cfg, ref, out, p = _reference_then_run(tmp_path)
    killed = False
    deadline = time.time() + 60
    while time.time() < deadline and not killed:
        # a worker has started once some task is running; kill one worker (a child of the main process)
        kids = _children(p.pid)
        workers = []
        for k in kids:
            try:
                cmd = Path(f"/proc/{k}/cmdline").read_bytes()
            except OSError:
                continue
            if b"resource_tracker" not in cmd:
                workers.append(int(k))
        if workers and (out / "completions").is_dir() and list((out / "completions").glob("task-*")):
            os.kill(workers[0], signal.SIGKILL)
            killed = True
        time.sleep(0.02)
    assert killed
    assert p.wait(120) == 0, p.stderr.read()
    assert _canonical(out) == _canonical(ref)


def test_sigterm_stops_the_workers_and_resume_finishes(tmp_path):
    """SIGTERM to sito (kill, timeout, a batch system) ended the main process alone: its workers went on writing
    into the output folder, orphaned, racing a later --resume."""
    corpus, cfg, ref, out, p = _reference_then_run(tmp_path)
    deadline = time.time() + 60
    kids = []
    while time.time() < deadline:
        kids = _children(p.pid)
        if kids and (out / "completions").is_dir() and list((out / "completions").glob("*task-*")):
            break
        time.sleep(0.02)
    assert kids
    os.kill(p.pid, signal.SIGTERM)
    assert p.wait(60) == 130
    time.sleep(1)
    alive = [k for k in kids if Path(f"/proc/{k}").exists() and "Z" not in Path(f"/proc/{k}/stat").read_text()
             .rsplit(")", 1)[1].split()[0]]
    assert not alive
    r = _run_cli(["clean", str(corpus), "-o", str(out), "--config", str(cfg), "-w", "2", "-q", "--resume"])
    assert r.wait(120) == 0, r.stderr.read()
    assert _canonical(out) == _canonical(ref)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_to_the_main_process_alone_stops_the_running_tasks(tmp_path, sig):
    """`kill -INT <pid>` or `kill <pid>` to the main process only (not Ctrl-C, which reaches every process of the
    group): the run ends at once, its workers stopped in the middle of their tasks rather than waited for (each
    document of the final pass takes 60 s here), with the Ctrl-C message and code; the output is left as an
    interrupted run (no stats.json, the final pass unfinished) that --resume finishes."""
    corpus = _corpus(tmp_path, n=80)
    cfg = _config(tmp_path, SLOW)
    ref = tmp_path / "ref"
    assert _run_cli(["clean", str(corpus), "-o", str(ref), "--config", str(cfg), "-w", "1", "-q"]).wait(120) == 0
    out = tmp_path / "out"
    p = _run_cli(["clean", str(corpus), "-o", str(out), "--config", str(cfg), "-w", "2", "-q"],
                 extra_env={"SITO_TEST_STALL": "60"})
    deadline = time.time() + 90
    while time.time() < deadline and not (out / "completions" / "p1-lines-stage").exists():
        time.sleep(0.05)   # (the passes before the final one do not run the slow step)
    assert (out / "completions" / "p1-lines-stage").exists()
    time.sleep(2)   # both workers are inside their first document of the final pass
    kids = _children(p.pid)
    assert kids
    t0 = time.time()
    os.kill(p.pid, sig)
    assert p.wait(30) == 130
    assert time.time() - t0 < 10
    assert "interrupted (finished tasks are kept; continue with --resume)" in p.stderr.read().decode()
    time.sleep(1)
    alive = [k for k in kids if Path(f"/proc/{k}").exists() and "Z" not in Path(f"/proc/{k}/stat").read_text()
             .rsplit(")", 1)[1].split()[0]]
    assert not alive
    n_tasks = len(json.loads((out / "plan.json").read_text())["tasks"])
    assert not (out / "stats.json").exists() and (out / "work").is_dir()
    assert len(list((out / "completions").glob("task-*"))) < n_tasks
    assert not any(f.name.startswith("part-") for sub in ("kept", "rejected") if (out / sub).is_dir()
                   for f in (out / sub).iterdir())   # (no document of the final pass was finished)
    r = _run_cli(["clean", str(corpus), "-o", str(out), "--config", str(cfg), "-w", "2", "-q", "--resume"])
    assert r.wait(120) == 0, r.stderr.read()
    assert _canonical(out) == _canonical(ref)


def test_a_task_that_kills_its_worker_fails_alone(tmp_path):
    """One task whose worker died every time failed every task: after each broken pool all pending tasks were
    charged an attempt, and the poison task, submitted first, broke the pool again. Now the tasks running when a
    worker died are run again alone: the others finish (their completion markers are written) and only the
    culprit is named."""
    corpus = _corpus(tmp_path, n=80, bad=False)
    cfg = _config(tmp_path, '\n[[steps]]\nname = "slow_step:KillerStep"\nvictim = "d0001"\n')
    out = tmp_path / "out"
    p = _run_cli(["clean", str(corpus), "-o", str(out), "--config", str(cfg), "-w", "2", "-q", "--no-dedup"])
    assert p.wait(300) == 1
    err = p.stderr.read().decode()
    assert "task(s) 0 failed 3 times" in err, err
    n = len(json.loads((out / "plan.json").read_text())["tasks"])
    assert n > 3 and sorted(q.name for q in (out / "completions").iterdir()) == [
        f"task-{i:05d}" for i in range(1, n)]


def test_compressed_jsonl_output_is_readable(tmp_path):
    corpus = _corpus(tmp_path, n=5, bad=False)
    out = tmp_path / "out"
    assert main(["clean", str(corpus), "-o", str(out), "-q", "--config", str(_config(tmp_path)),
                 "--compression", "gz"]) == 0
    files = list((out / "kept").glob("*.jsonl.gz"))
    assert files
    with gzip.open(files[0], "rt", encoding="utf-8") as f:
        first = json.loads(f.readline())
    assert {"id", "text", "url", "source"} <= set(first)


def test_listed_steps_keep_their_order_around_dedup(tmp_path):
    """A step listed before clean.v1 ran after it (and after dedup) when dedup was on: every step but the content
    steps was moved behind the dedup passes."""
    from sito.config import load_config
    from sito.executors.passes import plan_passes

    cfg = load_config(_config(tmp_path, '[[steps]]\nname = "slow_step:SlowStep"\n[[steps]]\nname = "clean.v1"\n'
                                        '[[steps]]\nname = "language.v1"\n'))
    passes = plan_passes(cfg, tmp_path / "out")
    assert [s.name for s in passes[0].steps] == ["slow_step:SlowStep", "clean.v1"]
    assert [s.name for s in passes[-1].steps][-1] == "language.v1"

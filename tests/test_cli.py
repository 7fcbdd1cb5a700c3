"""The `sito` command's surface: every subcommand answers --help, `steps` lists registered steps and presets."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest


@pytest.mark.parametrize("cmd", ["clean", "report", "inspect", "train", "eval", "eval-quotes"])
def test_every_subcommand_has_help(cmd):
    r = subprocess.run([sys.executable, "-m", "sito.cli", cmd, "--help"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(f"usage: sito {cmd}")


def test_steps_lists_registered_steps_and_presets(capsys):
    from sito.cli import main

    assert main(["steps"]) == 0
    out = capsys.readouterr().out
    for name in ("html.v1", "clean.v1", "language.v1", "gopher_quality.v1", "minhash.v1", "repeated_lines.v1"):
        assert name in out
    assert "preset news: html.v1 → clean.v1 → language.v1" in out
    assert "preset fineweb2:" in out


def test_unknown_step_in_config_is_one_line_error(tmp_path):
    cfg = tmp_path / "sito.toml"
    cfg.write_text('[[steps]]\nname = "no_such_step.v1"\n[run]\nworkers = "two"\n')
    src = tmp_path / "a.txt"
    src.write_text("x")
    r = subprocess.run([sys.executable, "-m", "sito.cli", "clean", str(src), "-o", str(tmp_path / "o"),
                        "--config", str(cfg)], capture_output=True, text=True)
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and "workers must be int" in r.stderr


def test_flags_that_shape_the_preset_are_refused_with_a_list_of_steps(tmp_path):
    """--title-in-text, --explain-raw and --preset build the preset's steps; a config that lists its own steps
    would silently run without them, so the run stops and says so."""
    from sito.config import ConfigError, load_config

    cfg = tmp_path / "sito.toml"
    cfg.write_text('[[steps]]\nname = "clean.v1"\n')
    for over in ({"title_in_text": True}, {"explain_raw": True}, {"preset": "fineweb2"}):
        with pytest.raises(ConfigError, match=r"own \[\[steps\]\]"):
            load_config(cfg, {"run": over})
    # a preset of "none", a flag left unset, and settings of the run itself are fine
    assert load_config(cfg, {"run": {"preset": "none", "title_in_text": None, "workers": 1}}).steps


def test_quiet_prints_nothing_but_errors(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("The council voted on Tuesday to close the old bridge for repairs.", "utf-8")
    (src / "notes.xyz").write_text("a file of a type sito does not read", "utf-8")
    r = subprocess.run([sys.executable, "-m", "sito.cli", "clean", str(src), "-o", str(tmp_path / "o"), "-q",
                        "--no-report", "-w", "1"], capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout == "" and r.stderr == "", (r.stdout, r.stderr)
    # without -q the skipped file is reported
    r = subprocess.run([sys.executable, "-m", "sito.cli", "clean", str(src), "-o", str(tmp_path / "o2"),
                        "--no-progress", "--no-report", "-w", "1"], capture_output=True, text=True)
    assert "skipped 1 file(s) of an unsupported type" in r.stderr


def test_eval_quotes_scores_the_annotated_paragraphs():
    from pathlib import Path

    gold = Path(__file__).resolve().parent / "fixtures" / "clean" / "quotes_dev.jsonl"
    r = subprocess.run([sys.executable, "-m", "sito.cli", "eval-quotes", str(gold)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "quotations: precision" in r.stdout and "speakers" in r.stdout


def test_step_parameters_of_the_wrong_type_are_config_errors():
    """docs/configuration.md: values of the wrong type are errors, all at once, before any work starts. A string
    "false" would have been true; "fifty" words made every document an error rejection."""
    import pytest

    from sito.config import ConfigError, StepSpec, build_steps

    with pytest.raises(ConfigError) as e:
        build_steps([StepSpec("clean.v1", {"title_in_text": "false"}), StepSpec("clean.v1", {"language": "klingon"}),
                     StepSpec("gopher_quality.v1", {"min_doc_words": "fifty"})])
    msg = str(e.value)
    assert "title_in_text = 'false' is str, not bool" in msg and "min_doc_words = 'fifty' is str" in msg
    assert "unknown language 'klingon'" in msg
    steps = build_steps([StepSpec("gopher_quality.v1", {"min_doc_words": 40, "max_avg_word_length": 10.5})])
    assert steps[0].min_doc_words == 40


def test_a_files_errors_and_its_steps_errors_are_reported_together(tmp_path):
    """docs/configuration.md: all errors of a file at once. An unknown parameter of a step was reported only after
    the file's other errors were fixed."""
    from sito.config import ConfigError, load_config

    cfg = tmp_path / "sito.toml"
    cfg.write_text('[run]\nworkers = "two"\n[[steps]]\nname = "clean.v1"\nbogus = 1\n'
                   '[[steps]]\nname = "no_such_step.v1"\n')
    with pytest.raises(ConfigError) as e:
        load_config(cfg)
    msg = str(e.value)
    assert "workers must be int" in msg and "bogus" in msg and "unknown step 'no_such_step.v1'" in msg


def test_the_readme_configuration_example_loads_as_written(tmp_path):
    """README.md's sito.toml example is a valid config: it once set a preset beside its own [[steps]] (refused, as
    docs/configuration.md says), so a user who copied it got an error before any work."""
    import re
    from pathlib import Path

    from sito.config import build_steps, load_config

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")
    blocks = re.findall(r"```toml\n(.*?)```", readme, re.S)
    assert blocks, "README.md has no ```toml example"
    for k, block in enumerate(blocks):
        cfg_file = tmp_path / f"sito{k}.toml"
        cfg_file.write_text(block)
        cfg = load_config(cfg_file)
        if cfg.steps is not None:
            assert build_steps(cfg.steps)


@pytest.mark.parametrize("toml, message", [
    ("run = 5\n", "[run] must be a table of settings"),
    ("[[run]]\nworkers = 1\n", "[run] must be a table of settings"),
    ("steps = 5\n", "steps must be a list"),
    ("[run]\ndoc_timeout_s = true\n", "doc_timeout_s must be float, got bool"),
    ("[run]\nray_address = 123\n", "ray_address must be str, got int"),
    ("[run]\ntask_bytes = 0\n", "task_bytes must be >= 1"),
    ("[run]\ndoc_timeout_s = -1\n", "doc_timeout_s must be >= 0"),
    ("[input]\nmax_record_bytes = 0\n", "max_record_bytes must be >= 1"),
    ("[dedup]\npartitions = 0\n", "partitions must be >= 1"),
    ("[dedup]\nnum_perm = 0\n", "num_perm must be >= 1"),
    ("[dedup]\nexact = true\nexact_normalize = \"bogus\"\n", "exact_normalize must be one of"),
    ("[run]\npreset = \"bogus\"\n", "unknown preset 'bogus'"),
    ("[run]\npreset = \"none\"\nexplain_raw = true\n", "explain_raw"),
    ("[[steps]]\nname = \"clean.v1\"\nmax_lines = 0\n", "max_lines must be an integer >= 1"),
    ("[[steps]]\nname = \"clean.v1\"\nbatch = -3\n", "batch must be an integer >= 1"),
])
def test_bad_settings_are_config_errors_before_any_work(tmp_path, toml, message):
    """Each of these was accepted (and did something else than asked: a 1-second document limit, one task per
    record, every document rejected), failed in the middle of the run leaving a folder --resume could not
    recover, or stopped with an internal error."""
    from sito.config import ConfigError, load_config

    cfg = tmp_path / "sito.toml"
    cfg.write_text(toml)
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_config(cfg)


def test_every_error_of_a_file_is_reported_at_once(tmp_path):
    from sito.config import ConfigError, load_config

    cfg = tmp_path / "sito.toml"
    cfg.write_text('[run]\nworkers = -1\n[dedup]\npartitions = 0\n[[steps]]\nname = "clean.v9"\n')
    with pytest.raises(ConfigError) as e:
        load_config(cfg)
    assert "workers must be >= 0" in str(e.value) and "partitions must be >= 1" in str(e.value)
    assert "unknown step 'clean.v9'" in str(e.value)


def test_all_cores_means_the_cores_this_process_may_use(monkeypatch):
    import os

    from sito.config import RunConfig

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0}, raising=False)
    assert RunConfig().resolved_workers() == 1 and RunConfig(workers=3).resolved_workers() == 3


def test_debug_after_the_subcommand_shows_the_traceback(tmp_path):
    """The error hint says "run with --debug": given after the subcommand, as one would, it was refused
    ("unrecognized arguments: --debug")."""
    from sito.cli import main
    from sito.config import ConfigError

    cfg = tmp_path / "sito.toml"
    cfg.write_text("run = 5\n")
    args = ["clean", str(tmp_path / "x.txt"), "-o", str(tmp_path / "out"), "--config", str(cfg)]
    assert main(args) == 2
    with pytest.raises(ConfigError):
        main(args + ["--debug"])

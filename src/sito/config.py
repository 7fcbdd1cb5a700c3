"""Run configuration: the `sito.toml` schema, its defaults, presets, flag overrides and the step registry.

One schema serves the CLI, the TOML file and the Python API. A pipeline is a list of steps, each a registered,
versioned name (``"clean.v1"``, ``"gopher_quality.v1"``) with keyword parameters — plain data that travels to
worker processes (and Ray workers) and is rebuilt there, never pickled objects. Every error names the offending
key and, for an unknown step, the available names; all errors of a file are reported at once.

    [run]
    workers = 0               # 0 = all cores
    format = "jsonl"          # jsonl | parquet
    compression = "gz"        # gz | zst | none (JSONL only)
    docs_per_shard = 10000
    preset = "news"           # news | fineweb | fineweb2 | none
    title_in_text = false

    [input]
    text_field = "text"
    id_field = "id"
    url_field = "url"

    [dedup]                   # see docs/dedup.md
    lines = true
    minhash = true
    threshold = 0.7

    # or, instead of `preset` (a config that lists its own steps may not name a preset too):
    # [[steps]]               # an explicit list replaces the preset's steps; "pkg.module:Class" for your own
    # name = "clean.v1"
    # min_chars = 1
"""

from __future__ import annotations

import importlib
import inspect
import os
import tomllib
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .io.options import DEFAULT_MAX_DECOMPRESSED_BYTES, DEFAULT_MAX_RECORD_BYTES

# Packages that contribute steps: each exposes a dict STEPS = {"name.vN": StepClass}.
_STEP_PACKAGES = ("sito.html", "sito.clean", "sito.explain", "sito.filters", "sito.dedup")


@dataclass
class RunConfig:
    workers: int = 0
    format: str = "jsonl"
    compression: str = "gz"
    docs_per_shard: int = 10_000
    preset: str = "news"
    title_in_text: bool = False
    executor: str = "local"
    ray_address: str | None = None
    task_bytes: int = 64 << 20  # input bytes per task (large files are split, small files grouped)
    report: bool = True
    dedup: bool = True
    explain_raw: bool = False  # record what the uncleaned page would fail (raw_check.v1)
    doc_timeout_s: float = 60.0  # seconds one document may spend in one step; 0 = no limit

    def resolved_workers(self) -> int:
        if self.workers > 0:
            return self.workers
        try:   # the cores this process may run on (taskset, cgroups, a batch system's allocation)
            return len(os.sched_getaffinity(0)) or 1
        except (AttributeError, OSError):
            return os.cpu_count() or 1


@dataclass
class InputConfig:
    text_field: str = "text"
    id_field: str = "id"
    url_field: str = "url"
    max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES   # (the reading API's own defaults: one value for both)
    max_decompressed_bytes: int = DEFAULT_MAX_DECOMPRESSED_BYTES


@dataclass
class DedupConfig:
    """Corpus-wide dedup (see docs/dedup.md); `[run] dedup = false` / `--no-dedup` turns all of it off."""

    lines: bool = True          # remove lines repeated on >= line_k documents of a site
    line_k: int = 5
    line_group_by: str = "site"  # site | shard | all
    exact: bool = False         # exact copies of the normalised text (MinHash catches them too)
    exact_normalize: str = "lower"
    minhash: bool = True        # near-duplicates
    threshold: float = 0.7
    num_perm: int = 112
    ngram: int = 5
    keep: str = "first"         # first | longest | quality
    verify: str = "jaccard"     # jaccard | signature | none: how candidate pairs are confirmed
    rehydrate_cap: int = 0      # > 0: write metadata["minhash_rehydrate_weight"]
    partitions: int = 16

    def minhash_params(self) -> dict[str, Any]:
        return {"threshold": self.threshold, "num_perm": self.num_perm, "ngram": self.ngram, "keep": self.keep,
                "verify": self.verify, "partitions": self.partitions}


@dataclass
class StepSpec:
    name: str
    params: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, **self.params}


@dataclass
class Config:
    run: RunConfig = field(default_factory=RunConfig)
    input: InputConfig = field(default_factory=InputConfig)
    dedup: DedupConfig = field(default_factory=DedupConfig)
    steps: list[StepSpec] | None = None  # None: the preset's steps

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"run": asdict(self.run), "input": asdict(self.input), "dedup": asdict(self.dedup)}
        d["steps"] = [s.as_dict() for s in self.pipeline_steps()]
        return d

    def pipeline_steps(self) -> list[StepSpec]:
        """The per-document steps of this run, in order: the explicit list, else the preset's."""
        if self.steps is not None:
            return list(self.steps)
        return preset_steps(self.run.preset, title_in_text=self.run.title_in_text, explain_raw=self.run.explain_raw)


FORMATS = ("jsonl", "parquet")
COMPRESSIONS = ("gz", "zst", "none")
EXECUTORS = ("local", "ray")


def preset_steps(preset: str, *, title_in_text: bool = False, explain_raw: bool = False) -> list[StepSpec]:
    """Steps of a named preset. The line cleaner always runs before any document filter."""
    head = [StepSpec("html.v1", {}), StepSpec("clean.v1", {"title_in_text": title_in_text})]
    if explain_raw and preset != "none":
        head.append(StepSpec("raw_check.v1", {"preset": preset}))
    if preset == "none":
        return head
    filters: list[tuple[str, dict[str, Any]]] = []
    try:
        presets_mod = importlib.import_module("sito.filters.presets")
    except ModuleNotFoundError:
        presets_mod = None
    if presets_mod is not None:
        table = getattr(presets_mod, "PRESETS", {})
        if preset not in table:
            raise ConfigError(f"unknown preset {preset!r}; available: none, {', '.join(sorted(table))}")
        filters = list(table[preset])
    elif preset != "news":
        raise ConfigError(f"unknown preset {preset!r}; available: none, news")
    steps = head + [StepSpec(name, dict(params)) for name, params in filters]
    known = step_registry()
    return [s for s in steps if s.name in known]


def step_registry() -> dict[str, type]:
    """All registered step classes by versioned name. A name registered twice is a bug and raises."""
    reg: dict[str, type] = {}
    for pkg in _STEP_PACKAGES:
        try:
            mod = importlib.import_module(pkg)
        except ModuleNotFoundError as exc:
            if exc.name == pkg:  # the stage is not part of this installation
                continue
            raise
        for name, cls in getattr(mod, "STEPS", {}).items():
            if name in reg and reg[name] is not cls:
                raise ConfigError(f"step {name!r} registered twice ({reg[name].__module__} and {cls.__module__})")
            reg[name] = cls
    return reg


def build_steps(specs: list[StepSpec]) -> list:
    """Instantiate steps from their specs; all unknown names and bad parameters are reported together."""
    reg = step_registry()
    steps, errors = [], []
    for i, spec in enumerate(specs):
        cls = reg.get(spec.name)
        if cls is None and ":" in spec.name:  # a user's own step: "package.module:ClassName"
            cls = _import_step(spec.name, errors, i)
            if cls is None:
                continue
        if cls is None:
            errors.append(f"steps[{i}]: unknown step {spec.name!r}; available: {', '.join(sorted(reg))}")
            continue
        bad = _wrong_types(cls, spec.params)
        if bad:
            errors.extend(f"steps[{i}] ({spec.name}): {b}" for b in bad)
            continue
        try:
            steps.append(cls(**spec.params))
        except (TypeError, ValueError) as exc:
            errors.append(f"steps[{i}] ({spec.name}): {exc}")
    if errors:
        raise ConfigError("; ".join(errors))
    return steps


def _wrong_types(cls: type, params: dict[str, Any]) -> list[str]:
    """The parameters whose value is not of the type of the step's default for them (a bool for a bool, a number
    for a number, a string for a str: "false" is no bool, "fifty" no number); parameters without such a default
    are the step's to check."""
    try:
        sig = inspect.signature(cls.__init__).parameters
    except (TypeError, ValueError):
        return []
    out = []
    for name, value in params.items():
        p = sig.get(name)
        if p is None or p.default is inspect.Parameter.empty or p.default is None:
            continue
        d = p.default
        if isinstance(d, bool):
            ok = isinstance(value, bool)
        elif isinstance(d, (int, float)):   # (a threshold written as 10 or 10.5 alike)
            ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        elif isinstance(d, str):
            ok = isinstance(value, str)
        else:
            continue
        if not ok:
            out.append(f"{name} = {value!r} is {type(value).__name__}, not {type(d).__name__} (default {d!r})")
    return out


def _import_step(ref: str, errors: list[str], i: int) -> type | None:
    mod_name, _, attr = ref.partition(":")
    try:
        cls = getattr(importlib.import_module(mod_name), attr)
    except (ImportError, AttributeError) as exc:
        errors.append(f"steps[{i}]: cannot import {ref!r}: {exc}")
        return None
    from .pipeline import Step

    if not (isinstance(cls, type) and issubclass(cls, Step)):
        errors.append(f"steps[{i}]: {ref!r} is not a sito.pipeline.Step subclass")
        return None
    return cls


# keys whose default is None, and the type a value must have
_OPTIONAL_TYPES = {"ray_address": str}


def _apply_section(obj: Any, data: Any, section: str, errors: list[str]) -> None:
    if not isinstance(data, dict):   # ("run = 5", "[[run]]")
        errors.append(f"[{section}] must be a table of settings, got {type(data).__name__}")
        return
    known = {f.name: f for f in fields(obj)}
    for key, value in data.items():
        f = known.get(key)
        if f is None:
            errors.append(f"[{section}] unknown key {key!r}; known: {', '.join(known)}")
            continue
        current = getattr(obj, key)
        expected = type(current) if current is not None else _OPTIONAL_TYPES.get(key)
        if value is not None and expected is not None and (
                (expected in (int, float) and isinstance(value, bool)) or not isinstance(value, expected)):
            if not (expected is float and isinstance(value, int) and not isinstance(value, bool)):
                errors.append(f"[{section}] {key} must be {expected.__name__}, got {type(value).__name__}")
                continue
        setattr(obj, key, value)


def validate(cfg: Config) -> None:
    errors = []
    if cfg.run.format not in FORMATS:
        errors.append(f"[run] format must be one of {', '.join(FORMATS)}, got {cfg.run.format!r}")
    if cfg.run.compression not in COMPRESSIONS:
        errors.append(f"[run] compression must be one of {', '.join(COMPRESSIONS)}, got {cfg.run.compression!r}")
    if cfg.run.executor not in EXECUTORS:
        errors.append(f"[run] executor must be one of {', '.join(EXECUTORS)}, got {cfg.run.executor!r}")
    if cfg.run.workers < 0:
        errors.append("[run] workers must be >= 0 (0 = all cores)")
    if cfg.run.docs_per_shard < 1:
        errors.append("[run] docs_per_shard must be >= 1")
    if cfg.run.task_bytes < 1:
        errors.append("[run] task_bytes must be >= 1")
    if cfg.run.doc_timeout_s < 0:
        errors.append("[run] doc_timeout_s must be >= 0 (0 = no limit)")
    for key in ("max_record_bytes", "max_decompressed_bytes"):
        if getattr(cfg.input, key) < 1:
            errors.append(f"[input] {key} must be >= 1")
    for key in ("partitions", "num_perm", "ngram"):
        if getattr(cfg.dedup, key) < 1:
            errors.append(f"[dedup] {key} must be >= 1")
    if cfg.dedup.rehydrate_cap < 0:
        errors.append("[dedup] rehydrate_cap must be >= 0 (0 = off)")
    if cfg.steps is None:   # (an unknown preset fails here, before any work)
        try:
            preset_steps(cfg.run.preset)
        except ConfigError as exc:
            errors.append(str(exc))
        if cfg.run.explain_raw and cfg.run.preset == "none":
            errors.append("[run] explain_raw (--explain-raw) says what a preset's filters would do with the raw "
                          "page: with preset none there are none")
    from .dedup.exact import NORMALIZATIONS
    if cfg.dedup.exact_normalize not in NORMALIZATIONS:
        errors.append(f"[dedup] exact_normalize must be one of {', '.join(NORMALIZATIONS)}, "
                      f"got {cfg.dedup.exact_normalize!r}")
    if cfg.dedup.line_group_by not in ("site", "shard", "all"):
        errors.append(f"[dedup] line_group_by must be site, shard or all, got {cfg.dedup.line_group_by!r}")
    if cfg.dedup.keep not in ("first", "longest", "quality"):
        errors.append(f"[dedup] keep must be first, longest or quality, got {cfg.dedup.keep!r}")
    if cfg.dedup.verify not in ("jaccard", "signature", "none"):
        errors.append(f"[dedup] verify must be jaccard, signature or none, got {cfg.dedup.verify!r}")
    if not 0.0 < cfg.dedup.threshold < 1.0:
        errors.append(f"[dedup] threshold must be in (0, 1), got {cfg.dedup.threshold}")
    if cfg.dedup.line_k < 2:
        errors.append("[dedup] line_k must be >= 2")
    if errors:
        raise ConfigError("; ".join(errors))


def load_config(path: str | Path | None = None, overrides: dict[str, dict[str, Any]] | None = None) -> Config:
    """Defaults, then the TOML file (only what it sets), then flag overrides ({"run": {...}, "input": {...}})."""
    cfg = Config()
    errors: list[str] = []
    if path is not None:
        p = Path(path)
        try:
            data = tomllib.loads(p.read_text("utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"config file not found: {p}") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{p}: invalid TOML: {exc}") from None
        for key in data:
            if key not in ("run", "input", "dedup", "steps"):
                errors.append(f"unknown section [{key}]; known: run, input, dedup, steps")
        _apply_section(cfg.run, data.get("run", {}), "run", errors)
        _apply_section(cfg.input, data.get("input", {}), "input", errors)
        _apply_section(cfg.dedup, data.get("dedup", {}), "dedup", errors)
        if "steps" in data and not isinstance(data["steps"], list):
            errors.append("steps must be a list of [[steps]] tables")
        elif "steps" in data:
            steps = []
            for i, s in enumerate(data["steps"]):
                if not isinstance(s, dict) or not isinstance(s.get("name"), str):
                    errors.append(f"steps[{i}] needs a string 'name'")
                    continue
                params = {k: v for k, v in s.items() if k != "name"}
                steps.append(StepSpec(s["name"], params))
            cfg.steps = steps
    for section, values in (overrides or {}).items():
        _apply_section(getattr(cfg, section), {k: v for k, v in values.items() if v is not None}, section, errors)
    if cfg.steps is not None:   # (these only shape the preset's steps: with a list of its own they would do nothing)
        given = set(data.get("run", {}) if path is not None else ()) | {
            k for k, v in (overrides or {}).get("run", {}).items() if v is not None}
        keys = sorted(k for k in given & _PRESET_SHAPING if getattr(cfg.run, k) not in (False, "none"))
        if keys:
            errors.append(", ".join(f"run.{k} (--{k.replace('_', '-')})" for k in keys) + " only shape the preset's "
                          "steps, and the config lists its own [[steps]]: drop them, or set the same on those steps "
                          "(clean.v1's title_in_text, a raw_check.v1 step, the filters' steps)")
    if cfg.steps is not None:   # (the steps' own errors in the same report)
        try:
            build_steps(cfg.steps)
        except ConfigError as exc:
            errors.append(str(exc))
    try:
        validate(cfg)
    except ConfigError as exc:
        errors.append(str(exc))
    if errors:
        raise ConfigError("; ".join(errors))
    return cfg


_PRESET_SHAPING = frozenset({"preset", "title_in_text", "explain_raw"})


def config_from_dict(d: dict[str, Any]) -> Config:
    """Rebuild a Config from `Config.as_dict()` (how workers receive it)."""
    cfg = Config()
    errors: list[str] = []
    _apply_section(cfg.run, d.get("run", {}), "run", errors)
    _apply_section(cfg.input, d.get("input", {}), "input", errors)
    _apply_section(cfg.dedup, d.get("dedup", {}), "dedup", errors)
    if "steps" in d:
        cfg.steps = [StepSpec(s["name"], {k: v for k, v in s.items() if k != "name"}) for s in d["steps"]]
    if errors:
        raise ConfigError("; ".join(errors))
    return cfg

"""The dedup steps are registered under versioned names and built from plain keyword parameters."""

from __future__ import annotations

from sito.config import StepSpec, build_steps, step_registry
from sito.dedup import STEPS, ExactDuplicateStep, NearDuplicateStep, RepeatedLinesStep


def test_steps_registered_and_built_from_specs(tmp_path):
    reg = step_registry()
    for name, cls in STEPS.items():
        assert reg[name] is cls
    steps = build_steps([
        StepSpec("repeated_lines.v1", {"counts": str(tmp_path / "lines"), "k": 3, "group_by": "shard"}),
        StepSpec("exact_dedup.v1", {"work": str(tmp_path / "exact")}),
        StepSpec("minhash.v1", {"work": str(tmp_path / "minhash"), "rehydrate_cap": 5}),
    ])
    assert [type(s) for s in steps] == [RepeatedLinesStep, ExactDuplicateStep, NearDuplicateStep]
    for s in steps:
        assert s.set_task(4).task == 4

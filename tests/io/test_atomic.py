"""Whole-file writes: a reader sees the old file or the complete new one; a failed write leaves nothing."""

from __future__ import annotations

import os
import stat

import pytest

from sito.io.atomic import atomic_write, temporary_name, write_bytes, write_text
from sito.report.records import list_shards


def test_write_replaces_the_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "sub" / "stats.json"
    write_text(target, '{"a": 1}')
    write_text(target, '{"a": 2}')
    assert target.read_text("utf-8") == '{"a": 2}'
    assert [p.name for p in target.parent.iterdir()] == ["stats.json"]


def test_a_failed_write_keeps_the_old_file_and_removes_the_temporary(tmp_path):
    target = tmp_path / "plan.json"
    write_bytes(target, b"old")
    with pytest.raises(RuntimeError):
        with atomic_write(target) as f:
            f.write(b"half of the ne")
            raise RuntimeError("killed")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.json"]


def test_the_temporary_is_hidden_from_readers_and_globs(tmp_path):
    target = tmp_path / "kept" / "part-00000.jsonl"
    t = temporary_name(target)
    assert t.parent == target.parent and t.name.startswith(".tmp-") and not t.name.endswith(".jsonl")
    # what a process killed mid-write leaves: not listed as a shard, not matched by the target's glob
    target.parent.mkdir()
    t.write_bytes(b'{"id": "half')
    assert not list(target.parent.glob("*.jsonl"))
    assert list_shards(tmp_path) == []


def test_permissions_follow_the_umask_and_fsync_writes_the_same(tmp_path):
    old = os.umask(0o022)
    try:
        write_text(tmp_path / "report.html", "<p>x</p>", fsync=True)
    finally:
        os.umask(old)
    mode = stat.S_IMODE((tmp_path / "report.html").stat().st_mode)
    assert mode == 0o644
    assert (tmp_path / "report.html").read_text("utf-8") == "<p>x</p>"


def test_only_write_modes_are_accepted(tmp_path):
    with pytest.raises(ValueError):
        with atomic_write(tmp_path / "x", "ab"):
            pass

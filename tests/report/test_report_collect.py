"""The streaming pass over an output folder: exact counts from real records, thresholds found, bad input counted."""

import importlib
import json
import random
from collections import Counter

from hypothesis import given, settings, strategies as st

from sito.report.collect import FrequentItems, Reservoir, collect


def test_counts_match_the_records_and_stats(out_dir, builder):
    kept, rejected, stats = builder.build_records()
    c = collect(out_dir)
    assert c.records == len(kept) + len(rejected) == stats["read"]
    assert c.status == Counter({"kept": len(kept), "rejected": len(rejected)})
    assert c.reasons == Counter(stats["reasons"])
    assert c.reasons["fineweb:line_punct_ratio"] == 1 and c.reasons["duplicate"] == 1
    # removed lines by role are exactly the cleaner's counters in stats.json
    counters = stats["steps"]["clean.v1"]["counters"]
    assert dict(c.removed_by_role) == {k.split(":", 1)[1]: v for k, v in counters.items()}
    # the example page and its copy: 25 recommendation lines each, all with the cue reason
    assert c.removed_by_role["recommendations"] == 50
    assert c.removed_by_reason["recommendation block after the cue '…'"] == 50
    assert c.languages[("pl", "kept")] == 2 and c.languages[("pl", "rejected")] == 1
    assert c.cluster_sizes[2] == 2
    assert c.len_after.count == len(kept)
    assert sorted(c.len_after.values) == sorted(len(r["text"]) for r in kept)
    assert c.unreadable == 0


def test_removed_lines_are_counted_by_kind_of_reason(tmp_path, monkeypatch):
    """A line's reason quotes the line ("photo credit: 'Fot. Jan Kowalski'") and numbers: counted as they were,
    the report held one counter per line of the corpus and its chart showed thirty reasons of one line each."""
    co = importlib.import_module("sito.report.collect")

    kept = tmp_path / "kept"
    kept.mkdir()
    recs = [{"id": f"d{i}", "text": "x", "lines": [
        {"text": f"Fot. Photographer {i}", "keep": False, "reason": f"photo credit: 'Fot. Photographer {i}'"},
        {"text": f"Line {i}", "keep": False, "reason": f"model: p(keep)=0.0{i % 10}"},
        {"text": f"Other {i}", "keep": False, "reason": f"custom reason {i} of another pipeline"}]}
        for i in range(300)]
    (kept / "part-0.jsonl").write_text("\n".join(json.dumps(r) for r in recs) + "\n")
    monkeypatch.setattr(co, "MAX_REASON_KINDS", 50)
    c = collect(tmp_path)
    assert c.removed_by_reason["photo credit: '…'"] == 300 and c.removed_by_reason["model: p(keep)=#"] == 300
    assert c.removed_by_reason["custom reason # of another pipeline"] == 300
    assert len(c.removed_by_reason) == 3 and c.lines_removed == 900


def test_reason_kinds_are_bounded(tmp_path, monkeypatch):
    co = importlib.import_module("sito.report.collect")

    kept = tmp_path / "kept"
    kept.mkdir()
    recs = [{"id": f"d{i}", "text": "x", "lines": [{"text": "a", "keep": False, "reason": f"reason {chr(65 + i)}"}]}
            for i in range(40)]
    (kept / "part-0.jsonl").write_text("\n".join(json.dumps(r) for r in recs) + "\n")
    monkeypatch.setattr(co, "MAX_REASON_KINDS", 10)
    c = collect(tmp_path)
    assert len(c.removed_by_reason) == 11 and c.removed_by_reason["(other reasons)"] == 30
    assert sum(c.removed_by_reason.values()) == 40


def test_threshold_comes_from_the_rejection_reason(out_dir):
    c = collect(out_dir)
    thr = c.thresholds[("fineweb_quality", "line_punct_ratio")]
    assert thr == {0.12: ["fineweb:line_punct_ratio", 1]}
    # no statistic gets a threshold it was never rejected against
    assert ("gopher_quality", "n_words") not in c.thresholds
    assert ("gopher_quality", "mean_word_length") not in c.thresholds


def test_most_frequent_removed_lines(out_dir):
    c = collect(out_dir)
    top = dict((t, n) for t, n, _ in c.removed_lines.top(10))
    # each recommended headline appears twice on the page, and the page twice in the corpus
    assert top["Berlin. Zełenski zakończył rozmowy z wysłannikami Trumpa"] == 4
    assert all(err == 0 for _, _, err in c.removed_lines.top(10))


def test_all_shard_formats_read_alike(tmp_path, builder):
    counts = []
    for comp in ("gz", "zst", ""):
        out = builder.build_out(tmp_path / f"out-{comp or 'plain'}", compression=comp)
        c = collect(out)
        counts.append((c.records, dict(c.status), dict(c.removed_by_role)))
    assert counts[0] == counts[1] == counts[2]


def test_bad_lines_are_counted_not_fatal(tmp_path, builder):
    out = builder.build_out(tmp_path / "out", broken_line=True)
    (out / "stats.json").write_text("{not json", encoding="utf-8")
    c = collect(out)
    assert c.unreadable == 1 and c.records == 10
    assert any("invalid JSON" in e for e in c.unreadable_examples)
    assert any("stats.json" in e for e in c.unreadable_examples)


def test_records_with_missing_or_odd_fields(tmp_path):
    kept = tmp_path / "kept"
    kept.mkdir()
    recs = [{"id": "a"}, {"id": "b", "text": None, "metadata": "x", "lines": "y"}, [1, 2],
            {"id": "c", "text": "x", "lines": [None, {"text": 5, "keep": False}],
             "metadata": {"quality": {"f": {"s": "nan", "t": float("inf"), "u": True, "v": 3}}}}]
    (kept / "part-0.jsonl").write_text("\n".join(json.dumps(r) for r in recs) + "\n")
    c = collect(tmp_path)
    assert c.records == 3 and c.unreadable == 1
    assert list(c.quality) == [("f", "v")]
    assert c.lines_total == 0 and c.lines_removed == 0  # a line without text is not counted


def test_reservoir_is_uniform_and_bounded():
    r = Reservoir(size=1000, seed=3)
    for i in range(100_000):
        r.add(i)
    assert len(r.values) == 1000 and r.count == 100_000 and r.min == 0 and r.max == 99_999
    # a uniform sample of 0..99,999 has its mean near 50,000 (sd of the mean ≈ 913 for n=1000)
    assert abs(sum(r.values) / 1000 - 50_000) < 4_000


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(0, 60), max_size=600), st.integers(1, 12))
def test_frequent_items_bounds(items, slots):
    fi = FrequentItems(slots)
    for x in items:
        fi.add(str(x))
    true = Counter(str(x) for x in items)
    got = {t: n for t, n, _ in fi.top(10 * slots)}
    assert len(fi.counts) <= 2 * slots
    assert fi.undercount <= len(items) / (slots + 1)
    for item, n in true.items():
        if n > len(items) / (slots + 1):  # guaranteed to be kept
            assert item in got
        est = got.get(item, 0)
        assert est <= n <= est + fi.undercount  # a lower bound, short by at most the under-count


def test_frequent_items_exact_under_capacity_and_fast_on_distinct_items():
    rng = random.Random(0)
    items = [str(rng.randrange(30)) for _ in range(2000)]
    fi = FrequentItems(50)
    for x in items:
        fi.add(x)
    assert {t: n for t, n, _ in fi.top(50)} == dict(Counter(items)) and fi.undercount == 0
    # a million distinct lines plus one frequent one: bounded memory, the frequent one found
    fi = FrequentItems(100)
    for i in range(200_000):
        fi.add(f"line {i}")
        if i % 10 == 0:
            fi.add("Wybrane dla Ciebie")
    assert len(fi.counts) <= 200 and fi.top(1)[0][0] == "Wybrane dla Ciebie"


def test_parquet_shards_from_sito_writer(tmp_path, out_dir, builder):
    """Parquet written by sito.io (lines/metadata/reason as JSON text) gives the same numbers as JSON lines."""
    from sito.io import ShardedWriter

    kept, rejected, stats = builder.build_records()
    for status, recs in (("kept", kept), ("rejected", rejected)):
        with ShardedWriter(tmp_path / status, "part-00000", fmt="parquet", docs_per_shard=4) as w:
            for r in recs:
                w.write(r)
    a, b = collect(tmp_path), collect(out_dir)
    assert (a.records, a.status, a.reasons, a.removed_by_role, a.languages, a.cluster_sizes, a.thresholds) == (
        b.records, b.status, b.reasons, b.removed_by_role, b.languages, b.cluster_sizes, b.thresholds)


def test_threshold_goes_to_the_named_statistic_only(tmp_path):
    """Two statistics with the same value: the code decides, value equality alone never marks a wrong one."""
    rej = tmp_path / "rejected"
    rej.mkdir()
    q = {"fineweb_quality": {"line_punct_ratio": 0.0, "char_dup_ratio": 0.0, "list_ratio": 0.2}}
    recs = [
        {"id": "a", "text": "x", "metadata": {"quality": q},
         "reason": {"code": "fineweb_quality:line_punct_ratio", "step": "fineweb2_quality", "value": 0.0,
                    "threshold": 0.12}},
        # code names no statistic; the value matches two of them: ambiguous, nothing marked
        {"id": "b", "text": "x", "metadata": {"quality": q},
         "reason": {"code": "fineweb_quality:other", "step": "fineweb_quality", "value": 0.0, "threshold": 9}},
        # value matches one statistic of the rejecting filter
        {"id": "c", "text": "x", "metadata": {"quality": q},
         "reason": {"code": "too_listy", "step": "fineweb_quality.v1", "value": 0.2, "threshold": [0.0, 0.15]}},
    ]
    (rej / "part-0.jsonl").write_text("".join(json.dumps(r) + "\n" for r in recs))
    c = collect(tmp_path)
    assert c.thresholds == {
        ("fineweb_quality", "line_punct_ratio"): {0.12: ["fineweb_quality:line_punct_ratio", 1]},
        ("fineweb_quality", "list_ratio"): {0.0: ["too_listy", 1], 0.15: ["too_listy", 1]},
    }

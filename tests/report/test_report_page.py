"""The HTML report: one self-contained file with every section, escaped text, and the CLI entry point."""

import json
import re

import pytest

from sito.report import main, write_report
from sito.report.page import funnel, stage_of
from sito.report.collect import collect


@pytest.fixture(scope="module")
def report_html(out_dir, tmp_path_factory):
    path = write_report(out_dir, tmp_path_factory.mktemp("rep") / "report.html")
    return path.read_text(encoding="utf-8")


def _specs(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="sito-charts">(.*?)</script>', page, re.S)
    return json.loads(m.group(1))


def test_self_contained_offline(report_html):
    # no external script, stylesheet or image: the Vega libraries are inlined
    assert not re.search(r"<script[^>]+\bsrc=", report_html)
    assert not re.search(r"<link[^>]+\bhref=", report_html)
    assert "cdn." not in report_html and "unpkg" not in report_html
    assert "vegaEmbed" in report_html or "embed" in report_html
    assert len(report_html) < 3_000_000


def test_sections_present(report_html):
    for sid in ("funnel", "reasons", "lines", "languages", "sites", "lengths", "quality", "frequent",
                "duplicates", "speed"):
        assert f'<section id="{sid}">' in report_html


def test_charts_carry_the_numbers(report_html, builder):
    specs = _specs(report_html)
    assert len(specs) >= 10
    flat = json.dumps(specs, ensure_ascii=False)
    # threshold rule of the FineWeb filter, taken from the rejection reason
    assert '"fineweb:line_punct_ratio: 0.12 (1 rejected)"' in flat
    # funnel: read 10 → cleaned 10 → filtered 9 → deduplicated 8 → kept 8
    funnel_spec = next(s for s in specs.values() if s.get("title") == "Documents after each stage")
    values = funnel_spec["data"]["values"]
    assert [(v["stage"], v["documents"]) for v in values] == [
        ("read", 10), ("cleaned", 10), ("filtered", 9), ("deduplicated", 8), ("kept", 8)]


def test_document_text_is_escaped(report_html, tmp_path, builder):
    assert "<script>track()" not in report_html
    specs_block = re.search(r'id="sito-charts">(.*?)</script>', report_html, re.S).group(1)
    assert "<" not in specs_block
    # a folder with only the page carrying markup: its removed line is in the table, as text
    rec = builder.script_record()
    rec["reason"] = {"code": "<script>bad()</script>", "step": "x"}
    builder._write_jsonl(tmp_path / "rejected" / "part-0.jsonl", [rec], "")
    page = write_report(tmp_path).read_text(encoding="utf-8")
    assert "&lt;b&gt;Share&lt;/b&gt; on &lt;script&gt;track()&lt;/script&gt;" in page
    assert "&lt;script&gt;bad()&lt;/script&gt;" in page
    assert "<script>track()" not in page and "<script>bad()" not in page and "<b>Share" not in page


def test_frequent_removed_lines_table(report_html):
    assert "Berlin. Zełenski zakończył rozmowy z wysłannikami Trumpa" in report_html


def test_funnel_and_stage_names(out_dir):
    assert stage_of("minhash_dedup.v1") == "deduplicated"
    assert stage_of("clean.v1") == "cleaned"
    assert stage_of("gopher_quality.v1") == "filtered"
    c = collect(out_dir)
    assert funnel({}, c)[0] == {"stage": "read", "documents": 10, "order": 0}


def test_funnel_with_multi_pass_executor_steps(out_dir):
    """stats.json of a real `sito clean` run with line and minhash dedup passes: the executor's later reads carry
    earlier rejections along and must not be counted twice."""
    def st(n_in, rej):
        return {"in": n_in, "out": n_in - rej, "rejected": rej, "seconds": 0.1, "counters": {}}

    stats = {"read": 152, "kept": 135, "rejected": 17, "steps": {
        "read": st(152, 0), "html": st(152, 0), "clean": st(152, 2), "write:p0": st(152, 0), "hash:lines": st(0, 0),
        "read:p1": st(152, 2), "repeated_lines": st(150, 0), "language": st(150, 1), "fineweb2_quality": st(149, 14),
        "write:p1": st(152, 0), "hash:minhash": st(0, 0), "read:final": st(152, 17), "minhash": st(135, 0),
        "write": st(152, 0), "dedup:lines": st(0, 0), "dedup:minhash": st(0, 0)}}
    assert [stage_of(n) for n in ("read:p1", "read:final", "write:p0", "hash:lines", "dedup:minhash")] == [
        "bookkeeping"] * 5
    assert stage_of("read") == "cleaned" and stage_of("write") == "kept" and stage_of("minhash") == "deduplicated"
    rows = funnel(stats, collect(out_dir))
    # (repeated_lines, a dedup step, ran before the filters here)
    assert [(r["stage"], r["documents"]) for r in rows] == [
        ("read", 152), ("cleaned", 150), ("deduplicated", 150), ("filtered", 135), ("kept", 135)]


def test_funnel_follows_the_order_the_steps_ran(out_dir):
    """`sito clean` removes near-duplicates before the quality filters: the funnel showed the filters first, a
    count of documents that never existed (160 read, 132 "filtered", 102 deduplicated; the run had 130 after
    dedup and 102 after the filters)."""
    def st(n_in, rej):
        return {"in": n_in, "out": n_in - rej, "rejected": rej, "seconds": 0.1, "counters": {}}

    stats = {"read": 160, "kept": 102, "rejected": 58, "steps": {
        "read": st(160, 0), "html": st(160, 0), "clean": st(160, 0), "write:p0": st(160, 0),
        "hash:minhash": st(0, 0), "read:p1": st(160, 0), "minhash": st(160, 30), "write:p1": st(160, 0),
        "hash:lines": st(0, 0), "read:final": st(160, 30), "repeated_lines": st(130, 0), "language": st(130, 2),
        "fineweb2_quality": st(128, 26), "write": st(160, 0), "dedup:minhash": st(0, 0), "dedup:lines": st(0, 0)}}
    rows = funnel(stats, collect(out_dir))
    assert [(r["stage"], r["documents"]) for r in rows] == [
        ("read", 160), ("cleaned", 160), ("deduplicated", 130), ("filtered", 102), ("kept", 102)]
    assert funnel({}, collect(out_dir))[1]["stage"] == "cleaned"


def test_default_path_and_cli(out_dir, tmp_path, capsys):
    path = write_report(out_dir)
    assert path == out_dir / "report.html" and path.stat().st_size > 0
    assert main([str(out_dir), "-o", str(tmp_path / "r.html")]) == 0
    assert (tmp_path / "r.html").is_file()
    assert main([str(tmp_path / "missing")]) == 2
    assert "output folder not found" in capsys.readouterr().err
    assert main([str(tmp_path)]) == 2  # a folder that no run wrote to
    assert "not a sito output folder" in capsys.readouterr().err and not (tmp_path / "report.html").exists()


def test_empty_folder_still_reports(tmp_path):
    page = write_report(tmp_path).read_text(encoding="utf-8")
    assert "No rejected documents." in page
    assert "dedup did not run" in page


def test_a_damaged_stats_json_is_said_not_hidden(tmp_path, builder):
    """A cut stats.json was recorded as unreadable but the section showing it appeared only for unreadable
    records: the report just said there were no steps."""
    out = builder.build_out(tmp_path / "out")
    (out / "stats.json").write_text((out / "stats.json").read_text()[:100])
    page = write_report(out, tmp_path / "r.html").read_text(encoding="utf-8")
    assert 'id="unreadable"' in page and "stats.json could not be read" in page


def test_values_near_the_float_range_are_drawn(tmp_path):
    """Quality statistics of 1e308 overflowed the histogram's bins (inf): the report stopped with "Out of range
    float values are not JSON compliant" or "bins must increase monotonically"."""
    from sito.report import charts

    for values in ([1.7e308], [1e308, -1e308], [-1.7e308, 0.0, 1.7e308]):
        spec = charts.histogram({"kept": values}, title="t", x_title="x")
        json.dumps(spec, allow_nan=False)
    kept = tmp_path / "kept"
    kept.mkdir()
    recs = [{"id": f"d{i}", "text": "x", "metadata": {"quality": {"f": {"s": v}}}}
            for i, v in enumerate([1e308, -1e308, 5.0])]
    (kept / "part-0.jsonl").write_text("\n".join(json.dumps(r) for r in recs) + "\n")
    assert write_report(tmp_path, tmp_path / "r.html").stat().st_size > 0


def test_cut_sections_keep_their_totals(tmp_path):
    """Reasons beyond the 40 most common and clusters beyond 60 sizes were dropped without a word: the reasons'
    total no longer added up to the rejected documents and the largest clusters were not drawn."""
    rej = tmp_path / "rejected"
    rej.mkdir()
    recs = [{"id": f"r{i}", "text": "x", "reason": {"code": f"filter:reason_{i % 45}", "step": "f"}}
            for i in range(90)]
    recs += [{"id": f"k{i}", "text": "x", "metadata": {"minhash_cluster_size": i + 1}} for i in range(100)]
    (rej / "part-0.jsonl").write_text("\n".join(json.dumps(r) for r in recs) + "\n")
    page = write_report(tmp_path, tmp_path / "r.html").read_text(encoding="utf-8")
    specs = json.dumps(_specs(page), ensure_ascii=False)
    assert "(5 other reasons)" in page and "65–128" in specs

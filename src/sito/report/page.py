"""The report as one self-contained HTML page: sections of charts and tables built from `Collected`.

Every piece of document text (removed lines, reason codes, hosts…) is HTML-escaped in tables and JSON-escaped in
chart data (`<` written as `\\u003c`), so a page that contained `<script>` shows it as text.
"""

from __future__ import annotations

import datetime as _dt
import html
import json
from pathlib import Path
from typing import Any, Iterable, Sequence

from . import charts
from .bundle import chart_script
from .collect import Collected

STAGES = ("read", "cleaned", "filtered", "deduplicated", "kept")
# Executor bookkeeping (later passes' reads, hashing and clustering stages): timed, but rejects nothing itself.
_ALL_STAGES = STAGES + ("bookkeeping",)
MAX_QUALITY_CHARTS = 60  # a page of histograms stays readable and the file small
# Step-name fragments that place a step in a funnel stage; any other step counts as a filter.
_CLEAN_WORDS = ("clean", "extract", "html", "warc", "boilerplate", "parse", "decode", "reader")
_DEDUP_WORDS = ("dedup", "minhash", "duplicate", "exact_", "simhash", "bloom", "repeated_lines")


def stage_of(step: str) -> str:
    """The funnel stage a step belongs to, by its name (reading counts with cleaning, writing with kept)."""
    s = step.lower()
    head, _, phase = s.partition(":")
    if head in ("write", "writer", "output"):
        return "kept" if not phase else "bookkeeping"
    if head in ("read", "input"):
        # the first read rejects unreadable input; later passes' reads only carry earlier rejections along
        return "cleaned" if not phase else "bookkeeping"
    if phase and head in ("hash", "dedup"):
        return "bookkeeping"  # the executor's hashing / clustering stages: time only, documents flow through
    if any(w in s for w in _DEDUP_WORDS):
        return "deduplicated"
    if any(w in s for w in _CLEAN_WORDS):
        return "cleaned"
    return "filtered"


def funnel(stats: dict[str, Any], c: Collected) -> list[dict[str, Any]]:
    """Documents left after each stage, in the order the stages' steps ran: read minus the documents rejected by
    the steps of that stage and before.

    `read` and the per-step rejections come from stats.json; without stats.json the counts of the records
    themselves are used (read = records found, kept = kept records).
    """
    steps = stats.get("steps") if isinstance(stats.get("steps"), dict) else {}
    read = stats.get("read") if isinstance(stats.get("read"), int) else c.records
    kept = stats.get("kept") if isinstance(stats.get("kept"), int) else c.status.get("kept", 0)
    rejected_by_stage = {s: 0 for s in _ALL_STAGES}
    for name, st in steps.items():
        if isinstance(st, dict):
            rejected_by_stage[stage_of(name)] += int(st.get("rejected") or 0)
    # the stages in the order their steps ran (stats.json lists steps as they ran: `sito clean` deduplicates
    # before the quality filters); stages without a step keep their place in STAGES
    first: dict[str, int] = {}
    for k, name in enumerate(steps):
        first.setdefault(stage_of(name), k)
    middle = sorted(STAGES[1:-1], key=lambda st: (first.get(st, len(steps)), STAGES.index(st)))
    rows = [{"stage": "read", "documents": read, "order": 0}]
    left = read
    for i, stage in enumerate(middle, start=1):
        left -= rejected_by_stage[stage]
        rows.append({"stage": stage, "documents": left, "order": i})
    rows.append({"stage": "kept", "documents": kept, "order": len(STAGES) - 1})
    return rows


def _top(counts, n: int, other: str) -> list[tuple[str, int]]:
    """The `n` most common entries, and the rest summed in one "(k other …)" entry so that totals still add up."""
    top = counts.most_common(n)
    rest = sum(counts.values()) - sum(v for _, v in top)
    if len(counts) > n:
        top.append((f"({len(counts) - n} {other})", rest))
    return top


def _size_rows(sizes) -> list[dict[str, Any]]:
    """Documents by cluster size: one bar per size, or per range of sizes between powers of two ("5–8") when
    there are more than 60 sizes, so that the largest clusters are drawn too."""
    items = sorted(sizes.items())
    if len(items) <= 60:
        return [{"cluster size": str(k), "documents": n} for k, n in items]
    rows: dict[str, int] = {}
    for k, n in items:
        hi = 1 << max(int(k) - 1, 0).bit_length()   # the power of two at or above k
        label = str(k) if hi <= 2 else f"{hi // 2 + 1}–{hi}"
        rows[label] = rows.get(label, 0) + n
    return [{"cluster size": k, "documents": n} for k, n in rows.items()]


def _esc(x: Any) -> str:
    return html.escape("" if x is None else str(x), quote=True)


def _table(headers: Sequence[str], rows: Iterable[Sequence[Any]], numeric: Sequence[int] = ()) -> str:
    head = "".join(f"<th>{_esc(h)}</th>" for h in headers)
    body = []
    for r in rows:
        cells = []
        for i, v in enumerate(r):
            cls = ' class="num"' if i in numeric else ""
            if isinstance(v, float):
                v = f"{v:,.3f}"
            elif isinstance(v, int):
                v = f"{v:,}"
            cells.append(f"<td{cls}>{_esc(v)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    if not body:
        return '<p class="empty">Nothing to show.</p>'
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _fmt(x: float) -> str:
    return f"{x:,.6g}"


class _Page:
    def __init__(self) -> None:
        self.specs: dict[str, dict[str, Any]] = {}
        self.sections: list[str] = []
        self.toc: list[tuple[str, str]] = []

    def chart(self, spec: dict[str, Any] | None) -> str:
        if spec is None:
            return '<p class="empty">No values to plot.</p>'
        cid = f"chart-{len(self.specs) + 1}"
        self.specs[cid] = spec
        return f'<div class="chart" id="{cid}"></div>'

    def section(self, sid: str, title: str, body: str, note: str = "") -> None:
        self.toc.append((sid, title))
        note_html = f'<p class="note">{note}</p>' if note else ""
        self.sections.append(f'<section id="{sid}"><h2>{_esc(title)}</h2>{note_html}{body}</section>')


def build_html(out_dir: Path, c: Collected) -> str:
    stats = c.stats
    p = _Page()

    # --- funnel
    steps = stats.get("steps") if isinstance(stats.get("steps"), dict) else {}
    frows = funnel(stats, c)
    body = p.chart(charts.bars(frows, category="stage", value="documents", title="Documents after each stage",
                               sort=[r["stage"] for r in frows], value_title="documents"))
    step_rows = []
    for name, st in steps.items():
        if isinstance(st, dict):
            step_rows.append((name, stage_of(name), st.get("in", 0), st.get("out", 0), st.get("rejected", 0)))
    step_rows.sort(key=lambda r: _ALL_STAGES.index(r[1]))  # stable: pipeline order within a stage
    body += _table(["step", "stage", "in", "out", "rejected"], step_rows, numeric=(2, 3, 4))
    note = ("From <code>stats.json</code>: each stage's count is <em>read</em> minus the documents its steps and "
            "the earlier ones rejected. Steps are placed in a stage by name (dedup/minhash → deduplicated, "
            "read/html/clean/extract → cleaned, write → kept, anything else → filtered; the executor's later "
            "reads, hashing and clustering are bookkeeping: documents only flow through them)." if steps else
            "No <code>stats.json</code> steps in this folder: only read and kept are known (counted from the records).")
    p.section("funnel", "Funnel", body, note)

    # --- rejection reasons
    top = _top(c.reasons, 40, "other reasons")
    rrows = [{"reason": code, "documents": n} for code, n in top]
    body = p.chart(charts.bars(rrows, category="reason", value="documents", title="Rejected documents by reason",
                               value_title="documents")) if rrows else '<p class="empty">No rejected documents.</p>'
    body += _table(["reason", "step", "documents"],
                   [(code, c.reason_steps.get(code, ""), n) for code, n in top], numeric=(2,))
    p.section("reasons", "Rejection reasons", body)

    # --- removed lines
    if c.lines_total:
        role_rows = [{"role": r, "lines": n} for r, n in _top(c.removed_by_role, 30, "other roles")]
        reason_rows = [{"reason": r, "lines": n} for r, n in _top(c.removed_by_reason, 30, "other reasons")]
        body = (p.chart(charts.bars(role_rows, category="role", value="lines", title="Removed lines by role"))
                + p.chart(charts.bars(reason_rows, category="reason", value="lines", title="Removed lines by reason")))
        note = (f"{c.lines_removed:,} of {c.lines_total:,} original lines removed "
                f"({100.0 * c.lines_removed / c.lines_total:.1f}%), over all documents the cleaner explained.")
    else:
        body, note = '<p class="empty">No record has per-line roles (the cleaner did not run).</p>', ""
    p.section("lines", "Removed lines", body, note)

    # --- languages
    lang_total: dict[str, int] = {}
    for (lang, _st), n in c.languages.items():
        lang_total[lang] = lang_total.get(lang, 0) + n
    top_langs = set(sorted(lang_total, key=lambda k: (-lang_total[k], k))[:25])
    other = f"({len(lang_total) - len(top_langs)} other languages)"
    by_status: dict[tuple[str, str], int] = {}
    for (lang, st), n in c.languages.items():
        key = (lang if lang in top_langs else other, st)
        by_status[key] = by_status.get(key, 0) + n
    lrows = [{"language": lang, "status": st, "documents": n} for (lang, st), n in by_status.items()]
    body = p.chart(charts.bars(lrows, category="language", value="documents", color="status",
                               title="Documents by language", value_title="documents")) if lrows else ""
    p.section("languages", "Languages", body,
              "Language from <code>metadata.language</code> (language ID), else the cleaner's <code>language</code>.")

    # --- sites
    p.section("sites", "Sites", _table(["host", "documents", "may be short by"], c.hosts.top(25), numeric=(1, 2)),
              "Hosts of the records' URLs, counted with a Misra-Gries summary of 2,000 to 4,000 counters "
              "(exact while there are fewer than 4,000 hosts).")

    # --- lengths
    samples_before = {"all": c.len_before.values}
    spec_b = charts.histogram(samples_before, title="Before: characters of all original lines",
                              x_title="characters (symlog scale)", log=True)
    spec_a = charts.histogram({"kept": c.len_after.values}, title="After: characters of the kept text",
                              x_title="characters (symlog scale)", log=True)
    body = p.chart(spec_b) + p.chart(spec_a)
    body += _table(["", "documents", "min", "max"], [
        ("before (all documents)", c.len_before.count, _fmt(c.len_before.min) if c.len_before.count else "",
         _fmt(c.len_before.max) if c.len_before.count else ""),
        ("after (kept documents)", c.len_after.count, _fmt(c.len_after.min) if c.len_after.count else "",
         _fmt(c.len_after.max) if c.len_after.count else ""),
    ], numeric=(1,))
    p.section("lengths", "Document length", body, _sample_note(max(c.len_before.count, c.len_after.count)))

    # --- quality statistics
    qparts = []
    qkeys = sorted(c.quality)
    if len(qkeys) > MAX_QUALITY_CHARTS:  # keep the statistics most documents have
        qkeys = sorted(sorted(qkeys, key=lambda k: -sum(r.count for r in c.quality[k].values()))[:MAX_QUALITY_CHARTS])
        qparts.append(f'<p class="note">{len(c.quality):,} statistics found; the {MAX_QUALITY_CHARTS} present in '
                      "most documents are drawn.</p>")
    for key in qkeys:
        filt, stat = key
        by_status = c.quality[key]
        thr = c.thresholds.get(key, {})
        tlist = [{"value": v, "label": f"{code}: {_fmt(v)} ({n:,} rejected)"}
                 for v, (code, n) in sorted(thr.items())]
        spec = charts.histogram({s: r.values for s, r in sorted(by_status.items())}, title=f"{filt} · {stat}",
                                x_title=stat, thresholds=tlist)
        qparts.append(p.chart(spec))
        if not thr:
            qparts.append('<p class="note small">No document was rejected against a threshold on this statistic, '
                          "so none is marked.</p>")
    body = "".join(qparts) if qparts else '<p class="empty">No quality statistics in the records\' metadata.</p>'
    p.section("quality", "Quality statistics", body,
              "Values from <code>metadata.quality.&lt;filter&gt;.&lt;stat&gt;</code>, kept and rejected (for any "
              "reason) stacked. "
              "Dashed lines are the thresholds written in rejection reasons (<code>reason.threshold</code>) of "
              "documents rejected on that statistic (the reason's value equals the statistic, or its code names it)"
              " — the thresholds the run really applied, not defaults. " + _sample_note(
                  max((r.count for d in c.quality.values() for r in d.values()), default=0)))

    # --- frequent removed lines
    top = c.removed_lines.top(50)
    body = _table(["removed line", "times", "may be short by"], [(t, n, e) for t, n, e in top], numeric=(1, 2))
    p.section("frequent", "Most frequent removed lines", body,
              "Counted with a Misra-Gries summary of 5,000 to 10,000 counters: every line making up more than "
              "1/5,001 of the removed lines is listed, and a count may be short of the true one by at most the "
              "number shown (0 means exact).")

    # --- duplicates
    if c.cluster_sizes:
        crow = _size_rows(c.cluster_sizes)
        body = p.chart(charts.counts_histogram(crow, x="cluster size", title="Documents by duplicate-cluster size",
                                               x_title="documents in the near-duplicate cluster"))
        note = "From <code>metadata.minhash_cluster_size</code> (1 = unique)." + (
            " Sizes in ranges of powers of two (more than 60 different sizes)." if len(c.cluster_sizes) > 60 else "")
    else:
        body, note = '<p class="empty">No duplicate-cluster sizes in the records (dedup did not run).</p>', ""
    p.section("duplicates", "Duplicate clusters", body, note)

    # --- slowest stages
    srows = []
    for name, st in steps.items():
        if isinstance(st, dict):
            sec = float(st.get("seconds") or 0.0)
            n_in = int(st.get("in") or 0)
            srows.append((name, sec, n_in, (n_in / sec) if sec > 0 else 0.0))
    srows.sort(key=lambda r: -r[1])
    body = p.chart(charts.bars([{"step": r[0], "seconds": r[1]} for r in srows], category="step", value="seconds",
                               title="Time per step (summed over workers)")) if srows else ""
    body += _table(["step", "seconds", "documents in", "documents / second"], srows, numeric=(1, 2, 3))
    p.section("speed", "Slowest stages", body)

    if c.unreadable or c.unreadable_examples:   # (a damaged stats.json is listed here too)
        p.section("unreadable", "Unreadable records",
                  _table(["example"], [(e,) for e in c.unreadable_examples]),
                  f"{c.unreadable:,} lines or shards could not be read as records"
                  + ("; stats.json could not be read, so the counts come from the records alone."
                     if any(e.startswith("stats.json") for e in c.unreadable_examples) else "."))

    return _render(out_dir, c, p)


def _sample_note(n: int) -> str:
    from .collect import SAMPLE_SIZE

    if n > SAMPLE_SIZE:
        return f"Histograms drawn from a uniform sample of {SAMPLE_SIZE:,} values per series (min/max are exact)."
    return ""


_CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d1d1f;background:#fafafa}
header{background:#23395b;color:#fff;padding:16px 28px}header h1{margin:0;font-size:22px}
header .sub{opacity:.8;font-size:13px}main{display:flex}nav{width:190px;padding:16px;position:sticky;top:0;
align-self:flex-start}nav a{display:block;color:#23395b;text-decoration:none;padding:3px 0}
.content{flex:1;padding:8px 28px 40px;max-width:1100px}section{background:#fff;border:1px solid #e3e3e3;
border-radius:8px;padding:14px 20px;margin:16px 0}h2{font-size:18px;margin:4px 0 8px}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin-top:16px}.card{background:#fff;border:1px solid #e3e3e3;
border-radius:8px;padding:10px 16px;min-width:120px}.card b{display:block;font-size:22px}
table{border-collapse:collapse;margin:10px 0;font-size:13px}td,th{border-bottom:1px solid #eee;padding:3px 10px;
text-align:left;vertical-align:top}td.num{text-align:right;font-variant-numeric:tabular-nums}
td{max-width:640px;overflow-wrap:anywhere}.note{color:#555;font-size:13px}.small{font-size:12px}
.empty{color:#888;font-style:italic}.chart{margin:8px 0}
"""


def _json_for_script(obj: Any) -> str:
    """JSON safe inside a <script> element: no "<", ">" or "&" characters can close it or start a comment."""
    s = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return s.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _render(out_dir: Path, c: Collected, p: _Page) -> str:
    stats = c.stats
    read = stats.get("read", c.records)
    kept = stats.get("kept", c.status.get("kept", 0))
    rejected = stats.get("rejected", c.status.get("rejected", 0))
    seconds = stats.get("seconds")
    cards = [("read", read), ("kept", kept), ("rejected", rejected)]
    if isinstance(read, int) and read and isinstance(kept, int):
        cards.append(("kept share", f"{100.0 * kept / read:.1f}%"))
    if isinstance(seconds, (int, float)):
        cards.append(("seconds", f"{seconds:,.1f}"))
    if c.unreadable:
        cards.append(("unreadable", c.unreadable))
    cards_html = "".join(
        f'<div class="card"><b>{_esc(f"{v:,}" if isinstance(v, int) else v)}</b>{_esc(k)}</div>' for k, v in cards)
    nav = "".join(f'<a href="#{sid}">{_esc(t)}</a>' for sid, t in p.toc)
    when = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>sito report · {_esc(out_dir.name)}</title><style>{_CSS}</style></head>
<body><header><h1>sito report</h1><div class="sub">{_esc(str(out_dir))} · written {when} · {c.records:,} records read</div></header>
<main><nav>{nav}</nav><div class="content"><div class="cards">{cards_html}</div>
{''.join(p.sections)}
</div></main>
<script type="application/json" id="sito-charts">{_json_for_script(p.specs)}</script>
<script type="module">{chart_script()}</script>
</body></html>
"""

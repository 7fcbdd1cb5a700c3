"""One streaming pass over an output folder that gathers everything the report shows, in bounded memory.

Records are read one at a time and never kept. Counts (reasons, roles, languages, cluster sizes) are exact;
numeric series (lengths, quality statistics) are kept as fixed-size uniform samples (reservoir sampling, seeded so
a report is reproducible), and the most frequent removed lines and hosts are counted with the Misra-Gries summary
(`FrequentItems`): every line making up more than 1/(slots+1) of the removed lines is found, and each count
shown is short of the true one by at most the printed under-count.
"""

from __future__ import annotations

import json
import math
import random
import re
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .records import iter_output_records

# Sample sizes: 20,000 values draw a histogram whose bars are within about 1% of the full-corpus shares
# (binomial standard error sqrt(p(1-p)/n) <= 0.0035 at n = 20,000) while keeping the report small.
SAMPLE_SIZE = 20_000
# Removed lines tracked by FrequentItems; any line making up more than 1/5,001 of removed lines is found.
HEAVY_HITTER_SLOTS = 5_000
# Longest removed line kept as a key (characters): longer ones are truncated with an ellipsis.
MAX_LINE_CHARS = 200


# A line's reason names the line's own text ("photo credit: 'Fot. PAP'") and numbers ("model: p(keep)=0.03",
# "duplicate of line 50"): the report counts reasons by kind, with quoted text and numbers left out.
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|“[^”]*”")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
MAX_REASON_CHARS = 120
MAX_REASON_KINDS = 10_000   # distinct kinds counted; reasons of further kinds are counted together


def reason_kind(reason: Any) -> str:
    """A removed line's reason without the text it quotes and its numbers: "photo credit: '…'",
    "model: p(keep)=#", "duplicate of line #"."""
    if not reason:
        return "(no reason)"
    s = _NUMBER.sub("#", _QUOTED.sub("'…'", str(reason)))
    return s if len(s) <= MAX_REASON_CHARS else s[:MAX_REASON_CHARS - 1] + "…"


class Reservoir:
    """A uniform sample of at most `size` numbers from a stream (Vitter's algorithm R), plus exact count/min/max."""

    def __init__(self, size: int = SAMPLE_SIZE, seed: int = 0):
        self.size = size
        self.values: list[float] = []
        self.count = 0
        self.min = math.inf
        self.max = -math.inf
        self._rng = random.Random(seed)

    def add(self, x: float) -> None:
        self.count += 1
        if x < self.min:
            self.min = x
        if x > self.max:
            self.max = x
        if len(self.values) < self.size:
            self.values.append(x)
        else:
            j = self._rng.randrange(self.count)
            if j < self.size:
                self.values[j] = x


class FrequentItems:
    """The most frequent items of a stream in bounded memory: the Misra-Gries summary, pruned in batches.

    Up to `2 * slots` counters are kept; when there are more, the (slots+1)-th largest count `m` is subtracted
    from every counter and those left at zero or below are dropped (the merge rule of Agarwal et al., "Mergeable
    Summaries", PODS 2012). Each kept count is a lower bound of the true one, short by at most `undercount`
    (the sum of the subtracted `m`, at most n / (slots + 1)), and every item seen more than n / (slots + 1) times is
    kept. Amortised cost per item is O(log slots), whatever the number of distinct items.
    """

    def __init__(self, slots: int = HEAVY_HITTER_SLOTS):
        self.slots = slots
        self.counts: dict[str, int] = {}
        self.total = 0
        self.undercount = 0

    def add(self, item: str) -> None:
        self.total += 1
        c = self.counts
        c[item] = c.get(item, 0) + 1
        if len(c) > 2 * self.slots:
            m = sorted(c.values(), reverse=True)[self.slots]
            self.counts = {k: v - m for k, v in c.items() if v > m}
            self.undercount += m

    def top(self, k: int) -> list[tuple[str, int, int]]:
        """(item, count, how much the count may be short of the true one) of the k largest counters."""
        items = sorted(self.counts.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
        return [(it, n, self.undercount) for it, n in items]


def _num(x: Any) -> float | None:
    if isinstance(x, bool) or x is None:
        return None
    if isinstance(x, (int, float)):
        f = float(x)
        return f if math.isfinite(f) else None
    return None


def _thresholds(t: Any) -> list[float]:
    """Numbers in a rejection's threshold: a number, or the numeric ends of a [low, high] pair / {min, max}."""
    n = _num(t)
    if n is not None:
        return [n]
    if isinstance(t, (list, tuple)):
        return [v for v in (_num(x) for x in t[:4]) if v is not None]
    if isinstance(t, dict):
        return [v for v in (_num(t.get(k)) for k in ("min", "max", "low", "high")) if v is not None]
    return []


@dataclass
class Collected:
    """What one pass over an output folder found. Everything here is small, whatever the corpus size."""

    records: int = 0
    status: Counter = field(default_factory=Counter)
    unreadable: int = 0
    unreadable_examples: list[str] = field(default_factory=list)
    reasons: Counter = field(default_factory=Counter)
    reason_steps: dict[str, str] = field(default_factory=dict)
    lines_total: int = 0
    lines_removed: int = 0
    removed_by_role: Counter = field(default_factory=Counter)
    removed_by_reason: Counter = field(default_factory=Counter)
    kept_by_role: Counter = field(default_factory=Counter)
    languages: Counter = field(default_factory=Counter)  # (language, status) -> documents
    hosts: FrequentItems = field(default_factory=lambda: FrequentItems(2_000))
    len_before: Reservoir = field(default_factory=lambda: Reservoir(seed=1))
    len_after: Reservoir = field(default_factory=lambda: Reservoir(seed=2))
    # (filter, stat) -> status -> sample
    quality: dict[tuple[str, str], dict[str, Reservoir]] = field(default_factory=dict)
    # (filter, stat) -> threshold value -> (reason code, documents rejected against it)
    thresholds: dict[tuple[str, str], dict[float, list]] = field(default_factory=dict)
    removed_lines: FrequentItems = field(default_factory=FrequentItems)
    cluster_sizes: Counter = field(default_factory=Counter)  # cluster size -> documents
    stats: dict[str, Any] = field(default_factory=dict)

    def add(self, status: str, rec: dict[str, Any] | None, error: str | None) -> None:
        if rec is None:
            self.unreadable += 1
            if len(self.unreadable_examples) < 5 and error:
                self.unreadable_examples.append(f"{status}: {error}")
            return
        self.records += 1
        reason = rec.get("reason")
        if not isinstance(reason, dict):
            reason = None
        if status == "kept" and reason is not None:
            status = "rejected"  # a record carrying a reason is rejected wherever it was filed
        self.status[status] += 1
        if reason is not None:
            code = str(reason.get("code") or "unknown")
            self.reasons[code] += 1
            self.reason_steps.setdefault(code, str(reason.get("step") or ""))
        meta = rec.get("metadata")
        if not isinstance(meta, dict):
            meta = {}
        text = rec.get("text")
        text = text if isinstance(text, str) else ""

        lines = rec.get("lines")
        before = 0
        if isinstance(lines, list) and lines:
            for ln in lines:
                if not isinstance(ln, dict):
                    continue
                t = ln.get("text")
                t = t if isinstance(t, str) else ""
                before += len(t)
                if not t.strip():
                    continue  # blank lines carry no content: not counted as kept or removed
                self.lines_total += 1
                role = str(ln.get("role") or "unknown")
                if ln.get("keep") is False:
                    self.lines_removed += 1
                    self.removed_by_role[role] += 1
                    kind = reason_kind(ln.get("reason"))
                    if len(self.removed_by_reason) >= MAX_REASON_KINDS and kind not in self.removed_by_reason:
                        kind = "(other reasons)"
                    self.removed_by_reason[kind] += 1
                    key = " ".join(t.split())
                    if key:
                        if len(key) > MAX_LINE_CHARS:
                            key = key[: MAX_LINE_CHARS - 1] + "…"
                        self.removed_lines.add(key)
                else:
                    self.kept_by_role[role] += 1
        else:
            before = len(text)
        self.len_before.add(before)
        if status == "kept":
            self.len_after.add(len(text))

        lang = meta.get("language") or rec.get("language")
        self.languages[(str(lang) if lang else "(none)", status)] += 1
        url = rec.get("url")
        if isinstance(url, str) and url:
            from urllib.parse import urlsplit

            try:
                host = urlsplit(url).hostname or "(none)"
            except ValueError:
                host = "(invalid url)"
            self.hosts.add(host)

        quality = meta.get("quality")
        if isinstance(quality, dict):
            for filt, statmap in quality.items():
                if not isinstance(statmap, dict):
                    continue
                for stat, val in statmap.items():
                    v = _num(val)
                    if v is None:
                        continue
                    key = (str(filt), str(stat))
                    by_status = self.quality.setdefault(key, {})
                    res = by_status.get(status)
                    if res is None:
                        res = by_status[status] = Reservoir(seed=zlib.crc32(f"{filt}/{stat}".encode()))
                    res.add(v)
            if reason is not None:
                key = self._reason_target(reason, quality)
                if key is not None:
                    seen = self.thresholds.setdefault(key, {})
                    for t in _thresholds(reason.get("threshold")):
                        entry = seen.setdefault(t, [str(reason.get("code") or ""), 0])
                        entry[1] += 1

        size = _num(meta.get("minhash_cluster_size"))
        if size is not None and size >= 1:
            self.cluster_sizes[int(size)] += 1

    @staticmethod
    def _reason_target(reason: dict[str, Any], quality: dict[str, Any]) -> tuple[str, str] | None:
        """The (filter, statistic) a rejection was decided on, or None when it cannot be told for sure.

        In order: the reason code names it (`<filter>:<stat>`, or ends with `:<stat>` of a filter named by the
        code or step); else exactly one statistic's name appears in the code; else exactly one statistic of the
        rejecting filter has the reason's measured value. Ambiguous cases mark no threshold rather than a wrong one.
        """
        code = str(reason.get("code") or "")
        step = str(reason.get("step") or "").split(".")[0]
        head, _, tail = code.partition(":")
        stats = [(str(f), str(s)) for f, m in quality.items() if isinstance(m, dict)
                 for s, v in m.items() if _num(v) is not None]
        if not stats:
            return None

        def filter_named(f: str) -> bool:
            return bool(f) and (f == head or f == step or f in code or (step and (f in step or step in f)))

        exact = [k for k in stats if k[1] == tail and filter_named(k[0])]
        if len(exact) == 1:
            return exact[0]
        named = [k for k in stats if k[1] in code and filter_named(k[0])]
        if len(named) == 1:
            return named[0]
        rv = _num(reason.get("value"))
        if rv is not None:
            same = [k for k in stats if filter_named(k[0]) and
                    math.isclose(_num(quality[k[0]][k[1]]), rv, rel_tol=1e-9, abs_tol=1e-12)]
            if len(same) == 1:
                return same[0]
        return None


def collect(out_dir: str | Path) -> Collected:
    """Read stats.json and stream every record of OUT once."""
    out = Path(out_dir)
    c = Collected()
    sp = out / "stats.json"
    if sp.is_file():
        try:
            data = json.loads(sp.read_text(encoding="utf-8"))
            if isinstance(data, dict):
                c.stats = data
            else:
                c.unreadable_examples.append(f"stats.json: not a JSON object ({type(data).__name__})")
        except (OSError, ValueError) as exc:
            c.unreadable_examples.append(f"stats.json: {exc}")
    for status, rec, err in iter_output_records(out):
        c.add(status, rec, err)
    return c

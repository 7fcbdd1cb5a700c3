"""Vega-Lite chart specifications for the report, built with altair from small pre-aggregated tables.

Histograms are binned here with numpy and handed to Vega-Lite as bins (`bin="binned"`), so a chart carries a few
dozen rows whatever the corpus size, and the HTML file stays small.
"""

from __future__ import annotations

from typing import Any, Sequence

import altair as alt
import numpy as np

WIDTH = 560
MAX_LABELS = 6  # threshold labels drawn on a histogram; further rules keep their tooltip only
STATUS_SCALE = alt.Scale(domain=["kept", "rejected"], range=["#4c78a8", "#e45756"])


def _data(rows: Sequence[dict[str, Any]]) -> alt.Data:
    return alt.Data(values=[dict(r) for r in rows])


def _spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    return chart.configure_view(stroke=None).to_dict()


def bars(rows: Sequence[dict[str, Any]], *, category: str, value: str, title: str, color: str | None = None,
         sort: list[str] | None = None, value_title: str | None = None) -> dict[str, Any]:
    """Horizontal bars, one per category (in `sort` order, else by value), optionally stacked by `color`."""
    y = alt.Y(f"{category}:N", sort=sort if sort is not None else "-x", title=None,
              axis=alt.Axis(labelLimit=320))
    enc: dict[str, Any] = {
        "y": y,
        "x": alt.X(f"sum({value}):Q", title=value_title or value),
        "tooltip": [alt.Tooltip(f"{category}:N"), alt.Tooltip(f"sum({value}):Q", title=value_title or value)],
    }
    if color:
        enc["color"] = alt.Color(f"{color}:N", scale=STATUS_SCALE if color == "status" else alt.Undefined,
                                 title=None)
        enc["tooltip"].append(alt.Tooltip(f"{color}:N"))
    n = len({r[category] for r in rows}) or 1
    chart = alt.Chart(_data(rows), title=title).mark_bar().encode(**enc).properties(width=WIDTH, height=min(22 * n, 600))
    return _spec(chart)


def _binned(samples: dict[str, Sequence[float]], edges: np.ndarray) -> list[dict[str, Any]]:
    rows = []
    for status, values in samples.items():
        if not len(values):
            continue
        counts, _ = np.histogram(np.asarray(values, dtype=float), bins=edges)
        for lo, hi, n in zip(edges[:-1], edges[1:], counts):
            if n:
                rows.append({"start": float(lo), "end": float(hi), "documents": int(n), "status": status})
    return rows


def histogram(samples: dict[str, Sequence[float]], *, title: str, x_title: str, bins: int = 40,
              thresholds: Sequence[dict[str, Any]] = (), log: bool = False) -> dict[str, Any] | None:
    """Histogram of sampled values, stacked by status, with vertical rules at `thresholds` ({value, label})."""
    allv = [v for vs in samples.values() for v in vs]
    if not allv:
        return None
    lo, hi = float(min(allv)), float(max(allv))
    for t in thresholds:
        lo, hi = min(lo, float(t["value"])), max(hi, float(t["value"]))
    if log:
        lo = max(lo, 0.0)
        edges = np.unique(np.round(np.expm1(np.linspace(np.log1p(lo), np.log1p(hi) + 1e-9, bins + 1)), 6))
        if len(edges) < 2:
            edges = np.array([lo, lo + 1.0])
    else:
        if hi <= lo:  # one value only: a narrow bar centred in a window around it
            d = max(abs(lo) * 0.05, 0.05)
            big = np.finfo(np.float64).max
            lo, hi, bins = max(lo - 10.5 * d, -big), min(hi + 10.5 * d, big), 21
        # (lo·(1-t) + hi·t rather than np.linspace: hi - lo overflows for values near the float range, 1e308)
        t = np.linspace(0.0, 1.0, bins + 1)
        edges = lo * (1.0 - t) + hi * t
    rows = _binned(samples, edges)
    scale = alt.Scale(type="symlog") if log else alt.Scale(zero=False, nice=False,
                                                            domain=[float(edges[0]), float(edges[-1])])
    base = alt.Chart(_data(rows)).mark_bar(opacity=0.85).encode(
        x=alt.X("start:Q", bin="binned", title=x_title, scale=scale),
        x2="end:Q",
        y=alt.Y("sum(documents):Q", title="documents", stack=True),
        color=alt.Color("status:N", scale=STATUS_SCALE, title=None),
        tooltip=["status:N", alt.Tooltip("start:Q", format=",.4~g"), alt.Tooltip("end:Q", format=",.4~g"),
                 alt.Tooltip("sum(documents):Q", title="documents")],
    )
    layers: list[alt.Chart] = [base]
    if thresholds:
        trows = [{"value": float(t["value"]), "label": str(t["label"])} for t in thresholds]
        rule = alt.Chart(_data(trows)).mark_rule(color="#222", strokeDash=[5, 3], strokeWidth=2).encode(
            x="value:Q", tooltip=["label:N", alt.Tooltip("value:Q", format=",.6~g")])
        layers.append(rule)
        mid = (lo + hi) / 2
        for i, t in enumerate(trows[:MAX_LABELS]):  # one label per rule, stacked, on the side with room
            right = t["value"] > mid
            layers.append(alt.Chart(_data([t])).mark_text(
                align="right" if right else "left", dx=-4 if right else 4, baseline="top", color="#222",
            ).encode(x="value:Q", y=alt.value(2 + 13 * i), text="label:N"))
    chart = alt.layer(*layers, title=title).properties(width=WIDTH, height=200)
    return _spec(chart)


def counts_histogram(rows: Sequence[dict[str, Any]], *, x: str, title: str, x_title: str) -> dict[str, Any]:
    """Bars over an integer x or ranges of it (e.g. duplicate-cluster size → documents), in the rows' order."""
    chart = alt.Chart(_data(rows), title=title).mark_bar().encode(
        x=alt.X(f"{x}:O", title=x_title, sort=None),   # (the rows' order: labels such as "5–8" are text)
        y=alt.Y("documents:Q", title="documents"),
        tooltip=[f"{x}:O", "documents:Q"],
    ).properties(width=WIDTH, height=200)
    return _spec(chart)

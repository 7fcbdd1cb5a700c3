"""HTML of the inspector's pages: the filtered document list and the line-by-line document view.

Pages are rendered on the server from escaped strings only: every value that comes from a record goes through
`html.escape` (text and attributes), links to a page's URL are made only for http(s) URLs, and the pages load
their script and style from /static/ so that the Content-Security-Policy can forbid inline script altogether.
"""

from __future__ import annotations

import html
import json
import zlib
from typing import Any, Iterable, Sequence
from urllib.parse import urlencode

from .index import removed_lines

FILTERS = ("status", "reason", "language", "host", "q", "text")
# Roles with a colour of their own in inspect.css; any other role gets one of ten spare colours by name.
KNOWN_ROLES = frozenset("""title lead body heading caption credit related recommendations boilerplate share
navigation nav menu footer header comment comments ad ads advertisement cookie newsletter byline date author
quote list table code blank other""".split())


def esc(x: Any) -> str:
    return html.escape("" if x is None else str(x), quote=True)


def role_class(role: str) -> str:
    r = "".join(ch for ch in role.lower() if ch.isalnum() or ch in "-_")[:40]
    if r in KNOWN_ROLES:
        return f"role-{r}"
    return f"role-x{zlib.crc32(r.encode()) % 10}"


def query(params: dict[str, str], **extra: Any) -> str:
    merged = {k: v for k, v in params.items() if v}
    for k, v in extra.items():
        if v in (None, ""):
            merged.pop(k, None)
        else:
            merged[k] = str(v)
    s = urlencode(merged)
    return f"?{s}" if s else ""


def page(title: str, body: str, *, script: bool = True) -> str:
    js = '<script src="/static/inspect.js" defer></script>' if script else ""
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{esc(title)}</title>'
            f'<link rel="icon" href="data:,"><link rel="stylesheet" href="/static/inspect.css">{js}</head><body>{body}</body></html>')


def _select(name: str, label: str, current: str, options: Sequence[tuple[str, int]], blank: str = "all") -> str:
    opts = [f'<option value="">{esc(blank)}</option>']
    seen = False
    for value, n in options:
        shown = value if value else "(none)"
        if value == "" and name != "status":
            continue
        sel = " selected" if value == current else ""
        seen = seen or value == current
        opts.append(f'<option value="{esc(value)}"{sel}>{esc(shown)} ({n:,})</option>')
    if current and not seen:
        opts.append(f'<option value="{esc(current)}" selected>{esc(current)}</option>')
    return f'<label>{esc(label)} <select name="{name}" id="f-{name}">{"".join(opts)}</select></label>'


def header(out_name: str, total: int, has_report: bool) -> str:
    rep = ' · <a href="/files/report.html">report</a>' if has_report else ""
    return (f'<header><a class="brand" href="/">sito inspect</a> <span class="where">{esc(out_name)} · '
            f'{total:,} documents{rep}</span><span class="keys">j / k: next / previous · '
            f'Enter: open · u: back to list</span></header>')


def list_page(*, out_name: str, total: int, has_report: bool, params: dict[str, str],
              facets: dict[str, list[tuple[str, int]]], rows: list[dict[str, Any]], start: int, matched: int,
              complete: bool, page_size: int) -> str:
    p = params
    form = (
        '<form class="filters" method="get" action="/">'
        + _select("status", "status", p.get("status", ""), [(v, n) for v, n in facets["status"]])
        + _select("reason", "reason", p.get("reason", ""), facets["reason"])
        + _select("language", "language", p.get("language", ""), facets["language"])
        + _select("host", "site", p.get("host", ""), facets["host"])
        + f'<label>search <input type="search" name="q" id="f-q" value="{esc(p.get("q", ""))}" '
          'placeholder="title, URL or id"></label>'
        + f'<label class="check"><input type="checkbox" name="text" value="1" id="f-text"'
          f'{" checked" if p.get("text") else ""}> in full text</label>'
        + '<button type="submit" id="apply">Apply</button> <a href="/">clear</a></form>'
    )
    end = start + len(rows)
    more = "" if complete else "+ (full-text search stopped early; narrow the filters to see all)"
    summary = (f'<p class="summary" id="summary">{matched:,}{esc(more)} matching · showing '
               f'{start + 1 if rows else 0:,}–{end:,}</p>')
    page_no = start // page_size
    nav = []
    if start > 0:
        nav.append(f'<a id="prev-page" href="/{esc(query(p, page=page_no - 1 or None))}">← previous</a>')
    if end < matched or not complete:
        nav.append(f'<a id="next-page" href="/{esc(query(p, page=page_no + 1))}">next →</a>')
    pager = f'<nav class="pager">{" ".join(nav)}</nav>'
    trs = []
    for k, r in enumerate(rows):
        pos = start + k
        href = f"/doc/{r['_row']}{query(p, pos=pos)}"
        status = r["status"]
        reason = f'<span class="reason">{esc(r["reason"])}</span>' if r["reason"] else ""
        trs.append(
            f'<tr class="doc-row" data-href="{esc(href)}" data-id="{esc(r["id"])}">'
            f'<td class="num">{pos + 1:,}</td><td><span class="badge {esc(status)}">{esc(status)}</span> {reason}</td>'
            f'<td>{esc(r["language"])}</td><td class="host">{esc(r["host"])}</td>'
            f'<td class="num">{r["length"]:,}</td><td class="num">{r["removed"]:,}</td>'
            f'<td class="title"><a href="{esc(href)}">{esc(r["title"] or r["id"] or "(untitled)")}</a>'
            f'<div class="id">{esc(r["id"])}</div></td></tr>')
    table = ('<table class="docs" id="docs"><thead><tr><th>#</th><th>status</th><th>lang</th><th>site</th>'
             '<th>chars</th><th>removed lines</th><th>title</th></tr></thead><tbody>'
             + "".join(trs) + "</tbody></table>") if trs else '<p class="empty" id="empty">No document matches.</p>'
    body = header(out_name, total, has_report) + f'<main class="list">{form}{summary}{pager}{table}{pager}</main>'
    return page("sito inspect", body)


def _list(title: str, items: Iterable[Any], cls: str) -> str:
    lis = "".join(f"<li>{esc(x)}</li>" for x in items if x not in (None, ""))
    return f'<section class="field {cls}"><h3>{esc(title)}</h3><ul>{lis}</ul></section>' if lis else ""


def _kv(rows: Iterable[tuple[str, Any]]) -> str:
    trs = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in rows if v not in (None, "", []))
    return f'<table class="kv">{trs}</table>' if trs else ""


def doc_page(*, out_name: str, total: int, has_report: bool, params: dict[str, str], row: int,
             rec: dict[str, Any] | None, idx: dict[str, Any], pos: int | None, matched: int,
             prev_href: str | None, next_href: str | None, list_href: str) -> str:
    nav = [f'<a id="back" href="{esc(list_href)}">↑ list</a>']
    nav.append(f'<a id="prev" href="{esc(prev_href)}">← previous (k)</a>' if prev_href else
               '<span class="off">← previous</span>')
    nav.append(f'<a id="next" href="{esc(next_href)}">next (j) →</a>' if next_href else
               '<span class="off">next →</span>')
    where = f"{pos + 1:,} of {matched:,}" if pos is not None else f"record {row + 1:,}"
    navbar = f'<nav class="docnav">{" ".join(nav)} <span class="where">{esc(where)}</span></nav>'
    if rec is None:
        body = (header(out_name, total, has_report) + f'<main class="doc">{navbar}<p class="error" id="unreadable">'
                f'This record could not be read back from its shard ({esc(idx.get("title"))}).</p></main>')
        return page("unreadable record", body)

    title = rec.get("title") if isinstance(rec.get("title"), str) else ""
    url = rec.get("url") if isinstance(rec.get("url"), str) else ""
    url_html = esc(url)
    if url.lower().startswith(("http://", "https://")):
        url_html = f'<a href="{esc(url)}" rel="noreferrer noopener" target="_blank">{esc(url)}</a>'
    reason = rec.get("reason") if isinstance(rec.get("reason"), dict) else None
    status = "rejected" if reason else idx.get("status", "kept")
    head = (f'<h1 id="doc-title">{esc(title or rec.get("id") or "(untitled)")}</h1>'
            f'<p class="meta"><span class="badge {esc(status)}">{esc(status)}</span> '
            f'<span class="docid">{esc(rec.get("id"))}</span> · {url_html}</p>')
    if reason:
        head += ('<div class="rejection" id="rejection"><b>Rejected:</b> '
                 f'<code>{esc(reason.get("code"))}</code> by <code>{esc(reason.get("step"))}</code>'
                 + (f' — value {esc(reason.get("value"))}' if reason.get("value") is not None else "")
                 + (f', threshold {esc(reason.get("threshold"))}' if reason.get("threshold") is not None else "")
                 + (f'<div class="detail">{esc(reason.get("detail"))}</div>' if reason.get("detail") else "")
                 + "</div>")

    fields = []
    if isinstance(rec.get("lead"), str) and rec["lead"]:
        fields.append(f'<section class="field lead"><h3>lead</h3><p>{esc(rec["lead"])}</p></section>')
    quotes = rec.get("quotes") if isinstance(rec.get("quotes"), list) else []
    qs = []
    for q in quotes:
        if isinstance(q, dict) and q.get("text"):
            sp = f' <span class="speaker">— {esc(q.get("speaker"))}</span>' if q.get("speaker") else ""
            qs.append(f'<li><q>{esc(q.get("text"))}</q>{sp}</li>')
    if qs:
        fields.append(f'<section class="field quotes"><h3>quotes</h3><ul>{"".join(qs)}</ul></section>')
    for name in ("headings", "captions", "credits", "related"):
        v = rec.get(name)
        if isinstance(v, list):
            fields.append(_list(name, v, name))
    fields.append(_kv((k, rec.get(k)) for k in ("language", "author", "date", "sitename", "description", "source")))

    lines = rec.get("lines") if isinstance(rec.get("lines"), list) else None
    if lines:
        lis = []
        for ln in lines:
            if not isinstance(ln, dict):
                continue
            role = str(ln.get("role") or "unknown")
            keep = ln.get("keep") is not False
            reason_txt = ln.get("reason")
            tip = f' title="{esc(reason_txt)}"' if (not keep and reason_txt) else ""
            cls = f"line {role_class(role)} {'kept' if keep else 'removed'}"
            lis.append(f'<li class="{cls}" data-role="{esc(role)}" data-index="{esc(ln.get("index"))}"{tip}>'
                       f'<span class="role">{esc(role)}</span><span class="text">{esc(ln.get("text"))}</span></li>')
        removed = removed_lines(lines)
        lines_html = (f'<section class="lines"><h2>Original lines <small>{len(lines):,} lines, {removed:,} removed '
                      f'(struck through; hover for the reason)</small></h2><ol id="lines">{"".join(lis)}</ol></section>')
    else:
        lines_html = '<p class="note">This record has no per-line roles (the cleaner did not run on it).</p>'
    text = rec.get("text") if isinstance(rec.get("text"), str) else ""
    text_html = f'<section class="cleantext"><h2>Text</h2><pre id="text">{esc(text)}</pre></section>'
    meta = rec.get("metadata")
    meta_html = (f'<section class="metadata"><h2>Metadata</h2><pre id="metadata">'
                 f'{esc(json.dumps(meta, ensure_ascii=False, indent=1, default=str))}</pre></section>') if meta else ""
    body = (header(out_name, total, has_report)
            + f'<main class="doc">{navbar}{head}<div class="cols"><div class="main-col">{lines_html}{text_html}'
              f'</div><aside>{"".join(fields)}{meta_html}</aside></div></main>')
    return page(title or "document", body)


def error_page(code: int, message: str) -> str:
    return page(f"{code}", f'<main class="error"><h1>{code}</h1><p>{esc(message)}</p><p><a href="/">list</a></p></main>',
                script=False)

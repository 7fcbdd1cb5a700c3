"""`sito eval`: score the cleaner against the reference texts of the dev pages.

For each page of the chosen sets and split, the cleaner reads one kind of input — `fulltext` (the whole page as
text, inscriptis), `extractor` (trafilatura's output, settings in `sito.clean.sources.TRAFILATURA_SETTINGS`) or
`html` (the raw page through `sito.clean_html`) — and its `Article.text` is scored with the two metrics of
`sito.evaluate.metrics`: token precision / recall / F1 against the reference article (mean over pages) and,
where the set has them, trafilatura's with/without snippets (counts summed over pages). `--compare trafilatura`
scores trafilatura's own output on the same pages with the same metrics, side by side, and says how sure each
difference is: sito minus trafilatura with a 95 % paired bootstrap interval over the pages and the share of
resamples in which sito is ahead (`sito.evaluate.paired`).

Rows: one per set, one per wcxb page type, and one for the Polish pages of all sets. The default split is
`heldout` — the pages the model never saw; use it for reported numbers. Conversions are cached (see
`sito.clean.sources`).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

from ..devdata import SETS
from ..document import Article
from .metrics import SnippetCounts, snippet_counts, token_prf
from .paired import mean_difference, snippet_difference

INPUTS = ("fulltext", "extractor", "html", "fulltext-flat")


def _page_language(p) -> str | None:
    """The page's language from the dev metadata; for wcxb (none recorded) detected on the reference text."""
    if p.lang:
        return p.lang
    if p.reference:
        from ..clean.cues import guess_language
        from .metrics import tokens

        return guess_language(tokens(p.reference))
    return None


class _Acc:
    def __init__(self):
        self.n = 0
        self.p = self.r = self.f = 0.0
        self.n_tok = 0
        self.snip = SnippetCounts()
        self.n_snip = 0

    def add(self, prf=None, snip=None):
        if prf is not None:
            self.n_tok += 1
            self.p += prf.precision
            self.r += prf.recall
            self.f += prf.f1
        if snip is not None:
            self.n_snip += 1
            self.snip = self.snip + snip

    def as_dict(self) -> dict:
        d = {"pages": max(self.n_tok, self.n_snip)}
        if self.n_tok:
            d.update(token_pages=self.n_tok, token_p=self.p / self.n_tok, token_r=self.r / self.n_tok,
                     token_f1=self.f / self.n_tok)
        if self.n_snip:
            s = self.snip.prf()
            d.update(snippet_pages=self.n_snip, snippet_p=s.precision, snippet_r=s.recall, snippet_f=s.f1,
                     snippet_counts={"tp": self.snip.tp, "fn": self.snip.fn, "fp": self.snip.fp, "tn": self.snip.tn})
        return d


def _clean_html_fn():
    try:
        from .. import clean_html  # type: ignore[attr-defined]
        return clean_html
    except ImportError:
        pass
    try:
        from ..html import clean_html  # type: ignore
        return clean_html
    except ImportError as exc:
        raise SystemExit(f"sito eval --input html needs sito.clean_html (the HTML path), which is not available: {exc}")


def default_mode(input_kind: str) -> str:
    """The cleaner's decision mode for an input kind: "extracted" for an extractor's output, else "page"."""
    return "extracted" if input_kind == "extractor" else "page"


def evaluate(sets=SETS, split="heldout", input_kind="fulltext", compare=None, limit=None, model=None, log=None,
             mode: str | None = None, extractors: str = "auto", language: str | None = None):
    """Scores as a dict: rows[name] = {"sito": {...}, "trafilatura": {...}} plus settings. `mode`: the cleaner's
    decision mode for text inputs (default: `default_mode(input_kind)`); the HTML path chooses its own.
    `extractors`: the HTML path's trafilatura calls ("auto", "both" or "recall", see `clean_html`). `language`:
    the cleaner is told every page is in it (default: it guesses)."""
    from ..clean import clean_text
    from ..clean.labels import dev_pages
    from ..clean.sources import TRAFILATURA_DEFAULT_SETTINGS, TRAFILATURA_SETTINGS, convert

    clean_html = _clean_html_fn() if input_kind == "html" else None
    mode = mode or default_mode(input_kind)
    pages = dev_pages(sets, split=split)
    if limit:
        pages = pages[:limit]
    rows: dict[str, dict[str, _Acc]] = defaultdict(lambda: defaultdict(_Acc))
    per_page: list[dict] = []
    t0 = time.time()
    seconds_clean = 0.0
    for k, p in enumerate(pages):
        html = p.html_bytes()
        t = time.perf_counter()
        if input_kind == "html":
            from ..html import HtmlError

            try:
                art = clean_html(html, url=p.url, extractors=extractors, model=model, language=language)
            except HtmlError:  # a page sito rejects (html:empty…) counts as empty output
                art = Article(text="")
        else:
            src = convert(input_kind, html)
            t = time.perf_counter()
            art = clean_text(src, url=p.url, model=model, mode=mode, language=language)
        seconds_clean += time.perf_counter() - t
        outputs = {"sito": art.text}
        if compare == "trafilatura":
            # the HTML path is compared with trafilatura on its own (its defaults); text inputs with the very
            # extractor output they clean
            outputs["trafilatura"] = convert("trafilatura_default" if input_kind == "html" else "extractor", html)
        groups = [p.set]
        if p.set == "wcxb" and p.page_type:
            groups.append(f"wcxb/{p.page_type}")
        if _page_language(p) == "pl":
            groups.append("polish")
        rec = {"set": p.set, "name": p.name, "groups": groups}
        for system, text in outputs.items():
            prf = token_prf(text, p.reference) if p.reference else None
            snip = snippet_counts(text, p.with_snippets, p.without_snippets) if (p.with_snippets or p.without_snippets) else None
            for g in groups:
                rows[g][system].add(prf, snip)
            rec[system] = {**({"token_p": prf.precision, "token_r": prf.recall, "token_f1": prf.f1} if prf else {}),
                           **({"tp": snip.tp, "fp": snip.fp, "fn": snip.fn} if snip else {})}
        per_page.append(rec)
        if log and (k + 1) % 200 == 0:
            log(f"{k + 1}/{len(pages)} pages ({time.time() - t0:.0f}s)")
    order = [s for s in SETS if s in rows] + sorted(g for g in rows if g.startswith("wcxb/")) + (["polish"] if "polish" in rows else [])
    paired = {}
    if compare:  # from the per-page scores: each page's two systems stay paired
        for g in order:
            recs = [r for r in per_page if g in r["groups"]]
            tok = [r for r in recs if "token_f1" in r["sito"]]
            snip = [r for r in recs if "tp" in r["sito"]]
            d = {"token_f1": mean_difference([r["sito"]["token_f1"] for r in tok],
                                             [r[compare]["token_f1"] for r in tok]) if tok else None,
                 "snippet_f": snippet_difference([[r["sito"][k] for k in ("tp", "fp", "fn")] for r in snip],
                                                 [[r[compare][k] for k in ("tp", "fp", "fn")] for r in snip])
                 if snip else None}
            paired[g] = {k: v for k, v in d.items() if v is not None}
    return {
        "split": split, "input": input_kind, "sets": list(sets), "pages": len(pages),
        "mode": mode if input_kind != "html" else None,
        "extractors": extractors if input_kind == "html" else None, "language": language,
        "clean_seconds": round(seconds_clean, 3),
        "trafilatura_settings": (TRAFILATURA_DEFAULT_SETTINGS if input_kind == "html" else TRAFILATURA_SETTINGS)
        if (compare or input_kind == "extractor") else None,
        "rows": {g: {sys_: acc.as_dict() for sys_, acc in rows[g].items()} for g in order},
        **({"compare": compare, "paired": paired} if compare else {}),
        "per_page": per_page,
    }


def format_table(res: dict) -> str:
    systems = []
    for r in res["rows"].values():
        for s in r:
            if s not in systems:
                systems.append(s)
    head = f"{'rows':<22}{'pages':>6}"
    for s in systems:
        head += f" | {s + ' tokP':>14}{'tokR':>7}{'tokF1':>7}{'snipP':>7}{'snipR':>7}{'snipF':>7}"
    mode = f" mode={res['mode']}" if res.get("mode") else ""
    lines = [f"split={res['split']} input={res['input']}{mode} pages={res['pages']}", head, "-" * len(head)]
    for g, r in res["rows"].items():
        first = next(iter(r.values()))
        line = f"{g:<22}{first['pages']:>6}"
        for s in systems:
            d = r.get(s, {})
            fmt = lambda k: f"{d[k]:.3f}" if k in d else "-"  # noqa: E731
            line += f" | {fmt('token_p'):>14}{fmt('token_r'):>7}{fmt('token_f1'):>7}{fmt('snippet_p'):>7}{fmt('snippet_r'):>7}{fmt('snippet_f'):>7}"
        lines.append(line)
    if res.get("paired"):
        other = res["compare"]
        lines += ["", f"sito - {other}, same pages: difference [95 % paired bootstrap interval over pages] "
                      f"and the share of resamples with sito ahead"]
        head = f"{'rows':<22}{'pages':>6} | {'token F1':>30} | {'snippet F':>30}"
        lines += [head, "-" * len(head)]
        for g, d in res["paired"].items():
            first = next(iter(res["rows"][g].values()))
            cells = [f"{x['diff']:+.3f} [{x['lo']:+.3f}, {x['hi']:+.3f}] {x['ahead']:4.0%}" if x else "-"
                     for x in (d.get("token_f1"), d.get("snippet_f"))]
            lines.append(f"{g:<22}{first['pages']:>6} | {cells[0]:>30} | {cells[1]:>30}")
    return "\n".join(lines)


def _margin(rec: dict, system: str, other: str, metric: str) -> float:
    """How far `system` is ahead of `other` on one page: the token F1 difference ("token_f1"), or the difference
    of the snippets' tp - fp ("snippets")."""
    a, b = rec[system], rec[other]
    if metric == "token_f1":
        return a["token_f1"] - b["token_f1"]
    return float((a["tp"] - a["fp"]) - (b["tp"] - b["fp"]))


def format_worst(res: dict, n: int) -> str:
    """The `n` pages where sito trails the compared system most, by token F1 and by snippets (for error analysis;
    held-out pages are for measuring, not for tuning)."""
    other = res.get("compare")
    if not other or n <= 0:
        return ""
    out = []
    for metric, key, title in (("token_f1", "token_f1", "token F1 difference"),
                               ("snippets", "tp", f"snippet difference: (tp - fp) of sito minus of {other}")):
        recs = sorted((r for r in res["per_page"] if key in r["sito"] and _margin(r, "sito", other, metric) < 0),
                      key=lambda r: _margin(r, "sito", other, metric))[:n]
        if not recs:
            continue
        out.append(f"pages where sito trails {other} most, {title}:")
        for r in recs:
            a, b = r["sito"], r[other]
            if metric == "token_f1":
                detail = (f"sito P {a['token_p']:.3f} R {a['token_r']:.3f} | "
                          f"{other} P {b['token_p']:.3f} R {b['token_r']:.3f}")
                out.append(f"  {_margin(r, 'sito', other, metric):+.3f}  {r['set']}/{r['name']}  ({detail})")
            else:
                detail = f"sito tp/fp/fn {a['tp']}/{a['fp']}/{a['fn']} | {other} {b['tp']}/{b['fp']}/{b['fn']}"
                out.append(f"  {_margin(r, 'sito', other, metric):+.0f}  {r['set']}/{r['name']}  ({detail})")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    from ..clean.cleaner import MODES
    from ..html.extract import EXTRACTORS

    ap = argparse.ArgumentParser(
        prog="sito eval",
        description="Score the article cleaner against the dev pages' reference texts: token precision/recall/F1 "
                    "(mean over pages) and trafilatura's with/without snippet metric. Report numbers on the "
                    "held-out split (the default).")
    ap.add_argument("--sets", default=",".join(SETS),
                    help=f"comma-separated dev sets (default: all of {', '.join(SETS)}); Polish pages also get their own row")
    ap.add_argument("--split", choices=("heldout", "train", "all"), default="heldout",
                    help="which pages: heldout (default; never used for training or tuning), train, or all")
    ap.add_argument("--input", choices=INPUTS, default="fulltext", dest="input_kind",
                    help="what the cleaner reads: fulltext (whole page via inscriptis, default), extractor "
                         "(trafilatura's output), html (sito.clean_html on the raw page) or fulltext-flat (the "
                         "full-page text without its indentation, as scrapers that keep no layout give it)")
    ap.add_argument("--extractors", choices=sorted(EXTRACTORS), default="auto",
                    help="--input html: trafilatura tuned for recall, with its default settings too when that "
                         "output is short (auto, the default); both settings on every page (both); the recall-tuned "
                         "call only (recall)")
    ap.add_argument("--mode", choices=tuple(MODES), default=None,
                    help="the cleaner's decision mode for text inputs: page (full-page or scraped text) or "
                         "extracted (an extractor's output: remove a line only when a rule or the model is sure); "
                         "default: extracted for --input extractor, page for fulltext")
    ap.add_argument("--compare", choices=("trafilatura",), default=None,
                    help="also score trafilatura's own output on the same pages, side by side")
    ap.add_argument("--json", type=Path, default=None,
                    help="write the numbers to this JSON file (with every page's scores under per_page)")
    ap.add_argument("--worst", type=int, default=0, metavar="N",
                    help="with --compare: also list the N pages where sito trails the other system most")
    ap.add_argument("--limit", type=int, default=None, help="only the first N pages (quick checks)")
    ap.add_argument("--model", type=Path, default=None, help="a model file other than the shipped one")
    ap.add_argument("--language", default=None,
                    help="tell the cleaner every page is in this language instead of letting it guess; a language "
                         "sito has no stop words for (e.g. zh) shows how it does on pages of such languages")
    args = ap.parse_args(argv)
    sets = tuple(s.strip() for s in args.sets.split(",") if s.strip())
    bad = [s for s in sets if s not in SETS]
    if bad:
        ap.error(f"unknown set(s) {', '.join(bad)}; known: {', '.join(SETS)}")
    from ..devdata import default_dev_dir

    if default_dev_dir() is None:
        print("sito eval: dev data not found (set SITO_DEV_DATA or place it at ../shared/data/dev)", file=sys.stderr)
        return 2
    model = None
    if args.model:
        from ..clean.model import LineModel

        model = LineModel.load(args.model)
    res = evaluate(sets, args.split, args.input_kind, args.compare, args.limit, model,
                   log=lambda m: print(m, file=sys.stderr, flush=True), mode=args.mode, extractors=args.extractors,
                   language=args.language)
    print(format_table(res))
    worst = format_worst(res, args.worst)
    if worst:
        print("\n" + worst)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(res, indent=1, sort_keys=True) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

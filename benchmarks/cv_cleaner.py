"""Out-of-fold evaluation of the article cleaner: how well do its learned settings hold on pages it never saw?

The line model is trained on the dev TRAIN split, and its decision settings (threshold and smoothing, the
decision modes' knobs in `sito.clean.cleaner.MODES`) used to be chosen by scoring the cleaner on those same
pages — where the model has seen every line and is over-confident. This script measures that bias and gives
settings chosen without it:

1. the train pages are split into `--folds` folds by a fixed hash (`sito.clean.train.cv_fold`: xxh64 of
   "cv/set/name", a key of its own, so the folds do not coincide with the stacking folds inside training);
2. for each fold, a model is trained with the same code as `sito train` (`train.fit_model`) on the other folds'
   pages only;
3. every train page is cleaned with the model that did NOT see it (out-of-fold) and, side by side, with the
   in-sample model (the shipped one, trained on all train pages, or `--model`), from the three inputs sito
   reads: full-page text (`page` mode), trafilatura's output (`extracted` mode) and the HTML path
   (`clean_lines` on `extract_page`'s lines and DOM hints, in the mode of the text source, as `clean_html`
   does by default); token P / R / F1 (mean over pages) and snippet F per set, as `sito eval` computes them.

Held-out pages are never read. Conversions and the HTML path's extraction are cached (`sito.clean.sources`),
fold models under `$SITO_CACHE/cv_models`, keyed by their training settings.

    nice .venv/bin/python benchmarks/cv_cleaner.py                      # in-sample vs out-of-fold, all inputs
    nice .venv/bin/python benchmarks/cv_cleaner.py --hidden 16 --l2 1e-4  # another capacity, out of fold
    nice .venv/bin/python benchmarks/cv_cleaner.py --modes '[{"t10": {"extracted": {"threshold": 0.1}}}]'
                                                                        # a mode's knobs, out of fold
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

CACHE = Path(os.environ.get("SITO_CACHE") or Path.home() / ".cache" / "sito")


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def html_extraction(p) -> dict:
    """The HTML path's lines and DOM hints of one page, as `clean_html` reads them (cached)."""
    from sito.clean.sources import html_extraction as extraction

    return extraction(p.html_bytes(), p.url)


def _prepare_one(p) -> None:
    from sito.clean.sources import convert

    html = p.html_bytes()
    convert("fulltext", html)
    convert("extractor", html)
    html_extraction(p)


def prepare(pages, jobs: int) -> None:
    """Fill the conversion caches (the slow part: trafilatura and inscriptis) for these pages."""
    t0 = time.time()
    if jobs > 1:
        from multiprocessing import Pool

        with Pool(jobs) as pool:
            for k, _ in enumerate(pool.imap_unordered(_prepare_one, pages, chunksize=4)):
                if (k + 1) % 100 == 0:
                    log(f"prepared {k + 1}/{len(pages)} pages ({time.time() - t0:.0f}s)")
    else:
        for k, p in enumerate(pages):
            _prepare_one(p)
            if (k + 1) % 100 == 0:
                log(f"prepared {k + 1}/{len(pages)} pages ({time.time() - t0:.0f}s)")


def _measurement_code() -> bytes:
    """What the labelled lines' features depend on besides the pages: the measuring code and its data (cue
    phrases, stop words), and the code of the HTML path's lines, so that a change to any is not read from a
    stale cache."""
    from importlib import resources

    import sito.clean
    from sito.clean.sources import _html_code_version

    root = Path(sito.clean.__file__).parent
    parts = [(root / f).read_bytes() for f in ("features.py", "cues.py", "phrases.py", "labels.py", "sources.py")]
    parts.append(_html_code_version().encode())  # the HTML path's lines
    data = resources.files("sito").joinpath("resources/cleaner")
    parts += [data.joinpath(f).read_bytes() for f in ("cues.json", "stopwords.json")]
    return b"".join(parts)


def labelled(pages):
    """`labels.build` of these pages (both inputs), cached: it is the same for every fold and setting."""
    import numpy as np
    import xxhash

    from sito.clean.features import FEATURE_NAMES
    from sito.clean.labels import LabelledData, build

    key = xxhash.xxh64_hexdigest(json.dumps([[p.set, p.name] for p in pages] + FEATURE_NAMES).encode()
                                 + _measurement_code())
    path = CACHE / "cv_data" / f"{key}.npz"
    if path.exists():
        with np.load(path, allow_pickle=False) as z:
            return LabelledData(z["X"], z["y"], z["w"], z["page"], [tuple(m) for m in json.loads(str(z["pages"]))])
    t0 = time.time()
    data = build(pages, log=log)
    log(f"labelled {len(data.y)} lines of {len(pages)} pages in {time.time() - t0:.0f}s")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"tmp{os.getpid()}-{path.name}")
    np.savez(tmp, X=data.X, y=data.y, w=data.w, page=data.page, pages=np.array(json.dumps(data.pages)))
    tmp.replace(path)
    return data


def fold_models(data, folds: int, hidden: int, epochs: int, l2: float, seed: int, members: int = 1):
    """`train.fold_models`, cached under $SITO_CACHE/cv_models by data and settings."""
    import xxhash

    from sito.clean import train
    from sito.clean.model import LineModel

    key = xxhash.xxh64_hexdigest(json.dumps([len(data.y), float(data.w.sum()), folds, hidden, epochs, l2, seed,
                                             Path(train.__file__).read_text(), xxhash.xxh64_hexdigest(data.X)]
                                            + ([members] if members > 1 else [])).encode())
    paths = [CACHE / "cv_models" / f"{key}-{f}of{folds}.npz" for f in range(folds)]
    if all(q.exists() for q in paths):
        return [LineModel.load(q) for q in paths]
    t0 = time.time()
    models = train.fold_models(data, folds, hidden=hidden, epochs=epochs, seed=seed, l2=l2, log=log,
                               members=members)
    log(f"fitted {folds} fold models in {time.time() - t0:.0f}s")
    paths[0].parent.mkdir(parents=True, exist_ok=True)
    for m, q in zip(models, paths):
        m.save(q)
    # (as stored: the weights are saved in float32, and a fresh run must score what a cached run scores)
    return [LineModel.load(q) for q in paths]


# --- scoring -------------------------------------------------------------------------------------------------

_STATE: dict = {}


def _groups(p) -> list[str]:
    from sito.evaluate.run import _page_language

    g = [p.set]
    if p.set == "wcxb" and p.page_type:
        g.append(f"wcxb/{p.page_type}")
    if _page_language(p) == "pl":
        g.append("polish")
    return g


def _clean_one(task):
    """(page number, input, variant) -> the cleaned text."""
    from sito.clean.cleaner import clean_text
    from sito.clean.sources import convert
    from sito.evaluate.run import default_mode
    from sito.html.article import SOURCE_MODE, clean_extracted

    k, kind, var = task
    p = _STATE["pages"][k]
    model = _STATE["model_of"][var["model"]](p)
    modes = var.get("modes", {})
    language = var.get("language")
    if kind == "html":
        ex = html_extraction(p)
        if "error" in ex:
            return ""
        # a variant's mode for the source, else the source's own (and "extracted" for the fallback text)
        return clean_extracted(ex, model=model, mode=modes.get(SOURCE_MODE.get(ex["source"], "page")),
                               language=language)[0].text
    name = default_mode(kind)
    return clean_text(convert(kind, p.html_bytes()), url=p.url, model=model, mode=modes.get(name, name),
                      language=language).text


def score(pages, inputs, variants: dict, model_of: dict, jobs: int) -> dict:
    """rows[(input, variant)][group] = {"token_p", "token_r", "token_f1", "snippet_f", ...} (as `sito eval`)."""
    from sito.evaluate.metrics import snippet_counts, token_prf
    from sito.evaluate.run import _Acc

    _STATE.update(pages=pages, model_of=model_of)
    tasks = [(k, kind, v) for kind in inputs for v in variants for k in range(len(pages))]
    t0 = time.time()
    payload = [(k, kind, variants[v]) for k, kind, v in tasks]
    if jobs > 1:
        from multiprocessing import get_context

        with get_context("fork").Pool(jobs) as pool:
            texts = pool.map(_clean_one, payload, chunksize=16)
    else:
        texts = [_clean_one(t) for t in payload]
    log(f"cleaned {len(tasks)} inputs in {time.time() - t0:.0f}s")
    acc: dict = defaultdict(lambda: defaultdict(_Acc))
    for (k, kind, v), text in zip(tasks, texts):
        p = pages[k]
        prf = token_prf(text, p.reference) if p.reference else None
        snip = snippet_counts(text, p.with_snippets, p.without_snippets) if (p.with_snippets or p.without_snippets) else None
        for g in _groups(p):
            acc[(kind, v)][g].add(prf, snip)
    return {col: {g: a.as_dict() for g, a in rows.items()} for col, rows in acc.items()}


ROW_ORDER = ("readability", "trafilatura", "newspaper4k", "wcxb", "wcxb/article", "wcxb/collection",
             "wcxb/documentation", "wcxb/forum", "wcxb/listing", "wcxb/product", "wcxb/service", "polish")


def main_score(d: dict) -> float:
    """The headline of a column: the sum of readability F1, trafilatura-eval snippet F, newspaper4k F1, wcxb F1."""
    return sum(d.get(g, {}).get(k, 0.0) for g, k in (("readability", "token_f1"), ("trafilatura", "snippet_f"),
                                                      ("newspaper4k", "token_f1"), ("wcxb", "token_f1")))


def table(res: dict) -> str:
    cols = list(res)
    head = f"{'rows':<20}{'pages':>6} | " + " | ".join(f"{k + ':' + v:>26}" for k, v in cols)
    out = [head, "-" * len(head)]
    for g in ROW_ORDER:
        if not any(g in res[c] for c in cols):
            continue
        d0 = next(res[c][g] for c in cols if g in res[c])
        cells = []
        for c in cols:
            d = res[c].get(g, {})
            if "token_f1" in d:
                cells.append(f"F1 {d['token_f1']:.3f} P {d['token_p']:.3f} R {d['token_r']:.3f}")
            elif "snippet_f" in d:
                cells.append(f"snipF {d['snippet_f']:.3f} R {d['snippet_r']:.3f}")
            else:
                cells.append("")
        out.append(f"{g:<20}{d0['pages']:>6} | " + " | ".join(f"{x:>26}" for x in cells))
    out.append(f"{'sum of 4 sets':<26} | " + " | ".join(f"{main_score(res[c]):>26.3f}" for c in cols))
    return "\n".join(out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--prepare", action="store_true", help="only fill the conversion caches")
    ap.add_argument("--jobs", type=int, default=1, help="processes for cleaning (default 1)")
    ap.add_argument("--folds", type=int, default=2, help="cross-validation folds (default 2)")
    ap.add_argument("--hidden", type=int, default=None, help="hidden units of the fold models (default: as the model)")
    ap.add_argument("--epochs", type=int, default=None, help="epochs of the fold models (default: as the model)")
    ap.add_argument("--l2", type=float, default=None, help="L2 penalty of the fold models (default: as the model)")
    ap.add_argument("--members", type=int, default=None,
                    help="scorers (seeds) averaged in each fold model (default: as the model)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threshold", type=float, default=None,
                    help="the models' decision threshold (default: the in-sample model's own)")
    ap.add_argument("--smooth", type=float, default=None,
                    help="the models' smoothing weight (default: the in-sample model's own)")
    ap.add_argument("--model", type=Path, default=None, help="in-sample model file (default: the shipped one)")
    ap.add_argument("--no-insample", action="store_true", help="only the out-of-fold column")
    ap.add_argument("--inputs", default="fulltext,extractor,html")
    ap.add_argument("--every", type=int, default=1, help="every n-th train page only (fixed subset)")
    ap.add_argument("--modes", default=None,
                    help="JSON list of {name: {mode name: Mode fields}} variants of the decision modes to score "
                         "out of fold, e.g. '[{\"t15\": {\"extracted\": {\"threshold\": 0.15}}}]'")
    ap.add_argument("--language", default=None,
                    help="also score every variant with the pages' language set to this one (a column "
                         "'variant@LANG'): e.g. zh, a language sito has no stop words for, measures how the "
                         "cleaner does without them")
    ap.add_argument("--json", type=Path, default=None, help="write the numbers to this JSON file")
    args = ap.parse_args(argv)
    from dataclasses import replace

    from sito.clean.cleaner import MODES
    from sito.clean.labels import dev_pages
    from sito.clean.model import LineModel, default_model
    from sito.evaluate.run import default_mode
    from sito.clean.train import cv_fold
    from sito.devdata import SETS

    pages = dev_pages(SETS, split="train")
    if args.prepare:
        prepare(pages, args.jobs)
        return 0
    base = LineModel.load(args.model) if args.model else default_model()
    hp = base.meta or {}
    hidden = args.hidden or int(hp.get("hidden", 32))
    epochs = args.epochs or int(hp.get("epochs", 8))
    l2 = args.l2 if args.l2 is not None else float(hp.get("l2", 1e-5))
    members = args.members or int(hp.get("members", 1))
    data = labelled(pages)
    folds = fold_models(data, args.folds, hidden, epochs, l2, args.seed, members)
    th = base.threshold if args.threshold is None else args.threshold
    sm = base.smooth if args.smooth is None else args.smooth
    for m in folds:
        m.threshold, m.smooth = th, sm
    log(f"fold models: hidden {hidden}, epochs {epochs}, l2 {l2:g}, members {members}, threshold {th:g}, "
        f"smoothing {sm:g}")
    model_of = {"oof": lambda p: folds[cv_fold(p.set, p.name, args.folds)], "insample": lambda p: base}
    variants = {}
    if not args.no_insample:
        variants["in-sample"] = {"model": "insample"}
    variants["out-of-fold"] = {"model": "oof"}
    for var in json.loads(args.modes or "[]"):
        for name, spec in var.items():
            variants[name] = {"model": "oof",
                              "modes": {mn: replace(MODES[mn], **fields) for mn, fields in spec.items()}}
    if args.language:
        variants.update({f"{name}@{args.language}": {**v, "language": args.language} for name, v in variants.items()})
    eval_pages = [p for p in pages[::args.every] if p.reference or p.with_snippets or p.without_snippets]
    inputs = [s.strip() for s in args.inputs.split(",") if s.strip()]
    res = score(eval_pages, inputs, variants, model_of, args.jobs)
    for kind in inputs:
        how = "the HTML path: mode of the text source" if kind == "html" else default_mode(kind)
        print(f"\n== input {kind} ({how}), {len(eval_pages)} train pages, {args.folds} folds ==")
        print(table({c: r for c, r in res.items() if c[0] == kind}))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"settings": {"folds": args.folds, "hidden": hidden, "epochs": epochs,
                                                      "l2": l2, "threshold": th, "smooth": sm},
                                         "rows": {f"{k}:{v}": r for (k, v), r in res.items()}},
                                        indent=1, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

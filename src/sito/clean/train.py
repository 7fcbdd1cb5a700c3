"""`sito train`: rebuild the cleaner's line model from the dev pages (train split only), reproducibly.

Steps: build labelled lines (`labels.py`: full-page text, extractor output and the HTML path's lines of every
train page, labelled by alignment with the reference), fit the line scorers (one-hidden-layer perceptrons,
stacked, numpy, Adam, fixed seeds; `--members` of them from different seeds, averaged),
count keep/drop transitions for the HMM smoothing, then choose the decision threshold and the smoothing weight
that maximise the mean token F1 of the whole cleaner (rules included), and write the model to
`resources/cleaner/model.npz` (or `--out`). Nothing here runs at clean time: the runtime only needs numpy.

The threshold and smoothing are chosen OUT OF FOLD (`--cv-folds`, default 4): the train pages are split by a
fixed hash (`cv_fold`), a model is fitted on the other folds for each fold, and every tuning page is cleaned by
the model that did not see it. Scored in-sample (`--cv-folds 0`), a model that has seen every line is
over-confident and the grid picks settings that drop article lines on unseen pages
(`benchmarks/cv_cleaner.py` measures the difference).

The trainer is written with numpy rather than a machine-learning library because the model is tiny (101 inputs,
32 hidden units) and the runtime format is plain arrays anyway; a library would add a dependency for a
30-line optimiser.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import numpy as np

from ..devdata import SETS
from .model import CONTEXT_NAMES, LineModel, context_of

THRESHOLDS = (0.1, 0.15, 0.2, 0.25, 0.3, 0.4)   # grid for the keep threshold (p(keep) scale)
SMOOTHING = (0.25, 0.5, 1.0)                   # grid for the weight of HMM transitions against emissions
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "resources" / "cleaner" / "model.npz"


def fit_mlp(X: np.ndarray, y: np.ndarray, w: np.ndarray, *, hidden: int = 32, epochs: int = 12,
            batch: int = 512, lr: float = 2e-3, l2: float = 1e-5, seed: int = 0, log=None):
    """Weighted logistic loss, ReLU hidden layer, Adam; rows with y < 0 or w == 0 are ignored."""
    m = (y >= 0) & (w > 0)
    X, y, w = X[m].astype(np.float32), y[m].astype(np.float32), w[m].astype(np.float32)
    mean = X.mean(axis=0)
    std = X.std(axis=0)
    scale = np.where(std > 1e-6, 1.0 / np.maximum(std, 1e-6), 0.0).astype(np.float32)
    Z = (X - mean) * scale
    w = w / w.mean()
    rng = np.random.default_rng(seed)
    d = X.shape[1]
    W1 = (rng.standard_normal((d, hidden)) * math.sqrt(2.0 / d)).astype(np.float32)
    b1 = np.zeros(hidden, np.float32)
    w2 = (rng.standard_normal(hidden) * math.sqrt(1.0 / hidden)).astype(np.float32)
    b2 = np.zeros(1, np.float32)
    params = [W1, b1, w2, b2]
    mom = [np.zeros_like(p) for p in params]
    vel = [np.zeros_like(p) for p in params]
    b1m, b2m, eps = 0.9, 0.999, 1e-8
    step = 0
    n = len(y)
    for ep in range(epochs):
        order = rng.permutation(n)
        tot = 0.0
        for s in range(0, n, batch):
            ib = order[s:s + batch]
            zb, yb, wb = Z[ib], y[ib], w[ib]
            h_pre = zb @ W1 + b1
            h = np.maximum(h_pre, 0)
            logit = h @ w2 + b2[0]
            p = 1 / (1 + np.exp(-np.clip(logit, -30, 30)))
            tot += float(np.sum(wb * (np.logaddexp(0, logit) - yb * logit)))
            g = wb * (p - yb) / len(ib)
            gw2 = h.T @ g + l2 * w2
            gb2 = np.array([g.sum()], np.float32)
            gh = np.outer(g, w2) * (h_pre > 0)
            gW1 = zb.T @ gh + l2 * W1
            gb1 = gh.sum(axis=0)
            step += 1
            for k, gr in enumerate((gW1, gb1, gw2, gb2)):
                mom[k] = b1m * mom[k] + (1 - b1m) * gr
                vel[k] = b2m * vel[k] + (1 - b2m) * gr * gr
                mh = mom[k] / (1 - b1m ** step)
                vh = vel[k] / (1 - b2m ** step)
                params[k] -= (lr * mh / (np.sqrt(vh) + eps)).astype(np.float32)
        if log:
            log(f"epoch {ep + 1}/{epochs}: loss {tot / n:.4f}")
    return mean.astype(np.float32), scale, W1, b1, w2, float(b2[0])


def _contexts(p: np.ndarray, page: np.ndarray) -> np.ndarray:
    out = np.zeros((len(p), len(CONTEXT_NAMES)), np.float32)
    bounds = np.flatnonzero(np.diff(page)) + 1
    for a, b in zip(np.concatenate(([0], bounds)), np.concatenate((bounds, [len(p)]))):
        out[a:b] = context_of(p[a:b])
    return out


def fit_stacked(data, *, hidden: int, epochs: int, seed: int, l2: float = 1e-5, log=None):
    """First stage on all rows; second stage on features + out-of-fold first-stage context (2 folds by page)."""
    fold = np.array([hash_fold(s, n) for s, n, _ in data.pages], dtype=np.int8)[data.page]
    oof = np.zeros(len(data.y), np.float32)
    for f in (0, 1):
        tr = fold != f
        mean, scale, W1, b1, w2, b2 = fit_mlp(data.X[tr], data.y[tr], data.w[tr], hidden=hidden, epochs=epochs,
                                              l2=l2, seed=seed + 1 + f, log=log)
        m = LineModel(mean, scale, W1, b1, w2, b2, *([np.zeros((2, 2))] * 3))
        oof[~tr] = m.proba1(data.X[~tr])
        if log:
            log(f"fold {f}: first stage fitted")
    stage1 = fit_mlp(data.X, data.y, data.w, hidden=hidden, epochs=epochs, l2=l2, seed=seed, log=log)
    X2 = np.concatenate([data.X, _contexts(oof, data.page)], axis=1)
    mean, scale, W1, b1, w2, b2 = fit_mlp(X2, data.y, data.w, hidden=hidden, epochs=epochs, l2=l2, seed=seed + 10,
                                          log=log)
    stage2 = {"mean": mean, "scale": scale, "W1": W1, "b1": b1, "w2": w2, "b2": b2}
    return stage1, stage2


def hash_fold(set_name: str, name: str) -> int:
    """The stacking fold of a page (2 folds): which half's first-stage model scores it for the second stage."""
    import xxhash

    return xxhash.xxh64_intdigest(f"fold/{set_name}/{name}".encode()) % 2


def cv_fold(set_name: str, name: str, folds: int = 2) -> int:
    """The cross-validation fold of a train page, for out-of-fold tuning and evaluation (a key of its own, so
    that it does not coincide with the stacking folds of `hash_fold`)."""
    import xxhash

    return xxhash.xxh64_intdigest(f"cv/{set_name}/{name}".encode()) % folds


def subset(data, keep_page):
    """The rows of `data` whose page (set, name) satisfies `keep_page(set, name)`, pages renumbered."""
    from .labels import LabelledData

    sel = np.array([bool(keep_page(s, n)) for s, n, _ in data.pages], dtype=bool)
    new_id = np.cumsum(sel) - 1
    rows = sel[data.page]
    return LabelledData(data.X[rows], data.y[rows], data.w[rows], new_id[data.page[rows]].astype(np.int32),
                        [m for m, k in zip(data.pages, sel) if k])


# seed offset of each further member of a model (its stacked scorers use seed + k * MEMBER_SEED_STEP + 0..10)
MEMBER_SEED_STEP = 1000


def fit_model(data, *, hidden: int, epochs: int, seed: int, l2: float = 1e-5, log=None, meta: dict | None = None,
              members: int = 1):
    """The whole line model from labelled data: `members` pairs of stacked scorers (seeds `seed`,
    `seed + MEMBER_SEED_STEP`, …; p(keep) is their mean) and the keep/drop transitions, with threshold 0.5 and
    smoothing 1.0 until `tune` chooses them."""
    lt, ls, lp = transitions(data.y, data.page)
    scorers = []
    for k in range(max(1, members)):
        (mean, scale, W1, b1, w2, b2), stage2 = fit_stacked(data, hidden=hidden, epochs=epochs,
                                                            seed=seed + k * MEMBER_SEED_STEP, l2=l2, log=log)
        scorers.append(LineModel(mean, scale, W1, b1, w2, b2, lt, ls, lp, 0.5, 1.0, stage2=stage2))
    head = scorers[0]
    head.meta, head.members = dict(meta or {}), tuple(scorers[1:])
    return head


def fold_models(data, folds: int, *, hidden: int, epochs: int, seed: int, l2: float = 1e-5, log=None,
                members: int = 1):
    """One model per cross-validation fold, each fitted on the pages of the other folds."""
    out = []
    for f in range(folds):
        part = subset(data, lambda s, n, f=f: cv_fold(s, n, folds) != f)
        if log:
            log(f"cv fold {f + 1}/{folds}: fitting on {len(part.pages)} of {len(data.pages)} inputs")
        out.append(fit_model(part, hidden=hidden, epochs=epochs, seed=seed, l2=l2,
                             log=None, meta={"cv_fold": f, "cv_folds": folds}, members=members))
    return out


def transitions(y: np.ndarray, page: np.ndarray):
    """Log transition, start and prior probabilities of keep/drop, counted on consecutive labelled lines."""
    T = np.ones((2, 2))  # add-one smoothing
    start = np.ones(2)
    for pg in np.unique(page):
        ys = y[page == pg]
        ys = ys[ys >= 0]
        if len(ys) == 0:
            continue
        start[ys[0]] += 1
        a, b = ys[:-1], ys[1:]
        np.add.at(T, (a, b), 1)
    prior = np.bincount(y[y >= 0], minlength=2).astype(float)
    return (np.log(T / T.sum(axis=1, keepdims=True)), np.log(start / start.sum()), np.log(prior / prior.sum()))


def tune(model: LineModel, pages, kinds, thresholds, smooths, log=None, model_of=None) -> tuple[float, float, float]:
    """Grid-search threshold and smoothing weight for the mean token F1 of the cleaner on the given pages, and
    set them on `model`. `model_of(page)`, when given, is the model that cleans that page (out of fold: one that
    did not see it); the chosen settings are then applied to `model` too. Each input is cleaned in the
    decision mode `sito eval` uses for its kind (full-page text in "page" mode, extractor output in "extracted"
    mode, whose own threshold replaces the model's), so that the grid is scored as the cleaner is used."""
    from ..evaluate.metrics import token_prf
    from ..evaluate.run import default_mode
    from . import cleaner
    from .sources import convert

    docs = []
    for p in pages:
        if not p.reference:
            continue
        html = p.html_bytes()
        m = model_of(p) if model_of is not None else model
        for kind in kinds:
            docs.append((convert(kind, html), p.reference, m, default_mode(kind)))
    used = {id(m): m for _, _, m, _ in docs} or {id(model): model}
    where = "out-of-fold" if model_of is not None else "train"
    best = (-1.0, model.threshold, model.smooth)
    for sm in smooths:
        for th in thresholds:
            for m in used.values():
                m.threshold, m.smooth = th, sm
            f = float(np.mean([token_prf(cleaner.clean_text(t, model=m, mode=md).text, r).f1
                               for t, r, m, md in docs]))
            if log:
                log(f"threshold {th:.2f} smoothing {sm:.2f}: mean token F1 {f:.4f} on {len(docs)} {where} inputs")
            if f > best[0]:
                best = (f, th, sm)
    for m in list(used.values()) + [model]:
        m.threshold, m.smooth = best[1], best[2]
    return best


# the pinned package versions of a source checkout (`make install` installs them): the shipped model is what
# `sito train` builds with them, byte for byte; other versions convert the dev pages and fit the weights otherwise
CONSTRAINTS = Path(__file__).resolve().parents[3] / "constraints.txt"


def version_drift(path: Path = CONSTRAINTS) -> list[tuple[str, str, str]]:
    """(package, pinned, installed) for every package pinned in `path` ("name==version" lines) that is installed
    at another version; [] without the file (sito installed from a wheel, not a checkout). Packages that are not
    installed (the test extras, say) are not listed: they cannot change the model."""
    from importlib.metadata import PackageNotFoundError, version

    out = []
    if not path.is_file():
        return out
    for line in path.read_text("utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" not in line:
            continue
        name, pinned = (x.strip() for x in line.split("==", 1))
        try:
            got = version(name)
        except PackageNotFoundError:
            continue
        if got != pinned:
            out.append((name, pinned, got))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="sito train",
        description="Rebuild the article cleaner's line model from the dev pages (train split only). "
                    "Deterministic: the same data and seed give the same model file.")
    ap.add_argument("--sets", default=",".join(SETS), help="dev sets to train on (comma-separated; default: all)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"model file to write (default: {DEFAULT_OUT})")
    ap.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    ap.add_argument("--hidden", type=int, default=32, help="hidden units of the line scorer (default 32)")
    ap.add_argument("--epochs", type=int, default=8, help="training epochs per network (default 8)")
    ap.add_argument("--l2", type=float, default=1e-5, help="L2 penalty on the weights (default 1e-5)")
    ap.add_argument("--members", type=int, default=3,
                    help="scorers trained from different seeds, whose p(keep) is averaged (default 3)")
    ap.add_argument("--no-tune", action="store_true", help="keep threshold 0.5 and smoothing 1.0")
    ap.add_argument("--tune-pages", type=int, default=300,
                    help="train pages (every n-th, fixed) used to choose threshold and smoothing (default 300)")
    ap.add_argument("--cv-folds", type=int, default=4,
                    help="choose threshold and smoothing out of fold: clean each tuning page with a model fitted "
                         "on the other folds (default 4; 0 = with the final model, in-sample)")
    ap.add_argument("--tune-only", action="store_true",
                    help="only re-choose threshold and smoothing of the model file given by --out")
    args = ap.parse_args(argv)
    from .labels import build, dev_pages

    log = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731
    t0 = time.time()
    sets = tuple(s.strip() for s in args.sets.split(",") if s.strip())
    unknown = [s for s in sets if s not in SETS]
    if unknown:
        ap.error(f"unknown set(s) {', '.join(unknown)}; known: {', '.join(SETS)}")
    if args.cv_folds == 1 or args.cv_folds < 0:
        ap.error("--cv-folds must be 0 or at least 2")
    drift = version_drift()
    if drift:
        log(f"note: {len(drift)} installed package(s) differ from {CONSTRAINTS.name}, the versions the shipped model "
            "was built with, so the model built here will differ from it: "
            + ", ".join(f"{n} {got} (pinned {pin})" for n, pin, got in drift[:8]) + (" ..." if len(drift) > 8 else ""))
    pages = dev_pages(sets, split="train")
    log(f"{len(pages)} train pages from {', '.join(sets)}")
    data = None
    if args.tune_only:
        model = LineModel.load(args.out)
    else:
        data = build(pages, log=log)
        log(f"{len(data.y)} lines: {(data.y == 1).sum()} keep, {(data.y == 0).sum()} drop, "
            f"{(data.y < 0).sum()} unlabelled ({time.time() - t0:.0f}s)")
        model = fit_model(data, hidden=args.hidden, epochs=args.epochs, seed=args.seed, l2=args.l2, log=log,
                          meta={"seed": args.seed, "sets": list(sets), "train_pages": len(pages),
                                "lines": int((data.y >= 0).sum()), "hidden": args.hidden, "epochs": args.epochs,
                                "l2": args.l2, "members": args.members},
                          members=args.members)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        model.save(args.out)  # saved before tuning, so that --tune-only can resume from here
    if not args.no_tune:
        step = max(1, len(pages) // max(args.tune_pages, 1))
        tune_pages = [p for p in pages[::step] if p.reference]
        model_of = None
        if args.cv_folds:
            if data is None:
                data = build(pages, log=log)
            hp = model.meta or {}
            folds = fold_models(data, args.cv_folds, hidden=int(hp.get("hidden", args.hidden)),
                                epochs=int(hp.get("epochs", args.epochs)), seed=int(hp.get("seed", args.seed)),
                                l2=float(hp.get("l2", args.l2)), log=log,
                                members=int(hp.get("members", 1)))
            model_of = lambda p: folds[cv_fold(p.set, p.name, args.cv_folds)]  # noqa: E731
        f, th, sm = tune(model, tune_pages, ("fulltext", "fulltext-flat", "extractor"), THRESHOLDS, SMOOTHING, log=log,
                         model_of=model_of)
        model.meta["tuning"] = {"pages": len(tune_pages), "mean_token_f1": round(f, 4), "threshold": th,
                                "smoothing": sm, "cv_folds": args.cv_folds}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    model.save(args.out)
    log(f"wrote {args.out} ({args.out.stat().st_size} bytes) in {time.time() - t0:.0f}s")
    print(json.dumps(model.meta, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

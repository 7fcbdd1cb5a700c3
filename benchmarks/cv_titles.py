"""Out-of-fold accuracy of `Article.title` from text inputs and from HTML, against the pages' reference titles.

The dev TRAIN pages with a reference title (wcxb's metadata, readability's expected-metadata.json, newspaper4k's)
are cleaned as `cv_cleaner.py` cleans them: each with the fold model that did not see it (`--folds 4`, the same
cached fold models), from full-page text ("page" mode) and from trafilatura's output ("extracted" mode), and
through the HTML path (`--inputs html`: the page's metadata title, else the cleaner's, as `clean_html`). A title
counts as right when it is the reference title ("exact": the same words, lower-cased) or close to it ("close":
token F1 >= 0.8 — a reference title from `<title>` often adds the site's name). "none": no title found. Held-out
pages are read only with `--heldout`: the held-out pages, cleaned with the shipped model (to report, not to tune).

    nice .venv/bin/python benchmarks/cv_titles.py
    PYTHONPATH=OTHER/src nice .venv/bin/python benchmarks/cv_titles.py   # another checkout's cleaner
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--inputs", default="fulltext,extractor")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--heldout", action="store_true", help="the held-out pages with the shipped model instead")
    ap.add_argument("--show", action="store_true", help="list the pages whose title is not close to the reference")
    args = ap.parse_args(argv)
    import cv_cleaner as cv

    from sito.clean.cleaner import clean_text
    from sito.clean.labels import dev_pages
    from sito.clean.model import default_model
    from sito.clean.sources import convert
    from sito.clean.train import cv_fold
    from sito.devdata import SETS
    from sito.evaluate.metrics import token_prf
    from sito.evaluate.run import default_mode
    from sito.html.article import clean_extracted

    base = default_model()
    if args.heldout:
        pages = dev_pages(SETS, split="heldout")
        folds = [base] * 4
    else:
        pages = dev_pages(SETS, split="train")
        data = cv.labelled(pages)
        hp = base.meta
        folds = cv.fold_models(data, 4, int(hp["hidden"]), int(hp["epochs"]), float(hp["l2"]), args.seed,
                               int(hp.get("members", 1)))
        for m in folds:
            m.threshold, m.smooth = base.threshold, base.smooth
    acc: dict = defaultdict(lambda: [0, 0, 0, 0])
    for p in pages:
        ref = p.meta.get("title")
        if not ref:
            continue
        model = folds[cv_fold(p.set, p.name, 4)]
        group = f"wcxb/{p.page_type}" if p.set == "wcxb" and p.page_type else p.set
        for kind in args.inputs.split(","):
            if kind == "html":   # the HTML path: the page's metadata title, else the cleaner's (`to_article`)
                ex = cv.html_extraction(p)
                if "error" in ex:
                    got = None
                else:
                    got = ex.get("title") or clean_extracted(ex, model=model)[0].title   # ("title": the metadata's)
            else:
                got = clean_text(convert(kind, p.html_bytes()), model=model, mode=default_mode(kind)).title
            # `sito eval`'s token F1 on the two titles (its float rounding must not put an exact 0.8 below 0.8)
            f = token_prf(got or "", ref).f1 + 1e-9
            a = acc[(kind, group)]
            a[0] += 1
            a[1] += f >= 0.999
            a[2] += f >= 0.8
            a[3] += got is None
            if args.show and f < 0.8:
                print(f"{kind:<10} {p.set}/{p.name}: {got!r} (reference {ref!r})")
    print(f"{'input':<14}{'pages':<22}{'n':>5}{'exact':>8}{'close':>8}{'none':>8}")
    for (kind, group), (n, exact, close, none) in sorted(acc.items()):
        print(f"{kind:<14}{group:<22}{n:>5}{exact / n:>8.3f}{close / n:>8.3f}{none / n:>8.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

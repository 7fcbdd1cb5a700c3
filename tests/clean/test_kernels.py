"""The compiled kernels (`sito.clean.kernels`) compute what their numpy / Python definitions compute.

The context, position and page columns of `page_features` against the numpy definitions below, the line scorer
and the stacked context against `LineModel.proba_reference` (numpy), Viterbi against the plain Python loop
below: on real pages (the Polish example, two full-page texts in tests/fixtures) and on random
probabilities, including the edge cases (0 and 1 probabilities, one line, no line)."""

import json
import math
from pathlib import Path

import numpy as np
import pytest

from sito.clean.features import _COL, CONTEXT_COLUMNS, page_features
from sito.clean.model import default_model

ROOT = Path(__file__).resolve().parents[2]
PAGES = [(ROOT / "examples" / "pl_news_scraped.txt").read_text("utf-8")] + [
    json.loads((ROOT / "tests/fixtures/clean" / f).read_text("utf-8"))["text"]
    for f in ("pl_fulltext.json", "pl_fulltext2.json")
]


def _decode_plain(m, p, threshold=None, smooth=None):
    """The definition of `LineModel.decode`: 2-state Viterbi over log emissions p(state|x)/p(state)."""
    threshold = m.threshold if threshold is None else threshold
    smooth = m.smooth if smooth is None else smooth
    n = len(p)
    if n == 0:
        return np.zeros(0, dtype=bool)
    pk = np.clip(p, 1e-6, 1 - 1e-6)
    bias = math.log(threshold / (1 - threshold)) if 0 < threshold < 1 else 0.0
    e = [(np.log(1 - pk) - m.log_prior[0]).tolist(), (np.log(pk) - m.log_prior[1] - bias).tolist()]
    t = m.log_trans * smooth
    score = [m.log_start[0] * smooth + e[0][0], m.log_start[1] * smooth + e[1][0]]
    back = []
    for i in range(1, n):
        new, bk = [], []
        for s in (0, 1):
            a, b = score[0] + t[0][s], score[1] + t[1][s]
            new.append((a if a >= b else b) + e[s][i])
            bk.append(0 if a >= b else 1)
        score = new
        back.append(bk)
    state = 1 if score[1] > score[0] else 0
    out = [state]
    for bk in reversed(back):
        state = bk[state]
        out.append(state)
    return np.array(out[::-1], dtype=bool)


@pytest.mark.parametrize("page", range(len(PAGES)))
def test_scorer_kernel_equals_numpy_reference(page):
    m = default_model()
    X = page_features(PAGES[page].splitlines()).X
    assert len(X) > 20
    got, want = m.proba(X), m.proba_reference(X)
    assert got.dtype == np.float32 and got.shape == want.shape
    assert np.allclose(got, want, atol=2e-6, rtol=0)
    # and on a single line, and on rows of extreme values
    assert np.allclose(m.proba(X[:1]), m.proba_reference(X[:1]), atol=2e-6)
    Y = np.where(np.arange(X.shape[1]) % 2, 50.0, -50.0).astype(np.float32)[None, :].repeat(3, axis=0)
    assert np.allclose(m.proba(Y), m.proba_reference(Y), atol=2e-6)
    assert m.proba(X[:0]).shape == (0,)


def test_viterbi_kernel_equals_the_plain_loop():
    m = default_model()
    rng = np.random.default_rng(7)
    cases = [m.proba(page_features(t.splitlines()).X) for t in PAGES]
    cases += [rng.random(n).astype(np.float32) for n in (1, 2, 3, 17, 200)]
    cases += [np.array([0.0, 1.0, 1.0, 0.0, 0.5], dtype=np.float32), np.zeros(0, dtype=np.float32)]
    for p in cases:
        for threshold, smooth in ((None, None), (0.2, 0.25), (0.5, 1.0), (0.9, 2.0)):
            assert np.array_equal(m.decode(p, threshold, smooth), _decode_plain(m, p, threshold, smooth))


# --- the definitions of the context, position and page columns, in numpy --------------------------------------

def _context_numpy(rows: np.ndarray, idx: list[int]) -> None:
    C = _COL
    n = len(rows)
    prose = rows[:, C["prose"]]
    chars = rows[:, C["log_chars"]]
    stop = rows[:, C["stop_density"]]
    cue_any = rows[:, C["cue_rec_header"]:C["cue_byline"] + 1].max(axis=1)
    rec = rows[:, C["cue_rec_header"]]
    # neighbours (rows start at 0, which is the value before the first and after the last line)
    for a, prev, nxt in ((prose, "prev_prose", "next_prose"), (chars, "prev_log_chars", "next_log_chars"),
                         (stop, "prev_stop", "next_stop"), (cue_any, "prev_cue", "next_cue")):
        rows[1:, C[prev]] = a[:-1]
        rows[:-1, C[nxt]] = a[1:]
    rows[2:, C["prev2_prose"]] = prose[:-2]
    rows[:-2, C["next2_prose"]] = prose[2:]
    rows[1:, C["prev_rec_header"]] = rec[:-1]
    # window means: the mean over the w rows on each side, from running sums (float64, one per column)
    S = np.zeros((n + 1, 3))
    np.cumsum(np.stack((prose, chars, cue_any), axis=1), axis=0, dtype=np.float64, out=S[1:])
    pos = np.arange(n)
    for w, cols, names in ((3, [0, 1], ["win3_prose", "win3_chars"]), (10, [0], ["win10_prose"]),
                           (5, [2], ["win5_cue"])):
        lo = np.maximum(pos - w, 0)
        hi = np.minimum(pos + w + 1, n)
        rows[:, [C[m] for m in names]] = (S[hi][:, cols] - S[lo][:, cols]) / (hi - lo)[:, None]
    pidx = np.flatnonzero(prose > 0)
    if len(pidx):
        j = np.searchsorted(pidx, pos)
        last = len(pidx) - 1
        before = np.where(j > 0, pos - pidx[np.maximum(j - 1, 0)], n)
        after = np.where(j < len(pidx), pidx[np.minimum(j, last)] - pos, n)
        dist = np.minimum(before, after)
        rows[:, C["dist_prose_log"]] = np.log1p(np.minimum(dist, 50)) / 4.0
        cum = np.cumsum(prose)
        rows[:, C["prose_before"]] = np.log1p(cum - prose) / 4.0
        rows[:, C["prose_after"]] = np.log1p(cum[-1] - cum) / 4.0
    else:
        rows[:, C["dist_prose_log"]] = np.log1p(50) / 4.0
    # blank line before / after in the input (paragraph breaks)
    gap = np.diff(np.asarray(idx)) > 1
    rows[0, C["prev_blank"]] = 1.0
    rows[1:, C["prev_blank"]] = gap
    rows[:-1, C["next_blank"]] = gap
    rows[-1, C["next_blank"]] = 1.0
    rows[:, C["after_rec_header"]] = np.minimum(np.cumsum(rec) - rec, 1.0)


def _position_page_numpy(rows: np.ndarray, n: int, lang_known: bool) -> None:
    C = _COL
    pos = np.arange(n, dtype=np.float32) / max(n - 1, 1)
    rows[:, C["pos"]] = pos
    rows[:, C["pos_first10"]] = pos < 0.1
    rows[:, C["pos_last10"]] = pos > 0.9
    rows[0, C["first_line"]] = 1.0
    rows[:, C["page_log_lines"]] = math.log1p(n) / 6.0
    rows[:, C["page_prose_frac"]] = rows[:, C["prose"]].mean()
    rows[:, C["page_mean_log_chars"]] = rows[:, C["log_chars"]].mean()
    rows[:, C["page_stop_density"]] = rows[:, C["stop_density"]].mean()
    rows[:, C["page_cue_frac"]] = rows[:, C["cue_rec_header"]:C["cue_byline"] + 1].max(axis=1).mean()
    rows[:, C["lang_known"]] = float(lang_known)


@pytest.mark.parametrize("page", range(len(PAGES)))
def test_context_kernel_equals_numpy_definition(page):
    lines = PAGES[page].splitlines()
    pf = page_features(lines)
    want = np.zeros_like(pf.X)
    # the columns computed from the line's own ones: what the kernel writes, and the two page means numpy takes
    derived = set(CONTEXT_COLUMNS[6:].tolist()) | {_COL["page_mean_log_chars"], _COL["page_stop_density"]}
    own_cols = [c for c in range(pf.X.shape[1]) if c not in derived]
    want[:, own_cols] = pf.X[:, own_cols]
    _context_numpy(want, pf.idx)
    _position_page_numpy(want, len(want), bool(pf.X[0, _COL["lang_known"]]))
    # the same bits: the training data of the line model must not depend on which code computed the features
    assert np.array_equal(pf.X, want)


@pytest.mark.parametrize("limit", [0, 1, 40, 3000, 10**9])
def test_language_guess_kernel_equals_numpy_definition(limit):
    # what the language guess reads: the rows in order up to and including the one at which the tokens read
    # reach `limit` (numpy: the first index where their running sum does)
    from sito.clean.features import LineMeasurements
    from sito.clean.kernels import compiled

    store = LineMeasurements()
    for text in PAGES + [""]:
        rid = store.rows([s.strip() for s in text.splitlines() if s.strip()])
        m = store.m
        n = len(rid)
        upto = min(int(np.searchsorted(np.cumsum(m.g_n[rid]), limit)) + 1, n) if n else 0
        counts, total = compiled().guess_counts(rid, m.g_n, m.g_counts, m.g_total, limit)
        assert counts.tolist() == m.g_counts[rid[:upto]].sum(axis=0).tolist()
        assert total == int(m.g_total[rid[:upto]].sum())

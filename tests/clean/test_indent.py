"""The indentation columns of `page_features` (`features.INDENT`): what they say on a page built by hand, that
text without indentation leaves them at zero, and that indentation changes no other column."""

import json
from pathlib import Path

import numpy as np

from sito.clean.features import _COL, INDENT, page_features

ROOT = Path(__file__).resolve().parents[2]
PROSE = ("The council voted on Tuesday to close the old bridge for repairs, which will take most of the year "
         "and cost far more than the city had planned.")


def _cols(pf, name):
    return pf.X[:, _COL[name]].astype(int).tolist()


def test_indent_columns_on_a_page_built_by_hand():
    lines = ["Home", "    * News", "    * Sport", "", "        " + PROSE, "", "        " + PROSE.replace("Tuesday",
             "Monday"), "            * Related: bridge works", "  Copyright 2026"]
    pf = page_features(lines)
    # the prose is at 8 spaces: the page's main indentation
    assert _cols(pf, "indent_main") == [0, 0, 0, 1, 1, 0, 0]
    assert _cols(pf, "indent_deeper") == [0, 0, 0, 0, 0, 1, 0]
    assert _cols(pf, "indent_shallower") == [1, 1, 1, 0, 0, 0, 1]
    assert _cols(pf, "indent_same_prev") == [0, 0, 1, 0, 1, 0, 0]
    assert _cols(pf, "indent_same_next") == [0, 1, 0, 1, 0, 0, 0]
    assert _cols(pf, "page_indented") == [1] * 7


def test_without_prose_the_main_indentation_is_the_one_with_most_text():
    pf = page_features(["  a b", "    a much longer line of menu text", "  c"])
    assert _cols(pf, "indent_main") == [0, 1, 0]


def test_text_without_indentation_leaves_the_columns_at_zero():
    text = (ROOT / "examples" / "pl_news_scraped.txt").read_text("utf-8")
    pf = page_features(text.splitlines())
    assert not pf.X[:, [_COL[c] for c in INDENT]].any()
    # one line, or every line at the same indentation: no evidence either
    assert not page_features(["    " + PROSE]).X[:, [_COL[c] for c in INDENT]].any()
    assert not page_features(["  a", "  b"]).X[:, [_COL[c] for c in INDENT]].any()


def test_indentation_changes_no_other_column():
    text = json.loads((ROOT / "tests/fixtures/clean/pl_fulltext.json").read_text("utf-8"))["text"]
    lines = text.splitlines()
    indented = page_features(lines)
    flat = page_features([s.lstrip() for s in lines])
    cols = [_COL[c] for c in INDENT]
    assert indented.X[:, cols].any() and not flat.X[:, cols].any()
    rest = [c for c in range(indented.X.shape[1]) if c not in cols]
    assert np.array_equal(indented.X[:, rest], flat.X[:, rest])


def test_flat_full_page_text_is_the_full_page_text_without_indentation(tmp_path, monkeypatch):
    import gzip

    from sito.clean.sources import convert

    monkeypatch.setenv("SITO_CACHE", str(tmp_path))
    html = gzip.decompress((ROOT / "tests/fixtures/html/en_ars.html.gz").read_bytes())
    full, flat = convert("fulltext", html), convert("fulltext-flat", html)
    assert any(s != s.lstrip() for s in full.splitlines())
    assert flat.splitlines() == [s.lstrip() for s in full.splitlines()]


def test_a_huge_indentation_costs_no_table_of_its_size():
    # the columns depend only on the order of the indentations: a line indented by a million spaces reads as
    # the same page with a smaller indentation
    big = page_features(["  Menu", " " * 1_000_000 + PROSE, "  Footer"])
    small = page_features(["  Menu", "    " + PROSE, "  Footer"])
    assert np.array_equal(big.X, small.X)
    assert _cols(big, "indent_main") == [0, 1, 0]

"""`sito eval --worst N`: the pages where sito trails the compared system, by each metric on its own."""

from __future__ import annotations

from sito.evaluate.run import format_worst


def _page(name, f_sito, f_other, snip_sito=None, snip_other=None):
    rec = {"set": "wcxb", "name": name, "groups": ["wcxb"],
           "sito": {"token_p": 1.0, "token_r": f_sito, "token_f1": f_sito},
           "trafilatura": {"token_p": 1.0, "token_r": f_other, "token_f1": f_other}}
    if snip_sito is not None:
        rec["sito"].update(zip(("tp", "fp", "fn"), snip_sito))
        rec["trafilatura"].update(zip(("tp", "fp", "fn"), snip_other))
    return rec


def test_pages_are_ranked_by_each_metric_separately():
    res = {"compare": "trafilatura", "per_page": [
        _page("a", 0.70, 0.71, (3, 0, 2), (5, 0, 0)),   # token -0.01, snippets -2
        _page("b", 0.50, 0.90, (4, 0, 1), (4, 0, 1)),   # token -0.40, snippets 0
        _page("c", 0.90, 0.80, (0, 0, 4), (4, 0, 0)),   # token +0.10, snippets -4
        _page("d", 0.60, 0.65),                          # token only, -0.05
    ]}
    text = format_worst(res, 2)
    token, snippets = text.split("snippet difference")
    assert [ln.split()[1] for ln in token.splitlines() if ln.startswith("  ")] == ["wcxb/b", "wcxb/d"]
    assert [ln.split()[:2] for ln in snippets.splitlines() if ln.startswith("  ")] == [["-4", "wcxb/c"],
                                                                                       ["-2", "wcxb/a"]]
    assert format_worst(res, 0) == "" and format_worst({**res, "compare": None}, 2) == ""

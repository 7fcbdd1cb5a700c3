"""Which lines of a page contain which cue phrase lists: one scan of the lower-cased page with an Aho-Corasick
automaton, in compiled code.

The cue categories (`cues.py`) test each line against several literal phrase lists: prefixes ("czytaj też",
"fot."), phrases anywhere in the line (cookie and consent words, credits, legal notices), whole words (month
names). Line by line that is a regex search or a `str.startswith` per list and line; here one pass over the
page's code points finds every occurrence of every phrase, and the kernel sets the per-line flags directly.

Why by hand: pyahocorasick finds the same occurrences but was measured at about 22 ns per character on dev pages
(most of the cleaner's budget for a full page) and returns a Python object per occurrence; Python's regex engine
is slower still (about 30 ns per character and list). The automaton here is a plain transition table (states ×
the characters that occur in phrases), built once per process from the cue data (about 30 ms), and the
scan is one table look-up per character. The result is the same as the per-line definitions (`Cues.category`;
tests/clean/test_fast_paths.py compares them on real and random text).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from .kernels import compiled

# The phrase lists, and where in a line a phrase must occur: anywhere, at the line's start (prefixes), or as
# whole words (a word boundary, as regex \b, on both sides). "whole": the phrases that name a line when they are
# all of it (`Cues.whole`), found anywhere here as a necessary condition.
KINDS = {"whole": "any", "related_prefix": "start", "credit_prefix": "start", "byline_prefix": "start",
         "cookie_words": "any", "consent_words": "any", "credit_contains": "any", "legal": "any",
         "promo": "any", "months": "words", "cookie_acronyms": "words"}
_KIND_CODE = {"any": 0, "start": 1, "words": 2}


@lru_cache(maxsize=1)
def automaton() -> tuple:
    """(char_id, delta, out_start, out_len, out_list, kind): the automaton over the lower-cased phrases of
    `KINDS` (from `cues.load_cues().phrases`). char_id maps a code point to its column (0: a character no
    phrase has); delta[state, column] is the next state (0 = the root); the occurrences that end in a state are
    out_len / out_list[out_start[state]:out_start[state + 1]] (phrase length, index of its list)."""
    from .cues import load_cues

    phrases = load_cues().phrases
    entries: dict[str, set[int]] = {}
    for j, key in enumerate(KINDS):
        for p in phrases[key]:
            entries.setdefault(p, set()).add(j)
    alphabet = sorted({ord(c) for p in entries for c in p})
    col = {c: i + 1 for i, c in enumerate(alphabet)}
    # the trie
    goto: list[dict[int, int]] = [{}]
    outs: list[list[tuple[int, int]]] = [[]]
    for p, lists in entries.items():
        s = 0
        for ch in p:
            c = col[ord(ch)]
            nxt = goto[s].get(c)
            if nxt is None:
                nxt = len(goto)
                goto[s][c] = nxt
                goto.append({})
                outs.append([])
            s = nxt
        outs[s].extend((len(p), j) for j in sorted(lists))
    # breadth-first: failure links and the full transition table
    n_states, width = len(goto), len(alphabet) + 1
    # (int16 while the states fit: the table is read once per character, and half its size stays in cache)
    delta = np.zeros((n_states, width), dtype=np.int16 if n_states < 2 ** 15 else np.int32)
    fail = [0] * n_states
    queue = []
    for c, s in goto[0].items():
        delta[0, c] = s
        queue.append(s)
    head = 0
    while head < len(queue):
        s = queue[head]
        head += 1
        outs[s] = outs[s] + outs[fail[s]]
        delta[s] = delta[fail[s]]
        for c, t in goto[s].items():
            fail[t] = int(delta[fail[s], c]) if s else 0
            delta[s, c] = t
            queue.append(t)
    out_start = np.zeros(n_states + 1, dtype=np.int64)
    out_start[1:] = np.cumsum([len(o) for o in outs])
    out_len = np.array([n for o in outs for n, _ in o], dtype=np.int64)
    out_list = np.array([j for o in outs for _, j in o], dtype=np.int64)
    char_id = np.zeros(0x110000, dtype=np.int32)
    char_id[np.array(alphabet, dtype=np.int64)] = np.arange(1, width, dtype=np.int32)
    kind = np.array([_KIND_CODE[v] for v in KINDS.values()], dtype=np.int64)
    return char_id, delta, out_start, out_len, out_list, kind


def lines_with_phrases(lcp: np.ndarray, lword: np.ndarray, lstarts: np.ndarray,
                       lnc: np.ndarray) -> dict[str, np.ndarray]:
    """For each list of `KINDS`, which lines have one of its phrases where the list's kind says. `lcp`: the code
    points of the lower-cased page (every line followed by a line break, which no phrase contains), `lword`:
    which of them are word characters (regex \\w), `lstarts` / `lnc`: each line's start and length in it."""
    char_id, delta, out_start, out_len, out_list, kind = automaton()
    flags = compiled().find_phrases(lcp, lword, lstarts, lnc, char_id, delta, out_start, out_len, out_list, kind)
    return {key: flags[:, j] for j, key in enumerate(KINDS)}

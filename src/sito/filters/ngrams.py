"""Gopher's n-gram repetition statistics in compiled code (numba): all n at once, in one pass per n.

What it computes, per n, with datatrove's definitions (`GopherRepetitionFilter`):
- top n-gram: `len(" ".join(most frequent n-gram)) * its count`, ties going to the n-gram seen first;
- duplicated n-gram characters: datatrove's `find_all_duplicate` scan — walk the positions left to right; at a
  position whose n-gram was added to the "seen" set before, count its characters and jump n words; otherwise
  add it and step one word.

Why compiled code: the scan is sequential by definition (each jump decides which positions are looked at next),
so numpy can only approximate it with several sorts and Python loops per n, and that was most of the filter
chain's time. No library offers these statistics. Here every n-gram gets an exact id without hashing: the id
of the n-gram at position i is the first position of the pair (id of its (n-1)-gram, id of its last word), found
in an open-addressing table, so ids are "first occurrence" positions and counts, the top n-gram and the scan
are single loops over integer arrays. `numba` compiles the kernel once per machine (`cache=True`).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np


@lru_cache(maxsize=1)
def _kernel():
    import numba

    @numba.njit(cache=True, nogil=True)
    def ngram_stats(ids, cum, top_ns, dup_ns, max_n):
        """ids: word ids (any non-negative integers, equal for equal words); cum: cumulative word lengths
        (len = n_words + 1).

        Returns (top[len(top_ns)], dup[len(dup_ns)]): top n-gram characters (-1 when the text has fewer than
        n words) and duplicated n-gram characters.
        """
        n_words = ids.shape[0]
        top = np.full(top_ns.shape[0], -1, dtype=np.int64)
        dup = np.zeros(dup_ns.shape[0], dtype=np.int64)
        if n_words == 0:
            return top, dup
        base = ids.max() + 1
        bits = 4
        while (1 << bits) < 2 * n_words + 2:
            bits += 1
        size = 1 << bits
        mask = size - 1
        shift = np.uint64(64 - bits)
        mult = np.uint64(0x9E3779B97F4A7C15)
        keys = np.empty(size, dtype=np.int64)
        vals = np.empty(size, dtype=np.int64)
        gid = np.empty(n_words, dtype=np.int64)  # id of the n-gram at each position: its first position
        counts = np.zeros(n_words, dtype=np.int64)
        seen = np.zeros(n_words, dtype=np.bool_)
        for n in range(1, max_n + 1):
            m = n_words - n + 1
            if m <= 0:
                break
            keys[:] = -1
            counts[:m] = 0
            for i in range(m):
                if n == 1:
                    key = ids[i]
                else:
                    key = gid[i] * base + ids[i + n - 1]
                h = np.int64((np.uint64(key) * mult) >> shift)  # Fibonacci hashing: the high bits
                while True:
                    k = keys[h]
                    if k == key:
                        g = vals[h]
                        break
                    if k == -1:
                        keys[h] = key
                        vals[h] = i
                        g = i
                        break
                    h = (h + 1) & mask
                gid[i] = g
                counts[g] += 1
            for j in range(top_ns.shape[0]):
                if top_ns[j] == n:
                    best = 0
                    i0 = 0
                    for i in range(m):  # the first position reaching the highest count starts the top n-gram
                        c = counts[gid[i]]
                        if c > best:
                            best = c
                            i0 = i
                    top[j] = (cum[i0 + n] - cum[i0] + n - 1) * best
            for j in range(dup_ns.shape[0]):
                if dup_ns[j] == n:
                    seen[:m] = False
                    total = 0
                    i = 0
                    while i < m:
                        g = gid[i]
                        if seen[g]:
                            total += cum[i + n] - cum[i]
                            i += n
                        else:
                            seen[g] = True
                            i += 1
                    dup[j] = total
        return top, dup

    return ngram_stats


def warm_up() -> None:
    """Load (on a new machine: compile) the kernel now, e.g. before a step's per-document time limit starts."""
    word_list_ngram_stats(["a", "b", "a", "b"], [2], [2])


def ngram_stats(ids: np.ndarray, lengths: np.ndarray, top_ns: list[int],
                dup_ns: list[int]) -> tuple[list[int | None], list[int]]:
    """For a document given as word ids (equal words, equal ids) and the words' lengths: (top n-gram characters
    per n of `top_ns` — None with fewer than n words —, duplicated n-gram characters per n of `dup_ns`), as
    datatrove's `find_top_duplicate(get_n_grams(words, n))` and `find_all_duplicate(words, n)` compute them
    (n-grams compared as word sequences)."""
    cum = np.zeros(lengths.shape[0] + 1, dtype=np.int64)
    np.cumsum(lengths, out=cum[1:])
    max_n = max([*top_ns, *dup_ns, 1])
    top, dup = _kernel()(np.ascontiguousarray(ids, dtype=np.int64), cum, np.asarray(top_ns, dtype=np.int64),
                         np.asarray(dup_ns, dtype=np.int64), max_n)
    return [None if t < 0 else t for t in top.tolist()], dup.tolist()


def word_list_ngram_stats(words: list[str], top_ns: list[int],
                          dup_ns: list[int]) -> tuple[list[int | None], list[int]]:
    """`ngram_stats` for a list of words."""
    first_seen: dict[str, int] = {}
    ids = np.fromiter(map(first_seen.setdefault, words, range(len(words))), dtype=np.int64, count=len(words))
    lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
    return ngram_stats(ids, lengths, top_ns, dup_ns)

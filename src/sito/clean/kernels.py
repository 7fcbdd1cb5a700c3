"""The cleaner's per-page arithmetic in compiled code (numba): what it is, and how it is loaded.

Why compiled code: a page is a few dozen to a few hundred lines, so every numpy call on it costs more in call
overhead than in arithmetic, and the cleaner made a few hundred such calls per page and pass. The kernels
(`_compiled.py`) do each job in one call with plain loops: the per-line character counts and token statistics
of the page measurement (`features._measure`), the cue phrase scan (`phrases.py`), what the language guess
reads, the context, position and page columns, the two stacked networks and Viterbi. Their numpy / Python
definitions are the reference: tests/clean/test_fast_paths.py and tests/clean/test_kernels.py compare both on
real pages. Every feature has
the same bits as its definition (so the training data do not depend on which code computed them); the
networks are computed all at once, with each one's input scaling folded into its first layer (one pass over a
row's non-zero features fills the hidden units of every scorer), and their dot products accumulate in float32
in another order than numpy's einsum, which moves p(keep) in its last bits only (by at most 1e-6 on the dev
pages; no decision changed, `benchmarks/compare_cleaner_outputs.py`).

`numba` compiles the kernels once per machine (`cache=True`, about 12 s) and a process loads them in about a
second, the first time the cleaner runs (`warm_up` does it before a step's per-document time limit). They are
imported lazily (`compiled()`), so that importing sito does not import numba.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def compiled():
    """The module of compiled kernels (`_compiled`), imported on the first call in a process."""
    from . import _compiled

    return _compiled


def warm_up() -> None:
    """Load (on a new machine: compile) every kernel now, by cleaning a short page once."""
    from .cleaner import clean_text

    clean_text("Warm-up\n\nThe council met on Monday and agreed the budget for the next year, said a spokesman.")

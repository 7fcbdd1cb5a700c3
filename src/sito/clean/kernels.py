"""The cleaner's per-page arithmetic in compiled code (numba): context features, the line scorer, Viterbi.

Why compiled code: a page is a few dozen to a few hundred lines, so every numpy call on it costs more in call
overhead than in arithmetic, and the cleaner made a few hundred such calls per page and pass (neighbour and
window features, two small networks, the stacked context, the 2-state Viterbi loop in Python). Here each of
these is one call with plain loops. The definitions are the ones of `features._context`, `model.context_of`,
`model._mlp` and `LineModel.decode` (their numpy versions stay as the reference: tests/clean/test_kernels.py
compares both on real pages). Sums are taken in the same order and precision where the result is a feature
(running sums in float64, as numpy's cumsum); the networks' dot products accumulate in float32 in another order
than numpy's einsum, which moves p(keep) in its last bits only.

`numba` compiles the kernels once per machine (`cache=True`, about 10 s) and each process loads them in well
under a second, the first time the cleaner runs (`warm_up` does it before a step's per-document time limit).
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np


@lru_cache(maxsize=1)
def kernels():
    """(proba, viterbi), compiled, or loaded from numba's cache, on the first call in a process."""
    from . import _compiled

    return _compiled.proba, _compiled.viterbi


@lru_cache(maxsize=1)
def context_page():
    """The compiled `context_page` (see `_compiled`)."""
    from . import _compiled

    return _compiled.context_page


@lru_cache(maxsize=1)
def measure_kernels():
    """The compiled per-character counts of `features._measure` (`_compiled.line_counts`, `token_spans`,
    `token_counts`), as attributes of the module that holds them."""
    from . import _compiled

    return _compiled


def warm_up() -> None:
    """Load (on a new machine: compile) every kernel now, by cleaning a short page once."""
    from .cleaner import clean_text

    clean_text("Warm-up\n\nThe council met on Monday and agreed the budget for the next year, said a spokesman.")

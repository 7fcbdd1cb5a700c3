"""The compiled kernels of `sito.clean.kernels` (imported on first use: importing numba takes a moment).

Module-level functions, so that numba can cache them (a kernel that calls another one through a closure is
compiled again in every process)."""

import math

import numba
import numpy as np


@numba.njit(cache=True, nogil=True)
def context_into(p, Z, col0):
    """The stacked context features of `model.context_of` written into Z[:, col0:col0 + 9]."""
    n = p.shape[0]
    c = np.zeros(n + 1, dtype=np.float64)
    for i in range(n):
        c[i + 1] = c[i] + np.float64(p[i])
    for i in range(n):
        prev = p[i - 1] if i >= 1 else np.float32(0.0)
        nxt = p[i + 1] if i + 1 < n else np.float32(0.0)
        Z[i, col0] = p[i]
        Z[i, col0 + 1] = prev
        Z[i, col0 + 2] = nxt
        Z[i, col0 + 3] = p[i - 2] if i >= 2 else np.float32(0.0)
        Z[i, col0 + 4] = p[i + 2] if i + 2 < n else np.float32(0.0)
        lo, hi = max(i - 3, 0), min(i + 4, n)
        Z[i, col0 + 5] = np.float32((c[hi] - c[lo]) / (hi - lo))
        lo, hi = max(i - 10, 0), min(i + 11, n)
        Z[i, col0 + 6] = np.float32((c[hi] - c[lo]) / (hi - lo))
        Z[i, col0 + 7] = max(prev, p[i], nxt)
        Z[i, col0 + 8] = min(prev, p[i], nxt)


@numba.njit(cache=True, nogil=True)
def _sigmoid_out(H, col0, h, w2, b2, out):
    """out[i] = sigmoid(relu(H[i, col0:col0 + h]) @ w2 + b2), the logit clamped to [-30, 30] as `model._mlp`."""
    for i in range(H.shape[0]):
        s = np.float32(0.0)
        for k in range(h):  # relu without a branch (adding 0 * w2[k] leaves s as it is)
            s += max(H[i, col0 + k], np.float32(0.0)) * w2[k]
        s += b2
        if s > 30.0:
            s = 30.0
        elif s < -30.0:
            s = -30.0
        out[i] = 1.0 / (1.0 + math.exp(-s))


@numba.njit(cache=True, nogil=True)
def proba(X, W, b, w2, b2, Wc, w2b, b2b, stacked):
    """p(keep) of each row of X: the mean of the scorers' (`model.LineModel.proba`), all of them at once.

    The scorers' input scaling is folded into their first-layer weights (`LineModel._packed`), so that one pass
    over the non-zero features of a row (most are 0: flags and counts) fills the hidden units of every scorer's
    first network and of the feature part of its second one: W is (features, M * h * (1 + stacked)), columns
    [m * h, (m + 1) * h) the first network of scorer m, then (when `stacked`) [(M + m) * h, (M + m + 1) * h) its
    second one, whose remaining input, the first network's context (`context_of`), adds Wc[m] (9, h)."""
    n, d = X.shape
    M, h = w2.shape
    H = np.empty((n, W.shape[1]), dtype=np.float32)
    for i in range(n):
        row = H[i]
        for k in range(W.shape[1]):
            row[k] = b[k]
        for j in range(d):
            z = X[i, j]
            if z != 0.0:
                wj = W[j]
                for k in range(W.shape[1]):
                    row[k] += z * wj[k]
    total = np.zeros(n, dtype=np.float32)
    p = np.empty(n, dtype=np.float32)
    ctx = np.empty((n, 9), dtype=np.float32)
    for m in range(M):
        _sigmoid_out(H, m * h, h, w2[m], b2[m], p)
        if stacked:
            context_into(p, ctx, 0)
            col0 = (M + m) * h
            Wm = Wc[m]
            for i in range(n):
                row = H[i, col0:col0 + h]   # (one-dimensional views: the loop over k is vectorised)
                for c in range(9):
                    z = ctx[i, c]
                    if z != 0.0:
                        wc = Wm[c]
                        for k in range(h):
                            row[k] += z * wc[k]
            _sigmoid_out(H, col0, h, w2b[m], b2b[m], p)
        for i in range(n):
            total[i] += p[i]
    if M > 1:
        for i in range(n):
            total[i] = total[i] / np.float32(M)
    return total


@numba.njit(cache=True, nogil=True)
def viterbi(p, log_prior0, log_prior1, bias, t00, t01, t10, t11, s0_start, s1_start):
    """Best keep/drop sequence (`LineModel.decode`) given p(keep) per line; True = keep."""
    n = p.shape[0]
    out = np.zeros(n, dtype=np.bool_)
    if n == 0:
        return out
    eps = 1e-6
    back = np.zeros(2 * n, dtype=np.uint8)
    s0 = 0.0
    s1 = 0.0
    for i in range(n):
        q = p[i]
        if q < eps:
            q = np.float32(eps)
        elif q > 1 - eps:
            q = np.float32(1 - eps)
        e1 = np.float64(np.log(q)) - log_prior1 - bias
        e0 = np.float64(np.log(np.float32(1.0) - q)) - log_prior0
        if i == 0:
            s0 = s0_start + e0
            s1 = s1_start + e1
            continue
        a, b = s0 + t00, s1 + t10
        if a >= b:
            n0 = a
        else:
            n0 = b
            back[2 * i] = 1
        a, b = s0 + t01, s1 + t11
        if a >= b:
            n1 = a
        else:
            n1 = b
            back[2 * i + 1] = 1
        s0, s1 = n0 + e0, n1 + e1
    state = 1 if s1 > s0 else 0
    for i in range(n - 1, -1, -1):
        out[i] = state == 1
        state = back[2 * i + state]
    return out


@numba.njit(cache=True, nogil=True)
def context_page(rows, idx, c, lang_known):
    """The neighbour, window, position and page columns of `features.page_features` (their numpy definitions
    are in tests/clean/test_kernels.py), from the line's own columns, except the page means of log_chars and
    stop_density (numpy, in `page_features`); `idx` are the rows' input line numbers, `c` the column numbers in
    `features.CONTEXT_COLUMNS` order."""
    n = rows.shape[0]
    (prose_c, chars_c, stop_c, cue0, cue1, rec_c, prev_prose, next_prose, prev2_prose, next2_prose, prev_chars,
     next_chars, prev_stop, next_stop, prev_cue, next_cue, prev_rec, win3_prose, win3_chars, win10_prose, win5_cue,
     dist_c, before_c, after_c, prev_blank, next_blank, after_rec, pos_c, first10, last10, first_line, page_lines,
     page_prose, page_cue, lang_c) = (
        c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11], c[12], c[13], c[14], c[15], c[16],
        c[17], c[18], c[19], c[20], c[21], c[22], c[23], c[24], c[25], c[26], c[27], c[28], c[29], c[30], c[31],
        c[32], c[33], c[34])
    if n == 0:
        return
    cue = np.zeros(n, dtype=np.float32)
    S = np.zeros((n + 1, 3), dtype=np.float64)
    total_prose = np.float32(0.0)
    for i in range(n):
        m = rows[i, cue0]
        for j in range(cue0 + 1, cue1 + 1):
            if rows[i, j] > m:
                m = rows[i, j]
        cue[i] = m
        S[i + 1, 0] = S[i, 0] + np.float64(rows[i, prose_c])
        S[i + 1, 1] = S[i, 1] + np.float64(rows[i, chars_c])
        S[i + 1, 2] = S[i, 2] + np.float64(m)
        total_prose += rows[i, prose_c]
    last_prose = -1
    next_p = np.full(n, -1, dtype=np.int64)
    nxt = -1
    for i in range(n - 1, -1, -1):
        if rows[i, prose_c] > 0:
            nxt = i
        next_p[i] = nxt
    cum = np.float32(0.0)
    seen_rec = np.float32(0.0)
    denom = np.float32(max(n - 1, 1))
    for i in range(n):
        if i >= 1:
            rows[i, prev_prose] = rows[i - 1, prose_c]
            rows[i, prev_chars] = rows[i - 1, chars_c]
            rows[i, prev_stop] = rows[i - 1, stop_c]
            rows[i, prev_cue] = cue[i - 1]
            rows[i, prev_rec] = rows[i - 1, rec_c]
            rows[i, prev_blank] = 1.0 if idx[i] - idx[i - 1] > 1 else 0.0
        else:
            rows[i, prev_blank] = 1.0
        if i + 1 < n:
            rows[i, next_prose] = rows[i + 1, prose_c]
            rows[i, next_chars] = rows[i + 1, chars_c]
            rows[i, next_stop] = rows[i + 1, stop_c]
            rows[i, next_cue] = cue[i + 1]
            rows[i, next_blank] = 1.0 if idx[i + 1] - idx[i] > 1 else 0.0
        else:
            rows[i, next_blank] = 1.0
        if i >= 2:
            rows[i, prev2_prose] = rows[i - 2, prose_c]
        if i + 2 < n:
            rows[i, next2_prose] = rows[i + 2, prose_c]
        lo, hi = max(i - 3, 0), min(i + 4, n)
        rows[i, win3_prose] = (S[hi, 0] - S[lo, 0]) / (hi - lo)
        rows[i, win3_chars] = (S[hi, 1] - S[lo, 1]) / (hi - lo)
        lo, hi = max(i - 10, 0), min(i + 11, n)
        rows[i, win10_prose] = (S[hi, 0] - S[lo, 0]) / (hi - lo)
        lo, hi = max(i - 5, 0), min(i + 6, n)
        rows[i, win5_cue] = (S[hi, 2] - S[lo, 2]) / (hi - lo)
        pr = rows[i, prose_c]
        if total_prose > 0:
            before = i - last_prose if last_prose >= 0 else n
            after = next_p[i] - i if next_p[i] >= 0 else n
            d = min(before, after, 50)
            rows[i, dist_c] = math.log1p(d) / 4.0
            cum += pr
            rows[i, before_c] = np.float32(np.log1p(cum - pr)) / np.float32(4.0)
            rows[i, after_c] = np.float32(np.log1p(total_prose - cum)) / np.float32(4.0)
        else:
            rows[i, dist_c] = math.log1p(50) / 4.0
        if pr > 0:
            last_prose = i
        r = rows[i, rec_c]
        rows[i, after_rec] = min(seen_rec, np.float32(1.0))
        seen_rec += r
        p = np.float32(i) / denom
        rows[i, pos_c] = p
        rows[i, first10] = 1.0 if p < 0.1 else 0.0
        rows[i, last10] = 1.0 if p > 0.9 else 0.0
    rows[0, first_line] = 1.0
    # (the page means of log_chars and stop_density are left to numpy's float32 mean, which sums pairwise: the
    # features must be the same bits as their definitions, or a retrained model would differ)
    sums = np.zeros(2, dtype=np.float64)
    for i in range(n):
        sums[0] += rows[i, prose_c]
        sums[1] += cue[i]
    log_lines = math.log1p(n) / 6.0
    for i in range(n):
        rows[i, page_lines] = log_lines
        rows[i, page_prose] = sums[0] / n
        rows[i, page_cue] = sums[1] / n
        rows[i, lang_c] = lang_known


@numba.njit(cache=True, nogil=True)
def _url_ending(cp, i, N):
    """Whether "com", "org", "net", "pl" or "de" starts at cp[i] (what follows a "." in the URL hint's literal
    parts)."""
    a = cp[i]
    b = cp[i + 1]
    if (a == 112 and b == 108) or (a == 100 and b == 101):         # "pl", "de"
        return True
    if i + 2 >= N:
        return False
    c = cp[i + 2]
    return ((a == 99 and b == 111 and c == 109) or (a == 111 and b == 114 and c == 103)    # "com", "org"
            or (a == 110 and b == 101 and c == 116))                                       # "net"


@numba.njit(cache=True, nogil=True)
def line_counts(cp, fl, starts, nc, b):
    """Per-line character counts of `features._measure` in one pass over the page's joined text (J: every line
    followed by a line break), `b` = the table bits in `features._COUNT_BITS` order. A position i belongs to the
    line whose segment [start, start + length] (its line break included) holds it; patterns that look at i + 1
    and i + 2 read across the line break, as the numpy definitions do.

    Columns: 0 characters (line break included), 1-7 the character class ids (`features._CLS`), 8 words (whitespace-
    split), 9 of them capitalised, 10 characters upper() changes, 11 digits (any script), 12 digit, one of "./-:",
    digit, 13 ". " / "? " / "! ", 14 whitespace other than single spaces, 15 separators (" | ", " · ", …), 16
    whether two separators share a space, 17 whether the line holds one of the URL hint's literal parts ("://",
    "www.", "@", ".com", ".org", ".net", ".pl", ".de"; `features._URL_HINT_RX`)."""
    (space_b, upper_b, digit_b, changed_b, cls_shift, cls_mask, date_b, sentence_b, separator_b) = (
        b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8])
    k = starts.shape[0]
    N = cp.shape[0]
    out = np.zeros((k, 18), dtype=np.int64)
    prev_space = True
    for r in range(k):
        a = starts[r]
        e = a + nc[r] + 1
        last_sep = -10
        for i in range(a, e):
            f = fl[i]
            c = cp[i]
            cls = (f >> cls_shift) & cls_mask
            if cls != 0:
                out[r, cls] += 1                       # columns 1-7: the class ids
            space = (f & space_b) != 0
            if not space:
                if prev_space:
                    out[r, 8] += 1                     # words (whitespace-split)
                    if f & upper_b:
                        out[r, 9] += 1                 # capitalised words
            elif c != 32 or prev_space:
                out[r, 14] += 1                        # whitespace other than single spaces
            if f & changed_b:
                out[r, 10] += 1
            if f & digit_b:
                out[r, 11] += 1
                if i + 2 < N and (fl[i + 1] & date_b) and (fl[i + 2] & digit_b):
                    out[r, 12] += 1                    # digit, one of "./-:", digit
            if (f & sentence_b) and i + 1 < N and cp[i + 1] == 32:
                out[r, 13] += 1                        # ". ", "? ", "! "
            if c == 32 and i + 2 < N and (fl[i + 1] & separator_b) and cp[i + 2] == 32:
                out[r, 15] += 1                        # " | ", " · ", …
                if i - last_sep == 2:
                    out[r, 16] = 1                     # two separators sharing a space: str.count decides
                last_sep = i
            if c == 64 or (c == 58 and i + 2 < N and cp[i + 1] == 47 and cp[i + 2] == 47) or (
                    c == 46 and i + 2 < N and _url_ending(cp, i + 1, N)) or (
                    c == 119 and i + 3 < N and cp[i + 1] == 119 and cp[i + 2] == 119 and cp[i + 3] == 46):
                out[r, 17] = 1                         # "@", "://", ".com" / ".org" / ".net" / ".pl" / ".de", "www."
            prev_space = space
        out[r, 0] = e - a
    return out


FNV_OFFSET = np.uint64(0xCBF29CE484222325)
FNV_PRIME = np.uint64(0x100000001B3)


@numba.njit(cache=True, nogil=True)
def token_spans(lcp, lfl, lstarts, lnc, word_b):
    """The tokens of `features._measure`: runs of word characters of the lower-cased joined text (`lcp`: its
    code points, `lfl`: their table bits; every line is followed by a line break, which is not a word character,
    so no token spans two lines). Returns each token's length, line and 64-bit FNV-1a hash of its code points
    (`features.token_hash`), and each line's first token and token count."""
    k = lstarts.shape[0]
    N = lfl.shape[0]
    tlen = np.empty(N // 2 + 1, dtype=np.int64)
    th = np.empty(N // 2 + 1, dtype=np.uint64)
    first = np.zeros(k, dtype=np.int64)
    count = np.zeros(k, dtype=np.int64)
    m = 0
    for r in range(k):
        first[r] = m
        start = -1
        h = FNV_OFFSET
        for i in range(lstarts[r], lstarts[r] + lnc[r] + 1):
            if (lfl[i] & word_b) != 0:
                if start < 0:
                    start = i
                    h = FNV_OFFSET
                h = (h ^ np.uint64(lcp[i])) * FNV_PRIME
            elif start >= 0:
                tlen[m] = i - start
                th[m] = h
                m += 1
                start = -1
        count[r] = m - first[r]
    return tlen[:m], th[:m], first, count


@numba.njit(cache=True, nogil=True)
def token_counts(th, tlen, first, count, vocab_hash, vocab_flags, nlang):
    """Per line, from each token's flag bits (looked up by its hash in the hash table `features._vocabulary`;
    bit j: a stop word of language j; bit 20: a share word; bit 21: a share filler word; 0 for a token not in the
    vocabulary): stop words of each language (columns 0..nlang-1), the same over the tokens the language guess
    reads (its first 60 of 2+ characters; nlang..2 nlang-1), the number of those tokens (2 nlang), share words
    (2 nlang + 1), share or filler words (2 nlang + 2)."""
    k = first.shape[0]
    out = np.zeros((k, 2 * nlang + 3), dtype=np.int64)
    mask = np.uint64(vocab_hash.shape[0] - 1)
    for r in range(k):
        for t in range(first[r], first[r] + count[r]):
            h = th[t]
            j = h & mask
            f = vocab_flags[j]
            while f != 0 and vocab_hash[j] != h:   # linear probing until the key or an empty slot
                j = (j + np.uint64(1)) & mask
                f = vocab_flags[j]
            guess = (t - first[r]) < 60 and tlen[t] != 1
            if guess:
                out[r, 2 * nlang] += 1
            if f == 0:
                continue
            for j in range(nlang):
                if (f >> j) & 1:
                    out[r, j] += 1
                    if guess:
                        out[r, nlang + j] += 1
            share = (f >> 20) & 1
            out[r, 2 * nlang + 1] += share
            if share or (f >> 21) & 1:
                out[r, 2 * nlang + 2] += 1
    return out


@numba.njit(cache=True, nogil=True)
def table_lookup(cp, table, known):
    """table[cp] (`features._char_flags`), and how many of the entries lack the bit `known`."""
    out = np.empty(cp.shape[0], dtype=table.dtype)
    unknown = 0
    for i in range(cp.shape[0]):
        v = table[cp[i]]
        out[i] = v
        if (v & known) == 0:
            unknown += 1
    return out, unknown


@numba.njit(cache=True, nogil=True)
def guess_counts(rid, g_n, g_counts, g_total, limit):
    """What the page's language guess reads (`features.page_features`): the stop-word counts per language and
    the tokens of the rows `rid` (per-line values `g_counts`, `g_total`), in order, up to and including the row
    at which the tokens read (`g_n`) reach `limit`."""
    counts = np.zeros(g_counts.shape[1], dtype=np.int64)
    total = 0
    read = 0
    for t in range(rid.shape[0]):
        r = rid[t]
        for j in range(g_counts.shape[1]):
            counts[j] += g_counts[r, j]
        total += g_total[r]
        read += g_n[r]
        if read >= limit:
            break
    return counts, total


@numba.njit(cache=True, nogil=True)
def find_phrases(lcp, lword, lstarts, lnc, char_id, delta, out_start, out_len, out_list, kind):
    """`phrases.lines_with_phrases`: one pass of the automaton over each line; flags[line, list] is set when an
    occurrence of one of the list's phrases ends in the line and sits where the list's kind (0 anywhere, 1 at
    the line's start, 2 between word boundaries) says."""
    k = lstarts.shape[0]
    n = lcp.shape[0]
    flags = np.zeros((k, kind.shape[0]), dtype=np.bool_)
    for r in range(k):
        a = lstarts[r]
        s = 0
        for i in range(a, a + lnc[r]):
            s = delta[s, char_id[lcp[i]]]
            for o in range(out_start[s], out_start[s + 1]):
                j = out_list[o]
                if flags[r, j]:
                    continue
                start = i - out_len[o] + 1
                kd = kind[j]
                if kd == 1:
                    if start != a:
                        continue
                elif kd == 2:
                    before = lword[start - 1] if start > 0 else False
                    after = lword[i + 1] if i + 1 < n else False
                    if before == lword[start] or after == lword[i]:
                        continue
                flags[r, j] = True
    return flags

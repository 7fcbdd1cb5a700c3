"""Words, word n-gram shingles and MinHash signatures of many texts at once, vectorised with numpy.

Why hand-written: the fastest MinHash on PyPI (rensa, Rust) takes shingles as Python strings, so building the
strings (split, join) becomes the ceiling; datasketch hashes each shingle with SHA-1 in Python. Here a whole
batch of documents is one UTF-8 buffer and every step is a numpy pass over it, with no Python object per word:

1. Words. The text is lower-cased (`str.lower`) and UTF-8 encoded. A word is a maximal run of bytes that are not
   separators; separators are ASCII whitespace and ASCII punctuation, U+00A0-U+00BF (no-break space, «, », ¿, ...),
   U+2000-U+207F (Unicode spaces, dashes, quotes, ellipsis, superscripts), U+3000-U+303F (the ideographic space
   and CJK punctuation: 、。「」『』《》...), and the full-width forms of ASCII punctuation with the half-width CJK
   marks, U+FF01-U+FF0F, U+FF1A-U+FF20, U+FF3B-U+FF40, U+FF5B-U+FF65 (，！？；：（）％ ... ｡｢｣､･), which CJK text
   uses in place of ASCII punctuation. Every other byte, including all other non-ASCII letters (full-width letters
   and digits too), belongs to a word. Text without spaces (Chinese, Japanese) thus has one word per run between
   punctuation marks, whichever punctuation style it is written in. `reference_words` is the same rule written
   with a regular expression; the tests check that both agree.
2. Word hash: a polynomial hash over the word's bytes (prefix sums of b[i] * R**i, modulo 2**64, then scaled by
   R**-start so the value does not depend on the word's position), plus the word length, through splitmix64.
3. Shingle hash: word n-grams (default 5, as FineWeb / FineWeb-2) combined as sum(word[k] * C[k]) through
   splitmix64; the upper 32 bits are the shingle's value. A document with fewer than n words (but at least one)
   has one shingle made of all its words, so that short identical documents still collide; a document with no
   word has no signature.
4. Permutations: h_p(x) = (a_p * x + b_p) mod 2**32 on the well-mixed 32-bit shingle values (a_p odd), computed in
   uint32 so that numpy uses SIMD; the signature is the minimum over the document's shingles. The tests check
   that signature agreement tracks true shingle Jaccard without bias.

Everything is seeded (`seed`), so signatures are the same on every machine and in every process. Large
documents are processed in pieces of at most `CHUNK_BYTES` cut at whitespace, so memory stays bounded by the
piece size and the document's number of words (a 50 MB document uses a few hundred MB at most).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

import numpy as np

CHUNK_BYTES = 1 << 20  # bytes hashed per numpy pass
_U64 = np.uint64
_MASK64 = (1 << 64) - 1
_R = 0x9E3779B97F4A7C15  # odd multiplier of the polynomial word hash (golden-ratio constant)
_LEN_MUL = 0xD6E8FEB86659FD93

_ASCII_SEPARATORS = b" \t\n\r\x0b\x0c" + bytes(c for c in range(0x21, 0x7F) if not chr(c).isalnum())
_WORD_BYTE = np.ones(256, dtype=bool)
for _c in _ASCII_SEPARATORS:
    _WORD_BYTE[_c] = False

# full-width forms of ASCII punctuation (，！？；：（）％ ...), full-width white parentheses, half-width CJK marks
_WIDE_SEPARATORS = ((0xFF01, 0xFF0F), (0xFF1A, 0xFF20), (0xFF3B, 0xFF40), (0xFF5B, 0xFF65))
# ... in UTF-8: EF BC xx (U+FF00-U+FF3F) or EF BD xx (U+FF40-U+FF7F); by second byte - 0xBC, third byte - 0x80
_WIDE_SEP = np.zeros((2, 64), dtype=bool)
for _lo, _hi in _WIDE_SEPARATORS:
    for _c in range(_lo, _hi + 1):
        _u = chr(_c).encode("utf-8")
        _WIDE_SEP[_u[1] - 0xBC, _u[2] - 0x80] = True

_SEP_CLASS = (
    re.escape(_ASCII_SEPARATORS.decode("ascii")) + "\u00a0-\u00bf\u2000-\u207f\u3000-\u303f"
    + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _WIDE_SEPARATORS)
)
_WORD_RE = re.compile(f"[^{_SEP_CLASS}]+")


def nfc(text: str) -> str:
    """`text` in Unicode's composed form (NFC): the same words written with combining marks (NFD, as macOS and
    some editors write them) compare and hash alike."""
    return text if text.isascii() or unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def reference_words(text: str) -> list[str]:
    """The words of `text` as the vectorised hasher sees them (slow; for tests and brute-force checks)."""
    return _WORD_RE.findall(nfc(text).lower())


def reference_shingles(text: str, n: int = 5) -> set[tuple[str, ...]]:
    """The set of word n-gram shingles of `text` (slow; the ground truth of the Jaccard tests)."""
    w = reference_words(text)
    if not w:
        return set()
    if len(w) < n:
        return {tuple(w)}
    return {tuple(w[i:i + n]) for i in range(len(w) - n + 1)}


def jaccard(a: set, b: set) -> float:
    """Exact Jaccard similarity of two sets (1.0 for two empty sets)."""
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def _splitmix(z: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser (Steele et al. 2014), in place on a uint64 array."""
    z ^= z >> _U64(30)
    z *= _U64(0xBF58476D1CE4E5B9)
    z ^= z >> _U64(27)
    z *= _U64(0x94D049BB133111EB)
    z ^= z >> _U64(31)
    return z


def _splitmix_int(z: int) -> int:
    z &= _MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
    return z ^ (z >> 31)


@lru_cache(maxsize=2)
def _power_tables(n: int) -> tuple[np.ndarray, np.ndarray]:
    """R**i and R**-i modulo 2**64 for i < n (constant tables, built once per process)."""
    r_inv = 1
    for _ in range(7):  # Newton iteration for the inverse of an odd number modulo 2**64
        r_inv = (r_inv * (2 - _R * r_inv)) & _MASK64
    pw = np.full(n, _R, dtype=_U64)
    pw[0] = 1
    ipw = np.full(n, r_inv, dtype=_U64)
    ipw[0] = 1
    return np.cumprod(pw), np.cumprod(ipw)


def reference_word_hash(word: str) -> int:
    """The 64-bit hash of one (already lower-cased) word, in plain Python (for tests)."""
    h = 0
    p = 1
    bs = word.encode("utf-8", "replace")
    for b in bs:
        h = (h + b * p) & _MASK64
        p = (p * _R) & _MASK64
    return _splitmix_int(h + len(bs) * _LEN_MUL)


def _word_mask(b: np.ndarray) -> np.ndarray:
    isw = _WORD_BYTE[b]
    n = len(b)
    if n >= 2:
        lead = np.flatnonzero(b[:-1] == 0xC2)
        if len(lead):
            nxt = b[lead + 1]
            lead = lead[nxt >= 0xA0]  # U+00A0-U+00BF
            isw[lead] = False
            isw[lead + 1] = False
    if n >= 3:
        for first, seconds in ((0xE2, (0x80, 0x81)), (0xE3, (0x80,))):
            lead = np.flatnonzero(b[:-2] == first)
            if len(lead):
                nxt = b[lead + 1]
                sel = nxt == seconds[0]
                for s in seconds[1:]:
                    sel |= nxt == s
                lead = lead[sel]
                isw[lead] = False
                isw[lead + 1] = False
                isw[lead + 2] = False
        lead = np.flatnonzero(b[:-2] == 0xEF)
        if len(lead):
            second, third = b[lead + 1], b[lead + 2]
            lead = lead[((second == 0xBC) | (second == 0xBD)) & (third >= 0x80) & (third < 0xC0)]
            lead = lead[_WIDE_SEP[b[lead + 1] - 0xBC, b[lead + 2] - 0x80]]
            isw[lead] = False
            isw[lead + 1] = False
            isw[lead + 2] = False
    return isw


def _hash_chunk(buf: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Word hashes and word start offsets of one buffer of at most CHUNK_BYTES (+ separators)."""
    b = np.frombuffer(buf, dtype=np.uint8)
    if len(b) == 0:
        return np.empty(0, _U64), np.empty(0, np.int64)
    isw = _word_mask(b)
    d = np.diff(isw.view(np.int8), prepend=np.int8(0), append=np.int8(0))
    starts = np.flatnonzero(d == 1)
    ends = np.flatnonzero(d == -1)
    pw, ipw = _power_tables(_table_size(len(b)))
    pref = np.empty(len(b) + 1, dtype=_U64)
    pref[0] = 0
    np.multiply(b, pw[: len(b)], out=pref[1:], dtype=_U64, casting="unsafe")
    np.cumsum(pref, out=pref)
    h = pref[ends] - pref[starts]
    h *= ipw[starts]
    h += (ends - starts).astype(_U64) * _U64(_LEN_MUL)
    return _splitmix(h), starts


def _table_size(n: int) -> int:
    size = CHUNK_BYTES + 4096
    while size < n:
        size *= 2
    return size


def _pieces(data: bytes, limit: int) -> Iterable[bytes]:
    """Cut a large UTF-8 buffer into pieces of at most `limit` bytes at ASCII whitespace when possible."""
    start = 0
    n = len(data)
    while n - start > limit:
        end = start + limit
        cut = max(data.rfind(b" ", start, end), data.rfind(b"\n", start, end))
        if cut <= start:  # no whitespace: cut at a UTF-8 character boundary
            cut = end
            while cut > start and (data[cut] & 0xC0) == 0x80:
                cut -= 1
            if cut == start:
                cut = end
        yield data[start:cut]
        start = cut
    yield data[start:]


def word_hashes(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of all words of `texts` concatenated, and per-text word offsets (len(texts) + 1)."""
    counts = np.zeros(len(texts), dtype=np.int64)
    out: list[np.ndarray] = []
    parts: list[bytes] = []
    owners: list[int] = []
    size = 0

    def flush() -> None:
        nonlocal parts, owners, size
        if not parts:
            return
        lens = np.fromiter((len(p) + 1 for p in parts), dtype=np.int64, count=len(parts))
        h, starts = _hash_chunk(b" ".join(parts))
        ends = np.cumsum(lens)
        piece = np.searchsorted(ends, starts, side="right")
        np.add.at(counts, np.asarray(owners, dtype=np.int64), np.bincount(piece, minlength=len(parts)))
        out.append(h)
        parts, owners, size = [], [], 0

    for i, t in enumerate(texts):
        data = nfc(t).lower().encode("utf-8", "replace")
        if len(data) > CHUNK_BYTES:
            flush()
            for piece in _pieces(data, CHUNK_BYTES):
                parts.append(piece)
                owners.append(i)
                flush()
            continue
        if size + len(data) > CHUNK_BYTES:
            flush()
        parts.append(data)
        owners.append(i)
        size += len(data) + 1
    flush()
    offsets = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    h = np.concatenate(out) if out else np.empty(0, _U64)
    return h, offsets


@dataclass(frozen=True)
class MinHasher:
    """MinHash with `num_perm` permutations over word `ngram` shingles; `seed` fixes all constants."""

    num_perm: int = 112
    ngram: int = 5
    seed: int = 1

    def __post_init__(self) -> None:
        if self.num_perm < 1 or self.ngram < 1:
            raise ValueError("num_perm and ngram must be at least 1")

    @property
    def _constants(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return _constants(self.num_perm, self.ngram, self.seed)

    def shingle_values(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """32-bit shingle values of all texts concatenated (with repeats), and per-text offsets."""
        wh, woff = word_hashes(texts)
        return self._shingles(wh, woff)

    def _shingles(self, wh: np.ndarray, woff: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        _, _, comb = self._constants
        n = self.ngram
        nw = np.diff(woff)
        ns = np.where(nw >= n, nw - n + 1, np.minimum(nw, 1))
        soff = np.zeros(len(nw) + 1, dtype=np.int64)
        np.cumsum(ns, out=soff[1:])
        total = int(soff[-1])
        if total == 0:
            return np.empty(0, np.uint32), soff
        # all windows of n consecutive words over the concatenation, then the ones inside one text
        W = len(wh)
        vals = np.empty(total, dtype=np.uint32)
        long_ = nw >= n
        if W >= n and long_.any():
            acc = wh[: W - n + 1] * comb[0]
            for k in range(1, n):
                acc += wh[k : W - n + 1 + k] * comb[k]
            win = (_splitmix(acc) >> _U64(32)).astype(np.uint32)
            ns_long = np.where(long_, ns, 0)
            pos = np.repeat(soff[:-1] + 0, ns_long) + _ramp(ns_long)
            src = np.repeat(woff[:-1], ns_long) + _ramp(ns_long)
            vals[pos] = win[src]
        for i in np.flatnonzero(~long_ & (nw > 0)):  # fewer than n words: one shingle of all of them
            m = int(nw[i])
            acc1 = np.atleast_1d((wh[woff[i] : woff[i] + m] * comb[:m]).sum(dtype=_U64))
            vals[soff[i]] = (_splitmix(acc1) >> _U64(32)).astype(np.uint32)[0]
        return vals, soff

    def signatures(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """MinHash signatures (len(texts), num_perm) uint32 and the number of words of each text.

        Texts without any word get a row of 0xFFFFFFFF and 0 words; callers exclude them from LSH."""
        wh, woff = word_hashes(texts)
        vals, soff = self._shingles(wh, woff)
        return self.signatures_from_shingles(vals, soff), np.diff(woff)

    def signatures_and_sets(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Signatures, word counts, and each text's distinct shingle values (sorted) with offsets."""
        wh, woff = word_hashes(texts)
        vals, soff = self._shingles(wh, woff)
        sig = self.signatures_from_shingles(vals, soff)
        owner = np.repeat(np.arange(len(texts), dtype=_U64), np.diff(soff))
        key = np.sort((owner << _U64(32)) | vals.astype(_U64))  # by text, then value
        keep = np.ones(len(key), dtype=bool)
        keep[1:] = key[1:] != key[:-1]
        key = key[keep]
        v = (key & _U64(0xFFFFFFFF)).astype(np.uint32)
        o = (key >> _U64(32)).astype(np.int64)
        off = np.zeros(len(texts) + 1, dtype=np.int64)
        np.cumsum(np.bincount(o, minlength=len(texts)), out=off[1:])
        return sig, np.diff(woff), v, off

    def signatures_from_shingles(self, vals: np.ndarray, soff: np.ndarray) -> np.ndarray:
        a, b, _ = self._constants
        D = len(soff) - 1
        sig = np.full((D, self.num_perm), 0xFFFFFFFF, dtype=np.uint32)
        has = np.flatnonzero(np.diff(soff) > 0)
        if len(has) == 0:
            return sig
        seg = soff[:-1][has]
        y = np.empty_like(vals)
        block = 1 << 24
        if len(vals) <= block:
            for p in range(self.num_perm):
                np.multiply(vals, a[p], out=y)
                y += b[p]
                sig[has, p] = np.minimum.reduceat(y, seg)
            return sig
        # very large inputs: bounded temporaries, block by block (documents may span blocks)
        for s in range(0, len(vals), block):
            e = min(s + block, len(vals))
            v = vals[s:e]
            docs = np.searchsorted(soff, np.arange(s, e), side="right") - 1
            starts = np.flatnonzero(np.diff(docs, prepend=-1))
            owner = docs[starts]
            yy = y[: e - s]
            for p in range(self.num_perm):
                np.multiply(v, a[p], out=yy)
                yy += b[p]
                m = np.minimum.reduceat(yy, starts)
                sig[owner, p] = np.minimum(sig[owner, p], m)
        return sig


def _ramp(counts: np.ndarray) -> np.ndarray:
    """0, 1, ..., c-1 for each c in counts, concatenated."""
    total = int(counts.sum())
    if total == 0:
        return np.empty(0, dtype=np.int64)
    starts = np.cumsum(counts) - counts
    return np.arange(total, dtype=np.int64) - np.repeat(starts, counts)


@lru_cache(maxsize=8)
def _constants(num_perm: int, ngram: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 1 << 32, size=num_perm, dtype=np.uint64).astype(np.uint32) | np.uint32(1)
    b = rng.integers(0, 1 << 32, size=num_perm, dtype=np.uint64).astype(np.uint32)
    comb = rng.integers(0, 1 << 63, size=max(ngram, 1), dtype=np.uint64) * _U64(2) + _U64(1)
    for arr in (a, b, comb):
        arr.setflags(write=False)
    return a, b, comb


def estimated_jaccard(sig_a: np.ndarray, sig_b: np.ndarray) -> np.ndarray | float:
    """Share of equal signature entries (the MinHash estimate of Jaccard), row-wise for 2-D inputs."""
    eq = np.asarray(sig_a) == np.asarray(sig_b)
    return eq.mean(axis=-1)

"""Choosing the charset of bytes that are not UTF-8 and declare none: the decoding that reads most like text.

charset_normalizer (installed with trafilatura) guesses from byte statistics, and on short text its guesses tie:
Polish in ISO-8859-2 reads to it as well in ISO-8859-4 ("przyjąģ w ķrodę"), French in windows-1252 as in
windows-1250 ("crčme brűlée"). `likeliest` decodes the bytes with the web's commonest legacy charsets (windows-1252,
windows-1250, ISO-8859-2) and charset_normalizer's guesses, and keeps the decoding with the fewest symbols inside
words (`odd_in_words`: "Za¿ó³æ", "g³ltigen" are Polish and German in the wrong charset), then the one the
language identifier (lid.176) is surest of — the one whose words are words of some language —, and of decodings it
is equally sure of (within `LID_TIE`, 0.03), the commonest charset or charset_normalizer's first guess: Japanese in
EUC-JP read as GB18030 keeps its kana and reads as Japanese too. CJK punctuation between two characters
(、。「」…) is no symbol inside a word. Used by the `.txt`
reader (`sito.io.readers.files`) and by the HTML path for a page without a charset declaration
(`sito.html.decode`). No library weighs decodings by the language they read as; this is a few lines over two.
"""

from __future__ import annotations

import re
from typing import Callable

_C1 = re.compile("[\x80-\x9f]")
# (and the punctuation that Chinese and Japanese put between two characters without a space: 、。，「」…)
_IN_WORD = frozenset(" 0123456789'’‘-‐‑.·" "、。，．・：；！？「」『』（）〈〉《》【】〔〕…ー〜\u3000")
ALWAYS = ("cp1252", "cp1250", "iso8859-2")   # tried besides the guesses: the commonest legacy charsets of the web
MAX_GUESSES = 8      # charset_normalizer's guesses weighed by language identification
LID_SAMPLE = 3000    # characters of each decoding read by the language identifier
LID_TIE = 0.03       # language-identification scores this close are a tie (on short text they are noise)


def guesses(data: bytes) -> list[str]:
    """charset_normalizer's charsets for the bytes, best first ([] when none reads them as text)."""
    from charset_normalizer import from_bytes

    return [m.encoding for m in from_bytes(data)]


def likeliest(data: bytes, guessed: list[str], text_of: Callable[[str], str] | None = None
              ) -> tuple[str | None, str | None]:
    """(text, encoding) of the likeliest decoding among `ALWAYS` and the `guessed` charsets (None, None when
    `guessed` is empty: nothing reads the bytes as text). `text_of` turns a decoding into the text to judge (the
    HTML path: the page without its markup). C1 controls are never text ("—" read as \\x97): a decoding
    without them is preferred when there is one."""
    from ..filters.language import detect

    if not guessed:
        return None, None
    # Each decoding is judged by its first LID_SAMPLE characters; only those are kept (a decoding of the whole
    # file per charset held about ten times the file), and the winner is decoded once more at the end.
    samples: dict[str, str] = {}
    has_c1: dict[str, bool] = {}
    seen: set[int] = set()
    for enc in (*ALWAYS, *guessed[:MAX_GUESSES]):
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        key = hash(text)
        if key in seen:   # (the same text as a decoding before: the first of them stands for both)
            continue
        seen.add(key)
        has_c1[enc] = _C1.search(text) is not None
        t = text if text_of is None else text_of(text)
        samples[enc] = " ".join(t[:LID_SAMPLE].split())
        del text, t   # (before the next decoding is made)
    clean = [e for e in samples if not has_c1[e]]
    if clean:   # (C1 controls are never text: a decoding without them is preferred when there is one)
        samples = {e: samples[e] for e in clean}
    if len(samples) < 2:
        enc = next(iter(samples), None)
        return (data.decode(enc), enc) if enc else (None, None)

    # the order of ties: the web's commonest charsets first, then charset_normalizer's guesses, its best first
    order = {e: k for k, e in enumerate((*ALWAYS, *(g for g in guessed if g not in ALWAYS)))}

    odd = {e: odd_in_words(t) + mixed_script_words(t) for e, t in samples.items()}
    fewest = min(odd.values())
    score = {}
    for e in samples:
        if odd[e] == fewest:
            found = detect(samples[e])
            score[e] = found[0][1] if found else 0.0
    # scores within LID_TIE of the best are the identifier's tie (Japanese in EUC-JP read as GB18030 keeps its
    # kana, both read as Japanese at 0.9999; Spanish in windows-1252 and in windows-1257, "nińo", at 0.988 and
    # 0.986; an English sentence with "crème brûlée" scores 0.948, read in windows-1250 0.969): the commonest
    # charset, then charset_normalizer's first guess, decides
    best = max(score.values())
    enc = min((e for e in score if score[e] >= best - LID_TIE), key=lambda e: order.get(e, len(order)))
    return data.decode(enc), enc


_WORD = re.compile(r"[^\W\d_]+")


def mixed_script_words(text: str) -> int:
    """Words no language writes: ASCII letters beside letters beyond the Latin, Greek and Cyrillic blocks
    ("Prﮰfung": German read in an Urdu charset), or a non-ASCII capital right after a small letter ("crŔme
    brűlÚe": French read in code page 852; "iPhone" and "McDonald" have ASCII capitals)."""
    n = 0
    for w in _WORD.findall(text):
        if w.isascii():
            continue
        if any("a" <= c.lower() <= "z" for c in w) and any(ord(c) > 0x52F for c in w):
            n += 1
        elif any(b.isupper() and not b.isascii() and a.islower() for a, b in zip(w, w[1:])):
            n += 1
    return n


def odd_in_words(text: str) -> int:
    """Characters other than letters between two letters, but for spaces, ASCII digits, apostrophes, hyphens,
    dots and CJK punctuation: "³" in "g³ltigen", "¿" in "Za¿ó³æ"."""
    return sum(1 for a, c, b in zip(text, text[1:], text[2:])
               if not c.isalpha() and c not in _IN_WORD and a.isalpha() and b.isalpha())

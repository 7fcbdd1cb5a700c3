"""Choosing the charset of bytes that are not UTF-8 and declare none: the decoding that reads most like text.

charset_normalizer (installed with trafilatura) guesses from byte statistics, and on short text its guesses tie:
Polish in ISO-8859-2 reads to it as well in ISO-8859-4 ("przyjąģ w ķrodę"), French in windows-1252 as in
windows-1250 ("crčme brűlée"). `likeliest` decodes the bytes with the web's commonest legacy charsets (windows-1252,
windows-1250, ISO-8859-2) and charset_normalizer's guesses, and keeps the decoding with the fewest symbols inside
words (`odd_in_words`: "Za¿ó³æ", "g³ltigen" are Polish and German in the wrong charset), then the one the
language identifier (lid.176) is surest of — the one whose words are words of some language —, and of decodings it
is equally sure of (within a thousandth), the commonest charset or charset_normalizer's first guess: Japanese in
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
    texts: dict[str, str] = {}
    for enc in (*ALWAYS, *guessed[:MAX_GUESSES]):
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        if text not in texts.values():
            texts[enc] = text
    texts = {e: t for e, t in texts.items() if not _C1.search(t)} or texts
    if len(texts) < 2:
        enc = next(iter(texts), None)
        return (texts[enc], enc) if enc else (None, None)

    # the order of ties: the web's commonest charsets first, then charset_normalizer's guesses, its best first
    order = {e: k for k, e in enumerate((*ALWAYS, *(g for g in guessed if g not in ALWAYS)))}

    def rank(enc: str) -> tuple[int, float, int]:
        t = texts[enc] if text_of is None else text_of(texts[enc])
        sample = " ".join(t[:LID_SAMPLE].split())
        found = detect(sample)
        # scores within a thousandth are the identifier's tie (Japanese in EUC-JP read as GB18030 keeps its kana,
        # and both decodings read as Japanese at 0.9999): `order` decides
        return -odd_in_words(sample), round(found[0][1], 3) if found else 0.0, -order.get(enc, len(order))

    enc = max(texts, key=rank)   # (the first of equals)
    return texts[enc], enc


def odd_in_words(text: str) -> int:
    """Characters other than letters between two letters, but for spaces, ASCII digits, apostrophes, hyphens,
    dots and CJK punctuation: "³" in "g³ltigen", "¿" in "Za¿ó³æ"."""
    return sum(1 for a, c, b in zip(text, text[1:], text[2:])
               if not c.isalpha() and c not in _IN_WORD and a.isalpha() and b.isalpha())

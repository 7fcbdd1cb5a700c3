"""Bytes of a web page to text: UTF-8 when the bytes are valid UTF-8, else the declared charset, else detection.

Order, and why:
1. strict UTF-8 — pages that declare a legacy charset but are in fact UTF-8 are common, and an ASCII-only page
   decodes the same either way (trafilatura's `decode_file` also starts here); and UTF-8 with a few broken bytes
   (one per 20 non-ASCII characters at most), since legacy text almost never forms valid UTF-8 sequences while a
   permissive legacy codec (GB18030, windows-125x) reads UTF-8 bytes without an error, as mojibake;
2. the charset the page declares (`<meta charset>` / `http-equiv` in the first 4 KB, or one passed by the caller,
   e.g. from a WARC record's Content-Type), read as browsers read its label (the WHATWG Encoding Standard):
   ISO-8859-1/ASCII are windows-1252, GB2312/GBK are GB18030, Shift_JIS is windows-31J (cp932), EUC-KR is
   windows-949, Big5 is Big5-HKSCS, ISO-8859-9 is windows-1254, TIS-620 is windows-874 — each a superset that
   decodes the characters real pages under that label use (a GB2312 page with one GBK character is common).
   An ISO-8859 page whose text comes out with C1 control characters (U+0080-U+009F, never text) was written in
   the charset's Windows counterpart (a windows-1250 Polish page labelled ISO-8859-2, its „quotes” and ś/ź in
   bytes 0x80-0x9F) and is read as that when its bytes decode. The declared charset with a few broken bytes
   (the same one in 20) comes before a guess: a guess on a damaged GB18030 page can be windows-1250;
3. `charset_normalizer` detection on the start and end of the page (as trafilatura does);
4. when no charset decodes every byte, the candidate — UTF-8, the declared charsets, the detected one — with
   the fewest undecodable bytes, each replaced by U+FFFD.

trafilatura's `decode_file` has steps 1 (strict) and 3, then UTF-8 with replacement characters: a GB2312 page
with one broken byte comes out of it as windows-1250 mojibake, and one with a GBK character as whatever the
guess is.

Compressed bodies are not inflated here: the readers remove transfer/content encodings with their own size bound.
"""

from __future__ import annotations

import codecs
import re

# <meta charset="x"> and <meta http-equiv="Content-Type" content="text/html; charset=x">
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]{1,40})""", re.IGNORECASE)
# The WHATWG Encoding Standard (https://encoding.spec.whatwg.org/#names-and-labels) reads the labels of these
# Python codecs as their supersets (ISO-8859-1 and ASCII as windows-1252, GB2312 as GB18030…); labels Python does
# not know, as the codec browsers use
_WHATWG_CODEC = {"iso8859-1": "cp1252", "ascii": "cp1252", "gb2312": "gb18030", "gbk": "gb18030",
                 "shift_jis": "cp932", "euc_kr": "cp949", "big5": "big5hkscs", "iso8859-9": "cp1254",
                 "tis-620": "cp874", "iso8859-11": "cp874"}
_WHATWG_LABEL = {"x-gbk": "gb18030", "windows-31j": "cp932", "x-sjis": "cp932", "windows-874": "cp874",
                 "x-euc-jp": "euc_jp", "x-mac-roman": "mac_roman"}
# ISO-8859 charsets whose Windows counterpart puts letters and punctuation in 0x80-0x9F, where they have C1 controls
_WINDOWS_OF = {"iso8859-2": "cp1250", "iso8859-13": "cp1257", "iso8859-8": "cp1255"}
_C1 = re.compile("[\x80-\x9f]")
_DECLARED_SCAN_BYTES = 4096  # HTML spec: the prescan looks at the first 1024 bytes; 4 KB tolerates long heads


_COMMENT = re.compile(rb"<!--.*?(?:-->|$)", re.S)
_XML_ENCODING = re.compile(rb"""^(?:\xef\xbb\xbf)?\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']""")


def declared_charset(data: bytes) -> str | None:
    """The charset declared in the page's first bytes, as a Python codec name, or None: a `<meta>` outside
    comments (a commented-out one is no declaration), else the XML declaration's encoding."""
    head = data[:_DECLARED_SCAN_BYTES]
    m = _META_CHARSET.search(_COMMENT.sub(b"", head) if b"<!--" in head else head)
    if m:
        return _codec(m.group(1).decode("ascii", "replace"))
    x = _XML_ENCODING.match(head)
    return _codec(x.group(1).decode("ascii", "replace")) if x else None


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().lower()
    if label in _WHATWG_LABEL:
        return _WHATWG_LABEL[label]
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return _WHATWG_CODEC.get(name, name)


def _strict(data: bytes, enc: str) -> tuple[str, str] | None:
    """(`data` decoded by `enc`, the codec used), None if a byte does not decode; an ISO-8859 text with C1 controls
    is re-read in the charset's Windows counterpart when that decodes."""
    try:
        text = data.decode(enc)
    except (UnicodeDecodeError, LookupError):
        return None
    win = _WINDOWS_OF.get(enc)
    if win and _C1.search(text):
        try:
            return data.decode(win), win
        except UnicodeDecodeError:
            pass
    return text, enc


def _nearly(data: bytes, enc: str) -> str | None:
    """`data` decoded by `enc` with replacement characters, if the bytes it cannot decode are few: at most one per
    20 non-ASCII characters it does decode (damage, not a wrong charset), else None."""
    try:
        text = data.decode(enc, "replace")
    except LookupError:
        return None
    bad = text.count("\ufffd")
    good = len(text) - len(text.encode("ascii", "ignore")) - bad
    return text if good > 0 and bad * 20 <= good else None


def _utf16_without_bom(head: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" for UTF-16 text without a byte order mark — markup and Latin text put a NUL
    byte in every other place (which UTF-8 would decode, as NUL characters) —, else None."""
    if len(head) < 16 or b"\x00" not in head:
        return None
    n = len(head) // 2 * 2
    odd, even = head[1:n:2].count(0), head[0:n:2].count(0)
    if odd >= 0.7 * (n // 2) and even == 0:
        return "utf-16-le"
    if even >= 0.7 * (n // 2) and odd == 0:
        return "utf-16-be"
    return None


_MARKUP = re.compile(r"(?is)<(script|style)\b.*?</\1\s*>|<[^>]*>")


def _visible(page: str) -> str:
    """A page's text without its markup, scripts and styles (what a charset is judged on)."""
    return _MARKUP.sub(" ", page)


def decode_html(data: bytes, charset: str | None = None) -> tuple[str, str]:
    """Decode page bytes; returns (text, encoding used; "-replace" appended when some bytes did not decode and were
    replaced by U+FFFD). Never raises on bad bytes."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", "replace"), "utf-8-sig"
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return data.decode("utf-16", "replace"), "utf-16"
    wide = _utf16_without_bom(data[:1024])
    if wide:
        return data.decode(wide, "replace"), wide
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # UTF-8 with a few broken bytes is still UTF-8: legacy text almost never forms valid multi-byte sequences,
    # while a permissive legacy codec (GB18030, windows-125x) decodes UTF-8 bytes without an error, as mojibake.
    text = _nearly(data, "utf-8")
    if text is not None:
        return text, "utf-8-replace"
    declared = []
    for enc in (_codec(charset), declared_charset(data)):
        # (a UTF-16/32 label on bytes that decoded as no UTF-16 above is wrong: browsers read it as UTF-8)
        if enc and enc not in declared and not enc.startswith(("utf-8", "utf-16", "utf-32", "utf_16", "utf_32")):
            declared.append(enc)
    for enc in declared:
        done = _strict(data, enc)
        if done:
            return done
    for enc in declared:  # the page's own charset with a few broken bytes, before a guess
        text = _nearly(data, enc)
        if text is not None:
            return text, enc + "-replace"
    from ..io.charsets import guesses, likeliest

    sample = data if len(data) < 10000 else data[:5000] + data[-5000:]
    guessed = [c for c in (_codec(g) for g in guesses(sample)) if c and c not in declared]
    detected = guessed[0] if guessed else None
    if guessed:   # the decoding that reads most like text, the markup left out (sito.io.charsets)
        text, enc = likeliest(data, guessed, text_of=_visible)
        if text is not None:
            return _strict(data, enc) or (text, enc)
    # No charset decodes every byte: the one that leaves the fewest replaced (the first of equals).
    best_text, best_enc, best_bad = "", "", -1
    for enc in ["utf-8", *declared, *([detected] if detected else [])]:
        try:
            text = data.decode(enc, "replace")
        except LookupError:
            continue
        bad = text.count("\ufffd")
        if best_bad < 0 or bad < best_bad:
            best_text, best_enc, best_bad = text, enc, bad
    return best_text, best_enc + "-replace"

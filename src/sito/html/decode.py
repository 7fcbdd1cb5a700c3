"""Bytes of a web page to text: UTF-8 when the bytes are valid UTF-8, else the declared charset, else detection.

Order, and why:
1. strict UTF-8 — pages that declare a legacy charset but are in fact UTF-8 are common, and an ASCII-only page
   decodes the same either way (trafilatura's `decode_file` also starts here);
2. the charset the page declares (`<meta charset>` / `http-equiv` in the first 4 KB, or one passed by the caller,
   e.g. from a WARC record's Content-Type), with the WHATWG mapping of ISO-8859-1/ASCII to windows-1252;
3. `charset_normalizer` detection on the start and end of the page (as trafilatura does);
4. UTF-8 with replacement characters, so a broken page still yields text instead of an error.

Compressed bodies are not inflated here: the readers remove transfer/content encodings with their own size bound.
"""

from __future__ import annotations

import codecs
import re

# <meta charset="x"> and <meta http-equiv="Content-Type" content="text/html; charset=x">
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]{1,40})""", re.IGNORECASE)
# The WHATWG Encoding Standard maps these labels to windows-1252 (https://encoding.spec.whatwg.org/#names-and-labels)
_WHATWG_1252 = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii", "iso_8859-1", "cp819"}
_DECLARED_SCAN_BYTES = 4096  # HTML spec: the prescan looks at the first 1024 bytes; 4 KB tolerates long heads


def declared_charset(data: bytes) -> str | None:
    """The charset declared in the page's first bytes, as a Python codec name, or None."""
    m = _META_CHARSET.search(data[:_DECLARED_SCAN_BYTES])
    return _codec(m.group(1).decode("ascii", "replace")) if m else None


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().lower()
    if label in _WHATWG_1252:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_html(data: bytes, charset: str | None = None) -> tuple[str, str]:
    """Decode page bytes; returns (text, encoding used). Never raises on bad bytes."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", "replace"), "utf-8-sig"
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return data.decode("utf-16", "replace"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    for enc in (_codec(charset), declared_charset(data)):
        if enc and enc not in ("utf-8", "utf-16", "utf-32"):
            try:
                return data.decode(enc), enc
            except (UnicodeDecodeError, LookupError):
                pass
    from charset_normalizer import from_bytes

    sample = data if len(data) < 10000 else data[:5000] + data[-5000:]
    best = from_bytes(sample).best()
    if best is not None and best.encoding:
        try:
            return data.decode(best.encoding), best.encoding
        except (UnicodeDecodeError, LookupError):
            pass
    return data.decode("utf-8", "replace"), "utf-8-replace"

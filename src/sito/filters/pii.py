"""PII masking: e-mail addresses, IP addresses, phone numbers, Polish PESEL and NIP numbers (checksum-validated).

Written here because the libraries that do this (Presidio, scrubadub) pull NLP models and do not know Polish
identifiers; the patterns are small and each is tested on real formats. Replacements are fixed placeholders
(`<EMAIL>`, `<IP>`, `<PHONE>`, `<PESEL>`, `<NIP>`, configurable); counts go to the step's counters
(`pii:email`…) and to `metadata["pii"]`.

- E-mail: datatrove's `PIIFormatter` pattern family (local part, @, dotted domain with a 2+ letter TLD).
- IPv4: four dot-separated octets 0–255, not inside a longer dotted number (version strings like 1.2.3.4.5 are
  left alone); IPv6: candidates outside words validated with `ipaddress`. Public addresses only, as FineWeb-2
  (private, loopback and reserved ones are left).
- PESEL: 11 digits with a valid check digit (weights 1,3,7,9,1,3,7,9,1,3; ministry of digital affairs spec) and
  a valid encoded birth date.
- NIP: 10 digits, optionally grouped 3-3-2-2 or 3-2-2-3 with hyphens or spaces, not opening with 0 (the tax
  office code), with a valid check digit (weights 6,5,7,2,3,4,5,6,7, sum mod 11, which must not be 10).
- Phone numbers: an international number (+ and 8–15 digits in groups) or a national number of 9 digits in
  Polish groupings (3-3-3 with a mobile prefix 4–8, 2-3-2-2 with an optional area code in parentheses) or a
  North American 3-3-4 number;
  matched only between non-digit boundaries, not inside a longer grouped number, a URL's path or before a currency
  or an amount's unit ("350 000 000 zł"), after PESEL / NIP so that those keep their own label.
"""

from __future__ import annotations

import ipaddress
import re
from datetime import date
from typing import Any

from ..document import Document
from ..pipeline import Step

# (the local part and the number of domain labels are bounded, 64 characters as RFC 5321 allows and 10 labels, so
# that each attempt reads a bounded stretch: unbounded, a long run of "a.a.a…" next to an "@" took quadratic time)
EMAIL = re.compile(r"\b[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]{1,64}(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]{1,64}){0,10}@"
                   r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,10}[A-Za-z]{2,24}\b")
IPV4 = re.compile(r"(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\d.]\d)")
# (not inside a word: "std::cout", "Kategoria::Sport" hold no address)
IPV6_CAND = re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])")
PESEL = re.compile(r"(?<!\d)\d{11}(?!\d)")
NIP = re.compile(r"(?<![\d-])(?:\d{10}|\d{3}[- ]\d{3}[- ]\d{2}[- ]\d{2}|\d{3}[- ]\d{2}[- ]\d{2}[- ]\d{3})(?![\d])")
# Not a phone number: digits that go on before or after the match in groups ("1 250 000 000 zł", "1.234.567.890",
# "192.168.001.001"), a number in a URL's path ("/a/123-456-789"), or one followed by a currency or an amount's unit
# ("350 000 000 zł"): a 3-3-3 amount has the shape of a Polish mobile number.
_NOT_AFTER = r"(?<![\w+/])(?<!\d[ .,])"
_NOT_BEFORE = r"(?![\w])(?![ .,]\d)(?!\s?(?:zł|zl\b|pln|eur|euro|usd|gbp|chf|\$|€|£|mln|mld|tys|mio|mrd|million|billion))"
PHONE = re.compile(
    _NOT_AFTER + r"(?:"
    r"\+\d{1,3}[ .-]?(?:\(\d{1,4}\)[ .-]?)?\d{2,4}(?:[ .-]?\d{2,4}){1,4}"  # international
    r"|\(\d{2,3}\)[ .-]?\d{3}[ .-]?\d{2}[ .-]?\d{2}"  # (22) 123 45 67
    r"|[4-8]\d{2}[ .-]\d{3}[ .-](?!000)\d{3}"  # 601 234 567 (mobile prefixes 45…88: "331 449 281" is a count)
    r"|\d{2}[ .-]\d{3}[ .-]\d{2}[ .-]\d{2}"  # 22 123 45 67
    r"|\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}"  # (555) 123-4567
    r")" + _NOT_BEFORE,
    re.IGNORECASE,
)

_PESEL_W = (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)
_NIP_W = (6, 5, 7, 2, 3, 4, 5, 6, 7)


def valid_pesel(s: str) -> bool:
    d = [int(c) for c in s]
    if len(d) != 11:
        return False
    if (10 - sum(w * x for w, x in zip(_PESEL_W, d)) % 10) % 10 != d[10]:
        return False
    yy, mm, dd = d[0] * 10 + d[1], d[2] * 10 + d[3], d[4] * 10 + d[5]
    century = {0: 1900, 1: 2000, 2: 2100, 3: 2200, 4: 1800}.get(mm // 20)
    if century is None:
        return False
    try:
        date(century + yy, mm % 20, dd)
    except ValueError:
        return False
    return True


def valid_nip(s: str) -> bool:
    d = [int(c) for c in s if c.isdigit()]
    if len(d) != 10 or d[0] == 0:   # (a NIP opens with its tax office's code, 101 and up: "0000885441" is a KRS)
        return False
    c = sum(w * x for w, x in zip(_NIP_W, d)) % 11
    return c != 10 and c == d[9]


def _ipv6_ok(s: str) -> bool:
    if s.count(":") < 2 or not any(ch.isalnum() for ch in s):
        return False
    try:
        return ipaddress.IPv6Address(s).is_global
    except ValueError:
        return False


def _public_ip(s: str) -> bool:
    """Only public addresses are masked, as FineWeb-2's `PIIFormatter` does (`only_remove_public_ips`): a
    router's 192.168.1.1 or localhost in a how-to is nobody's."""
    try:
        return ipaddress.ip_address(s).is_global
    except ValueError:
        return False


def mask_pii(text: str, placeholders: dict[str, str] | None = None,
             kinds: tuple[str, ...] = ("email", "ip", "pesel", "nip", "phone")) -> tuple[str, dict[str, int]]:
    """`text` with PII replaced by placeholders, and the number of replacements per kind."""
    ph = {"email": "<EMAIL>", "ip": "<IP>", "phone": "<PHONE>", "pesel": "<PESEL>", "nip": "<NIP>"}
    if placeholders:
        ph.update(placeholders)
    counts: dict[str, int] = {}

    def sub(pattern: re.Pattern, kind: str, text: str, check=None) -> str:
        n = 0

        def repl(m: re.Match) -> str:
            nonlocal n
            if check is not None and not check(m.group()):
                return m.group()
            n += 1
            return ph[kind]

        out = pattern.sub(repl, text)
        if n:
            counts[kind] = counts.get(kind, 0) + n
        return out

    if "email" in kinds and "@" in text:
        text = sub(EMAIL, "email", text)
    if "ip" in kinds:
        if "." in text:
            text = sub(IPV4, "ip", text, _public_ip)
        if "::" in text or text.count(":") >= 7:
            text = sub(IPV6_CAND, "ip", text, _ipv6_ok)
    if "pesel" in kinds:
        text = sub(PESEL, "pesel", text, valid_pesel)
    if "nip" in kinds:
        text = sub(NIP, "nip", text, valid_nip)
    if "phone" in kinds:
        for _ in range(3):   # (a number right after another is free to match once that one is masked)
            before = text
            text = sub(PHONE, "phone", text)
            if text == before:
                break
    return text, counts


class PIIMask(Step):
    """Masks PII in the document's text (see the module docstring); never rejects."""

    name = "pii"

    def __init__(self, kinds: list[str] | tuple[str, ...] = ("email", "ip", "pesel", "nip", "phone"),
                 placeholders: dict[str, str] | None = None):
        unknown = set(kinds) - {"email", "ip", "pesel", "nip", "phone"}
        if unknown:
            raise ValueError(f"unknown PII kinds: {sorted(unknown)}")
        self.kinds = tuple(kinds)
        self.placeholders = dict(placeholders or {})
        self.counters: Any = None

    def run(self, docs, stats):
        self.counters = stats.step(self.name).counters
        return super().run(docs, stats)

    def process(self, doc: Document) -> Document:
        text, counts = mask_pii(doc.text or "", self.placeholders, self.kinds)
        if counts:
            doc.text = text
            doc.metadata["pii"] = counts
            if self.counters is not None:
                for k, v in counts.items():
                    self.counters[f"pii:{k}"] += v
        return doc

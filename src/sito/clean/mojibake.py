"""Mojibake repair of a record's text before it is cleaned: UTF-8 read as Latin-1, windows-1252 or windows-1250
("RzÄ…d", "przedstawiÅ‚"), and the C1 control characters such reading leaves (U+0085 is a line break to
`str.splitlines`, so "Ä\\x85" would cut a word in two lines).

The repair is ftfy's (`ftfy.fix_text`; FineWeb-2 runs it on every document too), with the fixes that change
well-formed text turned off: HTML entities, ligatures, character widths (CJK full-width forms), curly quotes
(Polish „…”) and line breaks stay as they are. ftfy reads every character of a text, which costs about as much
as cleaning it, so it runs only on a text that shows a sign of mojibake (`suspect`, one regular-expression
search): a C1 control character, or a character that UTF-8's lead bytes become in those encodings followed by
one that its continuation bytes become. On the dev pages' full-page text and extractor output, 53 of 3,906 texts
show a sign; ftfy changes 44 of them ("See allâ\\x80¦" → "See all…", "EspaÃ±ol" → "Español").
"""

from __future__ import annotations

import re
from functools import lru_cache

# a C1 control, or a lead byte's character (Latin-1 / windows-1252 / windows-1250) before a continuation byte's
_LEAD = "ÂÃÄÅÆÇÐÑØâãäåæçðñøĂăĹĺ"
_CONT = "\u0080-\u00bf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸŚŤŹśťźˇ˘ąĄşŞ˛ľĽ˝Żż"
_SUSPECT = re.compile(f"[\u0080-\u009f]|[{_LEAD}][{_CONT}]")


def suspect(text: str) -> bool:
    """Whether a text shows a sign of mojibake (cheap: one search, no match on ordinary text in any language)."""
    return _SUSPECT.search(text) is not None


@lru_cache(maxsize=1)
def _config():
    from ftfy import TextFixerConfig

    return TextFixerConfig(unescape_html=False, fix_latin_ligatures=False, fix_character_width=False,
                           uncurl_quotes=False, fix_line_breaks=False, explain=False)


def fix_mojibake(text: str) -> str:
    """The text with its mojibake repaired (ftfy), or the text itself when it shows no sign of any."""
    if not suspect(text):
        return text
    import ftfy

    return ftfy.fix_text(text, _config())

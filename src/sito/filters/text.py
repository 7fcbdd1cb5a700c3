"""Character sets shared by the quality filters, identical to datatrove's (`datatrove/utils/text.py`, Apache-2.0).

`PUNCTUATION_SET` decides which words are "symbols" (Gopher quality), `TERMINAL_PUNCTUATION` which lines end a
sentence (FineWeb quality). Kept verbatim so that sito's statistics equal datatrove's. And how the line-based
statistics count blank lines (`BLANK_LINES`).
"""

from __future__ import annotations

import re

PUNCTUATION = "!/—”:％１〈&(、━\\【#%「」，】；+^]~“《„';’{|∶´[=-`*．（–？！：$～«〉,><》)?）。…@_.\"}►»" + "".join(
    map(chr, (x for a, b in ((0, 9), (11, 13), (13, 32), (127, 160)) for x in range(a, b)))
)

TERMINAL_PUNCTUATION = frozenset(
    "᪩？⁈𑩂．꩞𑅃﹗𑂾\u1b7d፧𑅂꡶꘎⁉࠾᪨𑊩𑱂᱿𖩮᥅\U00011f43\U00011f44﹒𑈹𑈸።܂؞꛳\U00010f88𑗍𐩖𑙂\u061d꩟᠉\u1b7e𑗗᰼𑻸؟𑪜꧉𑗉𐽙𖫵𖬷܀꓿᜵𑗏𑁇𑗓𑥄៖𑥆𑗑𑗒꯫۔𐩗"
    "\U00010f86꡷\u2e54｡៕߹⸮.𑇅࠹𛲟꫰꤯𐽗᭞𑜼፨𑃁꣏𑇟𖬸𑪛𑜾࠷𝪈?𑃀𑗃！։꣎॥𑗖᭛᠃!၊𖺘⁇𑗌𑑋𖭄᭟𑅁𑙁⸼꩝𑗋。꧈꫱𑜽𐽖𑂿᙮។꛷\U00010f89៚᥄𑗕𑗎᪪᭚࠽𑇞𑗊𐽘"
    "\u2e53𑗔𖩯𑇍𑻷𐽕𑩃।𑗂𑇆𑁈။᱾𑱁꘏܁᜶‼𑈻‽᪫﹖𑑌𑈼\U00010f87𑗐៙᰻"
)

PUNCTUATION_SET = frozenset(PUNCTUATION) | TERMINAL_PUNCTUATION


# How the line-based statistics treat blank lines. sito's articles separate paragraphs with a blank line (the
# clean step's `Article.text`), while FineWeb and FineWeb-2 set their thresholds on trafilatura's output, which
# has none: counting each blank line as a line of its own doubles the newlines per word (FineWeb's list ratio; 68
# of the dev train pages' clean articles over it instead of 20) and halves Gopher's bullet and ellipsis line
# shares. "skip" (sito's default): a blank line separates lines and is not one; "count": datatrove's definitions
# on any text. The two agree on text without blank lines.
BLANK_LINES = ("skip", "count")
_LINE_BREAKS = re.compile(r"\n(?:[^\S\n]*\n)*")


def check_blank_lines(value: str) -> str:
    if value not in BLANK_LINES:
        raise ValueError(f"blank_lines must be one of {', '.join(BLANK_LINES)}, not {value!r}")
    return value


def line_breaks(text: str, blank_lines: str = "skip") -> int:
    """The newlines of a text; with "skip", a run of newlines with only blanks between them counts once."""
    return text.count("\n") if blank_lines == "count" else len(_LINE_BREAKS.findall(text))


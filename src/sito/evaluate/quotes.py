"""Scoring `Article.quotes` against hand-annotated lines: quotation precision and recall, speaker accuracy.

A gold file is JSON lines, one paragraph each: `line` (the paragraph), `quotes` (each {"text": the start of the
quotation, "speakers": the accepted speakers, [] when the sentence names none, null when not scored}) and
`optional` (the starts of quoted words that may be taken for a quotation or not: example phrases, partial
quotations). A found quotation matches a gold one when one text starts with the other's first 40 characters,
ignoring case, spacing and the marks around it. A found quotation that matches neither a gold nor an optional
one is a false quotation; a gold quotation not found is a miss. Speakers are scored on the matched quotations
whose speakers are annotated.

    sito eval-quotes tests/fixtures/clean/quotes_dev.jsonl [--verbose]     (or python -m sito.evaluate.quotes)
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass, field
from pathlib import Path

_MARKS = " ,.„”“\"«»–—-"


def _norm(s: str) -> str:
    return " ".join(s.split()).strip(_MARKS).casefold()


def _match(found: str, gold: str) -> bool:
    a, b = _norm(found), _norm(gold)
    return a.startswith(b[:40]) or b.startswith(a[:40])


@dataclass
class QuoteScore:
    found: int = 0          # quotations matched with a gold one
    false: int = 0          # quotations found that are neither gold nor optional
    missed: int = 0
    speakers_right: int = 0
    speakers_scored: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.found / max(1, self.found + self.false)

    @property
    def recall(self) -> float:
        return self.found / max(1, self.found + self.missed)

    def summary(self) -> str:
        return (f"quotations: precision {self.precision:.3f}, recall {self.recall:.3f} (found {self.found}, "
                f"false {self.false}, missed {self.missed}); speakers {self.speakers_right}/{self.speakers_scored}")


def score_quotes(path: str | Path) -> QuoteScore:
    """Score `sito.clean.quotes.find_quotes` (with the shipped cue lists) on a gold file."""
    from ..clean.cues import load_cues
    from ..clean.quotes import find_quotes

    cues = load_cues()
    sc = QuoteScore()
    with open(path, encoding="utf-8") as f:
        for raw in f:
            r = json.loads(raw)
            found = find_quotes(r["line"], cues.speech_verbs, cues.speech_prepositions, cues.title_words)
            used: set[int] = set()
            for g in r["quotes"]:
                hit = next((i for i, q in enumerate(found) if i not in used and _match(q["text"], g["text"])), None)
                if hit is None:
                    sc.missed += 1
                    sc.errors.append(f"missed  {r['source']}: {g['text']}")
                    continue
                used.add(hit)
                sc.found += 1
                if g["speakers"] is not None:
                    sc.speakers_scored += 1
                    who = found[hit]["speaker"]
                    if (who in g["speakers"]) if g["speakers"] else who is None:
                        sc.speakers_right += 1
                    else:
                        sc.errors.append(f"speaker {r['source']}: {g['text']}: {who!r}, not {g['speakers']}")
            for i, q in enumerate(found):
                if i not in used and not any(_match(q["text"], o) for o in r["optional"]):
                    sc.false += 1
                    sc.errors.append(f"false   {r['source']}: {q['text'][:80]}")
    return sc


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="sito eval-quotes", description=__doc__.split("\n")[0])
    ap.add_argument("gold", nargs="+")
    ap.add_argument("--verbose", action="store_true", help="list every miss, false quotation and wrong speaker")
    args = ap.parse_args(argv)
    for path in args.gold:
        sc = score_quotes(path)
        print(f"{path}: {sc.summary()}")
        if args.verbose:
            print("\n".join("  " + e for e in sc.errors))


if __name__ == "__main__":
    main()

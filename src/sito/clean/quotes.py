"""Quotations in an article's kept paragraphs, and who said them (`Article.quotes`).

What is read:

- **Quotation marks**: „…” and „…“ (Polish, German), “…” (English), «…» and »…«, and straight "…" paired in
  the order they come (so that `"PII" isn't … the "web bug"` gives no quotation between two pairs). The
  outermost pair counts: a quotation inside another, in marks of another kind („… «…» …”, "… „…” …"), stays
  part of it.
- **Dash dialogue** (Polish news writes speech as "– Text – powiedział X."): a dash pair that opens the
  paragraph or a sentence, whose closing dash is followed by a speech verb; or, opening the paragraph with an
  en or em dash, followed by any narration ("– Nie wiem – wzruszył ramionami"). A hyphen opens dialogue only
  before a speech verb, since extractors mark list entries with "- ". A dash pair inside a sentence is an
  aside ("Jan Hamáček – wicepremier i szef MSW – miał…"), not a quotation.

A quotation has four words or more (CJK text: eight characters). Marks also enclose titles of books, laws and
shows, names and terms ("the Practice Note, "Saving Costs by Bringing More Legal Work In-House," one of…"), so
a quotation in marks counts only when a speech verb follows it, when a colon introduces it ("Russwurm sagte
…: „…“"), or when its words read as speech: they end a sentence (".", "!", "?" or "…" inside the marks or
right after them).

The speaker, when the sentence names one (else None; a pronoun names nobody):

1. after the quotation, a speech verb and then the speaker: the words up to the end of the first name (a run
   of up to six capitalised words starting within the first four words — German capitalises its nouns: "sagte
   Dormagens Handball-Geschäftsführer Björn Barthel" —: "– powiedział minister finansów Andrzej Domański
   podczas konferencji" → "minister finansów Andrzej Domański"), else its first three words, up to a
   preposition ("mówi dowódca jednostki na nagraniu" → "dowódca jednostki"). When a preposition follows the verb, an adverbial phrase comes first: the speaker
   is the last name in the clause ("powiedział w rozmowie z RMF FM minister zdrowia Adam Niedzielski"), else
   its last two words ("powiedział na końcu nagrania białoruski dowódca");
2. after the quotation, a name and then a speech verb ("…," Pakistan-based developer Ammar Askar wrote);
3. before a quotation that a colon introduces, in the clause that ends with the colon: a speech verb and the
   name after it ("Jak podkreśla Jan Nowak, ekonomista z SGH: „…”"; "sagt Pocher in einem Live-Interview…:"),
   else the name before it ("Siegfried Russwurm, sagte zu der … Industriestrategie: „…“"), or a name alone
   ("Prelogar: “…”");
4. a quotation in marks that has no verb or colon of its own and follows another one in the same paragraph with
   only that one's attribution between them — one sentence: "“…,” Kise said. “…”" — has the same speaker.

Words in marks that are a title are no quotation: written as one, every word but the small ones capitalised
("Where Did Firefox Come From?", "Boot to Gecko Project"), or right after a word that names a work ("w książce",
"z wiersza Bursy", "his 1975 book", "im Artikel"; `title_words` in cues.json).

A comma that closes the quoted words inside the marks ("“Computers are tough,” Eberts said") is left out of
the quotation.

Speech verbs and the prepositions are per-language lists in resources/cleaner/cues.json (`speech_verbs`,
`speech_prepositions`). The verbs of all languages are used, as pages mix languages; the prepositions are the
page language's (`Cues.prepositions_for`: Spanish "a" and Polish "o" are articles in English and Portuguese,
"said a spokesman", "disse o advogado"), and for a page in another language the union of the multi-letter ones.

Written here because no library does it for Polish, German and English at this cost: the parser-based tools
(textacy's `direct_quotations` on spaCy) read English only and need a dependency parse of every sentence, far
beyond the cleaner's budget; these rules run only on kept paragraphs that hold a quotation mark or a dash.
Measured on hand-annotated lines of the dev pages (tests/fixtures/clean/quotes_*.jsonl; docs/cleaner.md,
"Quotations").
"""

from __future__ import annotations

import re
from functools import lru_cache

from .cues import load_stopwords
from .features import cjk_words

_MARK = re.compile('[–—„“«»"]').search


def has_quote_mark(s: str) -> bool:
    """Whether a paragraph may hold a quotation: a quotation mark, a dash, or a spaced hyphen (dialogue written
    with hyphens, "- … - mówi X"). Paragraphs without one are not read (`find_quotes`)."""
    return _MARK(s) is not None or " - " in s


_MAX_QUOTE = 3000   # characters between two marks: farther apart, the opening mark is taken as unpaired
# every outermost pair of marks, in order: an opening mark pairs with the first closing mark of its kind after
# it, unless another opening mark of that kind comes first (then the later one is tried); so a scan from one
# opening mark never passes the next: linear time on any line
_PAIR = re.compile('|'.join(f"{a}[^{a}{b}]{{0,{_MAX_QUOTE}}}[{b}]" for a, b in (
    ("„", "”“"), ("“", "”"), ("«", "»"), ("»", "«"), ('"', '"')))).finditer
# dash dialogue: where a dash may open it (the line's start, or a sentence's: the dash follows the end of the
# sentence and a space), then from that dash the quotation, the closing dash and what follows it
_DASH_OPEN = re.compile(r"(?:^\s*|[.!?…:]\s+)(?=[–—-]\s)").finditer
_DASH = re.compile(r"(?P<d>[–—-])\s+(?P<q>[^–—]{12,%d}?)\s+[-–—]\s+(?P<rest>.{0,160})" % _MAX_QUOTE).match
_DASH_REST = re.compile(r"[–—-]\s+(?P<q>[^–—]{12,%d}[.!?…])\s*$" % _MAX_QUOTE).match   # a last part, no dash after
_SENTENCE_END = re.compile(r"[.;!?]")
_CUT = re.compile(r"[,;:!?()\[\]]|\.(?=\s|$)").search   # where a clause may end (`_clause`)
_SPEECH_END = frozenset(".!?…")
_NEAR = 300   # characters read around a quotation for its verb and speaker
_ABBREVIATION = frozenset("mr mrs ms dr prof st jr sr gen col sen rep gov hab inż mgr ks płk red nr "
                          "mł bryg asp kom insp nadkom podinsp mjr ppłk kpt por ppor sierż dyr przew doc lek".split())
_PRONOUNS = frozenset("i he she we they it you er sie wir ich on ona oni one my wy ja il elle ils elles él ella".split())
# whom the words were said to, right after the verb ("powiedział nam rzecznik …", "sagte ihm"): skipped
_LISTENER_PRONOUNS = frozenset("me him her us them mi mu jej nam wam im mnie nas ihm ihr ihnen mir uns lui leur".split())
# verbs whose object is the listener: the speaker comes before them ("Smith told the BBC: …")
_TOLD = frozenset("told tells tell".split())


def _clause(s: str) -> list[str]:
    """The words of `s` up to the first punctuation that ends a clause (",", ";", ":", "!", "?", brackets, or a
    full stop that does not end an abbreviation such as "Dr.", an initial such as the "A." of "Elizabeth A.
    Smith", or a domain such as "finobzor.ru")."""
    pos = 0
    while True:
        m = _CUT(s, pos)
        if m is None:
            return s.split()
        if s[m.start()] == "." and _abbreviation_before(s, m.start()):
            pos = m.end()
            continue
        return s[:m.start()].split()


def _abbreviation_before(s: str, i: int) -> bool:
    """Whether the period at `s[i]` ends an abbreviation ("Dr.", "mł.") or a name's initial, not a sentence."""
    last = s[:i].rsplit(None, 1)
    return bool(last) and (last[-1].casefold() in _ABBREVIATION or _initial(last[-1]))


def _sentence_ends(s: str, endpos: int | None = None):
    """The marks in `s` (up to `endpos`) that end a sentence: ";", "!", "?", or a period after no abbreviation or
    initial."""
    for m in _SENTENCE_END.finditer(s, 0, len(s) if endpos is None else endpos):
        if s[m.start()] != "." or not _abbreviation_before(s, m.start()):
            yield m


def _initial(w: str) -> bool:
    """A name's initial ("A" of "Elizabeth A. Smith"); not "I" ("said I.")."""
    return len(w) == 1 and w.isupper() and w != "I"


def _capitalised(w: str) -> bool:
    return w[:1].isupper()


_DESCRIPTION = 8   # words of a speaker's description before the name ("rzecznik straży pożarnej mł. bryg. …")


# news agencies and broadcasters a speaker talks to right after the verb ("powiedział PAP", "powiedziała IAR")
_AGENCIES = frozenset("PAP IAR AFP AP DPA EFE ANSA TASS ČTK MTI BTA TVN24 TVP RMF".split())


def _after_verb(words: list[str], prepositions: frozenset[str]) -> str | None:
    """The speaker in the words that follow a speech verb (rule 1 of the module docstring)."""
    if not words:
        return None
    if words[0].casefold() in _LISTENER_PRONOUNS:
        words = words[1:]   # "powiedział nam rzecznik MSWiA Jacek Dobrzyński"; "She told them": nobody named
        if not words:
            return None
    if words[0].casefold() in prepositions:
        # the last run of 2+ capitalised words is a name ("… z RMF FM minister zdrowia Adam Niedzielski",
        # "auf Nachfrage Martin Rölen aus der Presseabteilung") — not a run of acronyms, a broadcaster's ("na
        # antenie RMF FM"); without one, the phrase's last two words, unless they are a preposition and a name
        # spoken to ("w rozmowie z PAP")
        runs, run = [], []
        for w in words[1:] + [""]:
            if _capitalised(w):
                run.append(w)
            else:
                if len(run) >= 2 and not all(x.isupper() for x in run):
                    runs.append(run)
                run = []
        if runs:
            return " ".join(runs[-1][-2:])
        if len(words) < 4 or words[-2].casefold() in prepositions or words[-1].isupper():
            return None
        return " ".join(words[-2:])
    if words[0].casefold() in _PRONOUNS:   # "…», findet er": no name
        return None
    if len(words) > 1 and words[0] in _AGENCIES:
        words = words[1:]   # the agency spoken to, not the speaker: "powiedział PAP rzecznik straży …"
    crossed = False   # (past a preposition, a name farther than 4 words is the phrase's: "said the company in a
    for start in range(min(_DESCRIPTION, len(words))):   # statement on Monday")
        crossed = crossed or words[start].casefold() in prepositions
        if crossed and start >= 4:
            break
        if _capitalised(words[start]):
            end = start
            while end < len(words) and end - start < 6 and _capitalised(words[end]):
                end += 1
            return " ".join(words[:end])
    description = []   # "mówi dowódca jednostki na nagraniu": up to three words, not into a phrase that follows
    for w in words[:3]:
        if w.casefold() in prepositions:
            break
        description.append(w)
    return " ".join(description) or None


@lru_cache(maxsize=8)
def _verb_regex(verbs: tuple[str, ...]) -> re.Pattern:
    """A speech verb (any of `verbs`) and the space or punctuation after it."""
    return re.compile(r"(?:%s)[ ,.]" % "|".join(re.escape(v) for v in verbs), re.I)


@lru_cache(maxsize=8)
def _one_word_verbs(verbs: tuple[str, ...]) -> frozenset[str]:
    return frozenset(v.casefold() for v in verbs if " " not in v)


def _name_before(words: list[str], raw: list[str] | None = None) -> str | None:
    """The run of capitalised words (up to three) at the end of `words`, not across a comma of the `raw` words
    ("Der Präsident des BDI, Siegfried Russwurm, sagte"); None for a pronoun, a stop word or no name."""
    run: list[str] = []
    for j in range(len(words) - 1, -1, -1):
        if not _capitalised(words[j]) or len(run) == 3:
            break
        run.insert(0, words[j])
        if raw is not None and j > 0 and raw[j - 1].endswith(","):
            break
    if run and not (len(run) == 1 and (run[0].casefold() in _PRONOUNS or run[0].casefold() in _stop_words())):
        return " ".join(run)   # (one capitalised word that is a stop word opens the sentence: "Jak napisał…")
    return None


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    return frozenset().union(*load_stopwords().values())


def _strip(words: list[str]) -> list[str]:
    return [w.strip(",:;\"'“”„«»") for w in words]


def _verb_after(rest: str, verbs: tuple[str, ...], prepositions: frozenset[str]) -> tuple[str, str | None]:
    """How a speech verb follows a quotation — "verb" (right after it: rule 1), "later" (within the clause,
    after a name or a description: rule 2) or "" (none) — and the speaker it names."""
    m = _verb_regex(verbs).match(rest + " ")
    if m is not None:
        return "verb", _after_verb(_clause(rest[m.end() - 1:]), prepositions)
    words = _strip(_clause(rest)[:8])
    one_word = _one_word_verbs(verbs)
    for k, w in enumerate(words):
        if w.casefold() in one_word:
            return "later", _name_before(words[:k])
    return "", None


def _colon_intro(head: str, verbs: tuple[str, ...], prepositions: frozenset[str]) -> tuple[bool, str | None]:
    """Whether the text before a quotation introduces it with a colon, and the speaker it names (rule 3)."""
    head = head.rstrip()
    if not head.endswith(":"):
        return False, None
    raw = _last_sentence(head[:-1]).split()
    words = _strip(raw)
    one_word = _one_word_verbs(verbs)
    for k in range(len(words) - 1, -1, -1):
        if words[k].casefold() in one_word:
            after = _clause(" ".join(raw[k + 1:]))
            if after and after[0].casefold() not in prepositions and words[k].casefold() not in _TOLD:
                return True, _after_verb(after, prepositions)
            return True, _name_before(words[max(0, k - 8):k], raw[max(0, k - 8):k])
    if 1 <= len(words) <= 3 and all(_capitalised(w) for w in words):   # "Prelogar: “…”"
        return True, _name_before(words)
    return True, None


def _sentence_length(s: str) -> int:
    """Characters of the first sentence of `s`, up to its "." (not an abbreviation's or an initial's), "!" or "?"
    (all of `s` when none ends it)."""
    m = next(_sentence_ends(s), None)
    return m.end() if m is not None else len(s)


def _last_sentence(s: str) -> str:
    """The last sentence of `s`: after the last ".", ";", "!" or "?" that does not end an abbreviation or an
    initial ("Jak podkreśla prof. Jan Nowak" is one sentence)."""
    ends = list(_sentence_ends(s))
    return s[ends[-1].end():] if ends else s


def _code_string(line: str, start: int) -> bool:
    """The quotation mark at `start` opens a string in code, not a quotation: after "=" ('msg = "…"'), right
    after "[" or "{", or after the "(" of a call ('it("should have a default name", …'; a quotation in
    brackets, ("…"), is one)."""
    before = line[start - 1:start]
    return (before in ("[", "{") or line[max(0, start - 16):start].rstrip().endswith("=")
            or (before == "(" and start >= 2 and (line[start - 2].isalnum() or line[start - 2] == "_")))


def _long_enough(q: str, words: int) -> bool:
    return len(q.split()) >= words or (not q.isascii() and cjk_words(q) >= words)


def find_quotes(line: str, verbs: tuple[str, ...], prepositions: frozenset[str] = frozenset(),
                titles: tuple[str, ...] = ()) -> list[dict]:
    """Quotations in a paragraph with their speakers ({"text", "speaker"}), in the order found: dash dialogue
    first, then quotations in marks. `titles`: the starts of words that name a work before its title
    (`_names_work`)."""
    out = []
    if "–" in line or "—" in line or " - " in line:
        done = 0   # (only dashes that open the line or a sentence: a pair inside a sentence is an aside)
        voice = False   # (whether the last dash quotation's attribution ended where `done` is)
        for o in _DASH_OPEN(line):
            m = _DASH(line, o.end()) if o.end() >= done else None
            if m is None:
                if voice and o.end() >= done:   # "– … – powiedział minister. – Nikt nie …": the dialogue goes on
                    c = _DASH_REST(line, o.end())   # to the line's end in the same voice
                    if c is not None and _long_enough(c.group("q"), 3):
                        out.append({"text": c.group("q").strip(), "speaker": out[-1]["speaker"]})
                        done = len(line)
                continue
            done, voice = m.start("rest") + _sentence_length(m.group("rest")), False
            q = m.group("q").strip()
            if not _long_enough(q, 3):
                continue
            # (dialogue puts the verb first, "– … – powiedział X"; "– … – minister zdrowia oświadczył" is not)
            how, who = _verb_after(m.group("rest"), verbs, prepositions)
            if how == "verb" or who is not None or (o.start() == 0 and m.group("d") != "-"):
                out.append({"text": q, "speaker": who})
                voice = True
    last = None   # (the end of the last quotation in marks, and its speaker)
    for pair in _PAIR(line):
        start, end = pair.start(), pair.end() - 1   # (the opening and the closing mark)
        if end - start < 8:   # (four words take seven characters at least, eight CJK characters eight)
            continue
        q = line[start + 1:end].strip().rstrip(",")
        if not _long_enough(q, 4) or _code_string(line, start):
            continue
        # (the verb and the speaker come within a clause of the marks: bounded slices keep a line of many
        # quotations linear)
        how, who = _verb_after(line[end + 1:end + 1 + _NEAR].lstrip(" ,-–—"), verbs, prepositions)
        said = bool(how)
        if not said:
            said, who = _colon_intro(line[max(0, start - _NEAR):start], verbs, prepositions)
        if (said or q[-1:] in _SPEECH_END or line[end + 1:end + 2] in _SPEECH_END) and not title_cased(q) and not (
                titles and _names_work(line[max(0, start - 60):start], titles)):
            if not said and last is not None and _continues(line[last[0] + 1:start]):
                who = last[1]   # (rule 4: the speaker goes on)
            out.append({"text": q, "speaker": who})
            last = (end, who)
    return out


# words a title leaves in lower case ("Boot to Gecko Project", "The Story of Mozilla")
_TITLE_SMALL = frozenset("a an the of and or nor but in on at to for with by from into about as vs via is are was "
                         "de la le les et du des der die das und von zu".split())
_TITLE_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def title_cased(q: str) -> bool:
    """Words written as a title — every word but the small ones capitalised ("Where Did Firefox Come From?", "The
    Mythical Man Month"): in marks, the name of a book, an article, a song or a product, not something said; on a
    line, a headline. Not words in capitals (a shout), and at least three words that are not small ones."""
    words = [w for w in _TITLE_WORD.findall(q) if w.casefold() not in _TITLE_SMALL]
    if len(words) < 3 or all(w.isupper() for w in words):
        return False
    return sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def _names_work(head: str, titles: tuple[str, ...]) -> bool:
    """Whether the words before the opening mark name a work whose title the marks enclose: the last word starts
    like one of `titles` ("w książce „…”", "his 1975 book “…”"), or the one before it when the last is a name
    ("z wiersza Bursy „…”"). Not after a colon ("napisał w artykule: „…”" introduces a quotation), a comma or
    the end of a sentence."""
    words = head.split()
    if not words or words[-1][-1] in ":,!?…" or (words[-1][-1] == "." and words[-1].casefold() not in titles):
        return False   # (a colon introduces a quotation; „Die Arbeit…“ after "Beitrags." opens a sentence)
    last = [words[-1]]
    if len(words) > 1 and _capitalised(words[-1]):
        last.append(words[-2])
    return any(w.strip("(,").casefold().startswith(titles) for w in last)


def _continues(gap: str) -> bool:
    """Whether the text between two quotations is the first one's attribution and nothing else — one sentence
    (', Kise said. ', ', Mr. Goldwein said. '), so that the second quotation goes on in the same voice."""
    gap = gap.strip()
    if not (0 < len(gap) <= _NEAR and gap[-1] in ".:"):
        return False
    # (no sentence ends inside the gap; "Mr." or the "G." of "William G. Gale" does not)
    return next(_sentence_ends(gap, len(gap) - 1), None) is None

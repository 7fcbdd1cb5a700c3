"""The Polish example page: text, structure and every line's role must match the hand-made gold."""

import json
from pathlib import Path

import pytest

from sito.clean import clean_text

EX = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="module")
def result():
    return clean_text((EX / "pl_news_scraped.txt").read_text("utf-8"))


@pytest.fixture(scope="module")
def gold():
    return json.loads((EX / "pl_news_scraped.gold.json").read_text("utf-8"))


def test_text_equals_clean_file(result):
    expected = (EX / "pl_news_scraped.clean.txt").read_text("utf-8")
    # the file ends with one newline, as text files do; Article.text has no trailing newline
    assert expected.endswith("\n") and not expected.endswith("\n\n")
    assert result.text == expected[:-1]


def test_structure_fields(result, gold):
    assert result.title == gold["title"]
    assert result.headings == gold["headings"]
    assert result.captions == gold["captions"]
    assert result.credits == gold["credits"]
    assert result.related == gold["related"]
    assert result.language == gold["language"]


def test_every_line_role_and_keep(result, gold):
    by_index = {d["line"] - 1: d for d in gold["lines"]}  # gold numbers lines from 1
    for ln in result.lines:
        g = by_index.get(ln.index)
        if g is None:
            assert ln.role == "blank" and not ln.keep and not ln.text.strip()
            continue
        assert ln.text == g["text"]
        assert (ln.role, ln.keep) == (g["role"], g["keep"]), ln


def test_reasons_for_removed_lines(result):
    removed = [ln for ln in result.lines if not ln.keep and ln.role != "blank"]
    assert removed and all(ln.reason for ln in removed)
    assert any("Wybrane dla Ciebie" in ln.reason for ln in removed)
    kept = [ln for ln in result.lines if ln.keep]
    assert all(ln.reason is None for ln in kept)


def test_polish_dash_quotes(result):
    texts = {q["text"]: q["speaker"] for q in result.quotes}
    assert texts.get("Wrócę tylko do wolnej Białorusi") == "żołnierz"
    # "- powiedział na końcu nagrania białoruski dowódca": an adverbial phrase before the speaker
    assert texts.get("Pozdrawiam wszystkich Czeczenów, każdego, którego pokonam. Pozdrowienia!") == "białoruski dowódca"


def speakers(line):
    """The speakers `find_quotes` names in a line, one per quotation."""
    from sito.clean.quotes import find_quotes
    from sito.clean.cues import load_cues

    c = load_cues()
    return [q["speaker"] for q in find_quotes(line, c.speech_verbs, c.speech_prepositions)]


def test_speaker_after_an_adverbial_phrase():
    assert speakers("„To jest bardzo ważna decyzja dla kraju” – powiedział w rozmowie z RMF FM minister zdrowia "
                    "Adam Niedzielski.") == ["Adam Niedzielski"]
    assert speakers("– Wrócę tylko do wolnej Białorusi - powiedział w piątek.") == [None]  # no speaker named
    assert speakers('"We will not give up on this project", said John Smith.') == ["John Smith"]
    assert speakers("„Hier wird zur Zeit das Verfahren abgestimmt“, erklärt auf Nachfrage Martin Rölen aus der "
                    "Presseabteilung der Stadt.") == ["Martin Rölen"]


def test_speaker_named_before_the_verb():
    # "…," Name verb (the en_ars fixture page's first quotation)
    assert speakers('"I thought a lot before writing this post," Pakistan-based developer Ammar Askar wrote in a '
                    "blog post published Thursday.") == ["Ammar Askar"]
    assert speakers("“The 2°C warming limit is dead, unless we act,” Hansen said in the webinar.") == ["Hansen"]
    # Name verb: "…"
    assert speakers('Zelensky said: "We will not give up on this project, ever."') == ["Zelensky"]
    # a pronoun names nobody, in either order; a verb that does not follow the quotation or end the clause
    assert speakers('"We will not give up on this project, ever," he said.') == [None]
    assert speakers("„Er hat das wirklich gut gemacht hier“, sagte er.") == [None]
    assert speakers('The report said that "the numbers are far worse than expected this year." Few agree.') == [None]


def test_quotes_after_whitespace_only():
    for line in ('\t"Only a quotation here, nothing before it at all."', '\u00a0 :"Only a quotation here, nothing"'):
        assert speakers(line) == [None]

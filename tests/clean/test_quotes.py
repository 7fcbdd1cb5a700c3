"""Quotations and their speakers (`sito.clean.quotes`), scored on hand-annotated paragraphs of real pages."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sito import clean_text
from sito.clean.cues import load_cues
from sito.clean.quotes import find_quotes
from sito.evaluate.quotes import score_quotes

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "clean"


def quotes(line):
    c = load_cues()
    return [(q["text"], q["speaker"]) for q in find_quotes(line, c.speech_verbs, c.speech_prepositions,
                                                           c.title_words)]


def test_annotated_dev_paragraphs():
    """119 paragraphs of train pages (Polish, English, German news, blogs, product and service pages): the
    rules were written on these."""
    sc = score_quotes(FIXTURES / "quotes_dev.jsonl")
    assert sc.precision >= 0.9 and sc.recall >= 0.93, sc.summary()
    assert sc.speakers_right >= 0.9 * sc.speakers_scored, sc.summary()


def test_annotated_heldout_paragraphs():
    """49 paragraphs of held-out pages, annotated before the rules changed and never used to write them."""
    sc = score_quotes(FIXTURES / "quotes_heldout.jsonl")
    assert sc.precision >= 0.9 and sc.recall >= 0.8, sc.summary()
    assert sc.speakers_right >= 0.75 * sc.speakers_scored, sc.summary()


@pytest.mark.parametrize("line", [
    # asides between dashes, inside a sentence
    "Socjaldemokrata Jan Hamáček – wicepremier i szef MSW, pełniący czasowo obowiązki – miał rozmawiać w Moskwie.",
    "Each byte passes through a lightweight local encoder – an mLSTM stack – that builds representations.",
    "Jan Kowalski – prezes firmy od wielu lat – powiedział, że wyniki są dobre.",
    # a list entry marked with a hyphen, a dash in it, no speech verb
    "- Nie używaj sformułowania przykuty do wózka - są to określenia uważane za obraźliwe.",
    # titles and names in marks
    'This article is based upon the Practice Note, "Saving Costs by Bringing More Legal Work In-House," one of many.',
    "W Polsce reguluje to Kodeks Pracy (w dziale ósmym „Uprawnienia pracowników związane z rodzicielstwem”).",
    # titles of works, ending a sentence: written as titles, or after a word that names a work
    "…sorry, I should explain “The Great Big Lie”.",
    '46. ^ Goodger, Ben (February 6, 2006). "Where Did Firefox Come From?".',
    "Mireczek, „Anioł Stróż” swoich bliskich – jak z wiersza Bursy „Z zabaw i gier dziecięcych”.",
    "Jego najnowsza książka to powieść pt. „Duch z zaświatów i tajemnica starego domu”.",
    'Wozu dies führen könnte, liest du in unserem Artikel "Warum wird das Erdöl knapp?".',
    # two pairs of straight marks: nothing between them is quoted
    'Given this mapping, "PII" isn\'t necessary to reveal who I am, if they combined it with the "web bug" here.',
])
def test_not_quotations(line):
    assert quotes(line) == []


def test_quotations_next_to_titles():
    # a sentence ends before the marks; a colon introduces the words; a shout in capitals; not a title-case title
    assert quotes("Auf die Bedeutung ihres Beitrags. „Die Arbeit hilft mir, Mensch zu sein“, schrieb ein "
                  "Delegierter.") == [("Die Arbeit hilft mir, Mensch zu sein", "ein Delegierter")]
    assert quotes("Jak napisał w artykule: „Nie wiemy jeszcze, co z tego wyniknie”.") == [
        ("Nie wiemy jeszcze, co z tego wyniknie", None)]
    assert quotes("Or do one more repetition than last time. “JUST GIVE ME THE ANSWER!”") == [
        ("JUST GIVE ME THE ANSWER!", None)]
    assert quotes("The US president has claimed the Cuban authorities “want to make a deal so bad”.") == [
        ("want to make a deal so bad", None)]


def test_dash_dialogue():
    # after a sentence, a verb first; a hyphen before a speech verb opens dialogue too
    assert quotes("Ochotnicy dołączają do obrony. – Jesteśmy gotowi walczyć z najeźdźcą - mówi dowódca jednostki "
                  "na nagraniu.") == [("Jesteśmy gotowi walczyć z najeźdźcą", "dowódca jednostki")]
    assert quotes("- Czekamy na szczegóły projektu - mówi Piotr Wiśniewski, prezes Związku.") == [
        ("Czekamy na szczegóły projektu", "Piotr Wiśniewski")]
    # a paragraph that opens with a dash: the narration may use any verb
    assert quotes("– Nie wiem, co dalej będzie – wzruszył ramionami Kowalski.") == [
        ("Nie wiem, co dalej będzie", None)]


def test_speakers():
    # the words after the verb up to the end of the name
    assert quotes("— To jest przełomowy moment dla przedsiębiorców — powiedział minister finansów Andrzej Domański "
                  "podczas konferencji.")[0][1] == "minister finansów Andrzej Domański"
    assert quotes('"We are not done with this yet," said Dr. Anthony Fauci on Monday.')[0][1] == "Dr. Anthony Fauci"
    # a name's initial does not end the clause; "I" is no initial
    assert quotes("“We exported a financial crisis a decade ago,” said William G. Gale, an economist.")[0][1] == (
        "William G. Gale")
    assert quotes('"What are you doing here, Bartleby?" said I. He said nothing.')[0][1] is None
    assert quotes('"Nasz kraj nie powinien oczekiwać niczego dobrego." - konkluduje finobzor.ru.')[0][1] == "finobzor.ru"
    # a colon introduces the quotation: the name after the verb, or before it, or alone
    assert quotes("Jak podkreśla Jan Nowak, ekonomista z SGH: „Efekt netto będzie niewielki”.")[0][1] == "Jan Nowak"
    assert quotes("Der Präsident des BDI, Siegfried Russwurm, sagte zu der Strategie: „Papier ist geduldig, die "
                  "Unternehmen brauchen Handeln.“")[0][1] == "Siegfried Russwurm"
    assert quotes("Prelogar: “I can’t think of anything else that’s precisely like this.”")[0][1] == "Prelogar"
    # quotation marks of one kind inside another's stay part of the quotation
    assert quotes('"W każdym razie Rosja powinna zostawić „upartych partnerów” bez gazu?" - konkluduje portal.') == [
        ("W każdym razie Rosja powinna zostawić „upartych partnerów” bez gazu?", "portal")]


def test_the_speaker_goes_on():
    # a quotation right after another one's attribution (one sentence between them) is the same voice; the comma
    # that closes the first one's words inside the marks is not quoted
    assert quotes("“Computers are tough. Kubernetes is tough,” Eberts said. “Your software engineer can maybe "
                  "pick a three-tier app and get started quicker.”") == [
        ("Computers are tough. Kubernetes is tough", "Eberts"),
        ("Your software engineer can maybe pick a three-tier app and get started quicker.", "Eberts")]
    # more than the attribution between them: nobody is named for the second one
    assert quotes("“Both sides are going to want to turn down the rhetoric,” Danin said. The talks resume on "
                  "Monday. “It is also a structural problem, and it will not go away.”")[1][1] is None
    # a second quotation with its own verb keeps its own speaker
    assert quotes('"Lighting can define the room," Helmstetter says. "In 2025, lighting is the new florals," '
                  'Mahler adds.')[1][1] == "Mahler"
    # "Mr." and an initial do not end the attribution's sentence (readability's nytimes-4)
    assert quotes("“The era of cheap money is over,” Mr. Goldwein said. “That party is ending.”") == [
        ("The era of cheap money is over", "Mr. Goldwein"), ("That party is ending.", "Mr. Goldwein")]


def test_a_speakers_name_after_capitalised_words():
    # German capitalises its nouns, English its titles: the name after them is the speaker's
    assert quotes("„Wir sind fest davon überzeugt, dass unser Trainer bleibt“, sagte Dormagens "
                  "Handball-Geschäftsführer Björn Barthel am Montag.")[0][1] == \
        "Dormagens Handball-Geschäftsführer Björn Barthel"
    assert quotes("“The new typeface is easier to read at small sizes,” said Google Fonts Product Manager Sophia "
                  "Siao.")[0][1] == "Google Fonts Product Manager Sophia Siao"


def test_speech_verbs_of_more_languages():
    # Spanish, French, Portuguese and a Polish two-word verb (trafilatura-eval train pages)
    assert quotes("“Estamos trabajando para resolver el problema lo antes posible”, añadió el ministro Pérez.") == [
        ("Estamos trabajando para resolver el problema lo antes posible", "el ministro Pérez")]
    assert quotes("« Nous ne pouvons pas accepter cette décision », précise Laurent Fabius.")[0][1] == \
        "Laurent Fabius"
    assert quotes("“Não vamos desistir dessa luta tão cedo”, disse a deputada Maria Silva.")[0][1] == \
        "Maria Silva"   # ("a" opens a phrase in Spanish: the name in it)
    assert quotes("„Rozwiązanie przyjęte przez Nową Zelandię jest ciekawe” – zwraca uwagę Kamil Sikora.")[0][1] == \
        "Kamil Sikora"


def test_article_quotes_from_hyphen_dialogue():
    text = ("Rząd przyjął projekt nowelizacji ustawy o podatku dochodowym. Zmiany mają wejść w życie od stycznia.\n\n"
            "- Czekamy na szczegóły tego projektu - mówi Piotr Wiśniewski, prezes Związku Przedsiębiorców.\n\n"
            "Według ekspertów zmiany obejmą około dwóch milionów podatników w całym kraju w ciągu roku.")
    a = clean_text(text, language="pl", mode="extracted")
    assert {"text": "Czekamy na szczegóły tego projektu", "speaker": "Piotr Wiśniewski"} in a.quotes


def test_unpaired_marks():
    """Long lines of unpaired or empty marks hold no quotation (and are read in linear time)."""
    for line in ("„" * 200_000, '"' * 200_000, "„ab " * 50_000 + "”", "a – " * 50_000, "- a b c d e f g h " * 10_000):
        assert quotes(line) == []


_PIECES = st.sampled_from(list("„”“«»\"–—-:.,!? ()aBcŁó") + [" said ", " powiedział ", " Jan ", " Kowalski", " w ",
                                                                " he ", "Mr. ", " according to ", " we will not go "])
_TEXT = st.lists(_PIECES, max_size=40).map("".join)
# a quotation's shape with random parts around and inside it, so that most examples hold one
_WORDS = st.lists(st.sampled_from(["we", "will", "not", "go", "Jan", "ma", "kota", "today", "—", "„", ":"]),
                  min_size=3, max_size=12).map(" ".join)
_SHAPED = st.builds(lambda a, o, q, e, c, z: a + o + q + e + c + z, _TEXT,
                    st.sampled_from(["„", "“", '"', "«", "– ", "- ", ". – "]), _WORDS, st.sampled_from(["", ".", "?"]),
                    st.sampled_from(["”", "“", '"', "»", " – ", " - "]), _TEXT)


@settings(max_examples=500, deadline=None)
@given(st.one_of(_TEXT, _SHAPED))
def test_find_quotes_never_raises_and_quotes_the_line(line):
    for text, speaker in quotes(line):
        assert text and text in line
        assert speaker is None or all(w in line for w in speaker.split())


def test_polish_news_attributions():
    """What a Polish news analyst meets (a review of Polish pages): the agency spoken to is no speaker, a rank or a
    title with a period is part of the speaker, more verbs ("czytamy", "podał", "oznajmił"), and dash dialogue
    that goes on after its attribution to the paragraph's end."""
    assert quotes("– Pożar udało się opanować po dwóch godzinach – powiedział PAP rzecznik wielkopolskiej straży "
                  "pożarnej mł. bryg. Sławomir Brandt.")[0][1] == (
        "rzecznik wielkopolskiej straży pożarnej mł. bryg. Sławomir Brandt")
    assert quotes("– Nie zgadzam się z tym wcale – powiedziała PAP Anna Nowak.")[0][1] == "Anna Nowak"
    assert quotes("Jak podkreśla prof. Jan Nowak, ekonomista z SGH: „Inflacja spadnie w przyszłym roku do celu "
                  "banku”.")[0][1] == "prof. Jan Nowak"
    assert quotes("„Sytuacja jest stabilna i nie ma zagrożenia dla ludzi” – czytamy w komunikacie ministerstwa.") == [
        ("Sytuacja jest stabilna i nie ma zagrożenia dla ludzi", None)]
    assert quotes("„Wszystkie szkoły będą otwarte od poniedziałku” – oznajmił wojewoda Jan Kowalski.")[0][1] == (
        "wojewoda Jan Kowalski")
    assert quotes("– Chcemy, żeby wszyscy wrócili do domów – powiedział minister. – Nikt nie zostanie bez pomocy "
                  "państwa i samorządu.") == [("Chcemy, żeby wszyscy wrócili do domów", "minister"),
                                             ("Nikt nie zostanie bez pomocy państwa i samorządu.", "minister")]
    # narration after the attribution is no quotation; a dash after narration alone opens none
    assert len(quotes("– Chcemy, żeby wszyscy wrócili do domów – powiedział minister. Potem wyszedł z sali.")) == 1
    assert quotes("Minister wyszedł z sali obrad. – Nikt nie zostanie bez pomocy państwa i samorządu.") == []
    # a phrase after the verb holds no name: the description before it ("said the company in a statement")
    assert quotes('"We will not change the plan at all," said the company in a statement on Monday.')[0][1] == (
        "the company")


def test_an_article_after_the_verb_is_no_preposition():
    """The prepositions of all languages were one set: Spanish "a" and Polish "o" made "said a spokesman for the
    company" speak as "the company" and "says a doctor from Hebron" as "from Hebron" (dev page newspaper4k/
    wired_001)."""
    from sito import clean_text

    a = clean_text('"We will appeal this decision in court," said a spokesman for the company.\n\n'
                   '"We are not just numbers at all," says a doctor from Hebron.')
    assert a.language == "en" and [q["speaker"] for q in a.quotes] == ["a spokesman", "a doctor from Hebron"]
    pl = clean_text("– Nie zgadzamy się na takie warunki i będziemy protestować dalej – powiedział o sprawie "
                    "rzecznik związku Jan Kowalski.\n\nRozmowy mają być wznowione w przyszłym tygodniu w Warszawie.")
    assert pl.language == "pl" and pl.quotes[0]["speaker"] == "Jan Kowalski"


@pytest.mark.parametrize("line, speaker", [
    ("– To jest bardzo trudna sytuacja dla nas wszystkich – dodała w rozmowie z PAP.", None),
    ("„To jest bardzo trudna sytuacja dla nas wszystkich” – stwierdził na antenie RMF FM.", None),
    ("– To jest bardzo trudna sytuacja dla nas wszystkich – powiedział nam rzecznik MSWiA Jacek Dobrzyński.",
     "rzecznik MSWiA Jacek Dobrzyński"),
    ('Smith told the BBC: "This is a very hard situation for all of us."', "Smith"),
    ('She told them: "This is a very hard situation for all of us."', None),
])
def test_the_listener_or_the_broadcaster_is_no_speaker(line, speaker):
    """Who the words were said to, or on which channel, came out as the speaker: "z PAP", "RMF FM", "nam
    rzecznik …", "the BBC", "them"."""
    assert [q["speaker"] for q in clean_text(line).quotes] == [speaker]

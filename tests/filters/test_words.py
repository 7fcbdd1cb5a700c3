"""The word splitter yields spaCy's blank-tokenizer words (datatrove's `split_into_words`) without spaCy."""

from __future__ import annotations

import pytest

from sito.filters.words import WordSplitter, split_words, tokenizer_language

spacy = pytest.importorskip("spacy", reason="spaCy (test extra) is needed to compare with datatrove's tokenizer")

LANGS = {"en": "eng_Latn", "pl": "pol_Latn", "de": "deu_Latn", "fr": "fra_Latn", "es": "spa_Latn"}
# spaCy's blank French takes 10-40 s to build (its 1.4 MB token_match regex): French is compared in the dev
# parity tests (test_dev_parity.py), which build it once anyway.
FAST = ("en", "pl", "de", "es")


def spacy_words(nlp, text: str) -> list[str]:
    # datatrove's SpaCyTokenizer.word_tokenize: token texts, stripped, empty ones dropped
    return [t.text.strip() for t in nlp(text) if t.text.strip()]


@pytest.mark.parametrize("lang", FAST)
def test_same_words_as_spacy_on_real_documents(lang, fixture_docs):
    nlp = spacy.blank(lang)
    ws = WordSplitter(LANGS[lang])
    for text in fixture_docs[lang]:
        nlp.max_length = len(text) + 10
        assert ws.split(text) == spacy_words(nlp, text)


@pytest.mark.parametrize("lang,text", [
    ("en", "(foo): bar don't U.S. e-mail http://example.com/a?b=c 10km $5.00 :-) \"quoted.\""),
    ("de", "Peter’s Haus (z.B. heute) u.a. 3,5% – gut!"),
    ("pl", "Łukaszenka—wściekły? Tak: 12-letni chłopiec, tzn. „cytat”… itd."),
    ("es", "EE. UU. ¿Qué? ¡Hola! Sr. García"),
    ("en", "tab\tseparated\u00a0nbsp  double  space\n\nnew lines"),
])
def test_same_words_as_spacy_on_tricky_strings(lang, text):
    nlp = spacy.blank(lang)
    assert split_words(text, LANGS[lang]) == spacy_words(nlp, text)


def test_language_names_resolve_like_datatrove():
    assert tokenizer_language("pol_Latn") == "pl"
    assert tokenizer_language("eng") == "en"
    assert tokenizer_language("en") == "en"
    # a language datatrove splits with the "xx" rules
    assert tokenizer_language("aak_Latn") == "xx"


def test_no_space_scripts_split_per_character():
    words = split_words("我爱北京天安门。", "cmn_Hani")
    assert words[:4] == ["我", "爱", "北", "京"]


@pytest.mark.parametrize("code", ["jpn", "ja", "jpn_Jpan", "JA", "ja-JP", "yue", "cmn", "zho", "tha_Thai", "dzo"])
def test_languages_without_spaces_split_alike_under_every_name(code):
    """The filters take ISO 639-3 codes too: "jpn" was split as spaced text (10 words instead of 210 on five
    lines of Japanese prose), its statistics those of another language."""
    text = "今日は良い天気です。明日も晴れるでしょう。"
    assert split_words(text, code) == split_words(text, "ja") and len(split_words(text, code)) > 15


@pytest.mark.parametrize("code", ["pl", "pol", "pol_Latn", "pl-PL", "en", "eng"])
def test_spaced_languages_split_on_spaces(code):
    assert split_words("Ala ma kota, a kot ma Alę.", code)[:3] == ["Ala", "ma", "kota"]

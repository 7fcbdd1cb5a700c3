"""Pages in languages sito ships no stop words for, and in scripts whose sentences end with other marks."""

import numpy as np
import pytest

from sito.clean import clean_text
from sito.clean.features import FEATURE_NAMES, FULL_STOPS, page_features
from sito.devdata import default_dev_dir

COL = {n: i for i, n in enumerate(FEATURE_NAMES)}
# Bengali and Hindi news sentences (ending with the danda), an Arabic question, an Urdu sentence
SENTENCES = [
    "আজ শনিবার সকাল সাড়ে সাতটার দিকে দৌলতপুর উপজেলার ফিলিপনগর গ্রামে এ ঘটনা ঘটে।",
    "भारतीय रिज़र्व बैंक ने बुधवार को ब्याज दरों में कोई बदलाव नहीं करने का फैसला किया।",
    "هل ستنجح الحكومة الجديدة في معالجة الأزمة الاقتصادية التي تمر بها البلاد منذ سنوات؟",
    "حکومت نے اگلے مالی سال کے لیے ترقیاتی بجٹ میں نمایاں اضافے کا اعلان کیا ہے۔",
]


@pytest.mark.parametrize("sentence", SENTENCES)
def test_the_sentence_marks_of_other_scripts_end_a_sentence(sentence):
    pf = page_features([sentence])
    assert pf.ends_sentence == [True]
    assert pf.headline == [sentence[-1] not in FULL_STOPS]  # (a question may be a headline, as in English)
    assert pf.X[0, COL["ends_sentence"]] == 1.0
    # the same sentence cut before its mark ends like a headline
    assert page_features([sentence[:-1]]).ends_sentence == [False]


def test_a_language_without_stop_words_is_known_to_have_none():
    pf = page_features(SENTENCES[:2], language="zh")
    assert pf.X[:, COL["lang_known"]].tolist() == [0.0, 0.0]
    assert pf.X[:, COL["stop_density"]].tolist() == [0.0, 0.0]
    en = page_features(["The council met on Monday and agreed the budget for the next year."])
    assert en.language == "en" and en.X[0, COL["lang_known"]] == 1.0 and en.X[0, COL["stop_density"]] > 0.2


def test_a_bengali_article_under_its_menu_is_kept():
    menu = ["* যুক্তরাজ্য", "* বাংলাদেশ", "* খেলা", "* বিনোদন", "* ভিডিও", "", "শেয়ার", "Facebook", "Twitter", ""]
    body = ["কুষ্টিয়ায় সংসদ সদস্যের ফুপাতো ভাইকে নিজ বাড়ির সামনে কুপিয়ে হত্যা করা হয়েছে। এ সময় আরেকজন আহত হন।",
            "",
            "আজ শনিবার সকাল সাড়ে সাতটার দিকে দৌলতপুর উপজেলার ফিলিপনগর গ্রামে এ ঘটনা ঘটে। হামলাকারীরা পালিয়ে যায়।",
            "",
            "পুলিশ জানিয়েছে, ঘটনার তদন্ত চলছে এবং অভিযুক্তদের গ্রেফতারের চেষ্টা করা হচ্ছে।"]
    art = clean_text("\n".join(menu + body + ["", "কপিরাইট © 2010-2021 ukbdnews.com"]))
    kept = [ln.text for ln in art.lines if ln.keep]
    assert [s for s in body if s] == [s for s in kept if s in body]
    assert not any(s.startswith("*") or s in ("Facebook", "Twitter") for s in kept)


needs_dev = pytest.mark.skipif(default_dev_dir() is None,
                               reason="dev data not found (../shared/data/dev or $SITO_DEV_DATA); CI has it")


@needs_dev
def test_training_measures_a_third_of_the_pages_again_without_stop_words(tmp_path, monkeypatch):
    from sito.clean.labels import NO_STOP_KINDS, build, dev_pages

    monkeypatch.setenv("SITO_CACHE", str(tmp_path / "cache"))
    pages = dev_pages(("newspaper4k",), split="train")
    data = build(pages, kinds=("fulltext", "extractor"))
    kinds = [k for _, _, k in data.pages]
    again = [i for i, k in enumerate(kinds) if k.endswith("-nostop")]
    assert 0 < len({data.pages[i][1] for i in again}) < len(pages)
    for i in again:
        s, n, k = data.pages[i]
        base = data.pages.index((s, n, k.removesuffix("-nostop")))
        assert k.removesuffix("-nostop") in NO_STOP_KINDS
        a, b = data.page == base, data.page == i
        assert (data.y[a] == data.y[b]).all() and (data.w[a] == data.w[b]).all()
        assert (data.X[b][:, COL["lang_known"]] == 0).all() and (data.X[b][:, COL["stop_density"]] == 0).all()
        assert (data.X[a][:, COL["lang_known"]] == 1).all()
        other = [c for c in range(len(FEATURE_NAMES)) if "stop" not in FEATURE_NAMES[c] and FEATURE_NAMES[c] != "lang_known"]
        assert np.array_equal(data.X[a][:, other], data.X[b][:, other])


REPORTED = {
    # a language sito has no stop words for, whose few words that look like French ones ("sera", "na") made the
    # stop-word guess name French
    "id": ("Pemerintah Indonesia mengumumkan kebijakan baru untuk mengurangi emisi karbon pada tahun depan. Menteri "
           "mengatakan bahwa program ini akan dimulai di Jakarta dan kota-kota besar lainnya.\n\nPara ahli menyambut "
           "baik langkah tersebut, tetapi mereka juga meminta agar pelaksanaannya diawasi dengan ketat."),
    "fi": ("Suomen hallitus ilmoitti uudesta politiikasta, jolla vähennetään hiilidioksidipäästöjä ensi vuonna. "
           "Ministeri sanoi, että ohjelma alkaa Helsingissä ja muissa suurissa kaupungeissa.\n\nAsiantuntijat "
           "pitivät askelta hyvänä, mutta pyysivät myös kansalaisia valvomaan sen toteutusta tarkasti."),
    "zh": "中国政府宣布了明年减少碳排放的新政策。部长表示，该计划将在北京和其他大城市启动。\n\n专家们对这一举措表示欢迎，但也要求公众密切监督其实施。",
}


@pytest.mark.parametrize("code", sorted(REPORTED))
def test_the_reported_language_of_a_page_without_stop_words_is_identified(code):
    art = clean_text(REPORTED[code])
    assert art.language == code and not art.language_given
    assert clean_text(REPORTED[code], language="de").language == "de"   # (a given language is never replaced)


def test_text_neither_stop_words_nor_lid_can_name_has_no_language():
    # Swahili: 7.5 % of its tokens are French stop words ("na", "sera"), and lid.176 gives it 0.25
    sw = ("Serikali ya Kenya imetangaza sera mpya ya kupunguza uzalishaji wa hewa ukaa mwaka ujao. Waziri alisema "
          "kwamba mpango huo utaanza jijini Nairobi na miji mingine mikubwa.\n\nWataalamu wamekaribisha hatua hiyo, "
          "lakini pia wameomba utekelezaji wake ufuatiliwe kwa karibu na wananchi.")
    assert page_features(sw.splitlines()).language == "fr"   # (the model's features still read the guess)
    assert clean_text(sw).language is None

"""CleanStep in a pipeline, the cue-data guard, the shipped model file, and the eval/train command lines."""

import importlib
import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from sito.clean import STEPS, CleanStep, clean_text
from sito.clean.cues import Cues, guess_language, load_cues
from sito.clean.features import FEATURE_NAMES, doubled_offset
from sito.clean.model import LineModel, default_model
from sito.document import Document
from sito.pipeline import RunStats, run_steps

EX = Path(__file__).resolve().parents[2] / "examples"
RES = Path(__file__).resolve().parents[2] / "src" / "sito" / "resources" / "cleaner"


def _docs():
    page = (EX / "pl_news_scraped.txt").read_text("utf-8")
    return [
        Document(id="pl", text=page, url="https://example.pl/a"),
        Document(id="empty", text="Wybrane dla Ciebie\nZobacz też\n\nReklama"),
        Document(id="blank", text=""),
    ]


def test_clean_step_in_pipeline():
    assert STEPS == {"clean.v1": CleanStep}
    stats = RunStats()
    out = list(run_steps([CleanStep(min_chars=200)], _docs(), stats))
    assert [d.id for d in out] == ["pl", "empty", "blank"]
    pl, empty, blank = out
    assert pl.rejection is None
    assert pl.text == (EX / "pl_news_scraped.clean.txt").read_text("utf-8").rstrip("\n")
    assert pl.article.title.startswith("Łukaszenka")
    assert empty.rejection.code == "clean:empty" and empty.rejection.value == 0
    assert empty.rejection.threshold == 200
    assert blank.rejection.code == "clean:empty"
    st = stats.steps["clean"]
    assert (st.docs_in, st.docs_out, st.rejected) == (3, 1, 2)
    c = st.counters
    assert c["lines_removed:recommendations"] == 25 + 2  # the example's header and 24 lines + two headers
    assert c["lines_removed:credit"] == 1 and c["lines_removed:caption"] == 1 and c["lines_removed:ad"] == 1
    assert c["lines_kept:body"] == 9 and c["lines_kept:title"] == 1
    rec = pl.to_record()
    assert rec["title"] == pl.article.title and rec["lines"][0]["role"] == "title"
    json.dumps(rec)  # the record is plain JSON


def test_title_in_text_option():
    doc = list(run_steps([CleanStep(title_in_text=True)], _docs()[:1], RunStats()))[0]
    assert doc.text.startswith(doc.article.title + "\n\nCoraz więcej")



def test_a_records_own_title_is_the_known_title():
    """A JSONL record's "title" field (in `metadata` after reading) is the page's known title."""
    from sito.io.options import ReadOptions
    from sito.io.readers.jsonl import parse_record

    page = (EX / "pl_news_scraped.txt").read_text("utf-8")
    gold = json.loads((EX / "pl_news_scraped.gold.json").read_text("utf-8"))["title"]
    # the text's first line is the record's title (here worded as a site's <title> would): still the title
    rec = json.dumps({"id": "pl", "text": page, "title": gold + " | Example"}, ensure_ascii=False)
    doc = parse_record(rec.encode("utf-8"), "in.jsonl:1", ReadOptions())
    assert doc.metadata["title"] == gold + " | Example"
    out = list(run_steps([CleanStep()], [doc], RunStats()))[0]
    assert out.text == (EX / "pl_news_scraped.clean.txt").read_text("utf-8").rstrip("\n")
    assert out.article.title == gold + " | Example" and out.article.lines[0].role == "title"
    # a text (an extractor's output) that starts with a subheading of an article titled elsewhere: the subheading
    # stays in the text
    lines = ["Key Takeaways",
             "Data analytics tools help businesses turn raw data into decisions, from spreadsheets and BI "
             "dashboards to machine learning platforms that process millions of records every day.",
             "Choosing the right tool depends on your team's skills, the size of your data and the questions you "
             "need answered, as well as on your budget and the systems you already use."]
    title = "Top 15 Data Analytics Tools You Should Be Using in 2025"
    untitled = list(run_steps([CleanStep()], [Document(id="a", text="\n".join(lines))], RunStats()))[0]
    assert untitled.article.title == "Key Takeaways" and untitled.text.startswith("Data analytics")
    titled = list(run_steps([CleanStep(title_in_text=True, mode="extracted")],
                            [Document(id="b", text="\n".join(lines), metadata={"title": f"  {title} "})],
                            RunStats()))[0]
    assert titled.article.title == title
    assert titled.text.startswith(title + "\n\nKey Takeaways\n\nData analytics")
    # a title that is not a string, or blank, is not used
    odd = list(run_steps([CleanStep()], [Document(id="c", text="\n".join(lines), metadata={"title": 7})],
                         RunStats()))[0]
    assert odd.article.title == "Key Takeaways"

def test_stats_add_up_across_tasks():
    a, b = RunStats(), RunStats()
    list(run_steps([CleanStep()], _docs()[:1], a))
    list(run_steps([CleanStep()], _docs()[:1], b))
    total = (a + b).steps["clean"].counters
    assert total == Counter({k: 2 * v for k, v in a.steps["clean"].counters.items()})


def test_cue_guard_rejects_bad_data():
    data = json.loads((RES / "cues.json").read_text("utf-8"))
    Cues(data)  # the shipped data passes
    for bad in ("", " ", "x"):
        d = json.loads(json.dumps(data))
        d["credit_prefix"]["en"].append(bad)
        with pytest.raises(ValueError, match="empty or one-letter"):
            Cues(d)
    d = json.loads(json.dumps(data))
    d["credit_contains"]["all"].append("the")  # would turn ordinary sentences into credits
    with pytest.raises(ValueError, match="too broad"):
        Cues(d)


@pytest.mark.parametrize("line,cat", [
    ("Wybrane dla Ciebie", "rec_header"), ("Zobacz też:", "rec_header"), ("Czytaj także", "rec_header"),
    ("Most popular", "rec_header"), ("Lesen Sie auch", "rec_header"), ("Czytaj też: Rząd przyjął projekt", "related_prefix"),
    ("Źródło zdjęć: © Twitter", "credit"), ("fot. PAP/Leszek Szymański", "credit"), ("Photo: Getty Images", "credit"),
    ("Share on Facebook", "share"), ("Udostępnij", "share"), ("Advertisement", "ad"), ("REKLAMA", "ad"),
    ("We use cookies to personalise content. Accept all", "cookie"), ("Page 2 of 7", "pagination"),
    ("© 2024 Example Media. All rights reserved.", "legal"), ("Komentarze (12)", "comments"),
    ("By Jane Doe", "byline"), ("12.03.2024, 14:05", "byline"),
    ("Prezydent Białorusi Aleksander Łukaszenka jest otwartym sojusznikiem Putina.", None),
    # a blog's comments header quotes the post's title; a sentence that starts the same way is not one
    ("11 responses to “The Loneliest Woman in the World”", "comments"), ("5 Kommentare zu „Titel“", "comments"),
    ("4 réponses à « Titre »", "comments"),
    ("10 responses to the crisis were considered by the board at its meeting on Monday.", None),
    ("Your email address will not be published. Required fields are marked *", "comments"),
    ("Articles les plus lus", "rec_header"), ("Vorheriger Beitrag: Neuerscheinung im Herbst", "related_prefix"),
    # the data-protection acronyms count as whole words only ("rodo" is inside "środowisko" and "narodowy"), and
    # "tracking" is no cookie word: software for time tracking is written about with "policy" and "manage"
    ("Wyrażam zgodę na przetwarzanie danych osobowych zgodnie z RODO.", "cookie"),
    ("Prezes Narodowego Banku Polskiego mówił, że polityka pieniężna nie szkodzi środowisku.", None),
    ("HR software that handles PTO tracking and shift scheduling, with a leave policy built in.", None),
])
def test_cue_categories(line, cat):
    assert load_cues().category(line) == cat


@pytest.mark.parametrize("line,placeholder", [
    ("Dalsza część artykułu pod materiałem wideo", True), ("Treść dalszej części artykułu pod reklamą", True),
    ("  Artykuł jest kontynuowany pod materiałem wideo »", True), ("ADVERTISEMENT - CONTINUE READING BELOW", True),
    ("Advertisement. Scroll to continue reading.", True), ("Weiterlesen nach der Anzeige", True),
    ("Dalsza część artykułu pod materiałem wideo pokazuje, jak wyglądała akcja ratunkowa.", False),
    ("Story continues below the photo of the bridge, which collapsed on Monday.", False),
])
def test_placeholder_lines(line, placeholder):
    """Where a video or an ad interrupts the article; not a cue category (the model does not see it)."""
    assert load_cues().placeholder(line) is placeholder
    assert load_cues().category(line) is None


@pytest.mark.parametrize("line,prompt", [
    ("Subscribe to our newsletter", True), ("Zapisz się do newslettera!", True),
    ("Bądź na bieżąco! Zapisz się na nasz newsletter", True),
    ("To view the full story, please subscribe to The Haitian Times.", True),
    ("Lust auf mehr? Lass dir die besten Storys jede Woche schicken.", True), ("Get the best of Creative Boom delivered to your inbox weekly", True),
    ("The newsletter said the company would cut prices in the spring.", False),
    # a long paragraph that mentions a subscription is article text, whatever it says
    (" ".join(["The union asked its members to subscribe now"] + ["and to read the whole agreement"] * 5), False),
])
def test_prompt_lines(line, prompt):
    assert load_cues().prompt(line) is prompt


def test_language_guess_and_doubled_headline():
    assert guess_language("to jest tekst w języku polskim i nie ma w nim nic innego".split()) == "pl"
    assert guess_language("this is a text in english and there is nothing else in it".split()) == "en"
    assert guess_language(["漢字"]) is None
    s = "Białorusini chcą walczyć w Ukrainie Białorusini chcą walczyć w Ukrainie?"
    assert s[doubled_offset(s):] == "Białorusini chcą walczyć w Ukrainie?"
    assert doubled_offset("one two three four five six") == -1


def test_shipped_model_is_plain_data(tmp_path):
    m = default_model()
    assert m.meta["features"] == FEATURE_NAMES
    with np.load(RES / "model.npz", allow_pickle=False) as z:  # no pickled objects inside
        assert all(z[k].dtype != object for k in z.files)
    assert (RES / "model.npz").stat().st_size < 200_000
    # round trip
    m.save(tmp_path / "m.npz")
    m2 = LineModel.load(tmp_path / "m.npz")
    X = np.random.default_rng(0).random((7, len(FEATURE_NAMES)), dtype=np.float32)
    assert np.allclose(m.proba(X), m2.proba(X))
    assert m.decode(np.array([0.9, 0.9, 0.1, 0.9, 0.9])).dtype == bool


def test_a_model_of_several_scorers_averages_them_and_round_trips(tmp_path):
    import dataclasses

    m = default_model()
    scorers = [m] + list(m.members)
    assert len(scorers) == m.meta.get("members", 1)
    # a model of two single scorers: p(keep) is their mean, with the compiled kernel and with numpy
    a = dataclasses.replace(scorers[0], members=())
    b = dataclasses.replace(scorers[-1], members=(), meta=None)
    # a different second scorer even when the shipped model has one: its first layer scaled
    b = dataclasses.replace(b, W1=b.W1 * np.float32(0.5))
    two = dataclasses.replace(a, members=(b,))
    X = default_model_page_features()
    assert np.allclose(two.proba(X), (a.proba(X) + b.proba(X)) / 2, atol=1e-6)
    assert np.allclose(two.proba_reference(X), (a.proba_reference(X) + b.proba_reference(X)) / 2, atol=1e-6)
    assert np.allclose(two.proba(X), two.proba_reference(X), atol=1e-5)
    assert not np.allclose(two.proba(X), a.proba(X))
    two.save(tmp_path / "two.npz")
    back = LineModel.load(tmp_path / "two.npz")
    assert len(back.members) == 1
    assert np.array_equal(back.proba(X), two.proba(X))


def default_model_page_features():
    from sito.clean.features import page_features

    page = Path(__file__).resolve().parents[2] / "examples" / "pl_news_scraped.txt"
    return page_features(page.read_text("utf-8").splitlines()).X


@pytest.mark.parametrize("name", ["pl_fulltext.json", "pl_fulltext2.json"])
def test_real_page_fixture_snippets(name):
    """Real Polish news pages (full-page text, train split of trafilatura-eval) with their snippets."""
    fx = json.loads((Path(__file__).resolve().parents[1] / "fixtures" / "clean" / name).read_text("utf-8"))
    a = clean_text(fx["text"])
    found = [s for s in fx["with"] if " ".join(s.split()) in " ".join(a.text.split())]
    leaked = [s for s in fx["without"] if " ".join(s.split()) in " ".join(a.text.split())]
    assert len(found) == len(fx["with"]), found
    assert not leaked
    assert a.language == "pl"


def test_the_steps_language_and_a_records_language():
    with pytest.raises(ValueError, match="unknown language"):
        CleanStep(language="klingon")   # when the pipeline is built, not on the first document
    assert CleanStep(language="pol_Latn").language == "pl"
    text = (Path(__file__).resolve().parents[2] / "examples" / "pl_news_scraped.txt").read_text("utf-8")
    step = CleanStep()
    for lang, want in (("pol", "pl"), ("klingon", "pl"), (7, "pl")):   # a record's odd code: guessed instead
        doc = step.process(Document(id="a", text=text, metadata={"language": lang}))
        assert doc.rejection is None and doc.article.language == want


def test_a_document_of_too_many_lines_is_rejected_not_cleaned():
    step = CleanStep(max_lines=100)
    doc = step.process(Document(id="a", text="\n".join(f"line {i} of a list" for i in range(150))))
    assert doc.rejection.code == "clean:too_many_lines" and doc.rejection.value == 150
    ok = step.process(Document(id="b", text="\n".join(_docs()[0].text.splitlines()[:90])))
    assert ok.rejection is None or ok.rejection.code != "clean:too_many_lines"
    # the cleaner's lines, whatever breaks them: "\r" and "\u2028" too (they got past a count of "\n")
    for sep in ("\r", "\u2028", "\r\n"):
        doc = step.process(Document(id="c", text=sep.join(f"line {i} of a list" for i in range(150))))
        assert doc.rejection.code == "clean:too_many_lines" and doc.rejection.value == 150, repr(sep)


@pytest.mark.parametrize("codec", ["latin-1", "sloppy-windows-1252", "sloppy-windows-1250"])
def test_mojibake_is_repaired_before_cleaning(codec):
    """The Polish example as a mis-decoded record (its UTF-8 read as Latin-1: "RzÄ\\x85d", whose U+0085 is a line
    break to str.splitlines; or as windows-1252 / windows-1250, undefined bytes kept as Latin-1 as browsers do):
    the step repairs it (ftfy) and cleans it to the example's clean text, counting `text_fixed`; with
    `fix_text=false` the record is cleaned as it came."""
    importlib.import_module("ftfy.bad_codecs")   # (registers the sloppy codecs)

    page = (EX / "pl_news_scraped.txt").read_text("utf-8")
    clean = (EX / "pl_news_scraped.clean.txt").read_text("utf-8").rstrip("\n")
    broken = page.encode("utf-8").decode(codec)
    assert broken != page
    stats = RunStats()
    out = list(run_steps([CleanStep()], [Document(id="pl", text=broken), Document(id="ok", text=page)], stats))
    assert out[0].text == clean and out[0].article.title.startswith("Łukaszenka") and out[1].text == clean
    assert stats.steps["clean"].counters["text_fixed"] == 1
    out = list(run_steps([CleanStep(fix_text=False)], [Document(id="pl", text=broken)], RunStats()))
    assert out[0].text != clean


def test_ordinary_text_shows_no_sign_of_mojibake():
    from sito.clean.mojibake import fix_mojibake, suspect

    page = (EX / "pl_news_scraped.txt").read_text("utf-8")
    for text in (page, "Zażółć gęślą jaźń. Ćma, łódź, Śląsk, Źródło, Żółw.", "Ärger über Öl — „Zitat“ … Ça va?",
                 "Ñandú, Ålesund, Ærø, Øre, Ðakovo", "Привет, мир", "Γειά σου", "你好，世界。", "¿Qué tal? ¡Bien!",
                 "café\xa0: « bonjour »"):
        assert not suspect(text) and fix_mojibake(text) is text
    assert fix_mojibake("See allâ\x80¦ EspaÃ±ol") == "See all… Español"


def test_repairing_a_huge_mojibake_record_is_under_the_documents_time_limit():
    """ftfy reads about 1 MB a second: the repair runs inside the per-document time limit, so a huge broken record
    is rejected as a timeout instead of holding the worker, with its text as it came."""
    from sito.pipeline import set_document_time_limit

    page = (EX / "pl_news_scraped.txt").read_text("utf-8")
    huge = (page * 300).encode("utf-8").decode("latin-1")   # (about 1.4 million characters)
    set_document_time_limit(0.05)
    try:
        out = list(run_steps([CleanStep()], [Document(id="huge", text=huge), Document(id="ok", text=page)],
                             RunStats()))
    finally:
        set_document_time_limit(0)
    assert out[0].rejection.code == "timeout:clean" and out[1].rejection is None
    assert out[0].text == huge   # (the rejected record as it came)

"""A prompt to subscribe, sign up or follow the site ("Zapisz się na nasz newsletter") goes by rule when the model
keeps it: the phrases are not a cue category of the line model, so the rule is what removes it."""

import json
from pathlib import Path

from sito.clean import clean_text
from sito.clean.cues import load_cues
from sito.clean.phrases import automaton

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "clean"
PROMPT = "Bądź na bieżąco! Zapisz się na nasz newsletter"


def test_a_prompt_the_model_keeps_goes_with_a_reason(monkeypatch):
    text = json.loads((FIX / "pl_fulltext.json").read_text("utf-8"))["text"]
    k = next(i for i, s in enumerate(text.splitlines()) if s.strip() == PROMPT)
    a = clean_text(text, mode="extracted")
    line = a.lines[k]
    assert not line.keep and line.role == "ad"
    assert line.reason == f"prompt to subscribe, follow or log in: '{PROMPT}'"
    assert PROMPT not in a.text
    # without the phrases, the real model keeps that line: the rule is what removes it
    monkeypatch.setitem(load_cues().phrases, "promo", ())
    automaton.cache_clear()   # (the phrase scan's automaton is built once per process from the phrases)
    try:
        b = clean_text(text, mode="extracted")
    finally:
        monkeypatch.undo()
        automaton.cache_clear()
    assert b.lines[k].keep and PROMPT in b.text


def test_a_prompt_inside_a_long_paragraph_stays():
    para = ("The union asked its members to subscribe now to the new pension plan, and the management said that "
            "it would match every contribution for the first three years, which the workers welcomed.")
    assert not load_cues().prompt(para)


def test_a_placeholder_where_a_video_interrupts_the_article_goes_with_a_reason():
    """"Dalsza część artykułu pod materiałem wideo" between two paragraphs of the Polish example: the line goes by
    rule in every mode, and the article around it is the example's clean text."""
    ex = Path(__file__).resolve().parents[2] / "examples"
    page = (ex / "pl_news_scraped.txt").read_text("utf-8").splitlines()
    clean = (ex / "pl_news_scraped.clean.txt").read_text("utf-8").rstrip("\n")
    placeholder = "Dalsza część artykułu pod materiałem wideo"
    at = page.index(next(s for s in page if s.strip() and s.strip() in clean.split("\n\n")[2]))
    for mode in ("page", "extracted"):
        a = clean_text("\n".join(page[:at] + [placeholder] + page[at:]), mode=mode)
        line = a.lines[at]
        assert line.text == placeholder and not line.keep and line.role == "ad"
        assert line.reason == f"where a video or an ad interrupts the article: '{placeholder}'"
        assert a.text == clean


def test_a_reading_time_goes_as_a_byline(monkeypatch):
    """"8 min read" and its kin inside the Polish example's article go by rule, with the reason; the article
    around them is the example's clean text. The model alone keeps some of them."""
    import sito.clean.cleaner as cleaner

    ex = Path(__file__).resolve().parents[2] / "examples"
    page = (ex / "pl_news_scraped.txt").read_text("utf-8").splitlines()
    clean = (ex / "pl_news_scraped.clean.txt").read_text("utf-8").rstrip("\n")
    at = page.index(next(s for s in page if s.strip() and s.strip() in clean.split("\n\n")[2]))
    kept_by_model = 0
    for line_text in ("8 min read", "Reading Time: 3 minutes", "11 minut czytania", "Czas czytania: 4 min",
                      "Lesezeit: 3 Min.", "4 min de lecture", "Ten tekst przeczytasz w 3 minuty",
                      "Ten tekst przeczytasz w mniej niż minutę", "Lesezeit: 3 Minuten", "5-minute read"):
        for mode in ("page", "extracted"):
            text = "\n".join(page[:at] + [line_text] + page[at:])
            a = clean_text(text, mode=mode)
            line = a.lines[at]
            assert not line.keep and line.role == "byline" and line.reason == f"reading time: '{line_text}'"
            assert a.text == clean
            with monkeypatch.context() as m:
                m.setattr(cleaner, "READING_TIME", lambda s: None)
                kept_by_model += clean_text(text, mode=mode).lines[at].keep
    assert kept_by_model > 0
    # minutes that are not a reading time stay article text
    assert not cleaner.READING_TIME("Prep time: 45 min") and not cleaner.READING_TIME("20 minutes later")


def test_a_prompt_to_log_in_goes_with_a_reason(monkeypatch):
    """"Musisz być zalogowany, aby dodać komentarz" (and "Treść dostępna tylko dla subskrybentów") inside the Polish example's article goes by rule in every mode;
    the article around it is the example's clean text. The model alone keeps these lines."""
    ex = Path(__file__).resolve().parents[2] / "examples"
    page = (ex / "pl_news_scraped.txt").read_text("utf-8").splitlines()
    clean = (ex / "pl_news_scraped.clean.txt").read_text("utf-8").rstrip("\n")
    at = page.index(next(s for s in page if s.strip() and s.strip() in clean.split("\n\n")[3])) + 1
    kept_by_model = 0
    for line_text in ("Musisz być zalogowany, aby dodać komentarz.", "You must be logged in to post a comment.",
                      "Du musst eingeloggt sein, um Kommentare zu schreiben!", "Sie sind aktuell nicht eingeloggt.",
                      "Treść dostępna tylko dla subskrybentów."):
        for mode in ("page", "extracted"):
            text = "\n".join(page[:at] + [line_text] + page[at:])
            a = clean_text(text, mode=mode)
            line = a.lines[at]
            assert not line.keep and line.reason == f"prompt to subscribe, follow or log in: '{line_text}'"
            assert a.text == clean
            monkeypatch.setitem(load_cues().phrases, "promo", ())
            automaton.cache_clear()
            try:
                kept_by_model += clean_text(text, mode=mode).lines[at].keep
            finally:
                monkeypatch.undo()
                automaton.cache_clear()
    assert kept_by_model == 10
    # logging in as what a text is about stays
    assert not load_cues().prompt("You must be logged in as root to run this command.")


def test_a_relative_time_under_the_headline_goes_and_is_not_the_title():
    """"2 godz. temu" between the Polish example's headline and its lead was taken for the headline (a short line
    right before the first paragraph). A relative time goes by rule as a byline; the title and the text are the
    example's. A page with more than RELATIVE_TIME_MAX of them (a listing dating its items) leaves them to the
    model."""
    import sito.clean.cleaner as cleaner

    ex = Path(__file__).resolve().parents[2] / "examples"
    page = (ex / "pl_news_scraped.txt").read_text("utf-8").splitlines()
    clean = (ex / "pl_news_scraped.clean.txt").read_text("utf-8").rstrip("\n")
    title = clean_text("\n".join(page)).title
    at = page.index(next(s for s in page if s.strip() == title)) + 1
    for line_text in ("2 godz. temu", "3 hours ago", "vor 5 Minuten", "il y a 2 heures", "hace 3 horas"):
        for mode in ("page", "extracted"):
            a = clean_text("\n".join(page[:at] + [line_text] + page[at:]), mode=mode)
            line = a.lines[at]
            assert not line.keep and line.role == "byline" and line.reason == f"relative time: '{line_text}'"
            assert a.title == title and a.text == clean
    many = "\n".join(page[:at] + ["2 godz. temu", page[at], "3 godz. temu", "5 godz. temu"] + page[at + 1:])
    assert not any((ln.reason or "").startswith("relative time") for ln in clean_text(many).lines)
    assert cleaner.RELATIVE_TIME_MAX == 2
    assert not cleaner.RELATIVE_TIME("2 godziny temu rozmawialiśmy z ministrem") and not cleaner.RELATIVE_TIME("3 hours")


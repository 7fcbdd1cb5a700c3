"""A list of headlines that repeats the article's own title ("latest", "most read") is removed as a whole."""

import json
from pathlib import Path

from sito.clean import clean_text

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "clean"
RULE = "a list of headlines that repeats the title"

TITLE = "Council approves the budget for the bridge repairs"
PROSE = [
    "The city council approved the new budget on Tuesday after a debate that lasted most of the afternoon.",
    "Members argued about the cost of repairing the old bridge, which engineers say is no longer safe.",
    "The mayor said the repairs would start in spring and that the bridge would stay open to pedestrians.",
    "Local businesses welcomed the decision, saying that the closure had cut the number of their customers.",
]
OTHERS = [
    "New tram line to open in the northern districts next year",
    "School holidays: what changes for parents this summer",
    "Hospital waiting lists fall for the third month in a row",
    "Weather: storms expected over the weekend in the south",
    "Local football club signs a striker from the second league",
    "Museum reopens after two years of renovation works",
    "Prices of flats keep rising in the city centre",
]


def _page(others: list[str]) -> str:
    return "\n".join([TITLE, "", *PROSE, "", *others])  # (no header: "Latest news" would be a cue of its own)


def test_a_list_of_headlines_with_the_title_in_it_goes_as_a_whole():
    art = clean_text(_page(OTHERS[:4] + [TITLE] + OTHERS[4:]))
    assert art.title == TITLE
    assert art.text.split("\n\n") == PROSE
    listed = [ln for ln in art.lines if ln.text in OTHERS or (ln.text == TITLE and ln.index > 0)]
    assert len(listed) == len(OTHERS) + 1
    assert all(not ln.keep and ln.role == "recommendations" and ln.reason.startswith(RULE) for ln in listed)
    # the clean text cleans to itself
    again = clean_text(art.title + "\n\n" + art.text)
    assert again.text == art.text


def test_a_short_list_or_a_title_printed_twice_is_left_to_the_other_rules():
    # four headlines besides the repeat: not enough to call it a list (TITLE_LIST_MIN)
    art = clean_text(_page(OTHERS[:2] + [TITLE] + OTHERS[2:4]))
    assert not any((ln.reason or "").startswith(RULE) for ln in art.lines)
    # the title printed twice at the head of the article: the repeat is a duplicate, the article stays
    art = clean_text("\n".join([TITLE, TITLE, *PROSE]))
    assert art.title == TITLE and art.text.split("\n\n") == PROSE
    assert [ln.reason for ln in art.lines if ln.index == 1] == ["duplicate of line 0"]


def test_real_polish_page_loses_its_list_of_other_articles():
    # full-page text of a Polish news page: a two-paragraph article, comments, then "Zobacz więcej" and 48
    # headlines of other articles, among them this article's own title (a comment-section button, "pokaż
    # odpowiedzi (1)", is still kept: the model's doing)
    fx = json.loads((FIX / "pl_fulltext2.json").read_text("utf-8"))
    art = clean_text(fx["text"])
    assert art.title == "Ile jest warta godzina pracy? W tych krajach praca popłaca"
    paragraphs = art.text.split("\n\n")
    assert paragraphs[0].strip().startswith("Oto kraje, w których średnia godzina pracy")
    assert paragraphs[1].strip().startswith("Portal Statista powołuje się na dane")
    first = next(ln.index for ln in art.lines if ln.text.strip().startswith("Demograficzna przyszłość Polski"))
    last = next(ln.index for ln in art.lines if ln.text.strip().startswith("Pandemia w Indiach: Brak miejsc"))
    headlines = [ln for ln in art.lines[first:last + 1] if ln.text.strip()]
    assert len(headlines) == 48
    assert all(not ln.keep and ln.role == "recommendations" and ln.reason.startswith(RULE) for ln in headlines)

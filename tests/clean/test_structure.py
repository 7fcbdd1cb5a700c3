"""The structure fields of kept lines: the lead after the short lines that open a text, code that is neither a
heading nor a quotation."""

import pytest

from sito.clean import clean_text
from sito.clean.quotes import find_quotes
from sito.clean.cues import load_cues

PARA = ("The council voted on Tuesday to close the old bridge for repairs, which will take most of the year and "
        "cost far more than the city had planned, officials said.")
PARA2 = ("Engineers found cracks in two of the bridge's supports last spring, and traffic has been limited to one "
         "lane since then while the city looked for the money to repair it.")


def test_lead_after_a_kicker_and_a_date():
    # trafilatura's output often opens with a date line or a kicker before the first paragraph
    a = clean_text("\n".join(["31.10.2023, 10.19 Uhr", "Local news", PARA, PARA2]), mode="extracted")
    assert a.lead == PARA
    assert [ln.role for ln in a.lines if ln.text == PARA] == ["lead"]
    assert [ln.role for ln in a.lines if ln.text == PARA2] == ["body"]


def test_no_lead_before_a_list():
    a = clean_text("\n".join(["* first item of a list here", "* second item of a list here", PARA]),
                   mode="extracted")
    assert a.lead is None


def test_code_lines_are_not_headings():
    code = ["rekt: {", "list: [", "    list: [", "// no hidden arguments", "}"]
    a = clean_text("\n".join([PARA, *code, PARA2]), mode="extracted")
    kept = {ln.text: ln.role for ln in a.lines if ln.keep}
    assert all(kept.get(c) != "heading" for c in code)
    assert not set(a.headings) & set(code)


def test_table_rows_and_labels_are_neither_headings_nor_the_lead():
    rows = ["| 9 | E. Sajfutdinow | 3 | 3 |", "|---|---|---|---|", "| 10 | J. Kowalski | 2 | 1 |"]
    a = clean_text("\n".join(["Table of contents:", *rows, PARA, PARA2]), mode="extracted")
    assert not set(a.headings) & set(rows)
    assert all(ln.role != "heading" for ln in a.lines if ln.text in rows and ln.keep)
    assert a.lead == PARA


def test_related_lists_headlines_without_their_list_marks():
    """`Article.related` is for teaser headlines: a recommendation block's controls and site links ("Drukuj",
    "- Close") are part of the block but not headlines, and a headline's list mark is not part of it."""
    block = ["Polecamy", "* Niemieckie pielęgniarki chcą odejść z pracy", "- Close", "Drukuj",
             "* Kradzież płac. Jak firmy oszukują pracowników?"]
    a = clean_text("\n".join([PARA, PARA2, *block]), mode="extracted")
    assert a.related == ["Niemieckie pielęgniarki chcą odejść z pracy",
                         "Kradzież płac. Jak firmy oszukują pracowników?"]
    assert [ln.role for ln in a.lines[2:]] == ["recommendations"] * 5
    # a block's dates, bylines, legal links and prompts are the site's, not headlines (a review's Forsal page)
    block = ["Polecamy", "* Niemieckie pielęgniarki chcą odejść z pracy", "* 21 Nov 2017, 9:30pm",
             "* Zapisz się na Newsletter", "* Zmień ustawienia prywatności", "* Copyright Infor Biznes Sp. z o.o.",
             "* Kradzież płac. Jak firmy oszukują pracowników?"]
    a = clean_text("\n".join([PARA, PARA2, *block]), mode="extracted")
    assert a.related == ["Niemieckie pielęgniarki chcą odejść z pracy",
                         "Kradzież płac. Jak firmy oszukują pracowników?"]


def test_related_holds_each_headline_once_and_not_the_articles_own():
    """Copies of a headline that differ in their spaces only (a no-break space in one) were listed twice, and the
    article's own headline came back among the teasers."""
    from pathlib import Path

    lines = (Path(__file__).resolve().parents[2] / "examples" / "pl_news_scraped.txt").read_text("utf-8").split("\n")
    at = lines.index("Wybrane dla Ciebie")
    a = clean_text("\n".join(lines[:at + 1] + [lines[0].replace("\xa0", " ")] + lines[at + 1:]))
    keys = [" ".join(r.split()) for r in a.related]
    assert " ".join(a.title.split()) not in keys and len(keys) == len(set(keys))


def test_strings_in_code_are_not_quotations():
    c = load_cues()

    def quotes(line):
        return [q["text"] for q in find_quotes(line, c.speech_verbs, c.speech_prepositions)]

    assert quotes('it("should have a default name when none is given", function () {') == []
    assert quotes('msg = "the build failed on the second try again"') == []
    # a quotation in brackets is one
    assert quotes('He left a note ("but it worked on my computer!") on the desk.') == ["but it worked on my computer!"]


def test_a_kept_date_is_not_a_heading():
    a = clean_text("\n".join(["06.01.2022", PARA, "The repairs", PARA2]), mode="extracted")
    assert "06.01.2022" not in a.headings
    assert "The repairs" in a.headings


def test_repeated_table_rows_are_not_removed_as_duplicates():
    """A header row over each of two tables, and a row that repeats its neighbour, are table content: the repeat
    rule leaves table rows to the model, while a repeated paragraph still goes as a duplicate."""
    header = "| Plan | Monthly price | Storage included | Support hours | Contract length | Setup fee |"
    rows1 = ["| Basic | $5 | 10 GB | 9-5 | none | none |", "| Pro | $10 | 100 GB | 24/7 | none | none |"]
    rows2 = ["| Team | $20 | 1 TB | 24/7 | 1 year | none |", "| Team | $20 | 1 TB | 24/7 | 1 year | none |"]
    text = "\n".join([PARA, header, *rows1, PARA2, header, *rows2, PARA])
    a = clean_text(text, mode="extracted")
    reasons = [ln.reason or "" for ln in a.lines]
    rows = [ln for ln in a.lines if ln.text.startswith("|")]
    assert not any(r.startswith("duplicate") for ln, r in zip(a.lines, reasons) if ln.text.startswith("|"))
    assert len(rows) == 6
    # the paragraph printed again at the end is still a duplicate
    assert reasons[-1] == "duplicate of line 0"


def test_table_rows_before_a_block_header_are_not_teasers():
    """The last rows of a table right before "Related" are the table's, not teaser headlines of the block (as on
    a wcxb page whose rate table ends just before its related articles)."""
    rows = ["| Month | Rate |", "| 10/1/2024 | +5.0% |", "| 11/1/2024 | +5.3% |", "| 12/1/2024 | +6.3% |"]
    a = clean_text("\n".join([PARA, *rows, "Related", "Council approves the new bridge budget", PARA2]),
                   mode="extracted")
    assert not [ln.reason for ln in a.lines if ln.text in rows and "teaser" in (ln.reason or "")]
    assert "Council approves the new bridge budget" in a.related


def test_read_more_under_every_item_is_a_link_not_a_block_header():
    """"Read more" under each item of a listing is a link of that item: it goes alone, and the next item's title is
    not taken into a recommendation block. Printed once, over a list of headlines, it heads a block."""
    items = []
    for k, (title, summary) in enumerate([
            ("Council approves the new bridge budget", PARA), ("Engineers report cracks in old supports", PARA2),
            ("City looks for repair money", PARA.replace("Tuesday", "Friday"))]):
        items += [title, summary, "Read more"]
    a = clean_text("\n".join(items), mode="extracted")
    links = [ln for ln in a.lines if ln.text == "Read more"]
    assert len(links) == 3 and all(not ln.keep and ln.reason == "read-more link: 'Read more'" for ln in links)
    assert not any((ln.reason or "").startswith("recommendation block") for ln in a.lines)
    # once, over headlines: a block header and its block
    b = clean_text("\n".join([PARA, PARA2, "Read more", "Council approves the new bridge budget",
                              "Engineers report cracks in old supports", "City looks for repair money"]),
                   mode="extracted")
    assert [ln.role for ln in b.lines[2:]] == ["recommendations"] * 4
    assert b.lines[3].reason == "recommendation block after 'Read more'"


def test_a_list_entry_holding_a_subheading_is_a_list_item():
    # a gallery's entries: trafilatura writes "- " before each, and the first block of one is its <h3>
    from sito.clean.cleaner import clean_lines

    entries = [f"- {k}/50 Blockbusters aid Pinewood expansion {PARA}" for k in (1, 2, 3)]
    lines = [PARA, PARA2, *entries]
    hints = [{"tag": "p", "in_extractor": True}] * 2 + [{"tag": "h3", "in_extractor": True}] * 3
    a = clean_lines(lines, hints=hints, mode="html-extracted")
    assert [ln.role for ln in a.lines[2:]] == ["list_item"] * 3 and a.headings == []
    b = clean_lines(lines[:2] + ["Pinewood expansion"], hints=hints[:3], mode="html-extracted")
    assert b.lines[2].role == "heading"   # an <h3> of its own is a heading


def test_an_affiliate_disclosure_is_not_the_lead():
    # wcxb train pages 0010 and 4642 open so; the disclosure stays in the text
    for disclosure in ("Products are chosen independently by our editors. Purchases made through our links may earn "
                       "us a commission.",
                       "This post may contain affiliate links. This means that when you click the link and make a "
                       "purchase, I make a small commission."):
        a = clean_text("\n".join([disclosure, PARA, PARA2]), mode="extracted")
        assert a.lead == PARA and disclosure in a.text
    assert clean_text("\n".join([PARA, PARA2]), mode="extracted").lead == PARA


def test_a_byte_order_mark_is_not_part_of_the_title():
    a = clean_text("\ufeffBudget talks stall in parliament\n\n" + PARA + "\n\n" + PARA2)
    assert a.title == "Budget talks stall in parliament" and a.lead == PARA


def test_the_title_of_full_page_text_is_the_headline_the_opening_repeats():
    """Full-page text of two fixture pages: among the headline-shaped lines removed before the article, the title
    is the one whose words the article's first paragraphs repeat, not a prompt of the site ("Change the story's
    title…", "Sign up or login to join the discussions!")."""
    import gzip
    from pathlib import Path

    from sito.clean.sources import fulltext

    html = Path(__file__).resolve().parents[1] / "fixtures" / "html"
    for name, title in (("en_medium", "On Behalf of “Literally”"),
                        ("en_ars", "Just-released Minecraft exploit makes it easy to crash game servers")):
        text = fulltext(gzip.decompress((html / f"{name}.html.gz").read_bytes()))
        assert clean_text(text).title == title


def test_the_credit_after_a_caption_in_one_line_is_its_source():
    """A caption and its credit in one line (train pages: "Erdölpumpen im Abendrot. Bild: TebNad/Shutterstock.com",
    "(Foto: picture alliance/dpa)"): the credit is what follows the credit words, not the whole line."""
    value = load_cues().credit_value
    assert value("Akcja gaśnicza trwała cztery godziny. Fot. PAP/Jakub Kaczmarczyk") == "PAP/Jakub Kaczmarczyk"
    assert value("Strażacy na miejscu pożaru (fot. PAP/Jakub Kaczmarczyk)") == "PAP/Jakub Kaczmarczyk"
    assert value("Erdölpumpen im Abendrot. Bild: TebNad/Shutterstock.com") == "TebNad/Shutterstock.com"
    assert value("Źródło zdjęć: © Twitter") == "Twitter" and value("Getty Images") == "Getty Images"
    # ("İ" lower-cases to two characters: the credit was cut one character short, "AP/Jan Nowak")
    assert value("Protest przed siedzibą İstanbul İl Emniyet Müdürlüğü (fot. PAP/Jan Nowak)") == "PAP/Jan Nowak"
    lines = [PARA, "Akcja gaśnicza trwała cztery godziny. Fot. PAP/Jakub Kaczmarczyk", PARA2]
    a = clean_text("\n\n".join(lines))
    assert [ln.role for ln in a.lines if ln.text == lines[1]] == ["credit"]
    assert a.credits == ["PAP/Jakub Kaczmarczyk"]


@pytest.mark.parametrize("line", ["Akcja gaśnicza trwała cztery godziny. © PAP/Jakub Kaczmarczyk",
                                  "Akcja gaśnicza trwała cztery godziny. Fot. PAP/Jakub Kaczmarczyk",
                                  "Akcja gaśnicza trwała cztery godziny (fot. PAP/Jakub Kaczmarczyk)"])
def test_a_caption_and_its_credit_in_one_line_fill_both_fields(line):
    """The line goes as a credit; its caption is a caption too (it was lost from `captions`), and a "©" inside
    the line is a credit's start as "fot." is (the whole line was the credited source)."""
    assert load_cues().credit_split(line) == (line.split(" ©")[0].split(" Fot.")[0].split(" (fot.")[0],
                                              "PAP/Jakub Kaczmarczyk")
    a = clean_text("\n\n".join([PARA, line, PARA2]))
    assert [ln.role for ln in a.lines if ln.text == line] == ["credit"]
    assert a.credits == ["PAP/Jakub Kaczmarczyk"]
    assert a.captions == [load_cues().credit_split(line)[0]] and a.captions[0].startswith("Akcja gaśnicza")
    # a name before the credit is no caption
    b = clean_text("\n\n".join([PARA, "Jan Nowak. © PAP", PARA2]))
    assert b.captions == [] and b.credits == ["PAP"]

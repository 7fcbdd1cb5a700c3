"""Captions and photo credits of a page's figures (`sito.html.figures`), in `clean_html`'s article: on the fixture
pages, and on figcaptions built to show each rule."""

import pytest

from sito import clean_html
from sito.html.figures import figure_captions
from sito.html.parse import parse_html


def _figs(body: str):
    return figure_captions(parse_html(f"<html><body>{body}</body></html>"))


def test_fixture_pages(pages):
    # a caption and its credit marked by class, after a separator and a credit's opening words
    a = clean_html(pages["pl_utf8"]["bytes"])
    assert "Praca w magazynie, zdjęcie ilustracyjne" in a.captions
    assert "Pixabay" in a.credits
    # a credit alone (class "caption-credit"), a caption alone
    assert clean_html(pages["en_ars"]["bytes"]).credits == ["Kevin"]
    assert "Words need defenders." in clean_html(pages["en_medium"]["bytes"]).captions


@pytest.mark.parametrize("body, captions, credits", [
    ("<figure><img src=a.jpg><figcaption>The bridge at dawn. Photo: Jan Nowak</figcaption></figure>",
     ["The bridge at dawn."], ["Jan Nowak"]),
    # the last credit's opening words count ("Main image: … Photograph: …")
    ("<figcaption>Main image: Whale expert Hori Parata. Photograph: Adrian Malloch</figcaption>",
     ["Main image: Whale expert Hori Parata."], ["Adrian Malloch"]),
    ('<figcaption>Prezydent w Sejmie <span class="source">/ Fot. PAP</span></figcaption>',
     ["Prezydent w Sejmie"], ["PAP"]),
    # a credit element that holds the whole caption
    ('<figcaption><span class="credit">Ministers at the summit. Photo: Reuters</span></figcaption>',
     ["Ministers at the summit."], ["Reuters"]),
    ("<figcaption>Courtesy of Hilton</figcaption>", [], ["Courtesy of Hilton"]),
    # the same caption twice is listed once; an empty one is none
    ("<figcaption>A map.</figcaption><figcaption> A  map. </figcaption><figcaption> </figcaption>", ["A map."], []),
    # teasers, sidebars and menus are not the article's figures
    ('<aside><figcaption>Sidebar photo</figcaption></aside><div class="related-posts"><figcaption>Teaser'
     '</figcaption></div><nav><figcaption>Menu</figcaption></nav>', [], []),
    # "Image:" inside a word is no credit
    ("<figcaption>A Bildungsimage: no credit</figcaption>", ["A Bildungsimage: no credit"], []),
    # a teaser card links to another article as a whole; a figure linked to its own image is the article's
    ('<a href="/news/other-story"><figure><img src=a.jpg><figcaption>Other story headline here</figcaption>'
     '</figure></a><a href="/img/big.jpg"><figure><img src=b.jpg><figcaption>The bridge at dawn.</figcaption>'
     "</figure></a>", ["The bridge at dawn."], []),
    # credits written without a credit's colon (readability's nytimes-4, newspaper4k's time_001, a review's pages)
    ("<figcaption>Interest payments could surpass the budget in 2023. Credit Credit Jeon Heon-Kyun/EPA, via "
     "Shutterstock</figcaption>", ["Interest payments could surpass the budget in 2023."],
     ["Jeon Heon-Kyun/EPA, via Shutterstock"]),
    ("<figcaption>The sun rises over an oil field near Lost Hills, California. David McNew—Getty Images"
     "</figcaption>", ["The sun rises over an oil field near Lost Hills, California."], ["David McNew—Getty Images"]),
    ("<figcaption>Hat das Potential: Mikaela Shiffrin. © AFP / JEFF PACHOUD</figcaption>",
     ["Hat das Potential: Mikaela Shiffrin."], ["AFP / JEFF PACHOUD"]),
    # "Credit" and "©" without a colon open a credit only before names ("Credit Suisse headquarters in Zurich"
    # and "the © symbol in Paris" are captions)
    ("<figcaption>Credit Suisse headquarters in Zurich, Switzerland.</figcaption>",
     ["Credit Suisse headquarters in Zurich, Switzerland."], []),
    ("<figcaption>A shop sign with the © symbol in Paris, France.</figcaption>",
     ["A shop sign with the © symbol in Paris, France."], []),
    ('<figcaption>The plumber at work. <span class="credit">Credit : Photo: PA</span></figcaption>',
     ["The plumber at work."], ["PA"]),
    # a caption that is only a credit (Forsal, wcxb's train pages): a credit
    ("<figcaption>praca / ShutterStock</figcaption><figcaption>Tanja Ivanova // Getty Images</figcaption>", [],
     ["praca / ShutterStock", "Tanja Ivanova // Getty Images"]),
    # where a page marks its captions by class: a caption, not a consent switch or a date
    ('<div class="wp-caption"><img src=a.jpg><p class="wp-caption-text">Ministers at the summit in Brussels.'
     '</p></div><span class="cli-necessary-caption">immer aktiv</span><span class="type-caption">Published Nov 8, '
     "2023</span>", ["Ministers at the summit in Brussels."], []),
])
def test_figure_captions(body, captions, credits):
    assert _figs(body) == (captions, credits)


def test_the_page_layout_classes_and_the_articles_header_do_not_hide_captions():
    # WordPress writes its layout into <body class>: "no-sidebar", "with-subnav", a menu's name
    caps = figure_captions(parse_html('<html class="sidebar-visible"><body class="single no-sidebar with-subnav">'
                                      "<article><figure><figcaption>The bridge at dawn.</figcaption></figure>"
                                      "</article></body></html>"))
    assert caps == (["The bridge at dawn."], [])
    # the lead image in the article's own <header> is the article's; one in the page's header is not
    assert _figs("<header><figcaption>Site banner</figcaption></header><article><header><figure><figcaption>"
                 "Workers repair the cables.</figcaption></figure></header></article>") == (
        ["Workers repair the cables."], [])
    assert _figs("<main><header><figcaption>The lead image.</figcaption></header></main>") == (["The lead image."], [])


def test_bounded():
    many = "".join(f"<figcaption>Caption {i}</figcaption>" for i in range(500))
    caps, _ = _figs(many + "<figcaption>" + "long " * 400 + "</figcaption>")
    assert len(caps) == 100


def test_an_unclosed_figcaption_is_read_only_so_far():
    # each unclosed figcaption holds the rest of the page: each is read up to a bound, not to the end
    body = "<figcaption>" * 100 + "<p>" + "word " * 200_000 + "</p>"
    assert _figs(body) == ([], [])


def test_an_advertisement_label_is_no_caption():
    assert _figs("<figure><figcaption>Reklama</figcaption></figure><figcaption>Anzeige</figcaption>") == ([], [])

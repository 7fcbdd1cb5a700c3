"""sito's one-pass author rules (`sito.html.metadata.page_author`) give trafilatura's `extract_author` answer.

On the real pages in tests/fixtures/html, on edge cases of the rules (a candidate inside or around a pruned
subtree, the `<author>` element, the `rel` child), and on every fifth dev page when ../shared/data/dev is there."""

from __future__ import annotations

import pytest
from trafilatura.metadata import extract_author

from sito.devdata import default_dev_dir, iter_pages
from sito.html.decode import decode_html
from sito.html.metadata import page_author, page_metadata, tidy_author
from sito.html.parse import parse_html

from .conftest import load_pages

EDGE_CASES = [
    # the author element sits inside a pruned comments block: the next candidate is read
    '<div class="comments"><span class="author">Jan Kowalski</span></div><p class="byline">Anna Nowak</p>',
    # a candidate that contains pruned subtrees: their text goes, their tails stay
    '<div class="author-name">By <time>2024-01-02</time>Maria<span class="date">today</span> Curie</div>',
    '<div class="author-name"><figure>photo</figure>tail text <b>Ewa</b><span class="quote">q</span></div>',
    # trafilatura's `rel='me'` test is on a child element named rel, and `//author` on an element named author
    '<p><rel>me</rel>Adam Mickiewicz</p>',
    '<author>Juliusz Słowacki</author><span class="byline">Not This One</span>',
    # too short, then too long, then a good one, in rule order
    '<span class="author">Jo</span><div class="byline">' + 'x' * 130 + '</div><span id="Author">Olga Tokarczuk</span>',
    '<section class="sidebar"><a rel="author">Sidebar Name</a></section><div data-component="Byline">Real Name</div>',
    '<div itemprop="author"><span itemprop="name">Wisława Szymborska</span></div>',
    '<span class="comments-list"><span class="writer">Hidden</span></span>',
]


def _tree(raw: bytes | str):
    if isinstance(raw, bytes):
        raw = decode_html(raw, None)[0]
    return parse_html(raw)


@pytest.mark.parametrize("body", EDGE_CASES)
def test_author_edge_cases_match_trafilatura(body):
    tree = _tree(f"<html><head><title>t</title></head><body>{body}</body></html>")
    assert page_author(tree) == extract_author(tree)


def test_author_matches_trafilatura_on_the_fixture_pages():
    found = 0
    for name, p in load_pages().items():
        tree = _tree(p["bytes"])
        want = extract_author(tree)
        assert page_author(tree) == want, name
        found += want is not None
    assert found >= 1
    assert page_metadata(_tree(load_pages()["en_ars"]["bytes"]))["author"]


@pytest.mark.skipif(default_dev_dir() is None, reason="dev data (../shared/data/dev) not available")
def test_author_matches_trafilatura_on_dev_pages():
    pages = list(iter_pages(split=None))[::5]
    assert len(pages) > 300
    found = 0
    for p in pages:
        try:
            tree = _tree(p.html_bytes())
        except Exception:  # pages the parser rejects are not this test's subject
            continue
        want = extract_author(tree)
        assert page_author(tree) == want, f"{p.set}/{p.name}"
        found += want is not None
    assert found > 100


def _page(body: str, head: str = ""):
    return _tree(f"<html><head><title>t</title>{head}</head><body>{body}<p>{'Some article text here. ' * 20}</p></body></html>")


def _titled(body: str, head: str):
    """A page whose `<head>` is `head` alone (its own `<title>`, if any)."""
    return _tree(f"<html><head>{head}</head><body>{body}<p>{'Text of the article. ' * 20}</p></body></html>")


@pytest.mark.parametrize("body, want", [
    # a byline the meta tags and trafilatura's DOM rules miss: the name is cut at the date, the role, the separator
    ('<div class="meta">By <a href="/a/jc">John Crenshaw</a></div>', "John Crenshaw"),
    ("<p>Written by Ziyi Xu, Dec 17, 2025</p>", "Ziyi Xu"),
    ("<div><span>Amanda · Dec 20, 2025 at 3:00 am · One comment so far</span></div>", None),   # no opening words
    ("<p>Autor: Jan Kowalski | 12 maja 2024</p>", "Jan Kowalski"),
    ("<p>By Colin Watson on 2025-12-18 in debusine</p>", "Colin Watson"),
    ("<p>By Ursula Le Guin</p>", "Ursula Le Guin"),
    ("<p>By Moses Kim and Kate Shokurova</p>", "Moses Kim; Kate Shokurova"),   # trafilatura's list form
    # not a byline: running text, a filter, a form, a word that is no name
    ("<p>By clicking Accept you agree to our terms.</p>", None),
    ('<div class="filters"><h3>By Category</h3></div>', None),
    ('<form><label>By Name</label></form>', None),
    ("<h3>By Category</h3>", None),
])
def test_byline_author(body, want):
    assert page_metadata(_page(body))["author"] == want


@pytest.mark.parametrize("body, want", [
    # trafilatura's DOM rules find the byline with its date; the date goes before its digits do ("… March")
    ('<div class="byline">By Nathan Willis\n March 25, 2015</div>', "Nathan Willis"),
    ('<span class="author">Laura June Topolsky July 13, 2015 11:00 am</span>', "Laura June Topolsky"),
    ('<span class="author">Jan Kowalski 12.05.2024</span>', "Jan Kowalski"),
    ('<span class="author">Anna Nowak</span>', "Anna Nowak"),
])
def test_a_date_after_the_dom_rules_author_is_left_out(body, want):
    assert page_metadata(_page(body))["author"] == want


@pytest.mark.parametrize("value, want", [
    ("Author Ashley Biancuzzo", "Ashley Biancuzzo"), ("Recipe by PJ Hamel", "PJ Hamel"),
    ("Haley Hoekstra • March", "Haley Hoekstra"), ("Cazzy Magennis Last Updated August 1", "Cazzy Magennis"),
    ("Vader 6", "Vader"), ("Luizjr4", "Luizjr4"), ("Maria; Katerina", "Maria; Katerina"),
    ("Username", None), ("Written By", None), ("Sun Dec", None), ("The Author", None), (None, None),
    ("Źródło Statista com", None), ("Source: Reuters; Jan Nowak", "Jan Nowak"),
    # the same name twice, once in capitals; a weekday left alone by a date
    ("Steven Davidoff Solomon; STEVEN DAVIDOFF SOLOMON", "Steven Davidoff Solomon"), ("Sun", None),
    # a degree or a title after a name (trafilatura splits "Dylan Bailey, MS, RD, FAND" at its commas) is the name's
    ("Dylan Bailey; MS; RD; FAND", "Dylan Bailey, MS, RD, FAND"), ("Genevieve Carlton; Ph D", "Genevieve Carlton, Ph D"),
    ("Moses Kim; Kate Shokurova", "Moses Kim; Kate Shokurova"), ("AFP; Jan Nowak", "AFP; Jan Nowak"),
    ("Article by Cara Dumaplin", "Cara Dumaplin"), ("Rob Ewaschuk Edited by Betsy Beyer", "Rob Ewaschuk"),
    # a byline's word for "ago" or "on" left at the end, a Spanish or French "by", the Polish "Red." (editors)
    ("Aleš Vávra před", "Aleš Vávra"), ("MORITZ GATHMANN am", "MORITZ GATHMANN"), ("Red", None),
    ("Por María Alejandra Carrasquilla", "María Alejandra Carrasquilla"), ("Par Sébastien Farcis", "Sébastien Farcis"),
    ("Paris Hilton", "Paris Hilton"), ("Annam Smith", "Annam Smith"),
])
def test_tidy_author(value, want):
    assert tidy_author(value) == want


@pytest.mark.parametrize("head, body, want", [
    # the periods trafilatura's normalisation takes out, put back as the page writes the name
    ("", '<span class="author">John C. Welch</span>', "John C. Welch"),
    ('<meta name="author" content="Dr. Vahid Osman">', "", "Dr. Vahid Osman"),
    ("", '<span class="author">Genevieve Carlton, Ph.D.</span>', "Genevieve Carlton, Ph.D."),
    ("", '<div class="byline">By Cerebral Inc.</div>', "Cerebral Inc."),
    ('<meta name="author" content="AccountingDepartment.com Team">', "", "AccountingDepartment.com Team"),
    # a name the page writes without them stays so
    ('<meta name="author" content="PJ Hamel">', "", "PJ Hamel"),
    ('<meta name="author" content="Ash C">', "<p>Ash C wrote this.</p>", "Ash C"),
])
def test_periods_of_an_author_are_put_back(head, body, want):
    assert page_metadata(_page(body, head))["author"] == want


@pytest.mark.parametrize("head, body, want", [
    # the one <h1> is the headline the <title> words for search engines and suffixes with the site's name
    ("<title>Best Long-Distance Movers 2026 | Move.org</title>", "<h1>Best Long-Distance Movers 2026</h1>",
     "Best Long-Distance Movers 2026"),
    ("<title>How to Build a Terrarium | eHow</title>", "<h1>How to\n  Build a <em>Terrarium</em></h1>",
     "How to Build a Terrarium"),
    # the headline among other <h1>s (a logo, a section name), without a documentation page's permalink mark
    ("<title>Is it really always the DNS? | APNIC Blog</title>",
     "<h1>APNIC</h1><h1>Is it really always the DNS?</h1>", "Is it really always the DNS?"),
    ("<title>ORM Quick Start — SQLAlchemy 2.0 Documentation</title>",
     '<h1>ORM Quick Start<a class="headerlink" href="#orm">¶</a></h1>', "ORM Quick Start"),
    # an <h1> that is a logo or a section name, or two different headlines: the metadata title stays
    ('<meta property="og:title" content="Minecraft 1.8 - The Bountiful Update">', "<h1>Site News</h1>",
     "Minecraft 1.8 - The Bountiful Update"),
    ("<title>One Headline Here</title>", "<h1>One Headline</h1><h1>Headline Here</h1>", "One Headline Here"),
    ("<title>One Headline Here</title>", "<h1> </h1>", "One Headline Here"),
    # a generic og:title (the site's, a CMS's, a menu's) that names no <h1>, while the <title> names one
    ('<title>Russia: Space ship malfunctions, breaks up over Siberia</title><meta property="og:title" '
     'content="Yahoo News - Latest News & Headlines">', "<h1>Russia: Space ship malfunctions, breaks up over "
     "Siberia</h1>", "Russia: Space ship malfunctions, breaks up over Siberia"),
    ('<title>BDZV: Olafur Eliasson gestaltet Titelseite für die Zeitungen</title><meta property="og:title" '
     'content="Pressemitteilungen">', "<h1>Olafur Eliasson gestaltet Titelseite für die Zeitungen</h1>",
     "Olafur Eliasson gestaltet Titelseite für die Zeitungen"),
    # ... but not a blog's name, the <h1> its <title> opens with: the og:title is the post's
    ("<title>RogerBW's Blog: Advent of Code 2025 week 2</title><meta property=\"og:title\" content=\"Advent of "
     "Code 2025 week 2\">", "<h1>RogerBW's Blog</h1>", "Advent of Code 2025 week 2"),
])
def test_title_is_the_pages_one_headline(head, body, want):
    assert page_metadata(_titled(body, head))["title"] == want


@pytest.mark.parametrize("title, site, want", [
    # the site's name after or before the headline, as the page's sitename gives it (a review's train pages)
    ("Beef Maker von Aldi im Test - CNET.de", "CNET.de", "Beef Maker von Aldi im Test"),
    ("Was Journalisten falsch machen | Übermedien", "Übermedien", "Was Journalisten falsch machen"),
    ("La Stampa — Le mani sulla città di Torino", "La Stampa", "Le mani sulla città di Torino"),
    # another name, or too little left: unchanged
    ("Headline of the day - Other Site", "Site", "Headline of the day - Other Site"),
    ("Short - Site", "Site", "Short - Site"),
    ("RogerBW's Blog: Advent of Code 2025 week 2", "RogerBW's Blog", "Advent of Code 2025 week 2"),
    ("Fazit: Das neue iPhone ist gut", "Apple", "Fazit: Das neue iPhone ist gut"),
    # a site name with a separator of its own (trafilatura-eval's aoc.media page)
    ("Budget talks stall again - Daily Planet - News and Views", "Daily Planet - News and Views",
     "Budget talks stall again"),
])
def test_the_sites_name_leaves_the_title(title, site, want):
    from sito.html.metadata import without_site

    assert without_site(title, site) == want


@pytest.mark.parametrize("name, want", [
    # trafilatura decodes entities only in a script that holds a backslash, then splits the name at ";"
    ("Redacci&oacute;n Diario Pagina Siete", "Redacción Diario Pagina Siete"),
    ("Zo&#235; Kowalsk&#x61;", "Zoë Kowalska"),
    # "&amp;#34;" (escaped twice) stays as it is: decoded twice, it would end the string
    ('Jan Nowak", "description": "&lt;a href=\\"x\\"&gt;&amp;#34;Dziennik&amp;#34;&lt;/a&gt;', "Jan Nowak"),
])
def test_entities_in_json_ld_are_characters(name, want):
    ld = ('{"@context": "https://schema.org", "@type": "NewsArticle", "author": {"@type": "Person", "name": "'
          + name + '"}}')
    tree = _page("<p>Text.</p>", f'<script type="application/ld+json">{ld}</script>')
    assert page_metadata(tree)["author"] == want
    assert "&" in tree.xpath("//script")[0].text   # (the page's own tree is not changed)


def test_a_social_og_title_gives_way_to_the_headline_the_title_starts_with():
    """Interia (a review of Polish pages): the og:title is a social teaser, the `<title>` is the `<h1>` and then the
    site's name. The headline is the `<h1>`, the sitename the `<title>`'s other part, not the headline (both were
    swapped). A blog's name the `<title>` ends with stays no headline."""
    head = ("<title>Angus Barbieri. Nie jadł przez 382 dni - Menway w INTERIA.PL</title><meta property=\"og:title\" "
            "content=\"Schudł 125 kilogramów! Przez rok odmawiał sobie tylko jednego\">")
    md = page_metadata(_titled("<h1>Angus Barbieri. Nie jadł przez 382 dni</h1>", head))
    assert md["title"] == "Angus Barbieri. Nie jadł przez 382 dni" and md["sitename"] == "Menway w INTERIA.PL"
    head = ("<title>A journal and blog of a woodworking beginner - Jan's Blog</title><meta property=\"og:title\" "
            "content=\"Introductions to my woodworking and DIY projects blog\">")
    md = page_metadata(_titled("<h1>Jan's Blog</h1>", head))
    assert md["title"] == "Introductions to my woodworking and DIY projects blog"


@pytest.mark.parametrize("site, title, want", [
    # a handle (twitter:site) as the `<title>` spells the name; cut at Twitter's 15 characters
    ("@Klubjagiellonsk", "Nowa Zelandia: płatny urlop — Klub Jagielloński", "Klub Jagielloński"),
    ("@HeraldSun", "Angry media won't buckle over new law | Herald Sun", "Herald Sun"),
    # a name that only starts the `<title>`'s part is not that part ("Apple" is not "Apple Watch")
    ("@Apple", "Apple Watch Series 11 - Apple Watch", "Apple"),
])
def test_a_handle_for_a_sitename_is_spelled_as_the_title_spells_it(site, title, want):
    head = f'<title>{title}</title><meta name="twitter:site" content="{site}">'
    assert page_metadata(_titled("<p>Text.</p>", head))["sitename"] == want


@pytest.mark.parametrize("head, body, want", [
    ('<meta name="author" content="肖春芳">', "", "肖春芳"),                       # a CJK name has no space
    ('<meta name="author" content="作者：肖春芳">', "", "肖春芳"),
    ('<meta name="author" content="肖春芳">', '<span id="author">作者：</span>', "肖春芳"),
    ('<meta name="author" content="jsmith">', "", None),                         # a one-word handle stays out
    ("", '<span class="author">作者：</span>', None),                             # the label alone is no name
])
def test_authors_written_in_chinese(head, body, want):
    """A Chinese name was dropped as a one-word handle, and the label "作者" ("author") taken for the name
    (readability's gmw page: "作者" instead of 肖春芳)."""
    assert page_metadata(_page(body, head))["author"] == want


def test_the_chinese_fixture_page_names_its_author():
    assert page_metadata(_tree(load_pages()["zh_gmw"]["bytes"]))["author"] == "肖春芳"


def test_a_description_with_markup_is_its_text():
    """og:description holding its paragraph's HTML ("<p>I did <a href=…>Advent of Code</a> …") kept the tags."""
    from sito import clean_html

    en = "The committee met on Tuesday to discuss the new budget proposal for the coming year. "
    page = ('<html><head><meta property="og:description" content="&lt;p&gt;I did &lt;a href=&quot;https://x.org'
            '&quot;&gt;Advent of Code&lt;/a&gt; this year.&lt;/p&gt;"></head><body><p>' + en * 8 + "</p></body></html>")
    assert clean_html(page).description == "I did Advent of Code this year."


@pytest.mark.parametrize("head, h1, title", [
    ('<meta property="og:title" content="Yoga Won\'t Fix the Plumbing, But It Might Save Your Sanity">'
     '<meta property="og:site_name" content="Yoga Pathways"><title>Yoga Pathways</title>', "Yoga Pathways",
     "Yoga Won't Fix the Plumbing, But It Might Save Your Sanity"),
    ("<title>A brief intro to git • Cory Dransfeldt</title>", "Cory Dransfeldt", "A brief intro to git"),
])
def test_a_logo_in_an_h1_is_no_headline(head, h1, title):
    """A site whose logo is its page's one <h1> got the site's name as every page's title."""
    from sito import clean_html

    en = "The committee met on Tuesday to discuss the new budget proposal for the coming year. "
    page = f"<html><head>{head}</head><body><h1>{h1}</h1><article><h2>{title}</h2><p>{en * 6}</p></article></body></html>"
    assert clean_html(page).title == title

"""The cleaner's decision modes: "page" (the default), "extracted" (an extractor's output) and the HTML path's two."""

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sito.clean import clean_lines, clean_text
from sito.clean.cleaner import MODES, Mode, _rescue

EX = Path(__file__).resolve().parents[2] / "examples"

PROSE = [
    "The city council approved the new budget on Tuesday after a debate that lasted most of the afternoon.",
    "Members argued about the cost of repairing the old bridge, which engineers say is no longer safe.",
    "The mayor said the repairs would start in spring and that the bridge would stay open to pedestrians.",
    "Local businesses welcomed the decision, saying that the closure had cut the number of their customers.",
]


def _roles(a):
    return [(ln.role, ln.keep, ln.reason) for ln in a.lines]


def test_modes_are_named_and_unknown_modes_are_an_error():
    assert {"page", "extracted", "html-extracted", "html-fulltext", "thread"} <= set(MODES)
    with pytest.raises(ValueError, match="unknown cleaning mode"):
        clean_text("Some text.", mode="nope")
    # a Mode object can be passed as it is
    assert clean_text("\n".join(PROSE), mode=Mode("custom", threshold=0.3)).text


@pytest.mark.parametrize("mode", ["extracted", "html-extracted", "html-fulltext"])
def test_the_example_page_is_cleaned_the_same_in_every_mode(mode):
    # the example is a scraper's extractor output with every kind of debris: the rules that are clearly right
    # (recommendation block, doubled caption, credit, teaser) remove it in the conservative modes too
    text = (EX / "pl_news_scraped.txt").read_text("utf-8")
    a, b = clean_text(text), clean_text(text, mode=mode)
    assert b.text == a.text
    assert _roles(b) == _roles(a)
    assert (b.title, b.captions, b.credits, b.related) == (a.title, a.captions, a.credits, a.related)


class _SureModel:
    """The shipped model's decoding with fixed p(keep) per line, to test the decision rules on their own."""

    def __init__(self, p):
        from sito.clean.model import default_model

        self.p, self.m = np.asarray(p, dtype=np.float32), default_model()

    def proba(self, X):
        return self.p[: len(X)] if len(X) == len(self.p) else np.full(len(X), 0.9, dtype=np.float32)

    def decode(self, p, threshold=None, smooth=None):
        return self.m.decode(p, threshold=threshold, smooth=smooth)


def test_extracted_mode_lets_a_sure_model_overrule_a_cue_word_inside_article_prose():
    # "cookies" + "consent" match the cookie cue, but the line is article prose among article prose
    line = ("The court ruled that a website must ask before it sets cookies, and that a box ticked in advance "
            "is not valid consent, whatever the site's owners had argued before the judges.")
    lines = PROSE[:2] + [line] + PROSE[2:]
    model = _SureModel([0.95, 0.95, 0.8, 0.95, 0.95])
    page = clean_text("\n".join(lines), model=model)
    ext = clean_text("\n".join(lines), mode="extracted", model=model)
    assert not page.lines[2].keep and page.lines[2].role == "legal"
    assert ext.lines[2].keep
    # when the model agrees with the cue, the line goes
    ext2 = clean_text("\n".join(lines), mode="extracted", model=_SureModel([0.95, 0.95, 0.2, 0.95, 0.95]))
    assert not ext2.lines[2].keep and ext2.lines[2].role == "legal"


def test_rescue_keeps_doubtful_lines_and_drops_what_the_other_extraction_did_not_keep():
    p = np.array([0.9, 0.03, 0.15, 0.9, 0.3, 0.6], dtype=np.float32)
    free = list(range(6))
    # extracted mode: a line the smoothing dropped comes back unless the model is very sure (p < 0.05)
    keep = [True, False, False, True, False, True]
    _rescue(free, keep, p, MODES["extracted"], None)
    assert keep == [True, False, True, True, True, True]
    # hints: in_extractor True lines are protected down to extractor_p, False ones need other_p
    md = Mode("t", extractor_p=0.1, other_p=0.5)
    keep = [True, False, False, True, True, True]
    _rescue(free, keep, p, md, [True, True, True, None, False, False])
    assert keep == [True, False, True, True, False, True]


page = st.lists(st.one_of(st.sampled_from(PROSE + [
    "Wybrane dla Ciebie", "Read more", "Źródło zdjęć: © Twitter", "Share on Facebook", "Advertisement",
    "Short headline here", "We use cookies to improve your experience. Accept", "Home > News > World", ""]),
    st.text(max_size=60)), max_size=30)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(page, st.sampled_from(["extracted", "html-extracted", "html-fulltext", "thread"]))
def test_conservative_modes_keep_a_verbatim_subsequence_and_are_idempotent(lines, mode):
    text = "\n".join(lines)
    a = clean_text(text, mode=mode)
    src = text.splitlines()
    kept = [ln for ln in a.lines if ln.keep and ln.role != "title"]
    assert a.text == "\n\n".join(ln.text for ln in kept)
    assert all(ln.text == src[ln.index] for ln in a.lines)
    b = clean_text(a.text, mode=mode)
    assert b.text == a.text


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(page, st.lists(st.sampled_from([True, False, None]), max_size=30))
def test_html_modes_accept_partial_in_extractor_hints(lines, flags):
    lines = "\n".join(lines).splitlines()
    flags = (flags + [None] * len(lines))[: len(lines)]
    hints = [{} if f is None else {"in_extractor": f} for f in flags]
    for mode in ("html-extracted", "html-fulltext"):
        a = clean_lines(lines, hints=hints, mode=mode)
        assert a.text == "\n\n".join(ln.text for ln in a.lines if ln.keep and ln.role != "title")


def test_clean_step_takes_a_mode():
    from sito.clean import CleanStep
    from sito.document import Document

    text = (EX / "pl_news_scraped.txt").read_text("utf-8")
    doc = CleanStep(mode="extracted").process(Document(id="a", text=text))
    assert doc.text == clean_text(text, mode="extracted").text
    with pytest.raises(ValueError, match="unknown cleaning mode"):
        CleanStep(mode="nope")


CODE = ["def walk(node):", "    list: [", "        list: [", "            1, 2, 3", "        ]", "        ...", "    ]",
        "    ...", "}"]
CODE_PROSE = ["Parsing nested data is a common task, and the standard library makes it easy to walk a tree of lists.",
              "The following example builds a nested list and prints every level of it, one after another:"]


@pytest.mark.parametrize("mode", ["extracted", "html-extracted", "html-fulltext"])
def test_a_code_block_in_pre_is_kept_whole(mode):
    lines = CODE_PROSE + CODE + PROSE[:2]
    hints = ([{"tag": "p", "in_extractor": True}] * 2 + [{"tag": "pre", "in_extractor": True}] * len(CODE)
             + [{"tag": "p", "in_extractor": True}] * 2)
    a = clean_lines(lines, hints=hints, mode=mode)
    assert [ln.text for ln in a.lines if ln.keep and ln.text in CODE] == CODE  # "]", "...", repeats, "1, 2, 3"
    # the same lines without the <pre> evidence: the model drops the debris-like ones
    b = clean_lines(lines, hints=[dict(h, tag="p") for h in hints], mode=mode)
    assert [ln.text for ln in b.lines if ln.keep and ln.text in CODE] != CODE


# the start of a real article (wcxb dev page 0163): its page title is the headline, and trafilatura's output
# starts at the first subheading
_TOOLS = [
    "Key Takeaways",
    "Data analytics tools help businesses turn raw data into decisions, from spreadsheets and BI dashboards to "
    "machine learning platforms that process millions of records every day.",
    "Choosing the right tool depends on your team's skills, the size of your data and the questions you need "
    "answered, as well as on your budget and the systems you already use.",
]
_TOOLS_TITLE = "Top 15 Data Analytics Tools You Should Be Using in 2025"


@pytest.mark.parametrize("mode", ["html-extracted", "extracted", "page"])
def test_a_known_page_title_keeps_a_first_subheading_in_the_text(mode):
    # without a known title, a headline-shaped first line before a paragraph is taken for the title
    assert clean_lines(_TOOLS, mode=mode).title == "Key Takeaways"
    # the page's metadata title is something else: the subheading is not the title, and where an extractor chose
    # the lines (a short line at the top of a full page is the model's to judge, p(keep) close to its bar) it is
    # article text
    art = clean_lines(_TOOLS, mode=mode, title=_TOOLS_TITLE)
    assert art.title is None and art.lines[0].role != "title"
    if mode != "page":
        assert art.text.startswith("Key Takeaways\n\n") and art.lines[0].role == "heading"
    # the headline itself, printed before the article, is still the title (a site's <title> rewords it)
    art = clean_lines([_TOOLS_TITLE.replace(" You Should Be Using", "")] + _TOOLS[1:], mode=mode,
                      title=_TOOLS_TITLE + " | Acme Analytics")
    assert art.lines[0].role == "title" and art.text.startswith("Data analytics tools")


# the start of a real article (readability dev page "breitbart", trafilatura's output): its first line is the
# lead, a sentence of 20 words that ends with a question
_BREITBART = [
    "Snopes fact checker and staff writer David Emery posted to Twitter asking if there were \u201cany un-angry "
    "Trump supporters?\u201d",
    "Emery, a writer for partisan \u201cfact-checking\u201d website Snopes.com which soon will be in charge of "
    "labelling \u201cfake news\u201d alongside ABC News and Politifact, retweeted an article by Vulture magazine.",
    "The tweet from Vulture magazine reads, \u201c#Hamilton Chicago show interrupted by angry Trump supporter.\u201d "
    "Emery then asked, \u201cAre there any un-angry Trump supporters?\u201d",
]


@pytest.mark.parametrize("mode", ["extracted", "page"])
def test_a_sentence_is_not_taken_for_the_title(mode):
    art = clean_lines(_BREITBART, mode=mode)
    assert art.title is None and art.lines[0].role == "lead" and art.text.startswith("Snopes fact checker")
    # a short question is a headline
    art = clean_lines(["Are there any un-angry Trump supporters?"] + _BREITBART[1:], mode=mode)
    assert art.title == "Are there any un-angry Trump supporters?" and art.text.startswith("Emery, a writer")


# the top of a Chinese news page as full-page text (newspaper4k's test page "chinese_article_001"): the section
# menu, a breadcrumb, the headline (no spaces: CJK), source and date, share buttons, the first paragraphs
_CHINESE_TOP = [
    "        * 漫画", "        * 原创", "        * 观天下", "      评论 > 海外观察",
    "      外国专家：中美合作共赢符合国际社会利益", "          来源： 中国日报网", "          2023-11-17 15:13",
    "          分享", "        分享到", "        分享到微信", "          关闭",
    "        在美国旧金山举行的中美元首会晤吸引了全世界的目光。多名外国专家告诉《中国日报》，中美合作共赢符合国际社会利益，"
    "美方应当采取更多行动。",
    "        中美合作共赢是大势所趋",
    "        美中合作基金会执行主席约翰·米勒-怀特认为，共同繁荣还是互相毁灭，这是两国面临的抉择。众所周知，21世纪的金融往来"
    "和军事技术发展让超级大国也无法在冲突中成为赢家。",
    "        瑞典“一带一路”研究所副所长侯赛因·阿斯卡里指出，作为全球最大的两个经济体，中美关系几乎会影响每一个国家，这是不可"
    "避免的。各国在供应链和贸易运输上相互依存，因此中美两个大国必须深化合作，避免摩擦和直接对抗。",
]


def test_the_title_is_a_headline_not_a_menu_entry():
    from sito.clean.cleaner import _title_candidate

    assert _title_candidate("外国专家：中美合作共赢符合国际社会利益")          # CJK: words without spaces
    assert _title_candidate("Lupita Nyong'o's $150K Pearl Oscar Dress -- STOLEN!!!")
    assert not _title_candidate("* Privacy & Technology") and not _title_candidate("+ All Share Services")
    assert not _title_candidate("« Vorige | Nächste »") and not _title_candidate("Sign in")
    art = clean_lines(_CHINESE_TOP)
    assert art.title == "外国专家：中美合作共赢符合国际社会利益"
    assert art.text.lstrip().startswith("在美国旧金山举行的中美元首会晤")
    # a menu entry right before the article is not its title, even when it is the only headline there
    art = clean_lines(["* Privacy & Technology"] + _CHINESE_TOP[5:])
    assert art.title != "* Privacy & Technology"



# the top of readability's "guardian-1" page as full-page text: the headline, then 11 lines (a caption, the
# standfirst, the byline, the headline again, a sponsor line, the date, share buttons) before the first paragraph
_GUARDIAN_TOP = [
    "* Search jobs", "* Digital Archive", "* Discount Codes", "Seascape: the state of our oceans",
    "'What is the sea telling us?': Māori tribes fearful over whale strandings",
    "Whale expert Hori Parata. Photograph: Adrian Malloch for the Guardian",
    "New Zealand’s whale whisperers worry that manmade changes in the ocean are behind the spike in beachings",
    "by Eleanor Ainge Roy (reporting) and Adrian Malloch (photography)",
    "Main image: Whale expert Hori Parata. Photograph: Adrian Malloch for the Guardian",
    "'What is the sea telling us?': Māori tribes fearful over whale strandings",
    "Seascape: the state of our oceans is supported by", "About this content",
    "Thu 3 Jan 2019 02.00 EST Last modified on Wed 16 Jan 2019 06.16 EST",
    "* Share on Facebook", "* Share on Twitter", "* Share via Email",
    "W hale whisperer Hori Parata was just seven years old when he attended his first mass stranding, a beaching "
    "of porpoises in New Zealand’s Northland, their cries screeching through the air on the deserted stretch of sand.",
    "Seven decades later, Parata, 75, has now overseen more than 500 strandings and is renowned in New Zealand as "
    "the leading Māori whale expert, called on by tribes around the country for cultural guidance as marine "
    "strandings become increasingly complex and fatal.",
    "“Man’s greed in the ocean is hurting the whales,” says Parata, a fierce and uncompromising elder of the "
    "Ngātiwai tribe of eastern Northland.",
]


def test_the_headline_further_up_than_the_byline_date_and_share_buttons():
    art = clean_lines(_GUARDIAN_TOP)
    assert art.title == "'What is the sea telling us?': Māori tribes fearful over whale strandings"
    assert art.text.startswith("W hale whisperer")

def test_outside_the_main_block():
    from sito.clean.cleaner import _outside_main_block

    prose = "A paragraph of the article with enough words to weigh in the block of the page. " * 2
    # menu, the article (one dominant block), a teaser far below
    p = np.array([0.1, 0.2, 0.1, 0.9, 0.8, 0.35, 0.9, 0.95, 0.1, 0.2, 0.1, 0.45, 0.1], dtype=np.float32)
    strs = ["Home", "News", "Sport", prose, prose, "Subheading", prose, prose, "Share", "Related", "x",
            "Teaser headline of another article", "Footer"]
    out = _outside_main_block(p, strs)
    # the run is rows 3..7 (through the doubtful subheading), one row of margin each side
    assert out.tolist() == [True, True, False, False, False, False, False, False, False, True, True, True, True]
    # two blocks of the same weight (a forum thread, a listing): no dominant block, nothing is outside
    q = np.array([0.9, 0.9, 0.1, 0.1, 0.1, 0.9, 0.9], dtype=np.float32)
    assert _outside_main_block(q, [prose] * 7) is None
    assert _outside_main_block(np.array([0.1, 0.2, 0.1], dtype=np.float32), ["a", "b", "c"]) is None
    # a short article (two prose lines), then a long list of headlines the model half believes: counted in
    # full, the list joins the block; when lines that are not prose add nothing, the article is the block
    headline = "Teaser headline of another article on the same site"
    r = np.array([0.1, 0.8, 0.9, 0.1] + [0.5] * 20, dtype=np.float32)
    s = ["Menu", prose, prose, "Share"] + [headline] * 20
    is_prose = [False, True, True, False] + [False] * 20
    assert not _outside_main_block(r, s, is_prose, 1.0).any()
    assert _outside_main_block(r, s, is_prose, 0.0).tolist() == [False] * 4 + [True] * 20


def test_page_mode_drops_what_follows_the_main_block_of_a_full_page():
    # a real Polish news page as full-page text: after the article, a newsletter sign-up with its consent text
    fx = json.loads((Path(__file__).resolve().parents[1] / "fixtures" / "clean" / "pl_fulltext.json")
                    .read_text("utf-8"))
    after = ("Bądź na bieżąco! Zapisz się na nasz newsletter", "Wyrażam zgodę na przetwarzanie moich danych",
             "Administratorem danych jest Defence24")

    def fate(art):
        return [(ln.keep, ln.reason) for ln in art.lines if ln.text.strip().startswith(after)]

    with_block = fate(clean_text(fx["text"]))
    assert len(with_block) == 3
    assert all(not keep and "outside the page's main block" in reason for keep, reason in with_block)
    without = fate(clean_text(fx["text"], mode=Mode("page-no-block")))
    # (the sign-up line itself is a prompt to subscribe, which goes by rule either way)
    assert [keep for keep, _ in without] == [False, True, True]
    assert without[0][1].startswith("prompt to subscribe, follow or log in")


def test_a_list_of_headlines_does_not_outweigh_a_short_article():
    # a two-paragraph article, then 34 headlines of other articles (MAIN_BLOCK_NONPROSE)
    fx = json.loads((Path(__file__).resolve().parents[1] / "fixtures" / "clean" / "pl_fulltext2.json")
                    .read_text("utf-8"))
    article = ("Oto kraje, w których średnia godzina pracy", "Portal Statista powołuje się na dane")
    art = clean_text(fx["text"])
    assert [ln.keep for ln in art.lines if ln.text.strip().startswith(article)] == [True, True]
    assert art.title == "Ile jest warta godzina pracy? W tych krajach praca popłaca"


def test_page_mode_keeps_a_line_that_is_not_prose_only_when_the_model_is_surer():
    # real pages as full-page text: a gallery link ("Otwórz galerię Na Gazeta.pl") and a Chinese news site's
    # editor line, which the model half believes (p(keep) 0.25-0.4); a paragraph at the same p(keep) would stay
    # (NONPROSE_P)
    import gzip
    from dataclasses import replace

    from sito.clean.cleaner import NONPROSE_P
    from sito.clean.sources import convert

    fix = Path(__file__).resolve().parents[1] / "fixtures"
    cases = [(fix / "html" / "pl_iso8859_2.html.gz", "Otwórz galerię Na Gazeta.pl"),
             (fix / "io" / "chinese_article_002.html.gz", "【纠错】 【责任编辑:张樵苏 】")]
    assert MODES["page"].nonprose_p == NONPROSE_P == 0.4
    for path, line in cases:
        text = convert("fulltext", gzip.decompress(path.read_bytes()))
        # (a line may recur on the page; its other copies are surer debris)
        [ln] = [ln for ln in clean_text(text).lines if ln.text.strip() == line and "not prose" in (ln.reason or "")]
        assert not ln.keep and ln.reason.endswith("a line that is not prose needs 0.40")
        p = float(ln.reason.split("=")[1].split(";")[0])
        assert 0.25 <= p < NONPROSE_P
        without = clean_text(text, mode=replace(MODES["page"], name="page-any", nonprose_p=0.0))
        assert without.lines[ln.index].keep


def _count_passes(monkeypatch):
    import sito.clean.cleaner as cleaner

    calls, real = [], cleaner._pass

    def counted(*args, **kw):
        calls.append(len(args[0]))
        return real(*args, **kw)

    monkeypatch.setattr(cleaner, "_pass", counted)
    return calls


def test_extracted_modes_read_lines_one_empty_line_apart(monkeypatch):
    # the lines an extractor gives, blank lines here and there: the first pass reads the non-blank ones as the
    # re-reading passes read kept text, and the article's lines still map to the input's
    src = ["", PROSE[0], PROSE[1], "", "", PROSE[2], "  ", PROSE[3]]
    calls = _count_passes(monkeypatch)
    a = clean_lines(src, mode="extracted")
    assert [ln.index for ln in a.lines] == list(range(len(src)))
    assert [ln.text for ln in a.lines] == src
    assert [ln.role for ln in a.lines if not src[ln.index].strip()] == ["blank"] * 4
    assert a.text == "\n\n".join(PROSE)
    # nothing was dropped and no line is the title: the view of the kept lines is what was read, so one pass
    assert calls == [2 * len(PROSE) - 1]
    # in page mode the lines are read as given, and a confirming pass re-reads the kept ones
    calls.clear()
    assert clean_lines(src, mode="page").text == a.text
    assert calls == [len(src), 2 * len(PROSE) - 1]
    # a clean text cleaned again is read once in every mode
    for mode in ("page", "extracted"):
        calls.clear()
        assert clean_text(a.text, mode=mode).text == a.text
        assert calls == [2 * len(PROSE) - 1]


def test_the_spaced_reading_keeps_html_hints_on_their_lines():
    lines = CODE_PROSE + [""] + CODE + PROSE[:2]
    hints = ([{"tag": "p", "in_extractor": True}] * 2 + [None] + [{"tag": "pre", "in_extractor": True}] * len(CODE)
             + [{"tag": "p", "in_extractor": True}] * 2)
    a = clean_lines(lines, hints=hints, mode="html-extracted")
    assert [ln.text for ln in a.lines if ln.keep and ln.text in CODE] == CODE
    assert a.lines[2].role == "blank" and not a.lines[2].keep


def test_a_spaced_page_read_again_is_read_the_same_with_its_hints():
    # the shortcut of the spaced reading: when the first pass keeps every line of a spaced page, the re-reading
    # view is the page itself; its hints differ only where nothing reads them (None vs {}, the empty lines)
    import gzip

    from sito.clean.cleaner import MODES, _pass, _view
    from sito.clean.model import default_model
    from sito.html.extract import extract_page

    fx = Path(__file__).resolve().parents[1] / "fixtures" / "html"
    ex = extract_page(gzip.decompress((fx / "en_ars.html.gz").read_bytes()))
    nb = [i for i, s in enumerate(ex["lines"]) if s.strip()]
    hints = [dict(h) if k % 3 else None for k, h in enumerate(ex["hints"])]   # some lines without hints
    lines = _view(ex["lines"], hints, nb)[0]
    lines_h = [None if k % 2 else hints[nb[k // 2]] for k in range(len(lines))]   # as given: None, not {}
    model, md = default_model(), MODES["html-extracted"]
    a = _pass(lines, lines_h, None, model, {}, md)
    again, again_h = _view(lines, lines_h, list(range(0, len(lines), 2)))
    assert again == lines
    b = _pass(again, again_h, None, model, {}, md)
    assert (a["roles"], a["keeps"], a["reasons"], a["title"]) == (b["roles"], b["keeps"], b["reasons"], b["title"])

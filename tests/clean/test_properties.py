"""Property tests of the cleaner (hypothesis): never raises, keeps a subsequence verbatim, idempotent, and the same
when texts are cleaned together (`clean_texts`)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sito.clean import ROLES, clean_lines, clean_text, clean_texts

# lines that look like real page parts, so that the model and the rules are exercised, mixed with noise
_PARTS = [
    "Wybrane dla Ciebie", "Zobacz też", "Read more", "Related", "Most popular", "Źródło zdjęć: © Twitter",
    "fot. PAP", "Photo: Getty Images", "Share on Facebook", "We use cookies to improve your experience. Accept",
    "Page 2 of 5", "Home > News > World", "Advertisement", "Reklama", "Comments (12)", "By John Smith",
    "Białorusini chcą walczyć Białorusini chcą walczyć?",
    "Prezydent Białorusi Aleksander Łukaszenka jest otwartym sojusznikiem Władimira Putina, co wiadomo od lat.",
    "The government said on Tuesday that it would raise taxes on imported steel by ten percent next year.",
    "– Wrócę tylko do wolnej Białorusi - odpowiedział żołnierz.",
    "Short headline here", "Another Headline: With a Colon", "„To jest cytat z wypowiedzi ministra” – powiedział.",
    "", "   ", "\t", "* item one", "1. first", "©", "…", "12.03.2024", "https://example.com/a",
]
line = st.one_of(st.sampled_from(_PARTS), st.text(max_size=80))
page = st.lists(line, max_size=40)


def _text(lines):
    return "\n".join(lines)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_never_raises_on_any_string(s):
    a = clean_text(s)
    assert isinstance(a.text, str)
    assert len(a.lines) == len(s.splitlines())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(page)
def test_kept_lines_are_a_verbatim_subsequence(lines):
    text = _text(lines)
    src = text.splitlines()
    a = clean_text(text)
    assert [ln.text for ln in a.lines] == src
    kept = [ln for ln in a.lines if ln.keep and ln.role != "title"]
    assert a.text == "\n\n".join(ln.text for ln in kept)
    assert [ln.index for ln in kept] == sorted(ln.index for ln in kept)
    for ln in a.lines:
        assert ln.text == src[ln.index]
        assert ln.role in ROLES
        if not ln.keep and ln.role != "blank":
            assert ln.reason
        if ln.role == "blank":
            assert not ln.text.strip() and not ln.keep


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(page)
def test_cleaning_the_clean_text_changes_nothing(lines):
    a = clean_text(_text(lines))
    b = clean_text(a.text)
    assert b.text == a.text
    assert all(ln.keep for ln in b.lines if ln.role != "blank")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(page, st.lists(st.fixed_dictionaries({}, optional={
    "tag": st.sampled_from(["h1", "h2", "p", "li", "figcaption", "blockquote", "td", "div"]),
    "in_nav": st.booleans(), "in_footer": st.booleans(), "in_aside": st.booleans(),
    "link_density": st.floats(0, 1), "in_extractor": st.floats(0, 1)}), max_size=40))
def test_hints_are_optional_evidence(lines, hints):
    lines = _text(lines).splitlines()
    hints = (hints + [{}] * len(lines))[: len(lines)]
    a = clean_lines(lines, hints=hints)
    assert len(a.lines) == len(lines)
    assert a.text == "\n\n".join(ln.text for ln in a.lines if ln.keep and ln.role != "title")


def test_bad_line_input_is_a_clear_error():
    import pytest

    with pytest.raises(ValueError, match="line break"):
        clean_lines(["a\nb"])
    with pytest.raises(ValueError, match="hints"):
        clean_lines(["a", "b"], hints=[{}])
    with pytest.raises(TypeError):
        clean_text(b"bytes")  # type: ignore[arg-type]
    for sep in ("\u2028", "\x0b", "\x85", "\r"):   # what clean_text would split at
        with pytest.raises(ValueError, match="line break"):
            clean_lines([f"a{sep}b"])
    with pytest.raises(TypeError, match="not one string"):
        clean_lines("one text")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="not one text"):
        list(clean_texts("one text"))
    with pytest.raises(TypeError, match="url"):
        clean_text("a line", url=1)  # type: ignore[arg-type]


def test_a_language_is_named_in_any_common_form():
    """ISO 639-1, ISO 639-3, FineWeb-2 names and locales mean the same language (the quality filters take
    "pol_Latn"); a code that names no language is an error, not a silent switch-off of the stop-word features."""
    import pytest
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "examples" / "pl_news_scraped.txt").read_text("utf-8")
    want = clean_text(text, language="pl")
    for code in ("pol", "pol_Latn", "PL", "pl_PL", "pl-PL"):
        a = clean_text(text, language=code)
        assert a.language == "pl" and a.text == want.text
    assert clean_text("Short text here.", language="eng_Latn").language == "en"
    with pytest.raises(ValueError, match="unknown language"):
        clean_text(text, language="klingon")
    with pytest.raises(TypeError, match="language"):
        clean_text(text, language=1)  # type: ignore[arg-type]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(page, max_size=6), st.integers(min_value=1, max_value=4), st.sampled_from(["page", "extracted"]))
def test_cleaning_texts_together_gives_what_cleaning_each_gives(pages, batch, mode):
    # pages of a batch share lines ("Reklama", the same headline) and their lines are measured together
    texts = [_text(lines) for lines in pages]
    assert list(clean_texts(texts, batch=batch, mode=mode)) == [clean_text(t, mode=mode) for t in texts]


def test_a_duplicate_names_the_input_line_it_repeats():
    """"duplicate of line N" names N in the input, in every mode and layout: the re-reading passes and the
    extractor-output mode read the lines re-spaced, and their reasons must still name the input's lines."""
    import gzip
    import re
    from pathlib import Path

    from sito import clean_html

    root = Path(__file__).resolve().parents[2]
    page = (root / "examples" / "pl_news_scraped.txt").read_text("utf-8")
    bridge = ["Budget talks stall in parliament",
              "The council voted on Tuesday to close the old bridge for repairs, which will take most of the year.",
              "Engineers found cracks in two of the bridge's supports last spring, and traffic was limited since."]
    texts = [page, "\n\n".join(s for s in page.splitlines() if s.strip()), "\n".join(bridge + bridge[1:2]),
             "\n\n".join(bridge + bridge[1:2])]
    arts = [clean_text(t, mode=m) for t in texts for m in ("page", "extracted")]
    arts += [clean_html(gzip.decompress(p.read_bytes())) for p in sorted((root / "tests/fixtures/html").glob("*.gz"))]
    named = 0
    for a in arts:
        for ln in a.lines:
            m = re.match(r"duplicate of line (\d+)", ln.reason or "")
            if m:
                j = int(m.group(1))
                assert j < ln.index and a.lines[j].text.split() == ln.text.split(), (ln, a.lines[j])
                named += 1
    assert named >= 10

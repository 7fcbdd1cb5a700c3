"""Choosing the charset of text that is not UTF-8 and declares none (`sito.io.charsets.likeliest`)."""

from __future__ import annotations

import tracemalloc

import pytest

from sito.io.readers.files import decode_text

TEXTS = {
    "de": "Die Prüfung war schwierig, aber die Schüler haben größtenteils gut abgeschnitten. Über das Wochenende "
          "fahren wir nach München zu unseren Großeltern.",
    "es": "El niño comió una manzana y después salió a jugar al jardín con su perro. La señora García preparó una "
          "cena deliciosa para toda la familia.",
    "en": "The restaurant served a crème brûlée that evening, and everyone agreed it was the best dessert of the "
          "week. We talked about the weather and the news for a long while.",
    "pl": "Zażółć gęślą jaźń. To jest zwykły polski tekst artykułu, który ma kilka zdań. Wczoraj padał deszcz.",
    "pl-short": "Często gęsto bywa w mieście.",
    "cs": "Příliš žluťoučký kůň úpěl ďábelské ódy.",
    "ru": "Привет мир, это обычный русский текст статьи.",
}


@pytest.mark.parametrize("lang, charset", [("de", "cp1252"), ("es", "cp1252"), ("en", "cp1252"), ("pl", "cp1250"),
                                           ("pl", "iso8859-2"), ("pl-short", "cp1250"), ("cs", "cp1250"),
                                           ("ru", "cp1251")])
def test_short_legacy_text_reads_as_written(lang, charset):
    """Short Western text came out in an Urdu charset ("Prﮰfung"), a Baltic one ("nińo") or code page 852
    ("crŔme brűlÚe"): the language identifier's scores of such readings differ by noise, and a capital or an
    Arabic form inside a Latin word is no word."""
    text, enc = decode_text(TEXTS[lang].encode(charset))
    assert text == TEXTS[lang], enc


def test_guessing_a_charset_holds_a_few_times_the_file():
    """Every candidate decoding of the whole file was kept at once (about eleven times the file)."""
    data = (TEXTS["pl"] + " ").encode("cp1250") * 20_000   # 2 MB
    decode_text(TEXTS["pl"].encode("cp1250"))   # (the language identifier's model loaded before measuring)
    tracemalloc.start()
    text, enc = decode_text(data)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert enc in ("cp1250", "iso8859-2") and text.startswith("Zażółć")
    assert peak < 6 * len(data), peak / len(data)

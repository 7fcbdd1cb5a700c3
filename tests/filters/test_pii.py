"""PII masking: what is masked, what is left alone, counts in stats and metadata."""

from __future__ import annotations

from sito.document import Document
from sito.filters.pii import PIIMask, mask_pii, valid_nip, valid_pesel
from sito.pipeline import RunStats, run_steps


def test_checksums():
    assert valid_pesel("44051401359") and not valid_pesel("44051401358")
    assert valid_pesel("02270803624")  # born 2002-07-08 (month + 20)
    assert not valid_pesel("44133101356")  # month 13
    assert valid_nip("5260250274") and valid_nip("526-025-02-74") and not valid_nip("5260250275")


def test_masking():
    text = ("Kontakt: jan.kowalski@example.pl, tel. +48 601 234 567 lub (22) 123 45 67, 601-234-567. "
            "Serwer 83.12.1.10 i 2a00:1450:4001:82b::200e. PESEL 44051401359, NIP 526-025-02-74. "
            "Wersja 1.2.3.4.5, numer 44051401358, rok 2024-05-12, godzina 12:30, kwota 1 234 zł.")
    out, counts = mask_pii(text)
    assert counts == {"email": 1, "ip": 2, "pesel": 1, "nip": 1, "phone": 3}
    assert "jan.kowalski" not in out and "<EMAIL>" in out
    for kept in ("1.2.3.4.5", "44051401358", "2024-05-12", "12:30", "1 234 zł"):
        assert kept in out


def test_step_counts():
    stats = RunStats()
    docs = [Document(id="a", text="Pisz: a@b.pl albo c@d.com."), Document(id="b", text="Nic tu nie ma.")]
    out = list(run_steps([PIIMask()], docs, stats))
    assert out[0].text == "Pisz: <EMAIL> albo <EMAIL>." and out[0].metadata["pii"] == {"email": 2}
    assert out[1].text == "Nic tu nie ma." and "pii" not in out[1].metadata
    assert stats.steps["pii"].counters["pii:email"] == 2


def test_what_only_looks_like_pii_is_left_alone():
    """Amounts, grouped numbers, URL paths and C++ / wiki names have the shapes of phone numbers and IPv6
    addresses; masked, they cut into numbers and words ("st<IP>out")."""
    for text in ("Use std::cout, Vec::new, Foo::Bar, Uwaga:: tak, Kategoria::Sport",
                 "Budżet wynosi 350 000 000 zł, a dług 1 250 000 000 zł.", "1.234.567.890 Euro, 2 500 000 PLN",
                 "Adres 192.168.001.001 w logu", "https://www.onet.pl/informacje/a/123-456-789"):
        assert mask_pii(text) == (text, {}), text
    # the real ones next to them still go, and masking twice changes nothing more
    out, counts = mask_pii("std::cout; serwer 2001:4860:4860::8888, tel. 601 234 567, ID::44051401359")
    assert out == "std::cout; serwer <IP>, tel. <PHONE>, ID::<PESEL>" and mask_pii(out)[0] == out


def test_email_matching_takes_linear_time_on_long_dotted_runs():
    """A 100 KB run of "a." next to an "@" took 53 s with an unbounded local part; bounded, it is read once."""
    import time

    t0 = time.process_time()
    out, counts = mask_pii("x@" + "a." * 50000 + " kontakt: jan@wp.pl")
    assert counts == {"email": 1} and out.endswith("kontakt: <EMAIL>")
    assert time.process_time() - t0 < 5   # (quadratic: about a minute)


def test_private_addresses_counts_and_registry_numbers_are_left():
    """As FineWeb-2's PIIFormatter, only public IP addresses are masked (a router's 192.168.1.1 in a how-to is
    nobody's); a count of three groups of three ("331 449 281 mieszkańców") is no phone number unless it opens
    with a mobile prefix; a KRS number (leading zeros) is no NIP; a number right after a masked one is masked in
    the same call (masking twice changed the text)."""
    for text in ("Wpisz 192.168.1.1 albo 127.0.0.1 lub 10.0.0.138.", "Adres fe80::1 i ::1.",
                 "W 2023 roku sprzedano 123 456 789 egzemplarzy.", "USA ma 331 449 281 mieszkańców.",
                 "KRS 0000885441"):
        assert mask_pii(text) == (text, {}), text
    out, counts = mask_pii("Kontakt: +48 22 123 45 67 +48 601 234 567")
    assert out == "Kontakt: <PHONE> <PHONE>" and counts == {"phone": 2} and mask_pii(out)[0] == out

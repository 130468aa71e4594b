"""Personal data is replaced before anything is stored or shown to staff; ordinary passport
questions pass untouched, and the labelled dev sets match exactly as before."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.ids import plain_id

from bot.channels.whatsapp.inbound import describe_error
from bot.core.privacy import CUT_MARK, MAX_REDACT_CHARS, normalise, redact
from bot.core.turns import sanitize
from bot.runtime.evaluate import read_rows
from knowledge.loader import load
from knowledge.matcher import Matcher
from knowledge.policy import Thresholds, decide

from .corpus import CASES, SAFE, WIDER_CASES, Case, leaked

ROOT = Path(__file__).resolve().parents[2]
DEV_SETS = [ROOT.parent / "shared" / "eval" / name for name in ("dev.tsv", "dev-long.tsv")]


def test_the_corpus_is_large_and_covers_every_kind() -> None:
    assert len(CASES) >= 115
    assert len(SAFE) >= 40
    assert len(WIDER_CASES) >= 30
    kinds = {case.kind for case in CASES}
    assert kinds >= {"nik", "kk", "otp", "passport", "phone", "email", "billing", "address"}
    assert kinds >= {"birth", "name"}


@pytest.mark.parametrize("case", CASES, ids=[plain_id(c.text[:40]) for c in CASES])
def test_redacts_every_form(case: Case) -> None:
    found = redact(case.text)
    assert case.kind in found.kinds, found
    for secret in case.secrets:
        assert not leaked(secret, found.text), (secret, found.text)


@pytest.mark.parametrize("typed", SAFE)
def test_leaves_ordinary_questions_alone(typed: str) -> None:
    found = redact(typed)
    assert (found.text, found.kinds) == (typed, frozenset())


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("nik saya 3201234567890001 tolong", "nik saya [NIK] tolong"),
        ("no kk 3201234567890002", "no kk [NOMOR-KK]"),
        ("pasporC7654322 hilang", "paspor [NOMOR-PASPOR] hilang"),
        ("482913 itu kode otp nya", "[KODE-OTP] itu kode otp nya"),
        ("telp (0721) 322111", "telp [TELEPON]"),
        ("budi.s @ gmail.com ya", "[EMAIL] ya"),
        ("Budi Santoso lahir 12-03-1990", "[NAMA] lahir [TGL-LAHIR]"),
        ("alamat Jl. Merdeka No. 12 RT 03/RW 05", "alamat [ALAMAT]"),
        ("nomor 12345678901", "nomor [NOMOR]"),
        ("NIKnya3201234567890003 salah", "NIKnya[NIK] salah"),
        ("hp 0812 - 3456 - 7890 aktif", "hp [TELEPON] aktif"),
        ("kode otp 48-29-13", "kode otp [KODE-OTP]"),
        ("budi at gmail dot com ya", "[EMAIL] ya"),
        ("paspor C 591 8273 hilang", "paspor [NOMOR-PASPOR] hilang"),
        # A code sent on its own, as a reply.
        ("582916", "[KODE-OTP]"),
    ],
)
def test_placeholders_read_naturally(typed: str, expected: str) -> None:
    assert redact(typed).text == expected


def test_text_beyond_the_cap_is_dropped_and_the_cut_marked() -> None:
    secret = "nik 3201234567890001"
    typed = "saya mau tanya " * (MAX_REDACT_CHARS // 15) + secret * 100
    found = redact(typed)
    assert found.text.endswith(CUT_MARK)
    assert len(found.text) <= MAX_REDACT_CHARS + len(CUT_MARK)
    assert not leaked("3201234567890001", found.text)


@pytest.mark.parametrize("cut_at", range(1, 20))
def test_a_number_the_cut_goes_through_is_dropped_whole(cut_at: int) -> None:
    """Half a NIK is not recognised as one: it goes with the rest."""
    typed = "x" * (MAX_REDACT_CHARS - cut_at) + " 3201 2345 6789 0001 sisa"
    assert not leaked("32012345", redact(typed).text[-40:])


def test_text_that_normalising_lengthens_is_capped_too() -> None:
    found = redact("\ufdfa" * MAX_REDACT_CHARS)  # NFKC: 18 letters each
    assert len(found.text) <= MAX_REDACT_CHARS + len(CUT_MARK)
    assert found.text.endswith(CUT_MARK)


def test_text_up_to_the_cap_is_kept_whole() -> None:
    typed = "biaya paspor berapa? " * (MAX_REDACT_CHARS // 21)
    assert redact(typed[:MAX_REDACT_CHARS]).text == typed[:MAX_REDACT_CHARS]


def test_invisible_and_bidi_characters_are_dropped() -> None:
    typed = "a\u2066b\u2069c\u202ed\u200ee\u200ff\u2060g\u200bh\u00adi\ufeffj"
    assert normalise(typed) == "abcdefghij"


@pytest.mark.skipif(not all(p.exists() for p in DEV_SETS), reason="shared dev sets absent")
def test_dev_sets_match_the_same_after_redaction() -> None:
    """The core matches redacted text: redaction must not change one decision."""
    matcher, thresholds = Matcher(load(ROOT / "faq.yaml")), Thresholds()
    changed = []
    for row in read_rows(DEV_SETS):
        raw = decide(matcher.rank(row.question), thresholds)
        redacted = decide(matcher.rank(redact(sanitize(row.question)).text), thresholds)
        outcome = (raw.action, raw.entry.id if raw.entry else None)
        if outcome != (redacted.action, redacted.entry.id if redacted.entry else None):
            changed.append(row.question)
    assert changed == []


def test_graph_api_error_details_lose_the_recipient_number() -> None:
    error = {
        "code": 131026,
        "title": "Message undeliverable",
        "error_data": {"details": "Recipient 6281234567890 cannot be reached"},
    }
    described = describe_error(error)
    assert described.startswith("131026 Message undeliverable: Recipient ")
    assert "6281234567890" not in described


# The edges of each rule: a number one digit longer or shorter, a word one character further.
BOUNDARIES = [
    ("6281234567", "phone"),  # +62 numbers from 10 digits...
    ("62812345678901", "phone"),  # ...to 14
    ("0812345678901", "phone"),  # 08 mobiles up to 13 digits
    ("08123456789012", "longnumber"),
    ("072112345", "phone"),  # landlines from 9 digits...
    ("072112345678", "phone"),  # ...to 12
    ("0721123456789", "longnumber"),
    ("+072112345678", "longnumber"),  # "+" then 0 is no number anyone dials
    ("123456789012345", "billing"),  # 15 digits are a billing code even without the word
    ("billing 1234567890", "billing"),  # from 10 digits with the word
    ("billing" + " " * 33 + "123456789012", "billing"),  # the word 40 characters back
    ("billing" + " " * 34 + "123456789012", "longnumber"),  # 41 is too far
    ("1234567890", "longnumber"),
    ("wa 12345", "phone"),  # a short number right after a phone word: 5 digits...
    ("hp 812345678", "phone"),  # ...to 9 (a mobile written without its 0)
    ("hp" + " " * 18 + "12345", "phone"),  # the word within 20 characters
    ("kode 2024", "otp"),  # a year is a code only right after the word
    ("otp 123-456", "otp"),
]


@pytest.mark.parametrize(("text", "kind"), BOUNDARIES)
def test_each_rule_holds_to_its_edge(text: str, kind: str) -> None:
    assert redact(text).kinds == {kind}


@pytest.mark.parametrize(
    "text",
    [
        "628123456",  # +62 and only 7 more digits
        "hp" + " " * 19 + "12345",  # the phone word too far back
        "biaya Rp 1000000000",  # money, however long
        "biaya Rp. 1000000000",
        "biaya rp1000000000",
        "verifikasi tanggal 12-03-2025 gagal",  # a dashed date is no code
        "verifikasi tanggal 12\u201303\u20132025 gagal",  # with en dashes too
        "verifikasi jam 10.30",  # a time is no code
    ],
)
def test_just_past_each_edge_nothing_is_taken(text: str) -> None:
    assert redact(text).text == text

"""Normalisation of informal Indonesian: the same question typed many ways looks the same."""

from __future__ import annotations

import re

import pytest

from knowledge.spelling import _DOMAIN_PATTERNS, clean
from knowledge.text import Normaliser


@pytest.fixture(scope="module")
def normaliser() -> Normaliser:
    return Normaliser(vocabulary=["bisa", "maaf", "paspor"])


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("brp biaya pasport skrg??", "berapa biaya paspor sekarang"),
        ("Gmn bikin M-Paspor", "bagaimana buat mpaspor"),
        ("m paspor", "mpaspor"),
        ("MPASPORT", "mpaspor"),
        ("e-paspor", "paspor elektronik"),
        ("bisaaa gk", "bisa tidak"),
        ("maaaf kak", "maaf kakak"),
        ("KK sama akte", "kartu keluarga sama akta"),
        ("kode otp ga masuk2", "otp tidak masuk masuk"),
        ("10thn Rp650.000", "10 tahun rp 650000"),
        ("apk force close", "aplikasi keluar sendiri"),
        ("pw lupa", "password lupa"),
        ("Passport", "paspor"),
    ],
)
def test_normalise(normaliser: Normaliser, typed: str, expected: str) -> None:
    assert normaliser.normalise(typed) == expected


def test_kk_is_kartu_keluarga_not_kakak(normaliser: Normaliser) -> None:
    assert normaliser.normalise("kk") == "kartu keluarga"
    assert normaliser.normalise("kak") == "kakak"


def test_stems_keep_question_words(normaliser: Normaliser) -> None:
    assert normaliser.stems("berapa") == ["berapa"]
    assert normaliser.stems("pembayaran") == ["bayar"]
    assert normaliser.stems("paspornya") == ["paspor"]


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("", ""),
        ("   ", ""),
        ("🙏🙏", ""),
        ("\x00\x01", ""),
        ("<b>?</b>", "b b"),
        ("' OR 1=1 --", "or 1 1"),
    ],
)
def test_odd_input_is_read_as_plain_words(normaliser: Normaliser, typed: str, read: str) -> None:
    assert normaliser.normalise(typed) == read


def test_clean_strips_markup_and_emoji() -> None:
    assert clean("<b>Biaya</b> paspor 😊?") == "b biaya b paspor"


@pytest.mark.parametrize(
    "typed",
    ["Biaya PASPOR 650.000 brp?", "ga masuk2 udh 3x", "bisaaa tolonggg", "E-KTP & KK (asli)"],
)
def test_plain_ascii_is_read_as_the_unicode_path_reads_it(typed: str) -> None:
    # clean() skips Unicode normalisation for ASCII text; a non-ASCII word forces the full path.
    assert clean(f"{typed} café") == f"{clean(typed)} cafe"


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("pacar sy WN Turki", "pacar saya warga negara asing"),
        ("istri warga negara Filipina", "istri warga negara asing"),
        ("bos sy orang inggris", "bos saya warga negara asing"),
        # A country alone is a destination, not a nationality.
        ("mau kerja ke malaysia", "mau kerja ke malaysia"),
    ],
)
def test_a_foreign_nationality_is_read_as_one(
    normaliser: Normaliser, typed: str, read: str
) -> None:
    assert normaliser.normalise(typed) == read


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        # colloquial -in, nge-, ng- and ny-: read through their roots
        ("jelasin", "jelas"),
        ("ngecek status", "cek status"),
        ("nyari aplikasi", "cari aplikasi"),
        ("ngirim email", "kirim email"),
        ("bayarin", "bayar"),
        ("dijelasin", "dijelas"),  # stems to "jelas", as "dijelaskan" does
        # Javanese N- and -ne
        ("ndaftar", "daftar"),
        ("menune", "menu"),
        # "-nya" on an abbreviation, and a standard affix on a mapped root
        ("dtgnya", "datang"),
        ("melacak", "cek status"),
    ],
)
def test_informal_affixes_are_read_through(typed: str, expected: str) -> None:
    normaliser = Normaliser(vocabulary=["jelas", "cari", "kirim", "menu", "email", "aplikasi"])
    assert normaliser.normalise(typed) == expected


@pytest.mark.parametrize("word", ["mungkin", "yakin", "ingin", "dia", "diri"])
def test_a_word_whose_root_is_unknown_stays_as_it_is(word: str) -> None:
    assert Normaliser(vocabulary=["kin"]).normalise(word) == word


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("syrt", "syarat"), ("jdwl", "jadwal"), ("pmbyrn", "pembayaran"), ("lwt", "lewat")],
)
def test_a_word_written_without_vowels_is_the_one_word_with_its_consonants(
    typed: str, expected: str
) -> None:
    normaliser = Normaliser(vocabulary=["syarat", "jadwal", "pembayaran", "lewat", "lihat"])
    assert normaliser.normalise(typed) == expected


def test_consonants_two_words_share_are_left_alone() -> None:
    # "bt" is too short to stand for one word; "jdl" is "judul" or "jadal".
    normaliser = Normaliser(vocabulary=["bata", "buta", "judul", "jadal"])
    assert normaliser.normalise("bt jdl") == "bt jdl"


def test_school_levels_are_not_read_as_abbreviations() -> None:
    assert Normaliser(vocabulary=["sampai"]).normalise("anak smp") == "anak smp"


def test_a_vocabulary_given_once_serves_both_words_and_abbreviations() -> None:
    normaliser = Normaliser(vocabulary=iter(["jadwal", "jelas"]))
    assert normaliser.normalise("jdwl jelasin") == "jadwal jelas"


def test_every_spelling_pattern_starts_with_a_word_and_a_letter() -> None:
    # clean() runs them as one pattern that only tries where a word starts with such a letter.
    assert all(re.match(r"\\b[a-z]", pattern.pattern) for pattern, _ in _DOMAIN_PATTERNS)

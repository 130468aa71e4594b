"""Which office: free text naming where the applicant lives finds that place's office."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.loader import load
from knowledge.matcher import Matcher
from knowledge.office_file import load_offices
from knowledge.offices import OfficeDirectory
from knowledge.residence import AreaFinder

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def directory() -> OfficeDirectory:
    return load_offices(ROOT / "offices.yaml")


@pytest.fixture(scope="module")
def finder(directory: OfficeDirectory) -> AreaFinder:
    return AreaFinder(directory)


def found(finder: AreaFinder, text: str) -> tuple[str, str] | None:
    placement = finder.find(text)
    return None if placement is None else (placement.area.name, placement.office.id)


@pytest.mark.parametrize(
    ("text", "area", "office"),
    [
        ("Saya dari Way Kanan, bikin paspor di mana?", "Way Kanan", "kotabumi"),
        ("waykanan", "Way Kanan", "kotabumi"),
        ("way kanann", "Way Kanan", "kotabumi"),
        ("domisili pringsewu", "Pringsewu", "bandar-lampung"),
        ("sy tinggal di PRINGSEWU kak", "Pringsewu", "bandar-lampung"),
        ("prengsewu", "Pringsewu", "bandar-lampung"),
        ("Lampung Timur", "Lampung Timur", "kalianda"),
        ("sy tinggal di lamtim", "Lampung Timur", "kalianda"),
        ("lampung timr", "Lampung Timur", "kalianda"),
        ("lampungtimur", "Lampung Timur", "kalianda"),
        ("KAB. LAMPUNG SELATAN", "Lampung Selatan", "kalianda"),
        ("saya di lamsel", "Lampung Selatan", "kalianda"),
        ("kota metro", "Metro", "bandar-lampung"),
        ("dr bdl", "Bandar Lampung", "bandar-lampung"),
        ("lampura", "Lampung Utara", "kotabumi"),
        ("lampung utra", "Lampung Utara", "kotabumi"),
        ("tuba", "Tulang Bawang", "kotabumi"),
        ("tubaba", "Tulang Bawang Barat", "kotabumi"),
        ("tulang bawang barat", "Tulang Bawang Barat", "kotabumi"),
        ("pesbar", "Pesisir Barat", "kotabumi"),
        ("saya di krui", "Pesisir Barat", "kotabumi"),
        ("lambar", "Lampung Barat", "kotabumi"),
        ("lamteng", "Lampung Tengah", "bandar-lampung"),
        ("tanggamos", "Tanggamus", "bandar-lampung"),
        ("mesuji", "Mesuji", "kotabumi"),
    ],
)
def test_a_place_finds_its_office(finder: AreaFinder, text: str, area: str, office: str) -> None:
    assert found(finder, text) == (area, office)


@pytest.mark.parametrize(
    "text",
    [
        "Lampung",
        "saya orang lampung asli",
        "berapa biaya paspor elektronik?",
        "syarat paspor anak apa saja",
        "saya dari kabupaten bogor",
        "domisili pesisir selatan",
        "tinggal di jawa barat",
        "saya dari tulungagung",
        "",
    ],
)
def test_no_place_in_lampung_finds_nothing(finder: AreaFinder, text: str) -> None:
    assert found(finder, text) is None


def test_two_places_in_one_message_find_nothing(finder: AreaFinder) -> None:
    """KTP in one place, living in another: the bot should ask, not guess."""
    assert found(finder, "ktp lamsel tapi tinggal di bdl") is None


def test_two_names_of_one_place_are_one_place(finder: AreaFinder) -> None:
    assert found(finder, "lamtim, tepatnya lampung timur") == ("Lampung Timur", "kalianda")


def test_the_longest_name_wins(finder: AreaFinder) -> None:
    assert found(finder, "tuba barat") == ("Tulang Bawang Barat", "kotabumi")


def test_the_matchers_normaliser_finds_the_same(directory: OfficeDirectory) -> None:
    matcher = Matcher(load(ROOT / "faq.yaml"))
    finder = AreaFinder(directory, normaliser=matcher.normaliser)
    assert found(finder, "Saya dari Way Kanan, bikin paspor di mana?") == ("Way Kanan", "kotabumi")
    assert found(finder, "sy tinggal di lamtim") == ("Lampung Timur", "kalianda")
    assert found(finder, "Lampung") is None

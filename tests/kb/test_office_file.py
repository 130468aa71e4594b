"""The office directory: the real file loads, and each broken rule is refused at its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.errors import KnowledgeError, Problem
from knowledge.office_file import check_offices, load_offices

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "offices.yaml"
LAMPUNG = {
    "bandar-lampung": {
        "Bandar Lampung",
        "Metro",
        "Lampung Tengah",
        "Pesawaran",
        "Pringsewu",
        "Tanggamus",
    },
    "kalianda": {"Lampung Selatan", "Lampung Timur"},
    "kotabumi": {
        "Lampung Utara",
        "Way Kanan",
        "Tulang Bawang",
        "Tulang Bawang Barat",
        "Mesuji",
        "Lampung Barat",
        "Pesisir Barat",
    },
}


def edited(tmp_path: Path, old: str, new: str) -> Path:
    """The real file with one edit, written where the test can break it."""
    text = REAL.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / "offices.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def line_of(path: Path, text: str) -> int:
    """The 1-based line where `text` first appears."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


def only_error(path: Path) -> Problem:
    report = check_offices(path)
    assert report.directory is None
    assert len(report.errors) == 1, [str(p) for p in report.errors]
    return report.errors[0]


def test_the_real_file_holds_lampungs_three_offices_and_fifteen_areas() -> None:
    directory = load_offices(REAL)
    assert {o.id: set(o.serves) for o in directory.offices} == LAMPUNG
    assert len(directory.areas) == 15
    assert [o.office_class for o in directory.offices] == [
        "Kelas I TPI",
        "Kelas II Non TPI",
        "Kelas II Non TPI",
    ]


def test_nothing_unconfirmed_is_filled_in() -> None:
    """The sourced file confirms no address, hour or contact: each stays empty."""
    for office in load_offices(REAL).offices:
        assert office.missing() == list(office.DETAIL_FIELDS)
        assert office.unconfirmed
        assert office.sources


def test_kotabumi_has_the_krui_unit_in_pesisir_barat() -> None:
    kotabumi = load_offices(REAL).get("kotabumi")
    assert kotabumi is not None
    assert [(u.name, u.area) for u in kotabumi.units] == [
        ("Unit Kerja Keimigrasian Krui", "Pesisir Barat")
    ]


def test_the_buttons_list_every_area_with_its_office() -> None:
    choices = load_offices(REAL).choices()
    assert {(c.label, c.office_id) for c in choices} == {
        (area, office) for office, areas in LAMPUNG.items() for area in areas
    }


def test_empty_details_are_warnings_one_per_office() -> None:
    report = check_offices(REAL)
    assert report.errors == []
    assert [(p.entry_id, p.kind) for p in report.warnings] == [
        ("bandar-lampung", "kantor"),
        ("kalianda", "kantor"),
        ("kotabumi", "kantor"),
    ]
    assert "Tanya petugas" in report.warnings[0].message
    assert str(report.warnings[1]).startswith(f"{REAL}:{line_of(REAL, 'id: kalianda')}, kantor")


def test_a_filled_detail_is_no_longer_warned_about(tmp_path: Path) -> None:
    path = edited(tmp_path, 'address: ""', "address: Jl. Contoh 1")
    warning = check_offices(path).warnings[0]
    assert "alamat" not in warning.message
    assert load_offices(path).offices[0].address == "Jl. Contoh 1"


def test_an_area_no_office_serves_is_refused(tmp_path: Path) -> None:
    path = edited(tmp_path, "      - Mesuji\n", "")
    problem = only_error(path)
    assert problem.line == line_of(path, "name: Mesuji")
    assert problem.message == "Kabupaten Mesuji belum dilayani kantor mana pun"


def test_an_area_two_offices_serve_is_refused(tmp_path: Path) -> None:
    path = edited(tmp_path, "serves: [Lampung Selatan,", "serves: [Metro, Lampung Selatan,")
    problem = only_error(path)
    assert (problem.entry_id, problem.field) == ("kalianda", "serves")
    assert problem.message == "'Metro' sudah dilayani kantor 'bandar-lampung'"
    assert str(problem).startswith(f"{path}:{line_of(path, 'serves: [Metro')}, kantor 'kalianda'")


def test_an_area_of_no_province_is_refused(tmp_path: Path) -> None:
    path = edited(tmp_path, "serves: [Lampung Selatan,", "serves: [Bogor, Lampung Selatan,")
    assert only_error(path).message == "'Bogor' bukan kabupaten/kota provinsi Lampung"


def test_a_duplicate_id_is_refused(tmp_path: Path) -> None:
    path = edited(tmp_path, "id: kotabumi", "id: kalianda")
    problem = only_error(path)
    first, second = (
        n for n, line in enumerate(path.read_text().splitlines(), 1) if "id: kal" in line
    )
    assert (problem.line, problem.field) == (second, "id")
    assert problem.message == f"id ganda (sudah dipakai di baris {first})"


def test_a_short_form_of_two_areas_is_refused(tmp_path: Path) -> None:
    path = edited(tmp_path, "short: [lamtim, lam tim]", "short: [lamtim, lam tim, lam sel]")
    problem = only_error(path)
    assert problem.line == line_of(path, "short: [lamtim")
    assert problem.message == "'lam sel' sudah dipakai untuk Lampung Selatan"


def test_the_province_alone_is_no_short_form(tmp_path: Path) -> None:
    path = edited(tmp_path, "short: [balam, bdl]", "short: [balam, bdl, lampung]")
    assert only_error(path).message == "'lampung' hanya nama provinsi: terlalu umum"


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        ('address: ""', 'adress: ""', "adress", "kolom tidak dikenal"),
        ("id: kalianda", "id: Kalianda Baru", "id", "harus huruf kecil"),
        ("kind: kota", "kind: kecamatan", "kind", "harus 'kabupaten' atau 'kota'"),
        ("class: Kelas I TPI", 'class: ""', "class", "harus berupa teks yang tidak kosong"),
        ("services: []", "services: percepatan", "services", "harus berupa daftar"),
        ("area: Pesisir Barat", "area: Metro", "area", "tidak ada di 'serves'"),
        ("      - https://www.lampost", "      - www.lampost", "sources", "bukan alamat web"),
    ],
)
def test_a_broken_field_is_named(
    tmp_path: Path, old: str, new: str, field: str, message: str
) -> None:
    problem = only_error(edited(tmp_path, old, new))
    assert problem.field == field
    assert message in problem.message


def test_a_key_written_twice_is_a_yaml_error_with_its_line(tmp_path: Path) -> None:
    path = edited(tmp_path, '    hours: ""\n', '    hours: ""\n    hours: "08.00"\n')
    problem = only_error(path)
    assert problem.line == line_of(path, 'hours: "08.00"')
    assert "kunci 'hours' ditulis dua kali" in problem.message


def test_broken_yaml_is_refused_by_load(tmp_path: Path) -> None:
    path = tmp_path / "offices.yaml"
    path.write_text("offices:\n  - id: [\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match="YAML tidak valid"):
        load_offices(path)


def test_a_file_without_the_two_lists_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "offices.yaml"
    path.write_text("- just a list\n", encoding="utf-8")
    assert only_error(path).message == "harus berisi 'provinces' dan 'offices'"

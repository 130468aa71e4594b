"""The loader refuses broken files with located problems and accepts the real KB."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from support.ids import plain_id

from knowledge.errors import KnowledgeError
from knowledge.loader import check, load

ROOT = Path(__file__).resolve().parents[2]
SPEC_IDS = [
    "mpaspor-apa",
    "mpaspor-manfaat",
    "mpaspor-unduh",
    "akun-daftar",
    "akun-otp",
    "akun-login",
    "akun-tutup",
    "aplikasi-error",
    "alur-permohonan",
    "pilih-kantor",
    "kuota-jadwal",
    "jenis-paspor",
    "masa-berlaku",
    "unggah-dokumen",
    "data-tidak-valid",
    "salah-permohonan",
    "cek-status",
    "syarat-dewasa",
    "syarat-anak",
    "syarat-penggantian",
    "paspor-hilang",
    "paspor-rusak",
    "syarat-haji-umrah",
    "syarat-pmi",
    "dokumen-tambahan",
    "biaya-paspor",
    "biaya-percepatan",
    "cara-bayar",
    "batas-bayar",
    "status-bayar",
    "batal-refund",
    "ubah-jadwal",
    "surat-pengantar",
    "di-kantor",
    "hadir-sendiri",
    "wawancara",
    "foto-pakaian",
    "lama-proses",
    "ambil-paspor",
    "tanpa-aplikasi",
    "kantor-kalianda",
    "kontak-pengaduan",
    "calo-penipuan",
    "data-pribadi",
    "visa-luar-negeri",
    "sapaan",
    "terima-kasih",
]

ENTRY = """\
  - id: {id}
    category: biaya
    title: {title}
    questions: [berapa biaya paspor, brp harga paspor]
    short: Sesuai tarif resmi.
    answer: Biayanya sesuai tarif resmi.
    related: [{related}]
    sources: [https://example.org]
    reviewed: {reviewed}
"""


def write_kb(tmp_path: Path, *entries: str, office: str = "name: Kantor Uji") -> Path:
    text = f"office:\n  {office}\ncategories:\n  biaya: Biaya\nentries:\n" + "".join(entries)
    path = tmp_path / "faq.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def entry(
    entry_id: str = "biaya-paspor",
    *,
    title: str = "Biaya paspor",
    related: str = "",
    reviewed: str = "2026-11-01",
) -> str:
    return ENTRY.format(id=entry_id, title=title, related=related, reviewed=reviewed)


def test_real_knowledge_base_has_every_spec_topic() -> None:
    kb = load(ROOT / "faq.yaml")
    ids = {e.id for e in kb.entries}
    assert set(SPEC_IDS) - ids == set()
    assert len(SPEC_IDS) == 47
    for item in kb.entries:
        if item.id in SPEC_IDS:
            assert len(item.questions) >= 8, item.id
            assert item.reviewed is not None, item.id


def test_real_knowledge_base_leaves_unknown_contacts_empty() -> None:
    office = load(ROOT / "faq.yaml").office
    assert office.phone == office.whatsapp == office.email == office.address == ""


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "faq.yaml"
    path.write_text("entries:\n  - id: a\n    title: [unclosed\n", encoding="utf-8")
    report = check(path)
    assert len(report.errors) == 1
    assert report.errors[0].line is not None
    assert "YAML" in report.errors[0].message


def test_missing_field_names_entry_and_field(tmp_path: Path) -> None:
    broken = entry().replace("    answer: Biayanya sesuai tarif resmi.\n", "")
    with pytest.raises(KnowledgeError) as caught:
        load(write_kb(tmp_path, broken))
    (problem,) = caught.value.problems
    assert (problem.entry_id, problem.field, problem.line) == ("biaya-paspor", "answer", 6)
    assert str(path := problem.path).endswith("faq.yaml"), path


def test_duplicate_id_points_at_the_second_one(tmp_path: Path) -> None:
    report = check(write_kb(tmp_path, entry(), entry()))
    (problem,) = report.errors
    assert problem.field == "id"
    assert problem.line == 15
    assert "ganda" in problem.message


def test_unknown_related_id_is_an_error(tmp_path: Path) -> None:
    report = check(write_kb(tmp_path, entry(related="tidak-ada")))
    (problem,) = report.errors
    assert (problem.field, problem.line) == ("related", 12)
    assert "tidak-ada" in problem.message


def test_long_title_is_an_error(tmp_path: Path) -> None:
    report = check(write_kb(tmp_path, entry(title="Judul yang jauh terlalu panjang sekali")))
    assert [p.field for p in report.errors] == ["title"]


def test_warnings_for_empty_contacts_and_stale_review(tmp_path: Path) -> None:
    report = check(write_kb(tmp_path, entry(reviewed="2025-01-01")), today=dt.date(2026, 11, 28))
    assert report.errors == []
    fields = {p.field for p in report.warnings}
    assert {"office.phone", "office.whatsapp", "office.email", "reviewed"} <= fields


def test_bare_list_of_entries_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "faq.yaml"
    path.write_text(entry(), encoding="utf-8")
    kb = load(path)
    assert [e.id for e in kb.entries] == ["biaya-paspor"]


def test_version_changes_with_content(tmp_path: Path) -> None:
    first = load(write_kb(tmp_path, entry())).version
    second = load(write_kb(tmp_path, entry(), entry("biaya-lain"))).version
    assert first != second


def test_an_amount_needs_an_expiry_and_a_reviewer(tmp_path: Path) -> None:
    fee = entry().replace("sesuai tarif resmi.", "Rp350.000.")
    (problem,) = check(write_kb(tmp_path, fee)).errors
    assert (problem.field, problem.line) == ("answer", 11)
    dated = fee + "    valid_until: 2027-03-31\n    reviewed_by: Tim\n"
    (missing,) = check(write_kb(tmp_path, dated)).errors
    assert missing.field == "checked"
    reviewed = dated + "    checked: tarif PP 45/2024 (F66)\n    office_dependent: true\n"
    kb = load(write_kb(tmp_path, reviewed))
    (loaded,) = kb.entries
    assert (loaded.reviewed_by, loaded.checked, loaded.office_dependent) == (
        "Tim",
        "tarif PP 45/2024 (F66)",
        True,
    )


def test_office_dependent_must_be_true_or_false(tmp_path: Path) -> None:
    (problem,) = check(write_kb(tmp_path, entry() + "    office_dependent: ya\n")).errors
    assert problem.field == "office_dependent"


def test_a_key_given_twice_is_an_error(tmp_path: Path) -> None:
    twice = entry() + "    reviewed: 2026-12-01\n"
    (problem,) = check(write_kb(tmp_path, twice)).errors
    assert "'reviewed' ditulis dua kali" in problem.message
    assert problem.line == 15


def test_an_entry_without_a_short_answer_is_refused(tmp_path: Path) -> None:
    without = entry().replace("    short: Sesuai tarif resmi.\n", "")
    (problem,) = check(write_kb(tmp_path, without)).errors
    assert (problem.entry_id, problem.field, problem.message) == (
        "biaya-paspor",
        "short",
        "kolom wajib tidak ada",
    )


def test_a_short_answer_over_350_characters_is_refused(tmp_path: Path) -> None:
    fits, over = ("x" * 349 + ".", "x" * 350 + ".")
    assert check(write_kb(tmp_path, entry().replace("Sesuai tarif resmi.", fits))).kb
    (problem,) = check(write_kb(tmp_path, entry().replace("Sesuai tarif resmi.", over))).errors
    assert (problem.field, problem.line) == ("short", 10)
    assert problem.message == "terlalu panjang (351 > 350 karakter)"


def test_a_short_answer_names_no_number_the_full_answer_lacks(tmp_path: Path) -> None:
    # A fee or a deadline only in the short answer would be a claim nobody reviewed.
    invented = entry().replace("Sesuai tarif resmi.", "Rp355.000, jadi dalam 2 hari.")
    problems = check(write_kb(tmp_path, invented)).errors
    messages = [(p.field, p.message) for p in problems]
    assert messages == [("short", "menyebut angka yang tidak ada di jawaban lengkap: 000, 2, 355")]


def test_the_short_answer_is_loaded_and_says_whether_details_exist(tmp_path: Path) -> None:
    long_answer = entry().replace("Biayanya sesuai tarif resmi.", "Panjang. " * 40)
    (short,) = load(write_kb(tmp_path, entry())).entries
    (detailed,) = load(write_kb(tmp_path, long_answer)).entries
    assert (short.short, short.has_details) == ("Sesuai tarif resmi.", False)
    assert (detailed.short, detailed.has_details) == ("Sesuai tarif resmi.", True)


def test_every_real_entry_has_a_short_answer_within_350_characters() -> None:
    kb = load(ROOT / "faq.yaml")
    assert [e.id for e in kb.entries if not e.short or len(e.short) > 350] == []
    assert kb.national_contact_short


def test_the_entries_past_their_date_are_the_expired_ones() -> None:
    kb = load(ROOT / "faq.yaml")
    first, second, *_ = kb.entries
    day = dt.date(2027, 3, 1)
    dated = (
        dataclasses.replace(first, valid_until=day - dt.timedelta(days=1)),
        dataclasses.replace(second, valid_until=day),
    )
    kb = dataclasses.replace(kb, entries=dated + kb.entries[2:])
    assert [entry.id for entry in kb.expired(day)] == [first.id]  # its last day is still valid
    assert [entry.id for entry in kb.expired(day + dt.timedelta(days=1))] == [first.id, second.id]


E = entry()
# Each broken entry, and the one problem `kb check` reports: where, which entry, which field,
# what is wrong. The entry starts on line 6; its fields follow in ENTRY's order.
BROKEN = {
    "not a mapping": (
        "  - just text\n",
        (6, None, None, "entri harus berupa mapping (kunci: nilai)"),
    ),
    "no title": (
        E.replace("    title: Biaya paspor\n", ""),
        (6, "biaya-paspor", "title", "kolom wajib tidak ada"),
    ),
    "empty title": (
        E.replace("title: Biaya paspor", "title: ''"),
        (8, "biaya-paspor", "title", "harus berupa teks yang tidak kosong"),
    ),
    "long title": (
        E.replace("title: Biaya paspor", "title: " + "x" * 61),
        (8, "biaya-paspor", "title", "terlalu panjang (61 > 24 karakter)"),
    ),
    "bad id": (
        E.replace("id: biaya-paspor", "id: Biaya_Paspor"),
        (6, "Biaya_Paspor", "id", "harus huruf kecil, angka dan tanda hubung (kebab-case)"),
    ),
    "unknown category": (
        E.replace("category: biaya", "category: lain"),
        (7, "biaya-paspor", "category", "kategori 'lain' tidak ada di daftar 'categories'"),
    ),
    "draft answer": (
        E.replace("Biayanya sesuai tarif resmi.", "JAWABAN BELUM DITULIS"),
        (
            11,
            "biaya-paspor",
            "answer",
            "JAWABAN BELUM DITULIS: tulis jawabannya dulu sebelum dipakai",
        ),
    ),
    "unknown placeholder": (
        E.replace("Biayanya sesuai tarif resmi.", "Hubungi {telepon_x}."),
        (11, "biaya-paspor", "answer", "placeholder tidak dikenal: {telepon_x}"),
    ),
    "questions not a list": (
        E.replace("[berapa biaya paspor, brp harga paspor]", "satu"),
        (9, "biaya-paspor", "questions", "harus berupa daftar teks"),
    ),
    "no questions": (
        E.replace("[berapa biaya paspor, brp harga paspor]", "[]"),
        (9, "biaya-paspor", "questions", "minimal 1 isi"),
    ),
    "sources not texts": (
        E.replace("[https://example.org]", "[1, 2]"),
        (13, "biaya-paspor", "sources", "harus berupa daftar teks"),
    ),
    "bad date": (
        E.replace("reviewed: 2026-11-01", "reviewed: kemarin"),
        (14, "biaya-paspor", "reviewed", "harus tanggal dengan format YYYY-MM-DD"),
    ),
    "unknown related": (
        E.replace("related: []", "related: [tidak-ada]"),
        (12, "biaya-paspor", "related", "id 'tidak-ada' tidak ada"),
    ),
    "fee without valid_until": (
        E.replace("Biayanya sesuai tarif resmi.", "Biayanya Rp350.000."),
        (11, "biaya-paspor", "answer", "menyebut biaya (Rp…) tanpa 'valid_until'"),
    ),
    "id twice": (E + E, (15, "biaya-paspor", "id", "id ganda (sudah dipakai di baris 6)")),
}


@pytest.mark.parametrize("case", BROKEN, ids=[plain_id(name) for name in BROKEN])
def test_each_broken_entry_is_reported_where_and_why(case: str, tmp_path: Path) -> None:
    text, expected = BROKEN[case]
    report = check(write_kb(tmp_path, text))
    assert [(p.line, p.entry_id, p.field, p.message) for p in report.errors] == [expected]
    assert report.kb is None


def test_menu_keywords_and_sources_are_read_as_written(tmp_path: Path) -> None:
    flagged = E + "    menu: true\n    keywords: [tarif]\n"
    (plain,) = load(write_kb(tmp_path, E)).entries
    (marked,) = load(write_kb(tmp_path, flagged)).entries
    assert (plain.menu, plain.keywords, plain.sources) == (False, (), ("https://example.org",))
    assert (marked.menu, marked.keywords) == (True, ("tarif",))


def test_the_office_warnings_name_each_empty_contact_at_the_office_line(tmp_path: Path) -> None:
    path = write_kb(tmp_path, E, office="name: Kantor Uji\n  phone: '0721'")
    warned = [(p.line, p.field, p.message) for p in check(path).warnings if p.entry_id is None]
    empty = "kontak kantor masih kosong (belum terverifikasi)"
    fields = ("address", "whatsapp", "email", "instagram", "hours")
    assert warned == [(1, f"office.{name}", empty) for name in fields]

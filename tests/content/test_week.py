"""The week's topics: the report's content plan first, one place for the entry people
complained about most, then the busiest entries; an entry no longer valid on the planned day
and a question no entry answers are left out with a note, never invented; notes and reasons
are redacted."""

from __future__ import annotations

import dataclasses
import datetime as dt

from reporting.helpers import FIRST, LAST, RAW_NIK, RAW_PHONE, empty_report

from bot.content.vocabulary import Skipped, Topic
from bot.content.week import choose, complaints_per_entry
from bot.reporting.figures import EntryFigures, Idea, OfficeReport
from bot.reporting.vocabulary import VoiceExample
from knowledge.complaints import COMPLAINT, SUGGESTION

from .test_wording import kb

PLANNED = dt.date(2026, 11, 4)
PLAN = (
    Idea("Biaya paspor", 12, "12 pertanyaan; 40% penilaian 👎.", "biaya-paspor"),
    Idea(f"“kucing boleh masuk? nik {RAW_NIK}”", 4, "4 pertanyaan belum terjawab.", None),
    Idea("OTP/email tidak masuk", 9, f"9 pertanyaan, misalnya “hp {RAW_PHONE}”.", "akun-otp"),
    Idea("Salam", 8, "8 pertanyaan.", "sapaan"),  # small talk is no topic
    Idea("Syarat paspor anak", 5, "5 pertanyaan.", "syarat-anak"),
)
ENTRIES = (
    EntryFigures("kuota-jadwal", "Kuota penuh/jadwal", 3, 0, 0),
    EntryFigures("cek-status", "Cek status", 7, 0, 0),
)


def report(plan: tuple[Idea, ...] = PLAN) -> OfficeReport:
    return dataclasses.replace(empty_report(FIRST, LAST), plan=plan, entries=ENTRIES)


def ids(topics: tuple[Topic, ...]) -> list[str]:
    return [topic.entry_id for topic in topics]


def test_the_plan_comes_first_and_is_redacted() -> None:
    choice = choose(report(), kb(), {}, planned=PLANNED, count=3)
    assert ids(choice.topics) == ["biaya-paspor", "akun-otp", "syarat-anak"]
    assert choice.topics[0].reason == PLAN[0].reason
    assert choice.topics[1].reason == "9 pertanyaan, misalnya “hp [TELEPON]”."
    (note,) = choice.skipped
    assert note.entry_id is None
    assert "belum ada entrinya di FAQ" in note.note
    assert "[NIK]" in note.note
    assert RAW_NIK not in note.note


def test_the_entry_complained_about_most_takes_the_last_place() -> None:
    complaints = {"ambil-paspor": 4, "cek-status": 2, "batas-bayar": 1}
    choice = choose(report(), kb(), complaints, planned=PLANNED, count=3)
    assert ids(choice.topics) == ["biaya-paspor", "akun-otp", "ambil-paspor"]
    assert choice.topics[2].reason.startswith("4 keluhan pemohon minggu ini")
    # One complaint is an anecdote, not a topic.
    alone = choose(report(), kb(), {"ambil-paspor": 1}, planned=PLANNED, count=3)
    assert "ambil-paspor" not in ids(alone.topics)


def test_an_entry_past_its_date_is_left_out_with_a_note() -> None:
    planned = dt.date(2027, 4, 1)  # biaya-paspor is valid until 2027-03-31
    choice = choose(report(), kb(), {}, planned=planned, count=3)
    assert ids(choice.topics) == ["akun-otp", "syarat-anak", "cek-status"]
    assert choice.skipped[0] == Skipped(
        "biaya-paspor",
        "Biaya paspor (biaya-paspor) tidak dibuat: berlaku sampai 2027-03-31, sebelum tanggal"
        " rencana 2027-04-01. Perbarui entrinya dulu (valid_until).",
    )
    assert choose(report(), kb(), {}, planned=dt.date(2027, 3, 31), count=1).topics[0] == Topic(
        "biaya-paspor", PLAN[0].reason
    )


def test_the_busiest_entries_fill_in_after_the_plan() -> None:
    choice = choose(report(), kb(), {}, planned=PLANNED, count=5)
    assert ids(choice.topics) == [
        "biaya-paspor",
        "akun-otp",
        "syarat-anak",
        "cek-status",
        "kuota-jadwal",
    ]
    assert choice.topics[3].reason == "7 pertanyaan minggu ini."
    assert choose(report(()), kb(), {}, planned=PLANNED, count=1).topics == (
        Topic("cek-status", "7 pertanyaan minggu ini."),
    )
    empty = dataclasses.replace(empty_report(FIRST, LAST))
    assert choose(empty, kb(), {}, planned=PLANNED, count=3).topics == ()


def test_complaints_are_counted_per_entry() -> None:
    at = dt.datetime(2026, 11, 2, tzinfo=dt.UTC)
    rows = [
        VoiceExample(at, "proses", COMPLAINT, "lama", "ambil-paspor"),
        VoiceExample(at, "proses", COMPLAINT, "lama sekali", "ambil-paspor"),
        VoiceExample(at, "pembayaran", SUGGESTION, "tambah waktu", "batas-bayar"),
        VoiceExample(at, "antrean", COMPLAINT, "antre", None),
    ]
    assert complaints_per_entry(rows) == {"ambil-paspor": 2}

"""Field-by-field validation of knowledge-base entries; every finding names its place."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from knowledge.entries import (
    ANSWER_SOFT_MAX,
    MIN_QUESTIONS,
    SHORT_MAX,
    TITLE_MAX,
    Entry,
    Office,
)
from knowledge.errors import Problem
from knowledge.lines import LineMap

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# What `kb suggest` writes where an officer has not answered yet; never served to anyone.
DRAFT_MARK = "JAWABAN BELUM DITULIS"
PLACEHOLDERS = frozenset({"office_name", "service_area", "office_details"})
REQUIRED = (
    "id",
    "category",
    "title",
    "questions",
    "short",
    "answer",
    "related",
    "sources",
    "reviewed",
)
STALE_AFTER_DAYS = 180
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_AMOUNT = re.compile(r"\bRp\s?\d")
_NUMBER = re.compile(r"\d+")


class _Checker:
    """Collects problems for one file while entries are converted."""

    def __init__(self, path: str, lines: LineMap, errors: list[Problem]) -> None:
        self.path, self.lines, self.errors = path, lines, errors

    def error(self, index: int, entry_id: str | None, name: str | None, message: str) -> None:
        line = self.lines.field(index, name) if name else self.lines.entry(index)
        self.errors.append(Problem(self.path, line, entry_id, name, message))


def check_entries(
    items: list[Any],
    categories: Mapping[str, Any] | None,
    path: str,
    lines: LineMap,
    errors: list[Problem],
) -> list[Entry]:
    """Convert raw entries, appending an error for each broken field."""
    checker = _Checker(path, lines, errors)
    entries: list[Entry] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        entry = _entry(checker, index, item, categories)
        if entry is None:
            continue
        if entry.id in seen:
            first = lines.entry(seen[entry.id])
            checker.error(index, entry.id, "id", f"id ganda (sudah dipakai di baris {first})")
            continue
        seen[entry.id] = index
        entries.append(entry)
    _check_related(checker, entries, seen)
    _check_review(checker, entries, seen)
    return entries


def _entry(
    checker: _Checker, index: int, item: Any, categories: Mapping[str, Any] | None
) -> Entry | None:
    if not isinstance(item, dict):
        checker.error(index, None, None, "entri harus berupa mapping (kunci: nilai)")
        return None
    raw_id = item.get("id")
    entry_id = raw_id if isinstance(raw_id, str) else None
    before = len(checker.errors)
    for name in REQUIRED:
        if name not in item or item[name] is None:
            checker.error(index, entry_id, name, "kolom wajib tidak ada")
    if len(checker.errors) > before:
        return None
    entry = _Fields(checker, index, entry_id, item).entry(categories)
    return entry if len(checker.errors) == before else None


class _Fields:
    """Typed accessors for one raw entry; each records an error and returns a safe value."""

    def __init__(self, checker: _Checker, index: int, entry_id: str | None, item: dict[str, Any]):
        self.checker, self.index, self.entry_id, self.item = checker, index, entry_id, item

    def entry(self, categories: Mapping[str, Any] | None) -> Entry:
        """The entry; each broken field is recorded as an error and given a safe value."""
        return Entry(
            id=self.identifier(),
            category=self.category(categories),
            title=self.title(),
            questions=self.strings("questions", minimum=1),
            answer=self.answer(),
            short=self.short(),
            related=self.strings("related"),
            keywords=self.strings("keywords") if "keywords" in self.item else (),
            sources=self.strings("sources"),
            reviewed=self.date(),
            menu=bool(self.item.get("menu", False)),
            valid_until=self.optional_date("valid_until"),
            office_dependent=self.flag("office_dependent"),
            reviewed_by=self.optional_text("reviewed_by"),
            checked=self.optional_text("checked"),
        )

    def fail(self, name: str, message: str) -> None:
        self.checker.error(self.index, self.entry_id, name, message)

    def text(self, name: str) -> str:
        value = self.item.get(name)
        if not isinstance(value, str) or not value.strip():
            self.fail(name, "harus berupa teks yang tidak kosong")
            return ""
        return value.strip()

    def identifier(self) -> str:
        value = self.text("id")
        if value and not ID_PATTERN.match(value):
            self.fail("id", "harus huruf kecil, angka dan tanda hubung (kebab-case)")
        return value

    def category(self, categories: Mapping[str, Any] | None) -> str:
        value = self.text("category")
        if value and categories and value not in categories:
            self.fail("category", f"kategori '{value}' tidak ada di daftar 'categories'")
        return value

    def title(self) -> str:
        value = self.text("title")
        if len(value) > TITLE_MAX:
            self.fail("title", f"terlalu panjang ({len(value)} > {TITLE_MAX} karakter)")
        return value

    def answer(self, name: str = "answer") -> str:
        value = self.text(name)
        if DRAFT_MARK in value:
            self.fail(name, f"{DRAFT_MARK}: tulis jawabannya dulu sebelum dipakai")
        for placeholder in _PLACEHOLDER.findall(value):
            if placeholder not in PLACEHOLDERS:
                self.fail(name, f"placeholder tidak dikenal: {{{placeholder}}}")
        return value

    def short(self) -> str:
        """The short answer: checked like the answer, within SHORT_MAX, and naming no number
        (fee, date, count) that the full answer does not name: it may only say less."""
        value = self.answer("short")
        if len(value) > SHORT_MAX:
            self.fail("short", f"terlalu panjang ({len(value)} > {SHORT_MAX} karakter)")
        full = self.item.get("answer")
        extra = set(_NUMBER.findall(value)) - set(_NUMBER.findall(str(full or "")))
        if extra:
            listed = ", ".join(sorted(extra))
            self.fail("short", f"menyebut angka yang tidak ada di jawaban lengkap: {listed}")
        return value

    def strings(self, name: str, *, minimum: int = 0) -> tuple[str, ...]:
        value = self.item.get(name)
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.fail(name, "harus berupa daftar teks")
            return ()
        if len(value) < minimum:
            self.fail(name, f"minimal {minimum} isi")
        return tuple(v.strip() for v in value)

    def flag(self, name: str) -> bool:
        value = self.item.get(name, False)
        if not isinstance(value, bool):
            self.fail(name, "harus true atau false")
            return False
        return value

    def optional_text(self, name: str) -> str:
        return self.text(name) if name in self.item else ""

    def optional_date(self, name: str) -> dt.date | None:
        return self.date(name) if self.item.get(name) is not None else None

    def date(self, name: str = "reviewed") -> dt.date | None:
        value = self.item.get(name)
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        self.fail(name, "harus tanggal dengan format YYYY-MM-DD")
        return None


def _check_related(checker: _Checker, entries: list[Entry], seen: dict[str, int]) -> None:
    for entry in entries:
        for other in entry.related:
            if other not in seen:
                checker.error(seen[entry.id], entry.id, "related", f"id '{other}' tidak ada")


def _check_review(checker: _Checker, entries: list[Entry], seen: dict[str, int]) -> None:
    """Fees change by regulation: an answer that names an amount must say until when it holds,
    and who checked it against what."""
    for entry in entries:
        index = seen[entry.id]
        if entry.valid_until is None and _AMOUNT.search(f"{entry.answer}\n{entry.short}"):
            checker.error(index, entry.id, "answer", "menyebut biaya (Rp…) tanpa 'valid_until'")
        if entry.valid_until is None:
            continue
        for name in ("reviewed_by", "checked"):
            if not getattr(entry, name):
                checker.error(index, entry.id, name, "wajib diisi bila ada 'valid_until'")


def check_office(data: Any, path: str, lines: LineMap) -> list[Problem]:
    """Warn about every office contact field that is still empty."""
    office = Office(
        **{k: str(v or "") for k, v in data.items() if k in Office.__dataclass_fields__}
    )
    line = lines.top.get("office")
    return (
        [
            Problem(
                path,
                line,
                None,
                f"office.{name}",
                "kontak kantor masih kosong (belum terverifikasi)",
            )
            for name in office.missing_contacts()
        ]
        if isinstance(data, dict)
        else []
    )


def entry_warnings(
    entries: list[Entry], path: str, lines: LineMap, today: dt.date
) -> list[Problem]:
    """Stale reviews, few example questions, long answers: usable, but worth a look."""
    where = {entry_id: index for index, entry_id in enumerate(lines.ids)}
    warnings: list[Problem] = []
    for entry in entries:
        index = where.get(entry.id, 0)

        def warn(name: str, message: str, entry: Entry = entry, index: int = index) -> None:
            warnings.append(Problem(path, lines.field(index, name), entry.id, name, message))

        if entry.reviewed and (today - entry.reviewed).days > STALE_AFTER_DAYS:
            warn(
                "reviewed",
                f"terakhir diperiksa {entry.reviewed}, lebih dari {STALE_AFTER_DAYS} hari",
            )
        if len(entry.questions) < MIN_QUESTIONS:
            warn(
                "questions",
                f"hanya {len(entry.questions)} contoh pertanyaan (saran: ≥ {MIN_QUESTIONS})",
            )
        if len(entry.answer) > ANSWER_SOFT_MAX:
            warn("answer", f"jawaban {len(entry.answer)} karakter (saran: ≤ {ANSWER_SOFT_MAX})")
    return warnings


def expired_problems(
    entries: list[Entry], path: str, lines: LineMap, today: dt.date
) -> list[Problem]:
    """One problem per entry whose `valid_until` has passed."""
    where = {entry_id: index for index, entry_id in enumerate(lines.ids)}
    return [
        Problem(
            path,
            lines.field(where.get(entry.id, 0), "valid_until"),
            entry.id,
            "valid_until",
            f"berlaku sampai {entry.valid_until}: sudah lewat, periksa dan perbarui isinya",
        )
        for entry in entries
        if entry.expired(today)
    ]

"""Where `kb check` says a problem is: the line of the entry, of its field, or of the field's
entry when the field is missing; a check of a field's value names entry, field and reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.errors import KnowledgeError
from knowledge.lines import LineMap
from knowledge.loader import load

TEXT = "office:\n  name: X\nentries:\n  - id: a\n    title: A\n  - id: b\n"


def test_entries_and_fields_have_their_lines() -> None:
    lines = LineMap(TEXT)
    assert lines.top == {"office": 1, "entries": 3}
    assert lines.ids == ["a", "b"]
    assert [lines.entry(0), lines.entry(1), lines.entry(2)] == [4, 6, None]
    assert lines.field(0, "title") == 5
    assert lines.field(1, "title") == 6  # missing: the entry's own line
    assert lines.field(2, "title") is None


def test_a_bad_value_names_entry_field_line_and_reason(tmp_path: Path) -> None:
    path = tmp_path / "faq.yaml"
    path.write_text(
        "categories:\n  biaya: Biaya\nentries:\n  - id: biaya\n    category: biaya\n"
        "    title: Biaya\n    questions: [berapa biayanya]\n    short: Rp650.000.\n"
        "    answer: Rp650.000.\n"
        "    related: []\n    sources: []\n    reviewed: 2026-11-01\n"
        "    office_dependent: mungkin\n",
        encoding="utf-8",
    )
    with pytest.raises(KnowledgeError) as raised:
        load(path)
    flags = [p for p in raised.value.problems if p.field == "office_dependent"]
    assert [(p.entry_id, p.line, p.message) for p in flags] == [
        ("biaya", 13, "harus true atau false")
    ]

"""The proposal written into faq.yaml's text: only insertions, comments kept, `kb check` clean,
on the real file and on layouts it does not use (flow lists, CRLF, a block scalar at the end)."""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path

import pytest
import yaml

from bot.suggestions.kb_yaml import NO_ANSWER, NO_SHORT, LayoutError, render
from bot.suggestions.plan import Example, NewEntry, Proposal
from knowledge.entries import TITLE_MAX
from knowledge.loader import check
from knowledge.validate import DRAFT_MARK

from .conftest import FAQ

TODAY = dt.date(2026, 12, 1)
PROPOSAL = Proposal(
    examples=(
        Example("mpaspor-apa", "mpaspor tu apaan sih kak", 'dipilih 2× lewat "Maksud Anda…?"'),
        Example("mpaspor-apa", "yes", "draf #3"),
        Example("cara-bayar", "bayar: pakai # apa?", "petugas menjawab di tiket #7"),
        Example("luar-umum", "- siapa juara piala dunia", "dipilih 1× lewat"),
    ),
    entries=(
        NewEntry(
            ["bolehkah membawa hewan peliharaan ke ruang tunggu", "boleh bawa kucing?"],
            "Mohon maaf, hewan tidak boleh masuk.\n\nKecuali {hewan pemandu} di {office_name}.",
            "kedatangan",
            ["4 pertanyaan tidak terjawab", "jawaban dari petugas Sari di tiket #12"],
        ),
        NewEntry(["ada mesin atm di dalam gedung?"], None, "layanan", ["draf #5"]),
    ),
)


def checked(tmp_path: Path, text: str) -> Path:
    """Write `text` and assert `kb check` finds no errors in it."""
    path = tmp_path / "usulan.yaml"
    path.write_bytes(text.encode("utf-8"))
    report = check(path, today=TODAY)
    # Draft entries without an officer's answer must be refused until someone writes one.
    errors = [p for p in report.errors if DRAFT_MARK not in p.message]
    assert errors == [], "\n".join(str(p) for p in errors)
    return path


def only_inserted(original: str, proposed: str) -> list[str]:
    """The inserted lines, after asserting that nothing else changed."""
    before, after = original.splitlines(), proposed.splitlines()
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    changes = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    assert {op[0] for op in changes} <= {"insert"}, changes
    # Every original line is still there, in order.
    assert [
        after[j]
        for tag, _, _, j1, j2 in matcher.get_opcodes()
        if tag == "equal"
        for j in range(j1, j2)
    ] == before
    return [line for _, _, _, j1, j2 in changes for line in after[j1:j2]]


def test_the_real_file_gets_only_additions_and_passes_kb_check(tmp_path: Path) -> None:
    original = FAQ.read_text(encoding="utf-8")

    proposed = render(original, PROPOSAL, today=TODAY)

    refused = check(checked(tmp_path, proposed), today=TODAY).errors
    assert [(p.entry_id, p.field) for p in refused] == [
        ("usulan-1", "short"),
        ("usulan-2", "answer"),
        ("usulan-2", "short"),
    ]
    # A reviewer writes the missing answers; then the whole proposal loads.
    reviewed = proposed.replace(NO_ANSWER, "Bisa, di ATM mana saja.")
    reviewed = reviewed.replace(NO_SHORT, "Lihat jawabannya.")
    kb = check(checked(tmp_path, reviewed), today=TODAY).kb
    assert kb is not None
    inserted = only_inserted(original, proposed)
    questions = {entry.id: entry.questions for entry in kb.entries}
    assert questions["mpaspor-apa"][-2:] == ("mpaspor tu apaan sih kak", "yes")
    assert questions["cara-bayar"][-1] == "bayar: pakai # apa?"
    assert questions["luar-umum"][-1] == "- siapa juara piala dunia"
    assert '      # usulan: dipilih 2× lewat "Maksud Anda…?"' in inserted
    pets, atm = kb.entries[-2:]
    assert (pets.id, atm.id) == ("usulan-1", "usulan-2")
    assert (pets.category, pets.title) == ("kedatangan", "Bolehkah membawa hewan")
    assert pets.questions == (
        "bolehkah membawa hewan peliharaan ke ruang tunggu",
        "boleh bawa kucing?",
    )
    assert (
        pets.answer
        == "Mohon maaf, hewan tidak boleh masuk.\n\nKecuali (hewan pemandu) di {office_name}."
    )
    assert atm.answer == "Bisa, di ATM mana saja."
    assert NO_ANSWER in proposed
    assert (pets.related, pets.sources, pets.reviewed) == ((), (), TODAY)
    assert all(len(entry.title) <= TITLE_MAX for entry in kb.entries)
    assert "  # - jawaban dari petugas Sari di tiket #12" in inserted
    assert "  # - draf #5" in inserted


def test_nothing_to_propose_adds_only_the_header(tmp_path: Path) -> None:
    original = FAQ.read_text(encoding="utf-8")

    proposed = render(original, Proposal((), ()), today=TODAY)

    assert proposed.endswith(original)
    assert [line[:2] for line in only_inserted(original, proposed)] == ["# ", "# "]


SMALL = """\
# comment on top
categories:
  umum: Umum
entries:
  - id: satu      # a trailing comment
    category: umum
    title: Satu
    questions: [pertama, "kedua"]
    short: Satu.
    answer: Jawaban satu.
    related: []
    sources: []
    reviewed: 2026-11-28
  - id: usulan-1
    category: umum
    title: Dua
    questions:
      - "ketiga"   # the last question keeps its comment
    short: Dua.
    related: []
    sources: []
    reviewed: 2026-11-28
    answer: |
      Jawaban dua,
      dengan dua baris.

# a comment after the entries
"""


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_other_layouts_and_line_endings(tmp_path: Path, newline: str) -> None:
    original = SMALL.replace("\n", newline)
    proposal = Proposal(
        examples=(Example("satu", "keempat", "x"), Example("usulan-1", "kelima", "y")),
        entries=(NewEntry(["'keenam'"], "ada\x07bel", "umum", ["z"]),),
    )

    proposed = render(original, proposal, today=TODAY)

    if newline == "\r\n":
        assert "\n" not in proposed.replace("\r\n", "")
    # The new entry's short answer waits for a person (refused until written).
    kb = check(checked(tmp_path, proposed.replace(NO_SHORT, "Ada.")), today=TODAY).kb
    assert kb is not None
    satu, dua, new = kb.entries
    assert satu.questions == ("pertama", "kedua", "keempat")
    assert dua.questions == ("ketiga", "kelima")
    assert dua.answer == "Jawaban dua,\ndengan dua baris."
    assert (new.id, new.questions, new.answer) == ("usulan-2", ("'keenam'",), "ada\x07bel")
    assert "# a comment after the entries" in proposed
    assert "  # - z" in proposed
    assert yaml.safe_load(proposed)["entries"][0]["questions"] == ["pertama", "kedua", "keempat"]


def test_a_file_without_block_entries_is_refused() -> None:
    with pytest.raises(LayoutError):
        render("entries: []\n", PROPOSAL, today=TODAY)

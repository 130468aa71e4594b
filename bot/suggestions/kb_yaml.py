"""Write a `Proposal` into the text of faq.yaml by inserting lines, never by re-dumping it.

A YAML round trip would drop the team's comments and reflow the answers, so the original
text is kept byte for byte: PyYAML's node positions say where each entry's `questions` end
and where the last entry ends, and new lines go in at those places. Every inserted block
starts with a comment saying where it came from, so a reviewer can see (and `diff` shows)
exactly what was added.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import yaml

from bot.suggestions.plan import Example, NewEntry, Proposal
from knowledge.entries import TITLE_MAX
from knowledge.validate import PLACEHOLDERS
from knowledge.yaml_text import entries_node, indent, line_start, node_end, scalar

MARK = "usulan"
NO_ANSWER = "(JAWABAN BELUM DITULIS — isi sebelum dipakai)"
# Even an officer's answer needs a person to pick the one thing to say first.
NO_SHORT = "(JAWABAN BELUM DITULIS — tulis jawaban singkatnya)"
_BRACES = re.compile(r"\{([^{}]*)\}")


class LayoutError(ValueError):
    """The file's layout leaves no place to insert lines (e.g. `entries: []`)."""


@dataclass(frozen=True, slots=True)
class _Insert:
    at: int  # character offset in the original text
    text: str


def render(original: str, proposal: Proposal, *, today: dt.date) -> str:
    """The original text with the proposal's lines inserted."""
    newline = "\r\n" if "\r\n" in original else "\n"
    entries = _entries_node(original)
    inserts = [_Insert(0, _header(proposal, today))]
    by_entry: dict[str, list[Example]] = {}
    for example in proposal.examples:
        by_entry.setdefault(example.entry_id, []).append(example)
    for node in entries.value:
        fields = _fields(node)
        entry_id = fields.get("id")
        if isinstance(entry_id, yaml.ScalarNode) and entry_id.value in by_entry:
            inserts.extend(_questions(original, fields, by_entry[entry_id.value]))
    if proposal.entries:
        inserts.append(_new_entries(original, entries, proposal.entries, today))
    text = original
    # From the end backwards, so earlier offsets stay valid.
    for insert in sorted(inserts, key=lambda i: i.at, reverse=True):
        text = text[: insert.at] + insert.text.replace("\n", newline) + text[insert.at :]
    return text


def _header(proposal: Proposal, today: dt.date) -> str:
    count = len({example.entry_id for example in proposal.examples})
    return (
        f"# {MARK.upper()} dari `python -m bot kb suggest` ({today}):"
        f" {len(proposal.examples)} contoh pertanyaan baru untuk {count} entri,"
        f" {len(proposal.entries)} entri baru.\n"
        f'# Semua tambahan diberi komentar "{MARK}". Tinjau, ubah atau hapus, hapus dua baris'
        " ini, lalu jalankan `python -m bot kb check`.\n"
    )


def _entries_node(original: str) -> yaml.SequenceNode:
    node = entries_node(original)
    if node is None:
        raise LayoutError("'entries' harus berupa daftar blok yang berisi entri")
    return node


def _fields(node: yaml.Node) -> dict[str, yaml.Node]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {key.value: value for key, value in node.value if isinstance(key, yaml.ScalarNode)}


def _questions(
    original: str, fields: dict[str, yaml.Node], examples: list[Example]
) -> list[_Insert]:
    node = fields["questions"]
    if not isinstance(node, yaml.SequenceNode):
        raise LayoutError(f"'questions' di baris {node.start_mark.line + 1} bukan daftar")
    if node.flow_style or not node.value:
        return _flow_questions(original, node, examples)
    lead = indent(original, node.value[0].start_mark.index)
    lines = [f"{lead}# {MARK}: {_one_line(e.note)}\n{lead}- {scalar(e.text)}\n" for e in examples]
    return [_Insert(node_end(original, node), "".join(lines))]


def _flow_questions(
    original: str, node: yaml.SequenceNode, examples: list[Example]
) -> list[_Insert]:
    """`questions: [a, b]`: the items go before the closing bracket, the notes above the key."""
    start = node.start_mark.index
    lead = indent(original, start)
    notes = "".join(f"{lead}# {MARK}: {_one_line(e.note)}\n" for e in examples)
    items = ", ".join(scalar(e.text) for e in examples)
    separator = ", " if node.value else ""
    # end_mark is just past the "]".
    return [
        _Insert(line_start(original, start), notes),
        _Insert(node.end_mark.index - 1, separator + items),
    ]


def _new_entries(
    original: str, entries: yaml.SequenceNode, drafts: Sequence[NewEntry], today: dt.date
) -> _Insert:
    first = entries.value[0]
    dash = indent(original, first.start_mark.index)
    keys = " " * first.start_mark.column
    taken = {_entry_id(node) for node in entries.value}
    ids = _free_ids(taken, len(drafts))
    blocks = [
        _entry_block(dash, keys, entry_id, draft, today)
        for entry_id, draft in zip(ids, drafts, strict=True)
    ]
    end = node_end(original, entries.value[-1])
    lead = "" if end == 0 or original[end - 1] == "\n" else "\n"
    return _Insert(end, lead + "".join(blocks))


def _entry_block(dash: str, keys: str, entry_id: str, draft: NewEntry, today: dt.date) -> str:
    lines = [
        "",
        f"{dash}# {MARK.upper()} {entry_id}: entri baru, tinjau semua kolomnya sebelum dipakai.",
        *(f"{dash}# - {_one_line(note)}" for note in draft.notes),
    ]
    if draft.answer is None:
        lines.append(f"{dash}# - jawaban belum ada: tulis sebelum dipakai")
    else:
        lines.append(f"{dash}# - jawaban petugas untuk satu pemohon: sesuaikan agar berlaku umum")
    lines += [
        f"{dash}- id: {entry_id}",
        f"{keys}category: {scalar(draft.category)}",
        f"{keys}title: {scalar(_title(draft.questions[0]))}",
        f"{keys}questions:",
        *(f"{keys}  - {scalar(question)}" for question in draft.questions),
        f"{keys}short: {scalar(NO_SHORT)}",
        *_answer(keys, draft.answer),
        f"{keys}related: []",
        f"{keys}sources: []",
        f"{keys}reviewed: {today.isoformat()}",
    ]
    return "\n".join(lines) + "\n"


def _answer(keys: str, answer: str | None) -> list[str]:
    """A literal block when it reads back as the same text, else a quoted scalar."""
    text = _braces(answer.strip()) if answer and answer.strip() else NO_ANSWER
    lines = [line.rstrip() for line in text.splitlines()]
    block = ["answer: |", *(f"  {line}" if line else "" for line in lines)]
    try:
        same = yaml.safe_load("\n".join(block) + "\n") == {"answer": "\n".join(lines) + "\n"}
    except yaml.YAMLError:
        same = False
    if same:
        return [keys + block[0], *(f"{keys}{line}" if line else "" for line in block[1:])]
    return [f"{keys}answer: {scalar(text)}"]


def _braces(text: str) -> str:
    """Braces only mark the office placeholders; any others would fail `kb check`."""
    return _BRACES.sub(lambda m: m[0] if m[1] in PLACEHOLDERS else f"({m[1]})", text)


def _title(question: str) -> str:
    """The question's first words, up to TITLE_MAX characters."""
    words = question.strip(" ?!.").split()
    title = ""
    for word in words:
        if len(f"{title} {word}".strip()) > TITLE_MAX:
            break
        title = f"{title} {word}".strip()
    title = (title or question.strip()[:TITLE_MAX]).rstrip(" ,.;:!?-")
    title = title or question.strip()[:TITLE_MAX]  # nothing but punctuation: keep it
    return title[:1].upper() + title[1:]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _entry_id(node: yaml.Node) -> str:
    value = _fields(node).get("id")
    return value.value if isinstance(value, yaml.ScalarNode) else ""


def _free_ids(taken: Iterable[str], count: int) -> list[str]:
    taken = set(taken)
    ids: list[str] = []
    number = 1
    while len(ids) < count:
        if f"{MARK}-{number}" not in taken:
            ids.append(f"{MARK}-{number}")
        number += 1
    return ids

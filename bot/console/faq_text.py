"""Edit faq.yaml's text in place: replace one entry's fields, add example questions, add an
entry. Pure string work on PyYAML's node positions (the approach of
`bot.suggestions.kb_yaml`): everything outside the edited lines, comments included, stays
byte for byte. A changed `questions` list that only grows keeps its lines and their comments
and gets the new ones appended; any other change rewrites the field's lines."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence

import yaml

from knowledge.yaml_text import entries_node, indent, line_start, node_end, scalar

Value = str | Sequence[str]
BLOCK_FIELDS = ("short", "answer")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class EntryMissing(LookupError):
    """No entry with that id in the text."""


def entry_version(text: str, entry_id: str) -> str:
    """A hash of the entry's lines: changes whenever anyone changes the entry."""
    node = _entry(_entries(text), entry_id)
    start = line_start(text, node.start_mark.index)
    return hashlib.sha256(text[start : node_end(text, node)].encode()).hexdigest()[:16]


def entry_source(text: str, entry_id: str) -> str:
    """The entry's lines as written (for the audit log's before and after)."""
    node = _entry(_entries(text), entry_id)
    return text[line_start(text, node.start_mark.index) : node_end(text, node)]


def set_fields(text: str, entry_id: str, changes: Mapping[str, Value | None]) -> str:
    """`text` with the entry's fields replaced; a missing field is added at the entry's end,
    and a field set to None is removed."""
    node = _entry(_entries(text), entry_id)
    fields = {k.value: (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}
    keys = " " * node.start_mark.column
    added = [
        _any_field(keys, k, v) for k, v in changes.items() if k not in fields and v is not None
    ]
    at = node_end(text, node)
    edits: list[tuple[int, int, str]] = [(at, at, "".join(added))] if added else []
    for name, value in changes.items():
        if name not in fields:
            continue
        key, old = fields[name]
        start, end = line_start(text, key.start_mark.index), node_end(text, old)
        if value is None:
            edits.append((start, end, ""))
        elif isinstance(value, str):
            edits.append((start, end, _field(keys, name, value)))
        else:
            edits.append(_list_edit(text, keys, key, old, list(value)))
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def questions(text: str, entry_id: str) -> list[str]:
    """The entry's example questions as written."""
    node = _entry(_entries(text), entry_id)
    fields = {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}
    return [str(item.value) for item in getattr(fields.get("questions"), "value", [])]


def add_questions(text: str, entry_id: str, new: Sequence[str]) -> str:
    """`text` with example questions appended to the entry's `questions`."""
    return set_fields(text, entry_id, {"questions": [*questions(text, entry_id), *new]})


def add_entry(text: str, entry: Mapping[str, Value]) -> str:
    """`text` with a new entry after the last one (`entry` in the order to write it)."""
    entries = _entries(text)
    first = entries.value[0]
    dash = indent(text, first.start_mark.index)
    keys = " " * first.start_mark.column
    block = "".join(_any_field(keys, name, value) for name, value in entry.items())
    block = dash + "- " + block[len(keys) :]
    end = node_end(text, entries.value[-1])
    lead = "" if end == 0 or text[end - 1] == "\n" else "\n"
    return text[:end] + lead + "\n" + block + text[end:]


def _list_edit(
    text: str, keys: str, key: yaml.Node, old: yaml.Node, value: list[str]
) -> tuple[int, int, str]:
    items = getattr(old, "value", [])
    current = [item.value for item in items]
    name = str(getattr(key, "value", ""))
    block = isinstance(old, yaml.SequenceNode) and not old.flow_style and items
    if block and value[: len(current)] == current:
        at = node_end(text, old)
        dash = indent(text, items[0].start_mark.index)
        return at, at, "".join(f"{dash}- {scalar(q)}\n" for q in value[len(current) :])
    return (
        line_start(text, key.start_mark.index),
        node_end(text, old),
        _list_field(keys, name, value),
    )


def _any_field(keys: str, name: str, value: Value) -> str:
    if isinstance(value, str):
        return _field(keys, name, value)
    return _list_field(keys, name, list(value))


def _field(keys: str, name: str, value: str) -> str:
    """A field's lines: a literal block for answers (when it reads back the same)."""
    value = value.replace("\r\n", "\n").strip()
    if _DATE.fullmatch(value):
        return f"{keys}{name}: {value}\n"  # a date stays a date (`reviewed`, `valid_until`)
    if name in BLOCK_FIELDS and value:
        lines = [line.rstrip() for line in value.split("\n")]
        block = [f"{name}: |", *(f"  {line}" if line else "" for line in lines)]
        try:
            same = yaml.safe_load("\n".join(block) + "\n") == {name: "\n".join(lines) + "\n"}
        except yaml.YAMLError:
            same = False
        if same:
            return "".join(f"{keys}{line}\n" if line else "\n" for line in block)
    return f"{keys}{name}: {scalar(value)}\n"


def _list_field(keys: str, name: str, value: list[str]) -> str:
    if not value:
        return f"{keys}{name}: []\n"
    return f"{keys}{name}:\n" + "".join(f"{keys}  - {scalar(item)}\n" for item in value)


def _entries(text: str) -> yaml.SequenceNode:
    node = entries_node(text)
    if node is None:
        raise EntryMissing("'entries' harus berupa daftar blok yang berisi entri")
    return node


def _entry(entries: yaml.SequenceNode, entry_id: str) -> yaml.MappingNode:
    for node in entries.value:
        if not isinstance(node, yaml.MappingNode):
            continue
        for key, value in node.value:
            if key.value == "id" and getattr(value, "value", None) == entry_id:
                return node
    raise EntryMissing(entry_id)

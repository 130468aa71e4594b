"""Where things are in a YAML file, so problems can name a line."""

from __future__ import annotations

import yaml

# libyaml's parser when PyYAML was built with it: the same nodes and marks, ~10x faster.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LineMap:
    """Line numbers (1-based) of each entry and each of its fields, by entry position."""

    def __init__(self, text: str) -> None:
        self.entries: list[int] = []
        self.fields: list[dict[str, int]] = []
        self.ids: list[str | None] = []
        self.top: dict[str, int] = {}
        root = yaml.compose(text, Loader=_LOADER)
        sequence = root
        if isinstance(root, yaml.MappingNode):
            self.top = {k.value: k.start_mark.line + 1 for k, _ in root.value}
            sequence = next((v for k, v in root.value if k.value == "entries"), None)
        if isinstance(sequence, yaml.SequenceNode):
            for node in sequence.value:
                self.entries.append(node.start_mark.line + 1)
                pairs = node.value if isinstance(node, yaml.MappingNode) else []
                self.fields.append({k.value: k.start_mark.line + 1 for k, _ in pairs})
                ids = [
                    v.value for k, v in pairs if k.value == "id" and isinstance(v, yaml.ScalarNode)
                ]
                self.ids.append(ids[0] if ids else None)

    def entry(self, index: int) -> int | None:
        """Line where entry number `index` starts."""
        return self.entries[index] if index < len(self.entries) else None

    def field(self, index: int, name: str) -> int | None:
        """Line of a field of entry `index`, else the entry's own line."""
        if index < len(self.fields) and name in self.fields[index]:
            return self.fields[index][name]
        return self.entry(index)

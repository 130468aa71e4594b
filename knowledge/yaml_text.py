"""Positions in faq.yaml's text from PyYAML's nodes, for editing the file by inserting and
replacing lines instead of re-dumping it (a round trip would drop comments and reflow answers).

Used by `kb suggest` (`bot.suggestions.kb_yaml`) and the admin console (`bot.console.faq_text`).
"""

from __future__ import annotations

import yaml


def entries_node(text: str) -> yaml.SequenceNode | None:
    """The `entries` list as a non-empty block sequence, or None when the file has no such
    list (each caller names the problem in its own words)."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    node = root
    if isinstance(root, yaml.MappingNode):
        node = next((v for k, v in root.value if k.value == "entries"), None)
    if not isinstance(node, yaml.SequenceNode) or node.flow_style or not node.value:
        return None
    return node


def scalar(text: str) -> str:
    """`text` as a one-line YAML scalar, quoted only when it has to be."""
    dumped: str = yaml.safe_dump([text], allow_unicode=True, width=1_000_000)
    return dumped.removeprefix("- ").rstrip("\n")


def indent(text: str, index: int) -> str:
    """The whitespace before `index` on its line (before a list dash, say)."""
    line = text[line_start(text, index) : index]
    return line[: len(line) - len(line.lstrip())]


def line_start(text: str, index: int) -> int:
    """The offset where the line holding `index` starts."""
    return text.rfind("\n", 0, index) + 1


def node_end(text: str, node: yaml.Node) -> int:
    """The offset just past the last line of `node`'s text."""
    leaf = last_leaf(node)
    index = leaf.end_mark.index
    if isinstance(leaf, yaml.ScalarNode) and leaf.style in ("|", ">") and index < len(text):
        # A block scalar's end mark sits on the next line, after part of its indentation.
        return line_start(text, index)
    newline = text.find("\n", index)
    return len(text) if newline < 0 else newline + 1


def last_leaf(node: yaml.Node) -> yaml.Node:
    """The node whose text comes last: block collections end only where the next token starts."""
    if isinstance(node, yaml.MappingNode) and node.value:
        key, value = node.value[-1]
        # An empty value ("menu:") is placed at the next token, possibly the next entry.
        empty = isinstance(value, yaml.ScalarNode) and value.value == "" and not value.style
        return key if empty else last_leaf(value)
    if isinstance(node, yaml.SequenceNode) and node.value and not node.flow_style:
        return last_leaf(node.value[-1])
    return node

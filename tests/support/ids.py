"""Test ids that every tool can select by."""

from __future__ import annotations


def bracketless(text: str) -> str:
    """`text` with square brackets made round and no space at either end: "[at]" or "[EMAIL]"
    inside a test id, or a trailing space, makes the node id unreadable to tools that select
    tests by it (mutmut)."""
    return text.replace("[", "(").replace("]", ")").strip()

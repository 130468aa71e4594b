"""Errors raised by the knowledge library.

KnowledgeError          the file cannot be used; carries every Problem found
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding about a knowledge-base file, located as precisely as known."""

    path: str
    line: int | None
    entry_id: str | None
    field: str | None
    message: str
    # What `entry_id` names: an entry of faq.yaml, or an office of offices.yaml ("kantor").
    kind: str = "entri"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        parts = [where]
        if self.entry_id:
            parts.append(f"{self.kind} '{self.entry_id}'")
        if self.field:
            parts.append(f"kolom '{self.field}'")
        return f"{', '.join(parts)}: {self.message}"


class KnowledgeError(Exception):
    """The knowledge base is broken; `problems` lists every error found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))

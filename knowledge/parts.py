"""Read a message the way an officer would: split it into parts and set the filler aside.

Long messages wrap one question in greetings, thanks, apologies, where the sender lives and how
they feel. Parts are sentences and clauses (also cut before "tapi", "padahal", "soalnya"...);
words from the team-written `data/filler.tsv` are dropped ("strong") or make a part filler
only when the whole part is made of them ("weak"). What is left is what the message asks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from knowledge.text import LIGHT_WORDS, Normaliser, longest_by_first

# Sentence ends, commas (not inside numbers), and anything outside the basic plane (emoji).
_BREAK = re.compile(r"((?<!\d)[.,](?!\d)|[!?;:\n()\[\]\"]+|[\U00010000-\U0010ffff\u2600-\u27bf]+)")
# Clause openers: what follows is a new thought ("sudah bayar, padahal ...").
_OPENERS = re.compile(
    r"\b(?=(?:tapi|tp|tpi|tetapi|namun|terus|trus|trs|padahal|pdhl|soalnya|soale|"
    r"krn|karena|karna|sedangkan|makanya|btw|apalagi)\b)",
    re.IGNORECASE,
)


# Words that make a part a question or a request, after normalisation.
QUESTION_WORDS = frozenset(
    [
        *("apa", "apakah", "bagaimana", "berapa", "kapan", "dimana", "kemana", "mana"),
        *("kenapa", "siapa", "bisa", "boleh", "harus", "perlu", "cara", "caranya"),
        *("syarat", "syaratnya", "gimana", "tolong"),
    ]
)


@dataclass(frozen=True, slots=True)
class Part:
    """One sentence or clause: its text, its words without strong filler, whether it is filler."""

    text: str
    words: tuple[str, ...]
    filler: bool
    # Ends with "?" or holds a question word: where the message asks, not tells.
    asks: bool = False
    # The strong filler (greetings, thanks) set aside: what small talk is answered on.
    dropped: tuple[str, ...] = ()


@cache
def _rows(name: str) -> tuple[tuple[str, ...], ...]:
    text = resources.files("knowledge").joinpath("data", name).read_text("utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return tuple(tuple(cell.strip() for cell in line.split("\t")) for line in lines[1:])


class Reader:
    """Splits messages into parts with one normaliser (the matcher's)."""

    def __init__(self, normaliser: Normaliser) -> None:
        self.normaliser = normaliser
        strong: set[tuple[str, ...]] = set()
        weak: set[str] = set(LIGHT_WORDS)
        for phrase, kind in _rows("filler.tsv"):
            words = tuple(normaliser.words(phrase))
            if kind == "strong" and words:
                strong.add(words)
            else:
                weak.update(words)
        self._strong = strong
        self._longest = longest_by_first(strong)
        self.weak = frozenset(weak)
        self._domain = frozenset(
            tuple(normaliser.stems(row[0])) for row in _rows("domain_terms.tsv")
        )
        self._domain_longest = max(len(term) for term in self._domain)
        self._domain_first = frozenset(term[0] for term in self._domain)

    def domain_terms(self, words: list[str] | tuple[str, ...]) -> list[str]:
        """The passport-domain terms among `words` (standard words, in order)."""
        stems = [self.normaliser.stem(w) for w in words]
        found: list[str] = []
        i = 0
        while i < len(stems):
            step = 1
            if stems[i] in self._domain_first:
                for size in range(min(self._domain_longest, len(stems) - i), 0, -1):
                    if tuple(stems[i : i + size]) in self._domain:
                        found.append(" ".join(words[i : i + size]))
                        step = size
                        break
            i += step
        return found

    def parts(self, text: str) -> list[Part]:
        """The message's parts in order (empty ones dropped)."""
        found = []
        pieces = _BREAK.split(text)
        # split() with a group interleaves the breaks: a "?" after a chunk marks a question.
        for chunk, after in zip(pieces[::2], [*pieces[1::2], ""], strict=True):
            for piece in _OPENERS.split(chunk):
                raw = self.normaliser.words(piece)
                if not raw:
                    continue
                words, dropped = self._without_strong(raw)
                filler = all(w in self.weak or w.isdigit() for w in words)
                asks = "?" in after or bool(QUESTION_WORDS.intersection(words))
                found.append(
                    Part(piece.strip(), tuple(words), filler, asks and not filler, dropped)
                )
        return found

    def _without_strong(self, words: list[str]) -> tuple[list[str], tuple[str, ...]]:
        """The words kept, and the strong filler words taken out."""
        kept: list[str] = []
        dropped: list[str] = []
        i = 0
        while i < len(words):
            for size in range(min(self._longest.get(words[i], 0), len(words) - i), 0, -1):
                if tuple(words[i : i + size]) in self._strong:
                    dropped.extend(words[i : i + size])
                    i += size
                    break
            else:
                kept.append(words[i])
                i += 1
        return kept, tuple(dropped)

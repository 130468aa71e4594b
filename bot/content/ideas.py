"""An answer cut into ideas, one per slide: each line of the answer is an idea, the items
under a heading ("Biaya resmi paspor:") are ideas under that heading, and neighbours are
joined until they fit the carousel.

Only the answer's own sentences are used. Sentences that only make sense inside the chat (the
"🙋 Tanya petugas" button, "lihat topik …" and the question such a pointer answers) are left
out: on a post the contact printed on every slide and "Tanya lewat DM" take their place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_WORDS = 35
MAX_STEPS = 5  # a carousel of at most 6 slides: the cover and five steps
_MARKER = re.compile(r"^\s*(?:[-•*]|\d{1,2}[.)])\s+")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[\"'(A-Z0-9])")
_CHAT_ONLY = re.compile(r"Tanya petugas|🙋|tekan tombol|\b(?:lihat|ada di) topik\b", re.IGNORECASE)
_TOPIC_POINTER = re.compile(r"\s*\(lihat topik [^)]*\)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Idea:
    """What one slide says: an optional heading and its lines."""

    heading: str
    lines: tuple[str, ...]

    @property
    def words(self) -> int:
        return sum(len(text.split()) for text in (self.heading, *self.lines))


def post_sentences(text: str) -> str:
    """`text` without the sentences that only make sense in the chat, lines kept."""
    kept = (_post_line(line) for line in text.strip().splitlines())
    return "\n".join(line for line in kept if line)


def _post_line(line: str) -> str:
    marker = m.group(0) if (m := _MARKER.match(line)) else ""
    kept: list[str] = []
    for sentence in _SENTENCE.split(_TOPIC_POINTER.sub("", line[len(marker) :].strip())):
        if _CHAT_ONLY.search(sentence):
            # "Sakit dan tidak bisa datang? Lihat topik …": the question goes with its pointer.
            if kept and kept[-1].endswith("?"):
                kept.pop()
        elif sentence:
            kept.append(sentence)
    return f"{marker}{' '.join(kept)}" if kept else ""


def ideas_of(text: str) -> list[Idea]:
    """The ideas of an answer (already filled and cleaned), at most `MAX_STEPS` when they can
    be joined within `MAX_WORDS`; more when they cannot (the caller then uses less text)."""
    found: list[Idea] = []
    heading, taken = "", False
    for raw in text.splitlines():
        listed = _MARKER.match(raw) is not None
        line = _MARKER.sub("", raw).strip()
        if not listed and line.endswith((":", "?")):
            heading, taken = line.rstrip(":"), False
            continue
        # A heading leads the items listed under it, or else the one line that follows it.
        under = heading if listed or not taken else ""
        heading, taken = (heading if listed else ""), True
        found += [Idea(under, (part,)) for part in _fitting(line, MAX_WORDS - _count(under))]
    return _joined(found)


def _count(text: str) -> int:
    return len(text.split())


def _fitting(line: str, room: int) -> list[str]:
    """The line as it is, or its sentences packed into parts of at most `room` words."""
    if _count(line) <= room:
        return [line]
    parts: list[str] = []
    for sentence in _SENTENCE.split(line):
        if parts and _count(parts[-1]) + _count(sentence) <= room:
            parts[-1] = f"{parts[-1]} {sentence}"
        else:
            parts += _chunks(sentence, room)
    return parts


def _chunks(sentence: str, room: int) -> list[str]:
    # A sentence longer than a slide is cut between words; answers are written shorter.
    words = sentence.split()
    return [" ".join(words[i : i + room]) for i in range(0, len(words), max(room, 1))]


def _joined(ideas: list[Idea]) -> list[Idea]:
    """Join the neighbours that make the smallest slide, same heading first, until at most
    `MAX_STEPS` ideas are left or no pair fits `MAX_WORDS`."""
    ideas = list(ideas)
    while len(ideas) > MAX_STEPS:
        pairs = [(i, _join(ideas[i], ideas[i + 1])) for i in range(len(ideas) - 1)]
        fitting = [(i, j) for i, j in pairs if j.words <= MAX_WORDS]
        if not fitting:
            break
        same = [(i, j) for i, j in fitting if ideas[i].heading == ideas[i + 1].heading]
        i, joined = min(same or fitting, key=lambda pair: (pair[1].words, pair[0]))
        ideas[i : i + 2] = [joined]
    return ideas


def _join(first: Idea, second: Idea) -> Idea:
    if first.heading == second.heading:
        return Idea(first.heading, first.lines + second.lines)
    lead = (f"{second.heading}:",) if second.heading else ()
    return Idea(first.heading, first.lines + lead + second.lines)


def sentences_of(idea: Idea) -> list[Idea]:
    """A lone idea split into its sentences, so a short answer still makes two steps."""
    parts = [s for line in idea.lines for s in _SENTENCE.split(line) if s]
    return [Idea(idea.heading, (part,)) for part in parts] if len(parts) > 1 else [idea]

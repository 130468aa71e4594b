"""Text set into a box: paragraphs wrapped to a width and shrunk together, never below each
one's smallest size, until they fit the height; or a `ContentError` when they cannot."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.content.errors import ContentError
from bot.content.fonts import drawable, width
from bot.content.palette import Rgb

LEADING = 1.3  # line height in ems: generous, for reading on a phone
SHRINK_STEP = 4
BALANCE_STEPS = 10
BULLET = "•"
NBSP = "\u00a0"
_MONTHS = "Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember"
# A date is read as one thing: "17 Desember 2024" never breaks across lines.
_DATE = re.compile(rf"\b\d{{1,2}} (?:{_MONTHS})(?: \d{{4}})?\b")


@dataclass(frozen=True, slots=True)
class Para:
    """A paragraph to set: its largest and smallest size, colour, weight, the space after."""

    text: str
    largest: int
    smallest: int
    colour: Rgb
    bold: bool = False
    bullet: bool = False
    gap: int = 0


@dataclass(frozen=True, slots=True)
class Run:
    """One drawn line of text, the colour behind it included so contrast can be checked."""

    x: int
    y: int
    text: str
    size: int
    bold: bool
    colour: Rgb
    ground: Rgb
    width: int

    @property
    def height(self) -> int:
        return math.ceil(self.size * LEADING)


@dataclass(frozen=True, slots=True)
class Setting:
    """A paragraph as set: its size and lines."""

    para: Para
    size: int
    lines: tuple[str, ...]

    @property
    def height(self) -> int:
        return len(self.lines) * math.ceil(self.size * LEADING) + self.para.gap


def wrap(text: str, size: int, room: float, *, bold: bool = False) -> list[str]:
    """`text` broken between words into lines at most `room` pixels wide; a heading (bold)
    in lines of even length, so no word is left alone on its last line."""
    words = _DATE.sub(lambda m: m.group(0).replace(" ", NBSP), drawable(text)).split(" ")
    lines = _greedy(words, size, room, bold=bold)
    if not bold or len(lines) < 2:
        return _no_widow(lines, size, room, bold=bold)
    # The narrowest box that still takes as many lines evens them out.
    low, high = 0.0, room
    for _ in range(BALANCE_STEPS):
        middle = (low + high) / 2
        low, high = (
            (low, middle)
            if len(_greedy(words, size, middle, bold=bold)) <= len(lines)
            else (middle, high)
        )
    return _greedy(words, size, high, bold=bold)


def _greedy(words: list[str], size: int, room: float, *, bold: bool) -> list[str]:
    lines: list[str] = []
    for word in words:
        joined = f"{lines[-1]} {word}" if lines else word
        if lines and width(joined, size, bold=bold) <= room:
            lines[-1] = joined
        else:
            lines += _broken(word, size, room, bold=bold)
    return lines


def _no_widow(lines: list[str], size: int, room: float, *, bold: bool) -> list[str]:
    """A last line of one word takes the previous line's last word along, when it fits and
    does not end a phrase ("10 tahun:" stays together)."""
    if len(lines) < 2 or " " in lines[-1] or lines[-2].count(" ") < 2:
        return lines
    head, moved = lines[-2].rsplit(" ", 1)
    joined = f"{moved} {lines[-1]}"
    if moved.endswith((":", ";", ",", ".")) or width(joined, size, bold=bold) > room:
        return lines
    return [*lines[:-2], head, joined]


def _broken(word: str, size: int, room: float, *, bold: bool) -> list[str]:
    # A word wider than the box (a long address) is cut between letters, never left to overflow.
    parts = [""]
    for char in word:
        if parts[-1] and width(parts[-1] + char, size, bold=bold) > room:
            parts.append("")
        parts[-1] += char
    return parts


def fit(paras: Sequence[Para], room: int, height: int) -> list[Setting]:
    """The paragraphs at the largest sizes that fit `room` × `height` pixels."""
    shrink = 0
    while True:
        sizes = [max(p.smallest, p.largest - shrink) for p in paras]
        set_ = [
            Setting(p, s, tuple(wrap(p.text, s, _room(p, s, room), bold=p.bold)))
            for p, s in zip(paras, sizes, strict=True)
        ]
        if _height(set_) <= height:
            return set_
        if all(s == p.smallest for p, s in zip(paras, sizes, strict=True)):
            raise ContentError("teks terlalu panjang untuk satu slide: kurangi kata-katanya")
        shrink += SHRINK_STEP


def _room(para: Para, size: int, room: int) -> float:
    return room - (_indent(size, para.bold) if para.bullet else 0)


def _indent(size: int, bold: bool) -> int:
    return math.ceil(width(f"{BULLET} ", size, bold=bold))


def _height(settings: Sequence[Setting]) -> int:
    return sum(s.height for s in settings) - (settings[-1].para.gap if settings else 0)


def block_height(settings: Sequence[Setting]) -> int:
    """How tall the set paragraphs are, without the space after the last."""
    return _height(settings)


def place(settings: Sequence[Setting], x: int, y: int, ground: Rgb) -> list[Run]:
    """The lines of the set paragraphs, top-left at (x, y), over the colour `ground`."""
    runs: list[Run] = []
    for setting in settings:
        para, size = setting.para, setting.size
        step = math.ceil(size * LEADING)
        indent = _indent(size, para.bold) if para.bullet else 0
        if para.bullet:
            runs.append(_run(x, y, BULLET, setting, ground))
        for n, line in enumerate(setting.lines):
            runs.append(_run(x + indent, y + n * step, line, setting, ground))
        y += setting.height
    return runs


def _run(x: int, y: int, text: str, setting: Setting, ground: Rgb) -> Run:
    para, size = setting.para, setting.size
    wide = math.ceil(width(text, size, bold=para.bold))
    return Run(x, y, text, size, para.bold, para.colour, ground, wide)

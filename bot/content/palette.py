"""The office's colours and their contrast, measured as WCAG 2 defines it.

Text must reach `AA_TEXT` (4.5:1, WCAG AA for normal text) against what it is drawn on, so a
slide stays readable on a phone in daylight.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

AA_TEXT = 4.5
HEX = re.compile(r"#?([0-9a-fA-F]{6})")

Rgb = tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class Palette:
    """Page and text colours, and the office's accent with the text drawn on it."""

    background: Rgb = (255, 255, 255)
    text: Rgb = (31, 41, 55)
    accent: Rgb = (11, 61, 145)
    on_accent: Rgb = (255, 255, 255)

    @property
    def heading(self) -> Rgb:
        """Headings in the accent where it reads on the page, else in the text colour."""
        return self.accent if contrast(self.accent, self.background) >= AA_TEXT else self.text


def parse_colour(value: str, name: str) -> Rgb:
    """ "#0B3D91" (or "0b3d91") as (11, 61, 145); ValueError naming `name` otherwise."""
    match = HEX.fullmatch(value.strip())
    if match is None:
        raise ValueError(f"{name} harus warna heksadesimal seperti #0B3D91, bukan {value!r}")
    digits = match.group(1)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def luminance(colour: Rgb) -> float:
    """Relative luminance of an sRGB colour (WCAG 2)."""
    r, g, b = (_linear(channel / 255) for channel in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _linear(value: float) -> float:
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def contrast(first: Rgb, second: Rgb) -> float:
    """The contrast ratio of two colours, 1 to 21."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def problems(palette: Palette) -> list[str]:
    """Why the palette is unreadable (empty when both text pairs reach AA)."""
    pairs = (
        ("CONTENT_TEXT_COLOR", "CONTENT_BG_COLOR", palette.text, palette.background),
        ("CONTENT_ACCENT_TEXT_COLOR", "CONTENT_ACCENT_COLOR", palette.on_accent, palette.accent),
    )
    return [
        f"kontras {front} di atas {back} hanya {ratio:.1f}:1, minimal {AA_TEXT}:1 (WCAG AA)"
        for front, back, fg, bg in pairs
        if (ratio := contrast(fg, bg)) < AA_TEXT
    ]

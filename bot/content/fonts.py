"""The typeface of the slides: DejaVu Sans as matplotlib ships it (mpl-data/fonts/ttf), so
nothing is downloaded and every machine that runs the report draws the same letters."""

from __future__ import annotations

import functools
import importlib.util
import re
from pathlib import Path

from PIL import ImageFont

from bot.content.errors import ContentError

REGULAR, BOLD = "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"
# Emoji are not in DejaVu Sans: drawn, they would be empty boxes. Captions keep them.
_UNDRAWABLE = {0xFE0F, 0x200D}
FIRST_EMOJI = 0x1F000
_SPACES = re.compile(r"[ \t\r\n\f\v]+")


@functools.cache
def font_dir() -> Path:
    """matplotlib's bundled TrueType folder, found without importing matplotlib."""
    spec = importlib.util.find_spec("matplotlib")
    places = spec.submodule_search_locations if spec else None
    for place in places or ():
        folder = Path(place) / "mpl-data" / "fonts" / "ttf"
        if (folder / REGULAR).is_file() and (folder / BOLD).is_file():
            return folder
    raise ContentError("Huruf DejaVu Sans dari matplotlib tidak ditemukan.")


@functools.cache
def font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont:
    """DejaVu Sans (Bold) at `size` pixels to the em."""
    return ImageFont.truetype(str(font_dir() / (BOLD if bold else REGULAR)), size)


def width(text: str, size: int, *, bold: bool = False) -> float:
    """How wide `text` is drawn, in pixels."""
    return font(size, bold=bold).getlength(text)


def drawable(text: str) -> str:
    """`text` without the characters the typeface lacks (emoji), spaces tidied (no-break
    spaces are kept: they hold words together on one line)."""
    kept = "".join(c for c in text if ord(c) < FIRST_EMOJI and ord(c) not in _UNDRAWABLE)
    return _SPACES.sub(" ", kept).strip(" ")

"""The office on every slide: its name, its contact as the knowledge base holds it (the
office's own channels, else the national contact the answers' footer uses), and hashtags."""

from __future__ import annotations

import re

from bot.content.palette import Palette
from bot.content.vocabulary import Brand
from bot.core.replies import short_footer
from knowledge.entries import KnowledgeBase

BASE_TAGS = ("#Paspor", "#MPaspor")
CATEGORY_TAGS = {
    "aplikasi": "#AplikasiMPaspor",
    "permohonan": "#BuatPaspor",
    "syarat": "#SyaratPaspor",
    "biaya": "#BiayaPaspor",
    "kedatangan": "#KantorImigrasi",
    "selesai": "#PasporJadi",
    "layanan": "#LayananImigrasi",
}
_NOT_TAG = re.compile(r"[^0-9A-Za-z]")
TAG = re.compile(r"\w+")


def brand_for(
    kb: KnowledgeBase,
    *,
    palette: Palette | None = None,
    logo: bytes | None = None,
    hashtags: tuple[str, ...] = (),
) -> Brand:
    """The brand of the office `kb` describes; `hashtags` replace the office's own tag."""
    office = kb.office.name.strip() or "Kantor Imigrasi"
    tags = hashtags or (office_tag(office),)
    return Brand(office, contact_of(kb), palette or Palette(), logo, tags)


def contact_of(kb: KnowledgeBase) -> str:
    """The contact under every answer, in its short form, without the chat's 📞."""
    return short_footer(kb).removeprefix("📞").strip()


def office_tag(office: str) -> str:
    """ "#ImigrasiKalianda" for "Kantor Imigrasi Kalianda"."""
    words = [w for w in office.split() if w.casefold() != "kantor"]
    return "#" + "".join(_NOT_TAG.sub("", w[:1].upper() + w[1:]) for w in words)


def parse_hashtags(value: str) -> tuple[str, ...]:
    """ "#ImigrasiKalianda, #PasporLampung" (commas or spaces; the # may be left out)."""
    tags = [word.lstrip("#") for word in value.replace(",", " ").split()]
    wrong = [tag for tag in tags if not TAG.fullmatch(tag)]
    if wrong:
        raise ValueError(f"tagar hanya boleh huruf, angka dan _: {', '.join(wrong)}")
    return tuple(f"#{tag}" for tag in tags)


def hashtags_for(category: str, brand: Brand) -> tuple[str, ...]:
    """A few tags: passport, the app, the entry's category, the office's own."""
    topic = (CATEGORY_TAGS[category],) if category in CATEGORY_TAGS else ()
    return tuple(dict.fromkeys((*BASE_TAGS, *topic, *brand.hashtags)))

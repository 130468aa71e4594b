"""Where everything goes on a slide (1080×1350) and a story (1080×1920): the office's band on
top, the contact band at the bottom of every slide, the words between, centred. Pure: the
result (`Canvas`) is data that `render` draws and the tests measure."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.content.flow import Para, Run, block_height, fit, place
from bot.content.fonts import width
from bot.content.palette import Rgb
from bot.content.vocabulary import Brand, Slide

SLIDE = (1080, 1350)  # Instagram's 4:5 portrait post
STORY = (1080, 1920)
MARGIN = 72
SMALLEST = 40  # no text under 40 px at 1080 wide: readable on a phone
BODY_SMALLEST = 44
BODY_LARGEST = 68
PAD = 28
JPEG_BLOCK = 8
GAP = 48
LOGO = 88
BADGE = 132
# A story's top and bottom 250 px sit under Instagram's own bars.
STORY_SAFE = 250
PHONE = "☎"
SWIPE = "Geser untuk melihat jawabannya →"
NEW_POST = "POSTINGAN BARU"

NBSP = "\u00a0"
_BRACKETS = re.compile(r"\([^()]*\)")

Box = tuple[int, int, int, int]


@dataclass(frozen=True, slots=True)
class Shape:
    """A filled rectangle (rounded by `radius`) or, `round`, the ellipse inside it."""

    box: Box
    fill: Rgb
    radius: int = 0
    round: bool = False


@dataclass(frozen=True, slots=True)
class Canvas:
    """A laid-out image: its size and page colour, shapes, text and where the logo goes."""

    size: tuple[int, int]
    background: Rgb
    shapes: tuple[Shape, ...]
    runs: tuple[Run, ...]
    logo: Box | None = None


def slide_canvas(slide: Slide, brand: Brand, *, page: int, pages: int) -> Canvas:
    """One carousel slide: office band with the page number, the words, the contact band."""
    top, head_shapes, head_runs, logo = _band(brand, f"{page}/{pages}")
    foot, foot_shapes, foot_runs = _footer(brand, SLIDE[1])
    area = (top + GAP, foot - GAP)
    shapes, runs = _body(slide, brand, area)
    return Canvas(
        SLIDE,
        brand.palette.background,
        (*head_shapes, *foot_shapes, *shapes),
        (*head_runs, *foot_runs, *runs),
        logo,
    )


def _band(brand: Brand, page: str) -> tuple[int, list[Shape], list[Run], Box | None]:
    """The accent band on top: logo, the office's name, the page number on the right."""
    colours = brand.palette
    left = MARGIN + (LOGO + PAD if brand.logo else 0)
    pager = int(width(page, SMALLEST)) + PAD
    name = fit(
        [Para(brand.office, SMALLEST, SMALLEST, colours.on_accent, bold=True)],
        SLIDE[0] - MARGIN - left - pager,
        400,
    )
    height = _on_blocks(max(LOGO, block_height(name)) + 2 * PAD)
    runs = place(name, left, (height - block_height(name)) // 2, colours.accent)
    page_set = fit([Para(page, SMALLEST, SMALLEST, colours.on_accent)], pager, height)
    runs += place(page_set, SLIDE[0] - MARGIN - pager + PAD, runs[0].y, colours.accent)
    logo = (MARGIN, (height - LOGO) // 2, MARGIN + LOGO, (height + LOGO) // 2)
    return (
        height,
        [Shape((0, 0, SLIDE[0], height), colours.accent)],
        runs,
        (logo if brand.logo else None),
    )


def _footer(brand: Brand, bottom: int) -> tuple[int, list[Shape], list[Run]]:
    """The contact band at the bottom; returns where it starts."""
    colours = brand.palette
    contact = fit(contact_paras(brand.contact, colours.on_accent), SLIDE[0] - 2 * MARGIN, 600)
    top = (bottom - block_height(contact) - 2 * PAD) // JPEG_BLOCK * JPEG_BLOCK
    runs = place(
        contact, MARGIN, top + (bottom - top - block_height(contact)) // 2, colours.accent
    )
    return top, [Shape((0, top, SLIDE[0], bottom), colours.accent)], runs


def _on_blocks(height: int) -> int:
    # JPEG codes 8×8 blocks: a band edge on a block edge stays crisp, with no faint seam.
    return -(-height // JPEG_BLOCK) * JPEG_BLOCK


def contact_paras(contact: str, colour: Rgb) -> list[Para]:
    """The contact as set in a band: its label ("Ditjen Imigrasi") bold on a line of its
    own, and never a line break inside brackets ("(Senin–Jumat 09.00–15.00 WIB)")."""
    label, colon, rest = contact.partition(": ")
    glued = _BRACKETS.sub(lambda m: m.group(0).replace(" ", NBSP), rest if colon else contact)
    if not colon:
        return [Para(f"{PHONE} {glued}", SMALLEST, SMALLEST, colour)]
    return [
        Para(f"{PHONE} {label}", SMALLEST, SMALLEST, colour, bold=True),
        Para(glued, SMALLEST, SMALLEST, colour),
    ]


def _body(slide: Slide, brand: Brand, area: tuple[int, int]) -> tuple[list[Shape], list[Run]]:
    c = brand.palette
    if slide.kind == "step":
        return _step(slide, brand, area)
    if slide.kind == "cover":
        paras = [Para(slide.heading, 104, 64, c.heading, bold=True, gap=40)]
        paras += [Para(line, 64, BODY_SMALLEST, c.text, gap=56) for line in slide.lines]
        paras.append(Para(SWIPE, SMALLEST, SMALLEST, c.heading, bold=True))
    else:
        paras = [Para(slide.heading, 80, 56, c.heading, bold=True, gap=40)]
        paras += [Para(line, 64, BODY_SMALLEST, c.text, gap=24) for line in slide.lines]
    settings = fit([p for p in paras if p.text.strip()], SLIDE[0] - 2 * MARGIN, area[1] - area[0])
    y = area[0] + (area[1] - area[0] - block_height(settings)) // 2
    rule = Shape((MARGIN, y - 44, MARGIN + 120, y - 32), c.accent)
    return [rule], place(settings, MARGIN, y, c.background)


def _step(slide: Slide, brand: Brand, area: tuple[int, int]) -> tuple[list[Shape], list[Run]]:
    """The step's number in a disc beside its heading, at the same place on every slide, and
    its lines below (bullets when several)."""
    c = brand.palette
    shapes, runs, row = _badge_row(slide, brand, area[0])
    bullets = len(slide.lines) > 1
    paras = [
        Para(line, BODY_LARGEST, BODY_SMALLEST, c.text, bullet=bullets, gap=28)
        for line in slide.lines
        if line.strip()
    ]
    top = area[0] + row + GAP
    settings = fit(paras, SLIDE[0] - 2 * MARGIN, area[1] - top)
    return shapes, runs + place(settings, MARGIN, top, c.background)


def _badge_row(slide: Slide, brand: Brand, top: int) -> tuple[list[Shape], list[Run], int]:
    """The numbered disc and the heading to its right; returns the row's height too."""
    c = brand.palette
    room = SLIDE[0] - 2 * MARGIN - BADGE - PAD
    heading = [Para(slide.heading, 60, BODY_SMALLEST, c.heading, bold=True)]
    head = fit(heading, room, 3 * BADGE) if slide.heading.strip() else []
    row = max(BADGE, block_height(head))
    disc = (MARGIN, top + (row - BADGE) // 2, MARGIN + BADGE, top + (row + BADGE) // 2)
    number = fit(
        [Para(str(slide.number or ""), 64, SMALLEST, c.on_accent, bold=True)], BADGE, BADGE
    )
    digits = place(number, 0, 0, c.accent)[0]
    runs = place(
        number,
        disc[0] + (BADGE - digits.width) // 2,
        disc[1] + (BADGE - digits.height) // 2,
        c.accent,
    )
    runs += place(head, MARGIN + BADGE + PAD, top + (row - block_height(head)) // 2, c.background)
    return [Shape(disc, c.accent, round=True)], runs, row


def story_canvas(story: Slide, brand: Brand) -> Canvas:
    """The story: the office on top, "new post", a card with the title, the contact below."""
    c = brand.palette
    inner = STORY[0] - 2 * MARGIN
    left = MARGIN + (LOGO + PAD if brand.logo else 0)
    office = fit(
        [Para(brand.office, 48, SMALLEST, c.on_accent, bold=True)], STORY[0] - MARGIN - left, 300
    )
    row = max(LOGO if brand.logo else 0, block_height(office))
    runs = place(office, left, STORY_SAFE + (row - block_height(office)) // 2, c.accent)
    contact = fit(contact_paras(brand.contact, c.on_accent), inner, 600)
    bottom = STORY[1] - STORY_SAFE - block_height(contact)
    runs += place(contact, MARGIN, bottom, c.accent)
    shapes, card_runs = _card(story, brand, (STORY_SAFE + row + GAP, bottom - GAP))
    logo = (MARGIN, STORY_SAFE + (row - LOGO) // 2, MARGIN + LOGO, STORY_SAFE + (row + LOGO) // 2)
    return Canvas(
        STORY, c.accent, tuple(shapes), (*runs, *card_runs), logo if brand.logo else None
    )


def _card(story: Slide, brand: Brand, area: tuple[int, int]) -> tuple[list[Shape], list[Run]]:
    """ "POSTINGAN BARU" and a card in the page colour holding the title and the pointer."""
    c = brand.palette
    label = fit([Para(NEW_POST, 48, SMALLEST, c.on_accent, bold=True)], 900, 200)
    paras = [Para(story.heading, 96, 64, c.heading, bold=True, gap=36)]
    hook, *rest = story.lines or ("",)
    paras.append(Para(hook, 56, BODY_SMALLEST, c.text, gap=40))
    paras += [Para(line, 44, SMALLEST, c.heading, bold=True, gap=16) for line in rest]
    inner = STORY[0] - 2 * MARGIN - 2 * GAP
    room = area[1] - area[0] - block_height(label) - PAD - 2 * GAP
    settings = fit([p for p in paras if p.text.strip()], inner, room)
    height = block_height(label) + PAD + block_height(settings) + 2 * GAP
    y = area[0] + (area[1] - area[0] - height) // 2
    runs = place(label, MARGIN, y, c.accent)
    card_top = y + block_height(label) + PAD
    card = (MARGIN, card_top, STORY[0] - MARGIN, card_top + block_height(settings) + 2 * GAP)
    runs += place(settings, MARGIN + GAP, card_top + GAP, c.background)
    return [Shape(card, c.background, radius=40)], runs

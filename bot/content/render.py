"""Drawing: a post's words become JPEG images (CPU work, sync and pure: a caller in an event
loop runs it in a thread), with one alt text per slide. `render_post` is also how an admin's
edited words are drawn again."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageOps, UnidentifiedImageError

from bot.content.errors import ContentError
from bot.content.flow import LEADING
from bot.content.fonts import font
from bot.content.layout import Box, Canvas, slide_canvas, story_canvas
from bot.content.vocabulary import Brand, Post, PostText, Slide
from bot.content.wording import draft, problems
from knowledge.entries import Entry, KnowledgeBase

JPEG_QUALITY = 92
# DejaVu's letters fill about 1.17 em from ascender to descender: centred in the line.
GLYPH_HEIGHT = 1.17
KINDS = {"cover": "judul", "end": "penutup"}


def make_post(entry: Entry, kb: KnowledgeBase, brand: Brand) -> Post:
    """The post for `entry`: its words (`draft`) drawn."""
    return render_post(draft(entry, kb, brand), brand)


def render_post(texts: PostText, brand: Brand) -> Post:
    """Draw every slide and the story; `ContentError` when the words break a limit."""
    found = problems(texts)
    if found:
        raise ContentError(" ".join(found))
    pages = len(texts.slides)
    slides = tuple(
        draw(slide_canvas(slide, brand, page=page, pages=pages), brand.logo)
        for page, slide in enumerate(texts.slides, start=1)
    )
    story = draw(story_canvas(texts.story, brand), brand.logo)
    return Post(texts, slides, story, alt_texts(texts, brand))


def draw(canvas: Canvas, logo: bytes | None = None) -> bytes:
    """The canvas as a JPEG (no chroma subsampling: coloured letters stay sharp)."""
    image = Image.new("RGB", canvas.size, canvas.background)
    pen = ImageDraw.Draw(image)
    for shape in canvas.shapes:
        if shape.round:
            pen.ellipse(shape.box, fill=shape.fill)
        else:
            pen.rounded_rectangle(shape.box, radius=shape.radius, fill=shape.fill)
    for run in canvas.runs:
        lift = round((LEADING - GLYPH_HEIGHT) / 2 * run.size)
        pen.text(
            (run.x, run.y + lift), run.text, font=font(run.size, bold=run.bold), fill=run.colour
        )
    if canvas.logo is not None and logo is not None:
        _paste(image, canvas.logo, logo)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY, subsampling=0, optimize=True)
    return out.getvalue()


def logo_image(data: bytes) -> Image.Image:
    """The logo as RGBA; `ContentError` when the bytes are no image Pillow reads."""
    try:
        with Image.open(io.BytesIO(data)) as opened:
            return opened.convert("RGBA")
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise ContentError("Logo tidak bisa dibaca: pakai file PNG atau JPEG.") from exc


def _paste(image: Image.Image, box: Box, data: bytes) -> None:
    """The logo fitted into `box`, its proportions kept, transparent parts showing through."""
    fitted = ImageOps.contain(logo_image(data), (box[2] - box[0], box[3] - box[1]))
    x = box[0] + (box[2] - box[0] - fitted.width) // 2
    y = box[1] + (box[3] - box[1] - fitted.height) // 2
    image.paste(fitted, (x, y), fitted)


def alt_texts(texts: PostText, brand: Brand) -> tuple[str, ...]:
    """One line per slide describing what it shows, the contact included."""
    pages = len(texts.slides)
    return tuple(
        _alt(slide, page, pages, brand) for page, slide in enumerate(texts.slides, start=1)
    )


def _alt(slide: Slide, page: int, pages: int, brand: Brand) -> str:
    what = KINDS.get(slide.kind, f"langkah {slide.number}")
    said = " ".join(_sentence(part) for part in (slide.heading, *slide.lines) if part.strip())
    line = f"Slide {page} dari {pages} ({what}), {brand.office}. {said} Hubungi {brand.contact}"
    return " ".join(line.split())


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "?", "!", ":")) else f"{text}."

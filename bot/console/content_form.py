"""A post's words as the review page's form holds them: the fields' names, the words read back
from a posted form, what is wrong with them by field (the kit's own checks, `wording.problems`
and the drawing's, so each message stands next to the field it is about), the words as the
audit log keeps them, and the date and time an admin approves a post for."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from bot.content.errors import ContentError
from bot.content.layout import slide_canvas, story_canvas
from bot.content.vocabulary import Brand, PostText, Slide
from bot.content.wording import problems

Problems = dict[str, list[str]]
STORY, CAPTION, GENERAL = "story", "caption", ""
DATE, TIME = "tanggal", "jam"
KINDS = {"cover": "judul", "end": "penutup"}
BAD_DATE = "Tanggal tidak valid: pakai format TTTT-BB-HH."
BAD_TIME = "Jam tidak valid: pakai format JJ:MM."
PAST = "Waktu terbit harus nanti, setelah {now}."
_SLIDE = re.compile(r"Slide (\d+)\b")


def slide_field(number: int) -> str:
    """The name of slide `number`'s fields (its heading is `<name>-judul`, lines `-baris`)."""
    return f"slide-{number}"


def kind_of(slide: Slide) -> str:
    """What a slide is, as the form names it."""
    return KINDS.get(slide.kind, f"langkah {slide.number}")


def texts_from(form: Mapping[str, str], old: PostText) -> PostText:
    """The words the form holds, on the shape of `old` (which slides there are, their kinds and
    numbers, the entry: none of those is edited)."""
    slides = tuple(
        _slide(form, slide_field(number), slide) for number, slide in enumerate(old.slides, 1)
    )
    story = _slide(form, STORY, old.story)
    caption = form.get(CAPTION, old.caption).replace("\r\n", "\n").strip()
    return PostText(old.entry_id, old.title, slides, story, caption)


def _slide(form: Mapping[str, str], name: str, old: Slide) -> Slide:
    heading = " ".join(form.get(f"{name}-judul", old.heading).split())
    typed = form.get(f"{name}-baris", "\n".join(old.lines)).splitlines()
    lines = tuple(" ".join(line.split()) for line in typed if line.strip())
    return Slide(old.kind, heading, lines, old.number)


def word_problems(texts: PostText) -> Problems:
    """The kit's limits (`wording.problems`), each message under the field it names."""
    found: Problems = {}
    for message in problems(texts):
        slide = _SLIDE.match(message)
        if slide is not None:
            name = slide_field(int(slide[1]))
        elif message.startswith("Story"):
            name = STORY
        elif message.startswith("Caption"):
            name = CAPTION
        else:
            name = GENERAL
        found.setdefault(name, []).append(message)
    return found


def drawing_problems(texts: PostText, brand: Brand, error: ContentError) -> Problems:
    """Which slide the drawing refused (`error`): each is laid out again alone, which is
    cheap next to drawing, to find the one whose words do not fit."""
    found: Problems = {}
    pages = len(texts.slides)
    for page, slide in enumerate(texts.slides, start=1):
        try:
            slide_canvas(slide, brand, page=page, pages=pages)
        except ContentError as exc:
            found[slide_field(page)] = [f"Slide {page}: {exc}"]
    try:
        story_canvas(texts.story, brand)
    except ContentError as exc:
        found[STORY] = [f"Story: {exc}"]
    return found or {GENERAL: [str(error)]}


def words_text(texts: PostText) -> str:
    """The words as the audit log shows them before and after a change."""
    parts = [
        _slide_text(f"Slide {number} ({kind_of(slide)})", slide)
        for number, slide in enumerate(texts.slides, start=1)
    ]
    parts.append(_slide_text("Story", texts.story))
    parts.append(f"Caption:\n{texts.caption}")
    return "\n\n".join(parts)


def _slide_text(label: str, slide: Slide) -> str:
    return "\n".join([f"{label}: {slide.heading}", *(f"  {line}" for line in slide.lines)])


def when_from(
    form: Mapping[str, str], zone: dt.tzinfo, now: dt.datetime
) -> dt.datetime | Problems:
    """The moment the form's date and time name in the office's time zone, if it is to come."""
    try:
        day = dt.date.fromisoformat(_sized(form.get(DATE, ""), 10))
    except ValueError:
        return {DATE: [BAD_DATE]}
    try:
        hour = dt.time.fromisoformat(_sized(form.get(TIME, ""), 5))
    except ValueError:
        return {TIME: [BAD_TIME]}
    when = dt.datetime.combine(day, hour, tzinfo=zone)
    if when <= now:
        return {TIME: [PAST.format(now=now.astimezone(zone).strftime("%d-%m-%Y %H:%M %Z"))]}
    return when


def _sized(text: str, length: int) -> str:
    # fromisoformat also takes "20261208" and "0930"; the form sends only these two shapes.
    text = text.strip()
    if len(text) != length:
        raise ValueError(text)
    return text

"""A post drawn for the review page and for publishing: the kit's JPEGs exactly as they will be
published, and smaller copies for the page (the full slides as data: URIs would make a page
of about 2 MB, and a phone shows them 400 pixels wide anyway). Sync CPU work: callers in the
event loop run it in a thread."""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image

from bot.console.content_form import Problems, drawing_problems, word_problems
from bot.content.errors import ContentError
from bot.content.render import render_post
from bot.content.vocabulary import Brand, Post, PostText

PREVIEW_WIDTH = 540  # half the slides' width: twice as sharp as a phone shows it
PREVIEW_QUALITY = 85


@dataclass(frozen=True, slots=True)
class Drawn:
    """A post as published (`post`) and its smaller copies for the page."""

    post: Post
    slides: tuple[bytes, ...]
    story: bytes


def draw(texts: PostText, brand: Brand) -> Drawn:
    """The post and its previews; `ContentError` when the words cannot be drawn."""
    return previewed(render_post(texts, brand))


def previewed(post: Post) -> Drawn:
    """A drawn post with its previews."""
    return Drawn(post, tuple(preview(slide) for slide in post.slides), preview(post.story))


def attempt(texts: PostText, brand: Brand) -> Drawn | Problems:
    """The drawn post, or what is wrong with the words, by field."""
    found = word_problems(texts)
    if found:
        return found
    try:
        return draw(texts, brand)
    except ContentError as exc:
        return drawing_problems(texts, brand, exc)


def preview(jpeg: bytes) -> bytes:
    """A JPEG `PREVIEW_WIDTH` pixels wide (proportions kept)."""
    with Image.open(io.BytesIO(jpeg)) as image:
        image.thumbnail((PREVIEW_WIDTH, PREVIEW_WIDTH * 4))
        out = io.BytesIO()
        image.save(out, "JPEG", quality=PREVIEW_QUALITY, optimize=True)
    return out.getvalue()

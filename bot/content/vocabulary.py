"""The content kit's values: the words of a post, the drawn post, the office's brand, and the
week's choice of topics. The console and the publisher speak in these."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from bot.content.palette import Palette

SlideKind = Literal["cover", "step", "end"]


@dataclass(frozen=True, slots=True)
class Slide:
    """The words of one slide: a heading, its lines (one paragraph or bullet each), and on a
    step its number. The office's name and the contact are added by the drawing."""

    kind: SlideKind
    heading: str = ""
    lines: tuple[str, ...] = ()
    number: int | None = None

    @property
    def words(self) -> int:
        """Words an applicant reads on the slide (office name and contact not counted)."""
        return sum(len(text.split()) for text in (self.heading, *self.lines))


@dataclass(frozen=True, slots=True)
class PostText:
    """Everything written for one post, from one knowledge-base entry: what an admin may edit
    before the images are drawn again (`bot.content.render.render_post`)."""

    entry_id: str
    title: str
    slides: tuple[Slide, ...]
    story: Slide  # the story's headline and the line pointing to the post
    caption: str


@dataclass(frozen=True, slots=True)
class Post:
    """One drawn post: JPEG slides (1080×1350) and story (1080×1920), the caption, one alt
    text per slide, and the words that produced them."""

    texts: PostText
    slides: tuple[bytes, ...]
    story: bytes
    alt: tuple[str, ...]

    @property
    def entry_id(self) -> str:
        return self.texts.entry_id

    @property
    def caption(self) -> str:
        return self.texts.caption


@dataclass(frozen=True, slots=True)
class Brand:
    """Who speaks on every slide: the office's name, its contact as the knowledge base holds
    it, its colours, its logo (PNG or JPEG bytes) and its hashtags."""

    office: str
    contact: str
    palette: Palette = field(default_factory=Palette)
    logo: bytes | None = None
    hashtags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Topic:
    """An entry to post about, and why it was picked (redacted: reasons may quote the log)."""

    entry_id: str
    reason: str


@dataclass(frozen=True, slots=True)
class Skipped:
    """A candidate left out, with the note the admin reads (redacted)."""

    entry_id: str | None  # None: a group of questions no entry answers yet
    note: str


@dataclass(frozen=True, slots=True)
class Choice:
    """The week's topics, most pressing first, and the candidates left out."""

    topics: tuple[Topic, ...]
    skipped: tuple[Skipped, ...] = ()


@dataclass(frozen=True, slots=True)
class Kit:
    """A week's posts, each with the reason it was picked, and the notes on what was left out."""

    posts: tuple[tuple[Post, Topic], ...]
    skipped: tuple[Skipped, ...] = ()

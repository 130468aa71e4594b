"""`python -m bot content --week [--out DIR]`: the command line checked first (bad input exits
2 before the database is opened), then, once the runtime has read the week's choice, the kit
drawn and written with one line printed per post."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from dataclasses import dataclass
from pathlib import Path

from bot.content.brand import brand_for
from bot.content.errors import ContentError
from bot.content.files import write_kit
from bot.content.kit import make_kit
from bot.content.render import logo_image
from bot.content.settings import ContentSettings, Week
from bot.content.vocabulary import Brand, Choice
from bot.reporting.period import iso_day
from knowledge.entries import KnowledgeBase
from knowledge.loader import load

MAX_POSTS = 10
NO_POSTS = (
    "Tidak ada unggahan dibuat: belum ada pertanyaan tentang entri FAQ yang masih berlaku"
    " dalam 7 hari ini."
)


@dataclass(frozen=True, slots=True)
class ContentRequest:
    """The checked command line, with the knowledge base and the office's brand."""

    week: Week
    out: Path
    kb: KnowledgeBase
    brand: Brand


def content_request(settings: ContentSettings, args: argparse.Namespace) -> ContentRequest | None:
    """The checked inputs, or None after saying what is wrong (the command then exits 2)."""
    try:
        week = _week(args, today=dt.datetime.now(settings.zone).date())
        out = Path(args.out)
        if out.exists() and not out.is_dir():
            raise ContentError(f"{out} sudah ada dan bukan folder.")
        logo = _logo(settings.look.logo)
    except ContentError as exc:
        print(f"Konten tidak dibuat: {exc}", file=sys.stderr)
        return None
    kb = load(settings.faq_path)
    look = settings.look
    brand = brand_for(kb, palette=look.palette, logo=logo, hashtags=look.hashtags)
    return ContentRequest(week, out, kb, brand)


def _week(args: argparse.Namespace, *, today: dt.date) -> Week:
    last = _date(args.until, "--until") if args.until else today
    planned = _date(args.date, "--date") if args.date else last + dt.timedelta(days=1)
    if planned < last:
        raise ContentError(
            f"--date ({planned.isoformat()}) jatuh sebelum --until ({last.isoformat()})."
        )
    if not 1 <= args.posts <= MAX_POSTS:
        raise ContentError(f"--posts harus 1 sampai {MAX_POSTS}, bukan {args.posts}.")
    return Week(last, planned, args.posts)


def _date(text: str, option: str) -> dt.date:
    try:
        return iso_day(text)
    except ValueError:
        raise ContentError(
            f"Tanggal {option} tidak valid: {text!r}. Gunakan format YYYY-MM-DD."
        ) from None


def _logo(path: Path | None) -> bytes | None:
    if path is None:
        return None
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ContentError(f"Logo {path} (CONTENT_LOGO) tidak bisa dibaca.") from exc
    logo_image(data)  # refuses what is no image now, not halfway through drawing
    return data


def finish(request: ContentRequest, choice: Choice) -> int:
    """Draw and write the chosen posts, print one line per post; exit 0 when one was made."""
    kit = make_kit(choice, request.kb, request.brand)
    for skipped in kit.skipped:
        print(f"Catatan: {skipped.note}", file=sys.stderr)
    if not kit.posts:
        print(NO_POSTS, file=sys.stderr)
        return 1
    for folder, (post, topic) in zip(write_kit(kit, request.out), kit.posts, strict=True):
        print(f"{folder}: {len(post.slides)} slide, {post.texts.title} — {topic.reason}")
    return 0

"""A post's review page: the slides and the story as they will look (smaller copies, as data:
URIs), the caption and the alt texts, the date and time to approve it for (or its publication
once approved), and its words as a form whose save draws the images again; each refusal is
shown next to the field it is about."""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass, field

from bot.console import fields
from bot.console.content_drawing import Drawn
from bot.console.content_form import (
    CAPTION,
    DATE,
    GENERAL,
    STORY,
    TIME,
    Problems,
    kind_of,
    slide_field,
)
from bot.console.html import csrf_field, errors, esc, notice, page, said
from bot.console.pages_content import KONTEN, cancel_form, post_state, publishing
from bot.console.studio import PublishingOff
from bot.console.vocabulary import DraftPost, Session
from bot.content.ideas import MAX_WORDS
from bot.content.vocabulary import PostText, Slide
from bot.content.wording import CAPTION_MAX
from bot.publishing.vocabulary import CANCELLABLE, Publication

STYLE = (
    "<style>.slides{display:grid;grid-template-columns:repeat(auto-fill,minmax(13rem,1fr));"
    "gap:.8rem}.slides figure,.story figure{margin:0}.slides img,.story img{margin:0;"
    "border:1px solid #cfd9e2;border-radius:4px}.story img{max-width:15rem}"
    "figcaption{font-size:.85rem;color:#5b6b7a;margin-top:.2rem}"
    "fieldset{border:1px solid #dde4ea;border-radius:8px;margin:0 0 .8rem;"
    "padding:.2rem .8rem .8rem}"
    "legend{font-weight:600;padding:0 .3rem}ol.alt li{margin:.3rem 0}"
    "input[type=date],input[type=time]{font:inherit;padding:.4rem;border:1px solid #9fb4c7;"
    "border-radius:6px;background:#fff;margin-right:.4rem}"
    "@media (max-width:40rem){.slides{display:flex;overflow-x:auto;scroll-snap-type:x mandatory}"
    ".slides figure{flex:0 0 78%;scroll-snap-align:start}}</style>"
)
PUBLISH_TIME = "09:00"  # the default: the morning, when applicants read the office's news


@dataclass(frozen=True, slots=True)
class ReviewPage:
    """What the page shows: the post as kept, the words in the form (as typed, when a save was
    refused), the drawing of the kept words (None: they cannot be drawn), the problems by
    field, the post's live publication, and whether this server publishes."""

    draft: DraftPost
    title: str
    drawn: Drawn | None
    zone: dt.tzinfo
    day: dt.date  # the day the approval form offers
    typed: PostText | None = None
    problems: Problems = field(default_factory=dict)
    publication: Publication | None = None
    off: PublishingOff | None = None
    message: str = ""
    warning: str = ""
    when: tuple[str, str] = ("", "")  # the date and time as typed


def review(shown: ReviewPage, session: Session) -> str:
    """The review page of one post."""
    draft = shown.draft
    body = (
        STYLE
        + f'<p><a href="{KONTEN}">← Kembali ke Konten</a></p>'
        + notice(shown.message)
        + notice(shown.warning, kind="warn")
        + f'<p class=muted>Entri <a href="/admin/entri/{esc(draft.entry_id)}">'
        + f"{esc(draft.entry_id)}</a> · {said(draft.reason)}</p>"
        + errors(shown.problems.get(GENERAL, ()))
        + _images(shown.drawn, draft.entry_id, typed=shown.typed is not None)
        + "<h2>Jadwal terbit</h2>"
        + _schedule(shown, session)
        + "<h2>Ubah kata-kata</h2>"
        + _words(shown, session)
    )
    return page(f"Tinjau: {shown.title}", body, session=session, here=KONTEN)


def _images(drawn: Drawn | None, entry: str, *, typed: bool) -> str:
    if drawn is None:
        return '<p class="warn">Gambar belum bisa dibuat: lihat pesan di bawah.</p>'
    pages = len(drawn.slides)
    slides = "".join(
        _figure(image, alt, f"Slide {n} dari {pages}")
        for n, (image, alt) in enumerate(zip(drawn.slides, drawn.post.alt, strict=True), 1)
    )
    alts = "".join(f"<li>{esc(alt)}</li>" for alt in drawn.post.alt)
    stale = "<p class=muted>Gambar ini masih dari kata-kata yang tersimpan.</p>" if typed else ""
    caption = drawn.post.caption
    return (
        f"<h2>Slide</h2>{stale}<div class=slides>{slides}</div><div class=cols>"
        f"<div class=story><h2>Story</h2>{_story(drawn, entry)}</div>"
        f"<div><h2>Caption</h2><div class=bubble>{esc(caption)}</div><p class=muted>"
        f"{len(caption)} / {CAPTION_MAX} karakter</p>"
        # Folded: on a phone six alt texts would push the approval a screen further down.
        f"<h2>Teks alternatif</h2><details><summary>Lihat {pages} teks, satu per slide "
        f"(dibacakan pembaca layar)</summary><ol class=alt>{alts}</ol></details></div></div>"
    )


def _story(drawn: Drawn, entry: str) -> str:
    """The story's preview and the whole image to download: only the carousel is published,
    the story is posted by hand once the post is out."""
    alt = f"Story: {drawn.post.texts.story.heading}"
    data = base64.b64encode(drawn.post.story).decode("ascii")
    return (
        _figure(drawn.story, alt, "Story tidak diterbitkan otomatis.")
        + f'<p><a download="story-{esc(entry)}.jpg" href="data:image/jpeg;base64,{data}">'
        "Unduh story (1080 × 1920)</a> untuk diunggah sendiri setelah postingan terbit.</p>"
    )


def _figure(jpeg: bytes, alt: str, label: str) -> str:
    data = base64.b64encode(jpeg).decode("ascii")
    return (
        f'<figure><img alt="{esc(alt)}" src="data:image/jpeg;base64,{data}">'
        f"<figcaption>{esc(label)}</figcaption></figure>"
    )


def _schedule(shown: ReviewPage, session: Session) -> str:
    found = shown.publication
    if found is not None:
        state = post_state(shown.draft, {found.id: found}, shown.zone)
        cancel = (
            cancel_form(found.id, session)
            if session.can_edit_kb and found.state in CANCELLABLE
            else ""
        )
        return f"<div class=card><p>{state}</p>{cancel}</div>"
    if shown.off is not None:
        return publishing(shown.off)
    if not session.can_edit_kb:
        return "<p class=muted>Hanya admin yang dapat menyetujui unggahan.</p>"
    if shown.drawn is None:
        return "<p class=muted>Perbaiki kata-katanya dulu, lalu setujui.</p>"
    return _approve(shown, session)


def _approve(shown: ReviewPage, session: Session) -> str:
    day, hour = shown.when[0] or shown.day.isoformat(), shown.when[1] or PUBLISH_TIME
    zone = dt.datetime.now(shown.zone).strftime("%Z")
    return (
        f"<form method=post action={KONTEN}/setujui class=card>{_hidden(shown.draft, session)}"
        f"<p>Unggahan terbit sendiri di Instagram pada waktu ini ({esc(zone)}). Sampai "
        "saat itu masih bisa dibatalkan.</p>"
        + errors(shown.problems.get(DATE, ()))
        + errors(shown.problems.get(TIME, ()))
        + f'<label for="{DATE}">Tanggal dan jam terbit</label>'
        + f'<input type=date id="{DATE}" name="{DATE}" value="{esc(day)}">'
        + f'<input type=time id="{TIME}" name="{TIME}" value="{esc(hour)}" '
        + 'aria-label="Jam terbit">'
        + "<br><button type=submit>Setujui dan jadwalkan</button></form>"
    )


def _hidden(draft: DraftPost, session: Session) -> str:
    return (
        f"{csrf_field(session)}<input type=hidden name=kit value={draft.kit_id}>"
        f"<input type=hidden name=pos value={draft.position + 1}>"
        f"<input type=hidden name=revisi value={draft.revision}>"
    )


def _words(shown: ReviewPage, session: Session) -> str:
    if not session.can_edit_kb:
        return "<p class=muted>Hanya admin yang dapat mengubah kata-kata.</p>"
    if shown.publication is not None:
        return "<p class=muted>Sudah disetujui: batalkan dulu untuk mengubah kata-katanya.</p>"
    texts, problems = shown.typed or shown.draft.texts, shown.problems
    slides = "".join(
        _slide(slide_field(n), f"Slide {n} · {kind_of(slide)}", slide, problems)
        for n, slide in enumerate(texts.slides, start=1)
    )
    story = _slide(STORY, "Story", texts.story, problems)
    caption = fields.area(
        CAPTION,
        "Caption",
        texts.caption,
        problems,
        rows=10,
        hint=f"paling banyak {CAPTION_MAX} karakter dan 30 tagar",
    )
    return (
        f"<form method=post action={KONTEN}/simpan>{_hidden(shown.draft, session)}"
        f"<p class=muted>Satu baris satu poin; paling banyak {MAX_WORDS} kata per slide, "
        "judul termasuk. Nama kantor dan kontak ditambahkan sendiri di setiap slide.</p>"
        f"{slides}{story}<fieldset>{caption}</fieldset>"
        "<button type=submit>Simpan dan gambar ulang</button></form>"
    )


def _slide(name: str, legend: str, slide: Slide, problems: Problems) -> str:
    rows = max(3, len(slide.lines) + 1)
    return (
        f"<fieldset><legend>{esc(legend)}</legend>{errors(problems.get(name, ()))}"
        + fields.line(f"{name}-judul", "Judul", slide.heading, {})
        + fields.area(f"{name}-baris", "Baris", "\n".join(slide.lines), {}, rows=rows)
        + "</fieldset>"
    )

"""Konten: whether this server publishes (and why not), the week's kit made on request with
each post's reason and state, the notes on what was left out, and the publications with
their state, link and reach. Reasons and notes may quote the question log (redacted when the
kit was made): shown through `said`. The posts' own words come from faq.yaml and are shown
as the office wrote them (`esc`: `said` would hide the office's contacts too)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.console.html import csrf_field, esc, notice, page, said
from bot.console.studio import Listed, PublishingOff
from bot.console.vocabulary import DraftKit, DraftPost, Session
from bot.content.command import NO_POSTS
from bot.content.vocabulary import Choice
from bot.publishing.texts import STATE_LABELS
from bot.publishing.vocabulary import CANCELLABLE, PostReach, Publication, State

KONTEN = "/admin/konten"
OFF_WHY: Mapping[PublishingOff, str] = {
    "no-channel": (
        "saluran Instagram belum diatur (INSTAGRAM_ACCESS_TOKEN, INSTAGRAM_ACCOUNT_ID dan "
        "lainnya), jadi belum ada akun untuk menerbitkan."
    ),
    "no-public-url": (
        "PUBLIC_BASE_URL belum diatur: Instagram mengambil gambar unggahan dari alamat publik "
        "server ini, dan alamat itu belum diketahui."
    ),
}
ABOUT = (
    "Dari pertanyaan 7 hari terakhir dipilih topik yang paling perlu dijelaskan, sama dengan "
    "<code>python -m bot content --week</code>; isi unggahan diambil dari FAQ. Tidak ada yang "
    "terbit tanpa persetujuan admin."
)

PLAN_ABOUT = (
    "Topik yang akan dipilih dari pertanyaan pemohon kantor ini saja, 7 hari terakhir. Konten "
    "minggu ini di bawah dibuat dari pertanyaan semua kantor."
)


@dataclass(frozen=True, slots=True)
class OfficePlan:
    """One office's plan of topics: its name and the choice from its questions alone."""

    name: str
    choice: Choice


@dataclass(frozen=True, slots=True)
class KitPage:
    """What the Konten page shows: the kit, each approved post's publication, the list of
    publications, why nothing is published (None: it is), the office's time zone and the
    entries' titles."""

    kit: DraftKit | None
    approved: Mapping[int, Publication]
    listed: Sequence[Listed]
    off: PublishingOff | None
    zone: dt.tzinfo
    titles: Mapping[str, str]  # the entries' titles, by id
    message: str = ""
    warning: str = ""
    plan: OfficePlan | None = None  # the chosen office's plan (None: none chosen)
    picker: str = ""  # the office filter


def konten(shown: KitPage, session: Session) -> str:
    """The Konten page."""
    body = (
        notice(shown.message)
        + notice(shown.warning, kind="warn")
        + publishing(shown.off)
        + shown.picker
        + _plan(shown.plan, shown.titles)
        + f"<p class=muted>{ABOUT}</p><h2>Konten minggu ini</h2>"
        + _kit(shown)
        + _make(shown.kit, session)
        + "<h2>Unggahan</h2>"
        + _listed(shown, session)
    )
    return page("Konten", body, session=session, here=KONTEN)


def publishing(off: PublishingOff | None) -> str:
    """Whether this server publishes approved posts, and if not, why."""
    if off is None:
        return (
            "<p class=muted>Penerbitan ke Instagram aktif: unggahan yang disetujui terbit "
            "sendiri pada waktunya.</p>"
        )
    return (
        f'<p class="warn"><strong>Penerbitan ke Instagram tidak aktif</strong>: '
        f"{esc(OFF_WHY[off])} Konten tetap bisa dibuat, ditinjau dan diubah, tetapi belum "
        "bisa dijadwalkan.</p>"
    )


def _plan(plan: OfficePlan | None, titles: Mapping[str, str]) -> str:
    """An office's topics with the reason for each, and what was left out."""
    if plan is None:
        return ""
    topics = "".join(
        f"<li><strong>{esc(titles.get(t.entry_id, t.entry_id))}</strong> "
        f"<span class=muted>{esc(t.entry_id)}</span>: {said(t.reason)}</li>"
        for t in plan.choice.topics
    )
    notes = "".join(f"<li>{said(skipped.note)}</li>" for skipped in plan.choice.skipped)
    return (
        f"<h2>Rencana topik {esc(plan.name)}</h2><p class=muted>{PLAN_ABOUT}</p>"
        + (f"<ol>{topics}</ol>" if topics else f"<p>{esc(NO_POSTS)}</p>")
        + (f"<p>Tidak dipilih:</p><ul>{notes}</ul>" if notes else "")
    )


def _kit(shown: KitPage) -> str:
    kit = shown.kit
    if kit is None:
        return "<p>Belum ada konten minggu ini.</p>"
    made = (
        f"<p class=muted>Dibuat {esc(when(kit.made_at, shown.zone))} oleh {esc(kit.made_by)} "
        f"dari pertanyaan {esc(_day(kit.last_day - dt.timedelta(days=6)))} – "
        f"{esc(_day(kit.last_day))}; rencana terbit {esc(_day(kit.planned))}.</p>"
    )
    posts = "".join(_post(post, shown.approved, shown.zone) for post in kit.posts)
    if not kit.posts:
        posts = f"<p>{esc(NO_POSTS)}</p>"
    notes = "".join(f"<li>{said(skipped.note)}</li>" for skipped in kit.skipped)
    return made + posts + (f"<h2>Catatan</h2><ul>{notes}</ul>" if notes else "")


def _post(post: DraftPost, approved: Mapping[int, Publication], zone: dt.tzinfo) -> str:
    link = f"{KONTEN}/{post.kit_id}/{post.position + 1}"
    texts = post.texts
    return (
        f'<div class=card><strong><a href="{link}">{esc(texts.title)}</a></strong> '
        f"<span class=muted>{esc(post.entry_id)} · {len(texts.slides)} slide</span>"
        f"<p>{said(post.reason)}</p><p>{post_state(post, approved, zone)}</p>"
        f'<a href="{link}">Tinjau</a></div>'
    )


def post_state(post: DraftPost, approved: Mapping[int, Publication], zone: dt.tzinfo) -> str:
    """Where a post of the kit stands: waiting for review, edited, or its publication."""
    found = approved.get(post.publication_id) if post.publication_id is not None else None
    if found is not None:
        return f"#{found.id}: {publication_state(found, zone)}"
    edited = ""
    if post.edited_by and post.edited_at:
        edited = f" · diubah {esc(post.edited_by)}, {esc(when(post.edited_at, zone))}"
    return f"<span class=muted>Belum disetujui{edited}</span>"


def _make(kit: DraftKit | None, session: Session) -> str:
    if not session.can_edit_kb:
        return (
            "<p class=muted>Hanya admin yang dapat membuat, mengubah dan menyetujui konten"
            " (konten mingguan berlaku untuk semua kantor: admin semua kantor).</p>"
        )
    label = "Buat konten minggu ini" if kit is None else "Buat ulang konten minggu ini"
    warning = ""
    if kit is not None:
        warning = (
            "<p class=muted>Membuat ulang mengganti konten di atas; kata-kata yang sudah "
            "diubah hilang. Unggahan yang sudah dijadwalkan tetap.</p>"
        )
    return (
        f"<form method=post action={KONTEN}/buat>{csrf_field(session)}{warning}"
        f"<button type=submit>{label}</button></form>"
    )


def _listed(shown: KitPage, session: Session) -> str:
    if not shown.listed:
        return "<p class=muted>Belum ada unggahan yang disetujui.</p>"
    # Cards rather than a table: the state, the link and the button fit a phone's width.
    return "".join(_publication(item, shown, session) for item in shown.listed)


def _publication(item: Listed, shown: KitPage, session: Session) -> str:
    found = item.publication
    title = shown.titles.get(found.entry_id, found.entry_id)
    head = " ".join(found.caption.split())
    head = head if len(head) <= 60 else head[:59] + "…"
    cancel = cancel_form(found.id, session) if session.can_edit_kb else ""
    return (
        f"<div class=card><strong>#{found.id} · {esc(title)}</strong> <span class=muted>"
        f"{esc(found.entry_id)} · {found.slide_count} slide</span>"
        f"<p>{publication_state(found, shown.zone)}</p>{_reach(item.reach)}"
        f"<details><summary>{esc(head)}</summary><div class=bubble>{esc(found.caption)}"
        f"</div></details>{cancel if found.state in CANCELLABLE else ''}</div>"
    )


def publication_state(found: Publication, zone: dt.tzinfo) -> str:
    """A publication's state, when it goes (or went) out, its link once out, and why it
    waits or failed."""
    label = f"<strong>{esc(STATE_LABELS[found.state])}</strong>"
    if found.published_at is not None:
        out = f"{label} {esc(when(found.published_at, zone))}"
    else:
        out = f"{label} · jadwal {esc(when(found.planned_at, zone))}"
    parts = [f"{out} · disetujui {esc(found.approved_by)}"]
    link = found.permalink or ""
    if found.state is State.PUBLISHED and link.startswith("https://"):
        parts.append(f'<a href="{esc(link)}" rel="noopener noreferrer">Lihat di Instagram</a>')
    if found.note:
        parts.append(f"<span class=muted>{esc(found.note)}</span>")
    return "<br>".join(parts)


def _reach(reach: PostReach | None) -> str:
    if reach is None or reach.reach is None:
        return ""
    more = [
        f" · {label} {value}"
        for label, value in (
            ("disimpan", reach.saves),
            ("dibagikan", reach.shares),
            ("komentar", reach.comments),
        )
        if value is not None
    ]
    return f"<p>Jangkauan <strong>{reach.reach}</strong>{esc(''.join(more))}</p>"


def cancel_form(publication: int, session: Session) -> str:
    """The button that stops a publication before it is published."""
    return (
        f"<form method=post action={KONTEN}/batal>{csrf_field(session)}"
        f'<input type=hidden name=id value="{publication}">'
        "<button type=submit class=light>Batalkan</button></form>"
    )


def when(at: dt.datetime, zone: dt.tzinfo) -> str:
    """A moment in the office's time zone, as the console writes it."""
    return at.astimezone(zone).strftime("%d-%m-%Y %H:%M %Z")


def _day(day: dt.date) -> str:
    return day.strftime("%d-%m-%Y")

"""Which office serves a chat (issue 21).

An office comes, first found first: from the applicant's own choice (a deep link
`/start kotabumi`, /kantor and its buttons, or naming where they live), from the entry point
(an office's own WhatsApp number or Instagram account, `Incoming.office`), or from the
deployment (`OFFICE`). With none of them the bot asks once where the applicant lives. The choice
is stored per chat hash: it belongs to the chat, not to a person.

Entries stay national; what an answer says about "the office" is filled in from the chat's
office (`OfficeDirectory.card`), and an empty field there means "ask the officers".
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from typing import Protocol

from bot.core.errors import BotError
from bot.core.replies import footer, office_details
from bot.core.turns import Render, Turn
from bot.core.vocabulary import Button, ChatOffice, Incoming, Reply
from knowledge.entries import KnowledgeBase, Office
from knowledge.offices import OfficeDirectory, OfficeProfile, Placement
from knowledge.residence import AreaFinder

logger = logging.getLogger(__name__)

PICK_AREA, PICK_OFFICE = "#daerah:", "#kantor:"  # button data: the area's name, the office id
OFFICE_WORDS = frozenset({"/kantor", "#kantor", "kantor saya", "ganti kantor", "pilih kantor"})
START = "/start "  # a deep link's payload follows: t.me/<bot>?start=kotabumi
# A place named inside a long message is read only in its beginning: the fuzzy search for a
# misspelt name grows with the message, and a long complaint seldom says where one lives.
PLACE_CHARS = 240

ASK = (
    "Supaya jawaban kami sesuai kantor imigrasi Anda: Anda tinggal di kabupaten/kota mana? "
    "Pilih di bawah, atau ketik namanya (misalnya: Lampung Timur)."
)
NOW = "Saat ini jawaban kami untuk {office}."
PLACED = "📍 Warga {area} dilayani {office}. Jawaban kami berikutnya untuk kantor ini."
CHOSEN = "🏢 Baik, jawaban kami berikutnya untuk {office}."
ELSEWHERE = "📍 Warga {area} biasanya dilayani {office}."
ANY_OFFICE = (
    "Di aplikasi M-Paspor Anda tetap boleh memilih kantor imigrasi mana pun, "
    "tidak harus sesuai alamat KTP."
)
USE_OFFICE = "🏢 Pakai {office}"
CARDS_KEPT = 1_000  # knowledge bases with an office filled in
# Until the applicant says where they live, answers speak of "the immigration office".
UNKNOWN_OFFICE = Office(name="kantor imigrasi", service_area="wilayah kerjanya")


class ChatOffices(Protocol):
    """Where a chat's office is kept; `bot.storage.chat_offices` is the real one."""

    async def chosen(self, channel: str, chat_hash: str) -> ChatOffice | None:
        """The chat's stored choice, or None when nothing is stored."""
        ...

    async def choose(self, channel: str, chat_hash: str, office_id: str) -> None:
        """Remember `office_id` for the chat."""
        ...

    async def mark_asked(self, channel: str, chat_hash: str) -> None:
        """Remember that the chat was asked where the applicant lives."""
        ...


@dataclass(frozen=True, slots=True)
class Routed:
    """A chat's office for one message; `chosen`: the applicant chose it (not bound to it)."""

    office: OfficeProfile | None
    chosen: bool = False
    asked: bool = False

    @property
    def office_id(self) -> str | None:
        return self.office.id if self.office is not None else None


@dataclass(frozen=True, slots=True)
class Step:
    """What a message did to the chat's office: `moved_to` a new office, a `lead` line to
    put before the answer, a `reply` that is the whole turn, and the log's `flag`."""

    moved_to: OfficeProfile | None = None
    lead: Reply | None = None
    reply: Reply | None = None
    flag: str = ""
    text: str = ""  # the message to go on with (a deep link reads as /start)


class OfficeRouting:
    """The offices of one deployment and the chats' choices among them."""

    def __init__(
        self,
        directory: OfficeDirectory,
        store: ChatOffices,
        *,
        home: str | None,
        finder: AreaFinder | None = None,
    ) -> None:
        self.directory = directory
        self._store = store
        self._home = directory.get(home) if home else None
        self._finder = finder or AreaFinder(directory)
        self._cards: dict[tuple[str, str | None], KnowledgeBase] = {}

    async def routed(self, message: Incoming, chat_hash: str) -> Routed:
        """The chat's office now; a database outage leaves the entry point's or the
        deployment's office (and no asking, which would then repeat)."""
        try:
            stored = await self._store.chosen(message.channel, chat_hash)
        except BotError:
            logger.exception("chat's office not read; using the bound one")
            bound = self.directory.get(message.office or "") or self._home
            return Routed(bound, asked=True)
        return self.route(message, stored)

    def route(self, message: Incoming, stored: ChatOffice | None) -> Routed:
        """The chat's office given what is stored for it (already read, e.g. in a snapshot)."""
        bound = self.directory.get(message.office or "") or self._home
        chosen = self.directory.get(stored.office_id or "") if stored else None
        if chosen is not None:
            return Routed(chosen, chosen=True, asked=True)
        return Routed(bound, asked=stored is not None and stored.asked)

    async def step(self, message: Incoming, chat_hash: str, text: str, now: Routed) -> Step:
        """The office part of a message: a deep link, /kantor, a button, or a place named."""
        folded = text.casefold().strip()
        if folded.startswith(START):
            return await self._deep_link(message, chat_hash, folded.removeprefix(START))
        if folded.split("@")[0] in OFFICE_WORDS:
            return Step(reply=self.ask_reply(now), flag="office:ask")
        if folded.startswith((PICK_AREA, PICK_OFFICE)):
            return await self._picked(message, chat_hash, text)
        placement = self._finder.find(text[:PLACE_CHARS])
        if placement is None or placement.office == now.office:
            return Step()
        if now.office is not None and not now.chosen:
            # Bound to an office (this office's own account): say where the area belongs
            # and let the applicant move, rather than move them.
            use = Button(
                USE_OFFICE.format(office=placement.office.short_name),
                PICK_OFFICE + placement.office.id,
            )
            lead = Reply(self._elsewhere(placement), buttons=(use,))
            return Step(lead=lead, flag=f"office:elsewhere:{placement.office.id}")
        await self._choose(message, chat_hash, placement.office)
        lead = Reply(self._placed(placement))
        return Step(moved_to=placement.office, lead=lead, flag=self._flag(placement.office))

    def kb_for(self, kb: KnowledgeBase, office: OfficeProfile | None) -> KnowledgeBase:
        """`kb` with `office` as the office its answers fill in; without one, words that fit
        any office. Kept per version and office: every message needs one."""
        key = (kb.version, office.id if office else None)
        if (found := self._cards.get(key)) is None:
            if len(self._cards) > CARDS_KEPT:  # old versions after reloads
                self._cards.clear()
            card = self.directory.card(office) if office is not None else UNKNOWN_OFFICE
            found = self._cards[key] = dataclasses.replace(kb, office=card)
        return found

    def ask_reply(self, now: Routed) -> Reply:
        """Where do you live, with a button per kabupaten/kota."""
        text = ASK if now.office is None else f"{NOW.format(office=now.office.short_name)}\n{ASK}"
        buttons = tuple(Button(c.label, PICK_AREA + c.label) for c in self.directory.choices())
        return Reply(text, buttons=buttons)

    async def ask_once(self, message: Incoming, chat_hash: str, now: Routed) -> Reply | None:
        """The question where the applicant lives, the first time a chat has no office."""
        if now.office is not None or now.asked:
            return None
        try:
            await self._store.mark_asked(message.channel, chat_hash)
        except BotError:  # asking again later is better than never asking
            logger.exception("not recorded that the chat was asked")
        return self.ask_reply(now)

    async def _deep_link(self, message: Incoming, chat_hash: str, payload: str) -> Step:
        office = self.directory.get(payload.strip())
        if office is None:  # an old or mistyped link: the welcome as for /start
            return Step(text="/start")
        await self._choose(message, chat_hash, office)
        return Step(moved_to=office, flag=self._flag(office), text="/start")

    async def _picked(self, message: Incoming, chat_hash: str, text: str) -> Step:
        kind, _, value = text.partition(":")
        if f"{kind}:" == PICK_OFFICE:
            office = self.directory.get(value)
            placement = None
        else:
            placement = self._finder.find(value)
            office = placement.office if placement else None
        if office is None:  # data from an old button: ask again
            return Step(reply=self.ask_reply(Routed(None)), flag="office:unknown")
        await self._choose(message, chat_hash, office)
        said = self._placed(placement) if placement else CHOSEN.format(office=office.short_name)
        return Step(moved_to=office, reply=Reply(said), flag=self._flag(office))

    async def _choose(self, message: Incoming, chat_hash: str, office: OfficeProfile) -> None:
        try:
            await self._store.choose(message.channel, chat_hash, office.id)
        except BotError:  # this message is still answered for the office named
            logger.exception("chat's office not stored")

    def _placed(self, placement: Placement) -> str:
        office = placement.office.short_name
        return f"{PLACED.format(area=placement.area.official, office=office)}\n{ANY_OFFICE}"

    def _elsewhere(self, placement: Placement) -> str:
        office = placement.office.short_name
        return f"{ELSEWHERE.format(area=placement.area.official, office=office)} {ANY_OFFICE}"

    @staticmethod
    def _flag(office: OfficeProfile) -> str:
        return f"office:{office.id}"


def office_noted(turn: Turn, lead: Reply | None, render: Render) -> Turn:
    """`turn` with the office `lead` before its replies; where the rest of the message got no
    answer ("saya dari Way Kanan"), the lead with the menu is the whole turn."""
    if lead is None:
        return turn
    if turn.action in {"fallback", "clarify"}:
        # What "where do I apply" needs: the office, what is known of it, and the contact.
        # A lead with buttons names another office than the one answering (`ELSEWHERE`):
        # this office's details would mislead there.
        text = lead.text
        if not lead.buttons:
            placed, _, rest = lead.text.partition("\n")
            text = f"{placed}\n{office_details(render.kb.office)}\n{rest}"
        buttons = (*lead.buttons, *render.help_buttons())
        reply = Reply(f"{text}\n\n{footer(render.kb)}", buttons=buttons)
        return Turn("menu", flags=turn.flags, replies=[reply])
    turn.office_note = lead
    return turn


def has_office_flag(flags: list[str]) -> bool:
    """Whether the turn was about the office already (no need to ask where one lives)."""
    return any(flag.startswith("office:") for flag in flags)

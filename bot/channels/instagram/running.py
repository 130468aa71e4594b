"""Instagram built for one process: its parts wired to what the root hands in, the /instagram
route, the failed deliveries admins list with /gagal_kirim, the per-post figures of /laporan
and the weekly digest, and its upkeep (the token, the weekly ice breakers).

Built in every process when configured, so an officer's answer reaches Instagram whichever
process handles the officer's Telegram update. The offices' own accounts (`accounts`) answer
their DMs and comments with their own tokens, each kept fresh like the main one's; the ice
breakers and publishing are the main account's."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial

from bot.channels.contract import ChannelParts, FailedDelivery, HealthBoard, WebRoute
from bot.channels.instagram.accounts import Accounts, Clients
from bot.channels.instagram.api import InstagramClient
from bot.channels.instagram.applicants import InstagramApplicants
from bot.channels.instagram.budget import ReplyBudget
from bot.channels.instagram.comment_store import CommentStore
from bot.channels.instagram.comments import Comments
from bot.channels.instagram.direct import DirectMessages
from bot.channels.instagram.durable import InstagramInbox
from bot.channels.instagram.ice_breakers import WeeklyIceBreakers
from bot.channels.instagram.own_sends import OwnSends
from bot.channels.instagram.pacing import Pacer
from bot.channels.instagram.post_reports import InstagramReports
from bot.channels.instagram.publishing import InstagramPublishing
from bot.channels.instagram.settings import InstagramSettings, token_variable
from bot.channels.instagram.store import CHANNEL, InstagramStore
from bot.channels.instagram.token import TokenDuties, TokenKeeper, TokenOwner
from bot.channels.instagram.token_store import TokenStore
from bot.channels.instagram.transport import InstagramTransport
from bot.channels.instagram.webhook import instagram_webhook
from bot.channels.starting import OK
from bot.storage.notices import NoticeStore
from bot.storage.schedule_lease import ScheduleLease
from knowledge.offices import OfficeDirectory

logger = logging.getLogger(__name__)


def build(settings: InstagramSettings, parts: ChannelParts) -> Instagram:
    """The channel on the shared engine; officers hear about answers that could not go out."""
    limit, window = settings.private_replies
    routing = parts.conversation.offices
    accounts = Accounts.of(settings, routing.directory if routing else None)
    clients = Clients(settings, InstagramClient(settings))
    pacer = Pacer(private_limit=limit, private_window=window)
    store = InstagramStore(parts.engine, chat_hash=partial(parts.conversation.chat_hash, CHANNEL))
    comments = CommentStore(parts.engine)
    ours = OwnSends(store, parts.pipeline.store.sending).ours
    direct = DirectMessages(
        parts.conversation,
        store,
        parts.staff,
        group=parts.group,
        ours=ours,
        takeover=settings.takeover,
        accounts=accounts,
    )
    answers = Comments(parts.conversation, comments, accounts=accounts)
    inbox = InstagramInbox(store, parts.pipeline.intake, direct, answers)
    budget = ReplyBudget(parts.engine, limit=limit, window=window)
    transport = InstagramTransport(clients, store, comments, pacer, budget)
    parts.pipeline.register(CHANNEL, inbox.handle, transport)
    applicants = InstagramApplicants(
        clients, store, parts.tickets, parts.staff, pacer, human_agent=settings.human_agent
    )
    parts.deliveries.register(CHANNEL, applicants)
    upkeep = _upkeep(settings, parts, clients, routing.directory if routing else None)
    reports = InstagramReports(parts.engine)
    return Instagram(
        settings, store, comments, inbox, applicants, clients, parts.health, reports, *upkeep
    )


def _upkeep(
    settings: InstagramSettings,
    parts: ChannelParts,
    clients: Clients,
    directory: OfficeDirectory | None,
) -> tuple[tuple[TokenKeeper, ...], WeeklyIceBreakers]:
    """The tokens' keepers (the main account's, then each office account's) and the weekly
    ice breakers, leased in the shared database."""
    lease = ScheduleLease(parts.engine)
    duties = TokenDuties(
        TokenStore(parts.engine), lease, NoticeStore(parts.engine), parts.alert, parts.mask
    )
    main = TokenKeeper(clients.main, settings.token, duties)
    offices = _office_keepers(settings, clients, duties, directory)
    conversation = parts.conversation
    ice = WeeklyIceBreakers(clients.main, lease, parts.topics, lambda: conversation.matcher.kb)
    return (main, *offices), ice


def _office_keepers(
    settings: InstagramSettings,
    clients: Clients,
    duties: TokenDuties,
    directory: OfficeDirectory | None,
) -> Iterator[TokenKeeper]:
    """A keeper per office account: its own row, lease and warning naming the office."""
    for account, own in settings.office_accounts.items():
        profile = directory.get(own.office) if directory else None
        name = profile.short_name if profile else own.office
        owner = TokenOwner(account, name, token_variable(own.office))
        yield TokenKeeper(clients.offices[account], own.token, duties, owner=owner)


@dataclass(frozen=True, slots=True)
class Instagram:
    """The Instagram channel of one process, wired (a `RunningChannel`)."""

    settings: InstagramSettings
    store: InstagramStore
    comments: CommentStore
    inbox: InstagramInbox
    applicants: InstagramApplicants
    clients: Clients
    health: HealthBoard
    reports: InstagramReports
    tokens: tuple[TokenKeeper, ...]  # the main account's first
    ice_breakers: WeeklyIceBreakers
    _tasks: set[asyncio.Task[bool]] = field(default_factory=set)

    name = CHANNEL
    label = "Instagram"  # how /gagal_kirim names it

    @property
    def client(self) -> InstagramClient:
        """The main account's client: its token kept fresh, its posts published."""
        return self.clients.main

    @property
    def failed(self) -> Instagram:
        """Its own failed-delivery source: sends refused for good."""
        return self

    @property
    def posts(self) -> InstagramReports:
        """Questions per post and the first-reply times, for /laporan and the weekly digest."""
        return self.reports

    @property
    def publishing(self) -> InstagramPublishing:
        """The office's approved posts go out here, on this channel's token."""
        return InstagramPublishing(self.client)

    def routes(self) -> Sequence[WebRoute]:
        """/instagram: Meta's verification GET and the signed POSTs."""
        return [WebRoute(r) for r in instagram_webhook(self.settings, self.inbox).routes()]

    async def start(self) -> None:
        """Meta posts to the route and the Graph API is called per send. The stored token
        is read first (a pasted one may be long refreshed); the ice breakers' round, when due,
        is set in the background."""
        try:
            await self.upkeep()
        except Exception:  # the next upkeep tries again; the pasted token serves meanwhile
            logger.exception("Instagram upkeep failed at start")
        self.health.channel(CHANNEL, OK)

    async def upkeep(self) -> None:
        """Each account's token from the database (refreshed and warned about when due), and
        the ice breakers' weekly round: claimed here, set in the background (its retries
        wait)."""
        for keeper in self.tokens:
            await keeper.upkeep()
        if any(not task.done() for task in self._tasks):
            return
        self._tasks.clear()
        if taken := await self.ice_breakers.claim():
            self._tasks.add(asyncio.create_task(self.ice_breakers.run(taken)))

    async def stop(self) -> None:
        """Nothing to stop: the route goes with the server."""

    async def close(self) -> None:
        """Stop setting the ice breakers, close the Graph API connections."""
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.clients.close()

    async def count_failed_since(self, since: dt.datetime) -> int:
        """How many messages did not reach their applicant since `since`."""
        return await self.store.count_failed_since(since)

    async def failed_since(self, since: dt.datetime, *, limit: int) -> Sequence[FailedDelivery]:
        """The newest of them, at most `limit`."""
        return await self.store.failed_since(since, limit=limit)

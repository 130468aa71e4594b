"""Instagram built for one process: its parts wired to what the root hands in, the /instagram
route, and the failed deliveries admins list with /gagal_kirim.

Built in every process when configured, so an officer's answer reaches Instagram whichever
process handles the officer's Telegram update."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial

from bot.channels.contract import ChannelParts, FailedDelivery, HealthBoard, WebRoute
from bot.channels.instagram.api import InstagramClient
from bot.channels.instagram.applicants import InstagramApplicants
from bot.channels.instagram.comment_store import CommentStore
from bot.channels.instagram.comments import Comments
from bot.channels.instagram.direct import DirectMessages
from bot.channels.instagram.durable import InstagramInbox
from bot.channels.instagram.ice_breakers import questions, set_ice_breakers
from bot.channels.instagram.pacing import Pacer
from bot.channels.instagram.settings import InstagramSettings
from bot.channels.instagram.store import CHANNEL, InstagramStore
from bot.channels.instagram.transport import InstagramTransport
from bot.channels.instagram.webhook import InstagramWebhook
from bot.channels.starting import OK


def build(settings: InstagramSettings, parts: ChannelParts) -> Instagram:
    """The channel on the shared engine; officers hear about answers that could not go out."""
    limit, window = settings.private_replies
    client = InstagramClient(settings)
    pacer = Pacer(private_limit=limit, private_window=window)
    store = InstagramStore(parts.engine, chat_hash=partial(parts.conversation.chat_hash, CHANNEL))
    comments = CommentStore(parts.engine)
    direct = DirectMessages(parts.conversation, store, parts.staff, takeover=settings.takeover)
    inbox = InstagramInbox(
        store, parts.pipeline.intake, direct, Comments(parts.conversation, comments)
    )
    transport = InstagramTransport(client, store, comments, pacer)
    parts.pipeline.register(CHANNEL, inbox.handle, transport)
    applicants = InstagramApplicants(
        client, store, parts.tickets, parts.staff, pacer, human_agent=settings.human_agent
    )
    parts.deliveries.register(CHANNEL, applicants)
    menu = parts.conversation.matcher.kb.menu_entries()
    ice = questions([(entry.title, entry.id) for entry in menu])
    return Instagram(settings, store, comments, inbox, applicants, client, parts.health, ice)


@dataclass(frozen=True, slots=True)
class Instagram:
    """The Instagram channel of one process, wired (a `RunningChannel`)."""

    settings: InstagramSettings
    store: InstagramStore
    comments: CommentStore
    inbox: InstagramInbox
    applicants: InstagramApplicants
    client: InstagramClient
    health: HealthBoard
    ice_breakers: list[tuple[str, str]]
    _tasks: set[asyncio.Task[bool]] = field(default_factory=set)

    name = CHANNEL
    label = "Instagram"  # how /gagal_kirim names it

    @property
    def failed(self) -> Instagram:
        """Its own failed-delivery source: sends refused for good."""
        return self

    def routes(self) -> Sequence[WebRoute]:
        """/instagram: Meta's verification GET and the signed POSTs."""
        return [WebRoute(r) for r in InstagramWebhook(self.settings, self.inbox).routes()]

    async def start(self) -> None:
        """Meta posts to the route and the Graph API is called per send; the ice breakers
        are set in the background."""
        self._tasks.add(asyncio.create_task(set_ice_breakers(self.client, self.ice_breakers)))
        self.health.channel(CHANNEL, OK)

    async def stop(self) -> None:
        """Nothing to stop: the route goes with the server."""

    async def close(self) -> None:
        """Stop setting the ice breakers, close the Graph API connections."""
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.client.close()

    async def count_failed_since(self, since: dt.datetime) -> int:
        """How many messages did not reach their applicant since `since`."""
        return await self.store.count_failed_since(since)

    async def failed_since(self, since: dt.datetime, *, limit: int) -> Sequence[FailedDelivery]:
        """The newest of them, at most `limit`."""
        return await self.store.failed_since(since, limit=limit)

"""WhatsApp built for one process: its parts wired to what the root hands in, the /whatsapp
route, and the failed deliveries admins list with /gagal_kirim.

WhatsApp is built in every process when configured, so an officer's answer reaches WhatsApp
whichever process handles the officer's Telegram update."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from bot.channels.contract import ChannelParts, FailedDelivery, HealthBoard, WebRoute
from bot.channels.starting import OK
from bot.channels.whatsapp.api import GraphClient
from bot.channels.whatsapp.broadcast import WhatsAppBroadcaster
from bot.channels.whatsapp.channel import CHANNEL, WhatsAppApplicants, WhatsAppSender
from bot.channels.whatsapp.durable import WhatsAppInbox, WhatsAppTransport
from bot.channels.whatsapp.numbers import Numbers
from bot.channels.whatsapp.settings import WhatsAppSettings
from bot.channels.whatsapp.webhook import whatsapp_webhook
from bot.storage.whatsapp import WhatsAppStore


def build(settings: WhatsAppSettings, parts: ChannelParts) -> WhatsApp:
    """The channel on the shared engine; officers hear about answers that could not go out."""
    client = GraphClient(settings)
    chat_hash = partial(parts.conversation.chat_hash, CHANNEL)
    store = WhatsAppStore(parts.engine, chat_hash=chat_hash)
    sender = WhatsAppSender(client, store)
    applicants = WhatsAppApplicants(
        sender, store, parts.tickets, parts.staff, template=settings.template
    )
    routing = parts.conversation.offices
    numbers = Numbers.of(settings, routing.directory if routing else None)
    inbox = WhatsAppInbox(parts.conversation, store, parts.pipeline.intake, numbers=numbers)
    parts.pipeline.register(CHANNEL, inbox.handle, WhatsAppTransport(client, store))
    parts.deliveries.register(CHANNEL, applicants)
    broadcaster = WhatsAppBroadcaster(sender, store, template=settings.template)
    parts.broadcasters.register(CHANNEL, broadcaster)
    return WhatsApp(settings, store, sender, applicants, inbox, client, parts.health)


@dataclass(frozen=True, slots=True)
class WhatsApp:
    """The WhatsApp channel of one process, wired (a `RunningChannel`)."""

    settings: WhatsAppSettings
    store: WhatsAppStore
    sender: WhatsAppSender
    applicants: WhatsAppApplicants
    inbox: WhatsAppInbox
    client: GraphClient
    health: HealthBoard

    name = CHANNEL
    label = "WhatsApp"  # how /gagal_kirim names it

    @property
    def failed(self) -> WhatsApp:
        """Its own failed-delivery source: Meta's "failed" statuses and refused sends."""
        return self

    @property
    def posts(self) -> None:
        """No posts: a chat channel has no per-post figures."""
        return None

    @property
    def publishing(self) -> None:
        """Nothing to publish to: a chat channel has no feed."""
        return None

    def routes(self) -> Sequence[WebRoute]:
        """/whatsapp: Meta's verification GET and the signed POSTs."""
        return [WebRoute(route) for route in whatsapp_webhook(self.settings, self.inbox).routes()]

    async def start(self) -> None:
        """Nothing to start: Meta posts to the route, the Graph API is called per send."""
        self.health.channel(CHANNEL, OK)

    async def stop(self) -> None:
        """Nothing to stop: the route goes with the server."""

    async def close(self) -> None:
        """Close the Graph API connections."""
        await self.client.close()

    async def upkeep(self) -> None:
        """Nothing periodic to do."""

    async def count_failed_since(self, since: dt.datetime) -> int:
        """How many messages did not reach their applicant since `since`."""
        return await self.store.count_failed_since(since)

    async def failed_since(self, since: dt.datetime, *, limit: int) -> Sequence[FailedDelivery]:
        """The newest of them, at most `limit`."""
        return await self.store.failed_since(since, limit=limit)

"""The Telegram part of the composition root: the staff and admin chats the core tells, every
handler in PTB's order, and Telegram as a way to reach applicants and subscribers."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Sequence
from functools import partial

from bot.channels.contract import FailedSource
from bot.channels.telegram.admin import AdminHandlers, tell_admins, tell_each
from bot.channels.telegram.admin_access import AdminAccess
from bot.channels.telegram.announce import AnnounceHandlers, TelegramBroadcaster
from bot.channels.telegram.channel import CHANNEL as TELEGRAM
from bot.channels.telegram.channel import (
    ApplicantHandlers,
    TelegramApp,
    TelegramApplicants,
    on_error,
)
from bot.channels.telegram.durable import Poller, TelegramHandler, TelegramTransport
from bot.channels.telegram.failed_admin import FailedDeliveries
from bot.channels.telegram.reports import ReportHandlers
from bot.channels.telegram.running import TelegramRunning
from bot.channels.telegram.staff import OfficerHandlers
from bot.channels.telegram.staff_groups import StaffGroups
from bot.channels.telegram.staff_move import MoveHandler
from bot.channels.telegram.staff_posts import TelegramOfficers
from bot.core.conversation import Conversation
from bot.core.handover import Handover
from bot.core.vocabulary import Incoming
from bot.reporting.vocabulary import PostSource
from bot.runtime.app.parts import Core, Telegram
from bot.runtime.config import Settings
from bot.storage import Store
from knowledge.offices import OfficeDirectory

logger = logging.getLogger(__name__)

AdminSend = Callable[[str], Awaitable[None]]


def wire(
    core: Core,
    application: TelegramApp,
    failed: Sequence[FailedSource],
    posts: PostSource | None,
    *,
    poll_seconds: int | None,
) -> Telegram:
    """Every Telegram handler, and Telegram as a way to reach applicants and subscribers;
    `failed` and `posts` come from the other channels this process runs (/gagal_kirim, the
    per-post figures of /laporan).

    PTB runs the first matching handler: staff and admin commands go before the applicants'
    catch-all, which would otherwise answer "/statistik" as a question.
    """
    _admin_handlers(core, application, posts)
    _admin_sending_handlers(core, application, failed)
    _officer_handlers(core, application)
    broadcaster = TelegramBroadcaster(application)
    core.announcements.sender.broadcasters.register(TELEGRAM, broadcaster)
    ApplicantHandlers(core.conversation).register(application)
    core.deliveries.register(TELEGRAM, TelegramApplicants(application.bot))
    application.add_error_handler(on_error)
    transport = TelegramTransport(application)
    core.pipeline.register(TELEGRAM, TelegramHandler(application), transport)
    secret, intake = core.settings.telegram.webhook_secret, core.pipeline.intake
    running = TelegramRunning(application, secret, intake, core.health)
    if poll_seconds is None:
        return Telegram(application, running)
    poller = Poller(application, intake, backoff=core.pipeline.backoff, timeout=poll_seconds)
    return Telegram(application, running, poller)


def _admin_handlers(core: Core, application: TelegramApp, posts: PostSource | None) -> None:
    """Statistics, reload, the outage notice, and the reports, each for the admin's office."""
    settings, access = core.settings, admin_access(core)
    AdminHandlers(
        access,
        core.reports,
        reload=core.reload_knowledge,
        titles=lambda: {e.id: e.title for e in core.conversation.matcher.kb.entries},
        hours=settings.office_hours,
        outage=core.outage,
    ).register(application)
    ReportHandlers(
        access,
        core.reports,
        kb=lambda: core.conversation.matcher.kb,
        zone=settings.office_hours.zone,
        remind_after=dt.timedelta(minutes=settings.remind_after_minutes),
        posts=posts,
    ).register(application)


def admin_access(core: Core) -> AdminAccess:
    """The admins of every office and of one, with the offices' short names."""
    names = core.offices.names() if core.offices else {}
    hash_user = partial(_hash_user, core.conversation)
    return AdminAccess(core.settings.telegram, hash_user, names)


def _admin_sending_handlers(
    core: Core, application: TelegramApp, failed: Sequence[FailedSource]
) -> None:
    """Failed sends (when a channel that records them runs) and announcements."""
    hash_user = partial(_hash_user, core.conversation)
    if failed:
        zone = core.settings.office_hours.zone
        FailedDeliveries(admin_access(core), failed, zone=zone).register(application)
    announcers = core.settings.telegram  # admins of every office and of one (`is_admin`)
    AnnounceHandlers(announcers, core.announcements, hash_user=hash_user).register(application)


def _hash_user(conversation: Conversation, uid: str) -> str:
    """Admin refusals are logged with the question log's salted hash, never the raw id."""
    return conversation.user_hash(Incoming(TELEGRAM, uid, uid, ""))


def _officer_handlers(core: Core, application: TelegramApp) -> None:
    """The officers' groups: claims, answers, /tiket, drafts for the FAQ, /pindah."""
    groups = staff_groups(core.settings, core.offices)
    if not groups.chats:
        logger.warning("TELEGRAM_OFFICER_CHAT_ID is not set: tickets are stored but not posted")
        return
    store = core.store
    handlers = OfficerHandlers(
        core.escalation, groups, threads=store, posts=store, drafts=core.drafts
    )
    handlers.register(application)
    handover = Handover(core.escalation, store, core.staff, core.deliveries, offices=core.offices)
    MoveHandler(handover, groups, store).register(application)


def staff_groups(settings: Settings, offices: OfficeDirectory | None) -> StaffGroups:
    """The officers' groups of the settings, with the offices' short names."""
    names = offices.names() if offices is not None else {}
    return StaffGroups.of(settings.telegram, names)


def officers(
    settings: Settings,
    application: TelegramApp | None,
    store: Store,
    offices: OfficeDirectory | None = None,
) -> TelegramOfficers | None:
    groups = staff_groups(settings, offices)
    if application is None or not groups.chats:
        return None
    return TelegramOfficers(application, groups, store)


def group_send(settings: Settings, application: TelegramApp | None) -> AdminSend | None:
    """Plain lines to the officers' group, about no ticket (as alerts go to the admins)."""
    group = settings.telegram.officer_chat_id
    if application is None or group is None:
        return None
    return partial(tell_admins, application.bot, group)


def office_admin_sends(
    settings: Settings, application: TelegramApp | None
) -> dict[str, AdminSend]:
    """Per office with office admins: send to each of them privately (their office's digest)."""
    if application is None:
        return {}
    return {
        office: partial(tell_each, application.bot, sorted(ids))
        for office, ids in settings.telegram.office_admins.items()
        if ids
    }


def admin_send(settings: Settings, application: TelegramApp | None) -> AdminSend | None:
    admin_chat = settings.digest_chat_id or min(settings.telegram.admin_ids, default=None)
    if application is None or admin_chat is None:
        return None
    return partial(tell_admins, application.bot, admin_chat)

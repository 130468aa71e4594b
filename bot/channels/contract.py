"""What a channel package declares and what the composition root hands it.

A channel package exports `CHANNEL`, a `Channel`: its name, how its settings section is read
from the environment, and how it is built from the `ChannelParts` the root hands in. The
built channel (`RunningChannel`) offers its HTTP routes with their body limits, start, stop,
close and a periodic `upkeep` (run by the background loop on every worker), and optionally a
`FailedSource` for the admins' /gagal_kirim, a `PostSource` for the reports' per-post figures
(/laporan and the weekly digest) and a publishing `Platform` for the office's own posts. A
channel's own tables are purged with the rest (`Channel.retention`), so storage never imports
a channel. The root lists the channels in one place (`bot.runtime.channels`); nothing else
in the root names a channel, Telegram's staff and admin rooms aside.

Only typing imports here: the settings are read by every command (`ask` too), which should
not pay for importing the web stack or the ORM.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple, Protocol, TypeVar

if TYPE_CHECKING:
    from sqlalchemy import Delete, Update
    from sqlalchemy.ext.asyncio import AsyncEngine
    from starlette.routing import BaseRoute

    from bot.announcements.vocabulary import Broadcaster
    from bot.core.conversation import Conversation
    from bot.core.escalation import Applicants, Officers
    from bot.core.vocabulary import TicketLookup
    from bot.delivery.intake import Pipeline
    from bot.publishing.vocabulary import Platform
    from bot.reporting.vocabulary import PostSource

KIB = 1024
Item = TypeVar("Item", contravariant=True)
Section = TypeVar("Section", bound="ChannelSettings")


class ChannelSettings(Protocol):
    """A channel's section of the settings, read once at start-up."""

    @property
    def enabled(self) -> bool:
        """Whether enough is configured for the channel to run."""
        ...

    def missing(self) -> tuple[str, ...]:
        """The variables `serve` still needs when the section is half configured (none when
        it is complete or not configured at all)."""
        ...

    def secrets(self) -> tuple[str, ...]:
        """Every value to mask in log lines."""
        ...


class Registry(Protocol[Item]):
    """Something the channel registers itself in under its name."""

    def register(self, channel: str, item: Item, /) -> None: ...


class TopTopics(Protocol):
    """What people asked most: the question log's answered entries, most asked first."""

    async def top_topics(self, since: dt.datetime, *, limit: int, at_least: int) -> list[str]:
        """Up to `limit` entry ids asked at least `at_least` times since `since`."""
        ...


class HealthBoard(Protocol):
    """Where the channel reports its state for /healthz ("ok", "degraded", "starting")."""

    def channel(self, name: str, state: str) -> None: ...


@dataclass(frozen=True, slots=True)
class ChannelParts:
    """What the root hands every channel it builds."""

    conversation: Conversation
    pipeline: Pipeline  # the durable inbox and outbox: register a handler and a transport
    deliveries: Registry[Applicants]  # officers' answers to this channel's applicants
    broadcasters: Registry[Broadcaster]  # announcements to this channel's subscribers
    tickets: TicketLookup
    staff: Officers  # where officers are told that an answer did not go out
    group: Callable[[str], Awaitable[None]]  # a line to the officers' group about no ticket
    health: HealthBoard
    engine: AsyncEngine  # the shared database, for the channel's own store
    alert: Callable[[str], Awaitable[None]]  # tells the admins (an expiring token)
    topics: TopTopics  # the question log's most asked topics (Instagram's ice breakers)
    mask: Callable[[str], None]  # masks a secret learned while running (a new token) in logs


@dataclass(frozen=True, slots=True)
class WebRoute:
    """One HTTP route and the largest body `serve` reads for it (the guard refuses more)."""

    route: BaseRoute
    max_body: int = 256 * KIB

    @property
    def path(self) -> str:
        """The route's path, which the body guard keys its limits on."""
        return str(getattr(self.route, "path", ""))


class FailedDelivery(Protocol):
    """A message that did not reach its applicant, as /gagal_kirim lists it."""

    @property
    def updated_at(self) -> dt.datetime: ...

    @property
    def ticket_id(self) -> int | None: ...

    @property
    def error(self) -> str | None: ...


class FailedSource(Protocol):
    """The failed deliveries a channel records, for the admins' /gagal_kirim."""

    label: str  # how admins read the channel's name ("WhatsApp")

    async def count_failed_since(self, since: dt.datetime) -> int: ...

    async def failed_since(
        self, since: dt.datetime, *, limit: int
    ) -> Sequence[FailedDelivery]: ...


class RunningChannel(Protocol):
    """A channel built for one process."""

    @property
    def name(self) -> str: ...

    @property
    def failed(self) -> FailedSource | None:
        """Where its undelivered messages are kept, if it keeps them."""
        ...

    @property
    def posts(self) -> PostSource | None:
        """Its per-post figures for the reports, if it is a channel with posts (Instagram)."""
        ...

    @property
    def publishing(self) -> Platform | None:
        """Where the office's approved posts are published, if the channel can (Instagram)."""
        ...

    def routes(self) -> Sequence[WebRoute]:
        """What `serve` mounts for it (nothing when it receives no webhooks)."""
        ...

    async def start(self) -> None:
        """Start receiving; an API that is down is retried in the background, not raised."""
        ...

    async def stop(self) -> None:
        """Stop receiving (the process is shutting down)."""
        ...

    async def close(self) -> None:
        """Release connections, once nothing is sent any more."""
        ...

    async def upkeep(self) -> None:
        """Periodic duties, called about every minute on every worker (a channel that has
        none does nothing); work that one worker must do alone is leased in the database."""
        ...


class Channel(Protocol[Section]):
    """What a channel package declares (its `CHANNEL`)."""

    @property
    def name(self) -> str: ...

    @property
    def enabled_by(self) -> str:
        """The settings that turn it on, as `serve` names them when no channel is on."""
        ...

    def from_env(self, env: Mapping[str, str]) -> Section:
        """Read the channel's section of the settings."""
        ...

    def build(self, settings: Section, parts: ChannelParts) -> RunningChannel | None:
        """The channel wired to `parts` (called only when `settings.enabled`); None when the
        root builds it itself (Telegram, which is also the officers' and admins' room)."""
        ...

    def retention(self, now: dt.datetime, cutoff: dt.datetime) -> Sequence[PurgeStep]:
        """What `db purge` deletes from the channel's own tables (rows older than `cutoff`
        or otherwise past their use at `now`), run in the purge's one transaction; listed
        channels are purged whether configured or not, their tables exist either way."""
        ...

    def post_source(self, engine: AsyncEngine) -> PostSource | None:
        """The per-post report figures when the channel keeps posts (Instagram), read from
        the shared database; for one-shot commands such as `report`, which build no channel."""
        ...


class PurgeStep(NamedTuple):
    """One statement of a channel's purge and how `db purge` names its rows (Indonesian);
    a plain pair to storage, which runs it without knowing channels."""

    label: str
    statement: Delete | Update

"""Settings, read once from the environment into a frozen object; secrets are masked."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import unquote, urlsplit

from bot.channels.contract import Channel, ChannelSettings
from bot.channels.telegram.settings import TelegramSettings
from bot.content.brand import parse_hashtags
from bot.content.palette import Palette, parse_colour
from bot.content.palette import problems as palette_problems
from bot.content.settings import Look
from bot.core.env import positive_int
from bot.core.errors import ConfigError
from bot.core.hours import OfficeHours, WeeklyTime
from bot.core.secret import Secret, chosen_secret
from bot.core.turns import FLOOD_PER_MINUTE, LONG_CHARS
from bot.publishing.settings import PublishSettings
from bot.runtime.channels import CHANNELS
from bot.storage.database import POOL_SIZE
from knowledge.policy import Thresholds

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA_DIR = ROOT / "data"
DEFAULT_FAQ = ROOT / "faq.yaml"
DEFAULT_OFFICES = ROOT / "offices.yaml"
# The deployment this repository is first for: every entry point without an office of its
# own serves Kalianda, as before there were several offices (issue 21).
DEFAULT_OFFICE = "kalianda"
# OFFICE=ask: no office is assumed; the bot asks each new chat where the applicant lives.
ASK_OFFICE = "ask"
# Only decides when officers get reminders; applicants are told the office's own hours from
# faq.yaml, and nothing about them when those are not verified yet.
DEFAULT_HOURS = "mon-fri 08:00-16:00"
DEFAULT_DIGEST = "mon 08:00"
# How long an officer who claimed or answered a ticket holds the conversation after their claim
# or last answer: a working day and the night after it. Then the bot answers again what it can.
TICKET_IDLE_HOURS = 24.0
MAX_IDLE_HOURS = 24.0 * 30
Section = TypeVar("Section", bound=ChannelSettings)


@dataclass(frozen=True, slots=True)
class Durability:
    """The inbox's lease (how soon a crashed worker's update is taken again) and the outbox's
    backoff for transient send failures."""

    lease_seconds: float = 60.0
    retry_first_seconds: float = 1.0
    retry_max_seconds: float = 30.0

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Durability:
        return cls(
            lease_seconds=_float(env, "INBOX_LEASE_SECONDS", 60.0, upper=3600.0),
            retry_first_seconds=_float(env, "RETRY_FIRST_SECONDS", 1.0, upper=60.0),
            retry_max_seconds=_float(env, "RETRY_MAX_SECONDS", 30.0, upper=3600.0),
        )


@dataclass(frozen=True, slots=True)
class Listed:
    """One listed channel and its section of the settings."""

    channel: Channel[Any]
    settings: ChannelSettings


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything configurable; build with `Settings.from_env`."""

    database_url: str
    faq_path: Path
    data_dir: Path
    user_salt: Secret
    thresholds: Thresholds = field(default_factory=Thresholds)
    long_message_chars: int = LONG_CHARS
    flood_per_minute: int = FLOOD_PER_MINUTE
    office_hours: OfficeHours = field(default_factory=lambda: OfficeHours.parse(DEFAULT_HOURS))
    remind_after_minutes: float = 30.0
    ticket_idle_hours: float = TICKET_IDLE_HOURS
    digest_at: str = DEFAULT_DIGEST
    digest_chat_id: int | None = None
    retention_days: int = 365
    learn_min_people: int = 3  # people confirming a wording before it is proposed
    http_timeout_seconds: float = 10.0  # `serve`: request headers and body must arrive by then
    durability: Durability = field(default_factory=Durability)
    channels: tuple[Listed, ...] = ()  # each listed channel with its section, in list order
    admin_session_key: Secret = field(default_factory=lambda: Secret(""))  # the console's
    admin_session_hours: float = 8.0
    content_look: Look = field(default_factory=Look)  # the weekly posts' colours and logo
    publishing: PublishSettings = field(default_factory=PublishSettings)  # the office's posts
    # Many offices (issue 21): the office directory (none: one office, faq.yaml's) and the
    # office of entry points that have none of their own (None: ask the applicant).
    offices_path: Path = DEFAULT_OFFICES
    home_office: str | None = DEFAULT_OFFICE
    database_pool_size: int = POOL_SIZE  # PostgreSQL connections kept per process

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str] | None = None,
        *,
        channels: tuple[Channel[Any], ...] | None = None,
    ) -> Settings:
        """Read settings from `environ` (default: the process environment), with a section
        for each of `channels` (default: `bot.runtime.channels.CHANNELS`)."""
        env = os.environ if environ is None else environ
        listed = CHANNELS if channels is None else channels
        data_dir = Path(env.get("TANYA_DATA_DIR") or DEFAULT_DATA_DIR)
        default_db = f"sqlite+aiosqlite:///{data_dir / 'tanya_paspor.db'}"
        defaults = Thresholds()
        return cls(
            database_url=env.get("DATABASE_URL") or default_db,
            faq_path=Path(env.get("FAQ_PATH") or DEFAULT_FAQ),
            data_dir=data_dir,
            user_salt=Secret(env.get("USER_HASH_SALT") or ""),
            thresholds=Thresholds(
                answer=_float(env, "MATCH_ANSWER_THRESHOLD", defaults.answer),
                clarify=_float(env, "MATCH_CLARIFY_THRESHOLD", defaults.clarify),
            ),
            flood_per_minute=positive_int(env, "FLOOD_PER_MINUTE", FLOOD_PER_MINUTE),
            office_hours=OfficeHours.parse(
                env.get("OFFICE_HOURS") or DEFAULT_HOURS,
                env.get("OFFICE_TIMEZONE") or "Asia/Jakarta",
            ),
            remind_after_minutes=_float(env, "REMIND_AFTER_MINUTES", 30.0, upper=24 * 60),
            ticket_idle_hours=_float(
                env, "TICKET_IDLE_HOURS", TICKET_IDLE_HOURS, upper=MAX_IDLE_HOURS
            ),
            digest_at=_weekly(env.get("DIGEST_AT") or DEFAULT_DIGEST),
            digest_chat_id=_optional_int(env, "DIGEST_CHAT_ID"),
            retention_days=positive_int(env, "RETENTION_DAYS", 365),
            learn_min_people=positive_int(env, "LEARN_MIN_PEOPLE", 3),
            http_timeout_seconds=_float(env, "HTTP_TIMEOUT_SECONDS", 10.0, upper=300.0),
            durability=Durability.from_env(env),
            channels=tuple(Listed(channel, channel.from_env(env)) for channel in listed),
            admin_session_key=chosen_secret(env, "ADMIN_SESSION_KEY"),
            admin_session_hours=_float(env, "ADMIN_SESSION_HOURS", 8.0, upper=24.0 * 7),
            content_look=_look(env),
            publishing=PublishSettings.from_env(env),
            offices_path=Path(env.get("OFFICES_PATH") or DEFAULT_OFFICES),
            home_office=_home_office(env),
            database_pool_size=positive_int(env, "DATABASE_POOL_SIZE", POOL_SIZE),
        )

    def section(self, kind: type[Section]) -> Section:
        """A listed channel's settings; a channel that is not listed is not configured."""
        for listed in self.channels:
            if isinstance(listed.settings, kind):
                return listed.settings
        return kind()

    @property
    def telegram(self) -> TelegramSettings:
        """Telegram's section: the root reads it for the officers' and admins' rooms."""
        return self.section(TelegramSettings)

    def salt(self) -> str:
        """The user-hash salt: from the environment, else a random one kept in the data dir."""
        if self.user_salt:
            return self.user_salt.reveal()
        path = self.data_dir / ".user_salt"
        if not path.exists():
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # owner only
            path.touch(mode=0o600)  # never readable by others, not even for a moment
            path.write_text(secrets.token_hex(32), encoding="ascii")
        return path.read_text(encoding="ascii").strip()

    def session_key(self) -> Secret:
        """The console's cookie-signing key: from the environment, else a random one kept in
        the data dir (so every worker and restart signs alike)."""
        if self.admin_session_key:
            return self.admin_session_key
        return Secret(_kept_secret(self.data_dir / ".admin_key"))


def _kept_secret(path: Path) -> str:
    """A random secret generated once into `path` (owner-only), then read from it."""
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_hex(32), encoding="ascii")
    return path.read_text(encoding="ascii").strip()


def secret_values(settings: Settings) -> list[str]:
    """Every secret value the process knows, for masking log lines."""
    values = [secret for listed in settings.channels for secret in listed.settings.secrets()]
    values.append(settings.user_salt.reveal())
    values.append(settings.admin_session_key.reveal())
    salt_file = settings.data_dir / ".user_salt"
    if not settings.user_salt and salt_file.is_file():
        values.append(salt_file.read_text(encoding="ascii").strip())
    key_file = settings.data_dir / ".admin_key"
    if not settings.admin_session_key and key_file.is_file():
        values.append(key_file.read_text(encoding="ascii").strip())
    password = urlsplit(settings.database_url).password
    if password:
        values += [password, unquote(password)]  # either form may reach a log line
    return [value for value in values if value]


def _home_office(env: Mapping[str, str]) -> str | None:
    office = (env.get("OFFICE") or DEFAULT_OFFICE).strip().casefold()
    return None if office == ASK_OFFICE else office


def _weekly(spec: str) -> str:
    """Validate a weekly time ("mon 08:00") at start-up rather than at the first digest."""
    WeeklyTime.parse(spec)
    return spec.strip().casefold()


COLOURS = (
    ("background", "CONTENT_BG_COLOR"),
    ("text", "CONTENT_TEXT_COLOR"),
    ("accent", "CONTENT_ACCENT_COLOR"),
    ("on_accent", "CONTENT_ACCENT_TEXT_COLOR"),
)


def _look(env: Mapping[str, str]) -> Look:
    """The content kit's colours (refused below WCAG AA contrast), logo and hashtags."""
    default = Palette()
    try:
        palette = Palette(
            **{
                field_name: parse_colour(env[name], name)
                if env.get(name)
                else getattr(default, field_name)
                for field_name, name in COLOURS
            }
        )
        tags = parse_hashtags(env.get("CONTENT_HASHTAGS") or "")
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc
    if found := palette_problems(palette):
        raise ConfigError("; ".join(found))
    logo = (env.get("CONTENT_LOGO") or "").strip()
    return Look(palette, Path(logo) if logo else None, tags)


def _optional_int(env: Mapping[str, str], name: str) -> int | None:
    raw = (env.get(name) or "").strip()
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a number, got {raw!r}") from exc


def _float(env: Mapping[str, str], name: str, default: float, *, upper: float = 2.0) -> float:
    raw = env.get(name)
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a number, got {raw!r}") from exc
    if not 0.0 <= value <= upper:
        raise ConfigError(f"{name} must be between 0 and {upper}, got {value}")
    return value

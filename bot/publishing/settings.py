"""How publishing is configured: where `serve` is reached from outside (the platform fetches
the slides there), how long a slide's link lives, how often a failed publication is tried,
how long the limit is waited out, and for how long a post's insights are read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from bot.core.errors import ConfigError

# Meta fetches a slide when its container is made, within seconds: an hour is ample, and a
# link that leaked later is dead.
LINK_MINUTES = 60.0
ATTEMPTS = 4
RETRY_MINUTES = 5.0  # the first wait after a failure; each next one doubles
# Meta counts the limit over a rolling 24 hours and does not say when a slot frees.
LIMIT_WAIT_MINUTES = 60.0
INSIGHTS_DAYS = 7  # most of a post's reach comes in its first days
INSIGHTS_HOURS = 6.0


@dataclass(frozen=True, slots=True)
class PublishSettings:
    """Publishing's slice of the settings; the last three are not read from the environment
    (tests shorten them)."""

    public_url: str = ""  # PUBLIC_BASE_URL, without a trailing slash; "" turns publishing off
    link_lifetime: dt.timedelta = dt.timedelta(minutes=LINK_MINUTES)
    attempts: int = ATTEMPTS
    retry_after: dt.timedelta = dt.timedelta(minutes=RETRY_MINUTES)
    limit_wait: dt.timedelta = dt.timedelta(minutes=LIMIT_WAIT_MINUTES)
    insights_for: dt.timedelta = dt.timedelta(days=INSIGHTS_DAYS)
    insights_every: dt.timedelta = dt.timedelta(hours=INSIGHTS_HOURS)
    # Longer than a whole publication takes (calls time out after 10 s, containers are waited
    # for at most `processing`): a worker that dies holding one frees it after this long.
    lease: dt.timedelta = dt.timedelta(minutes=10)
    poll_seconds: float = 2.0
    processing: dt.timedelta = dt.timedelta(minutes=2)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> PublishSettings:
        """Read PUBLIC_BASE_URL, MEDIA_LINK_MINUTES, PUBLISH_ATTEMPTS, PUBLISH_RETRY_MINUTES,
        PUBLISH_LIMIT_WAIT_MINUTES, INSIGHTS_DAYS and INSIGHTS_EVERY_HOURS."""
        return cls(
            public_url=_base_url(env.get("PUBLIC_BASE_URL") or ""),
            link_lifetime=dt.timedelta(minutes=_number(env, "MEDIA_LINK_MINUTES", LINK_MINUTES)),
            attempts=int(_number(env, "PUBLISH_ATTEMPTS", ATTEMPTS, whole=True)),
            retry_after=dt.timedelta(minutes=_number(env, "PUBLISH_RETRY_MINUTES", RETRY_MINUTES)),
            limit_wait=dt.timedelta(
                minutes=_number(env, "PUBLISH_LIMIT_WAIT_MINUTES", LIMIT_WAIT_MINUTES)
            ),
            insights_for=dt.timedelta(
                days=_number(env, "INSIGHTS_DAYS", INSIGHTS_DAYS, whole=True)
            ),
            insights_every=dt.timedelta(
                hours=_number(env, "INSIGHTS_EVERY_HOURS", INSIGHTS_HOURS)
            ),
        )


def _base_url(raw: str) -> str:
    value = raw.strip().rstrip("/")
    if not value:
        return ""
    parts = urlsplit(value)
    # The slides' links are this plus /media/<token>.jpg: a query or fragment would swallow
    # the path, and the platform fetches only http(s).
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ConfigError("PUBLIC_BASE_URL must be an http(s) URL such as https://bot.example.id")
    return value


def _number(env: Mapping[str, str], name: str, default: float, *, whole: bool = False) -> float:
    raw = (env.get(name) or "").strip()
    if not raw:
        return float(default)
    try:
        value = int(raw) if whole else float(raw)
    except ValueError as exc:
        kind = "a whole number" if whole else "a number"
        raise ConfigError(f"{name} must be {kind}, got {raw!r}") from exc
    if value <= 0:
        raise ConfigError(f"{name} must be more than 0, got {raw}")
    return float(value)

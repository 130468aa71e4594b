"""Setting values read from the environment, checked once at start-up: the composition root and
each channel's settings read them the same way."""

from __future__ import annotations

from collections.abc import Mapping

from bot.core.errors import ConfigError


def positive_int(env: Mapping[str, str], name: str, default: int) -> int:
    """`name` as a whole number of at least 1, or `default` when it is unset or blank."""
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from exc
    if value < 1:
        raise ConfigError(f"{name} must be at least 1, got {value}")
    return value

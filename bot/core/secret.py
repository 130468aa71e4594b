"""A secret setting: masked in every repr and log line, and long enough when we choose it."""

from __future__ import annotations

import secrets
from collections.abc import Mapping

from bot.core.errors import ConfigError

# Secrets we choose ourselves: long enough not to be guessed, and to be masked in logs.
MIN_CHOSEN_SECRET = 16


class Secret:
    """A string that never shows itself in a repr or a log line."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def __repr__(self) -> str:
        return "Secret('**********')"

    __str__ = __repr__

    def reveal(self) -> str:
        """The real value, for the one place that needs it."""
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and secrets.compare_digest(self._value, other._value)

    def __hash__(self) -> int:
        return hash(self._value)


def chosen_secret(env: Mapping[str, str], name: str) -> Secret:
    """A secret we choose (not one Telegram or Meta issues): refused when short. The message
    names the setting, never its value."""
    value = env.get(name) or ""
    if 0 < len(value) < MIN_CHOSEN_SECRET:
        raise ConfigError(f"{name} is too short: use at least {MIN_CHOSEN_SECRET} characters")
    return Secret(value)

"""INSTAGRAM_* settings: defaults, half configuration named, malformed values refused, and
secrets that never show in a repr."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.channels.instagram.settings import INSTAGRAM_API, InstagramSettings
from bot.core.errors import ConfigError

FULL = {
    "INSTAGRAM_ACCESS_TOKEN": "IGAAtokenrahasia123",
    "INSTAGRAM_APP_SECRET": "rahasia-aplikasi-ig",
    "INSTAGRAM_VERIFY_TOKEN": "verifikasi-ig-uji-123",
    "INSTAGRAM_ACCOUNT_ID": "17841400000000001",
}


def test_nothing_set_is_disabled_and_not_half_configured() -> None:
    settings = InstagramSettings.from_env({})
    assert (settings.enabled, settings.missing(), settings.secrets()) == (False, (), ())
    assert settings.api_url == INSTAGRAM_API == "https://graph.instagram.com/v26.0"
    assert (settings.human_agent, settings.takeover) == (False, dt.timedelta(minutes=60))


def test_everything_set_is_enabled() -> None:
    env = {**FULL, "INSTAGRAM_HUMAN_AGENT": "1", "INSTAGRAM_TAKEOVER_MINUTES": "15"}
    env["INSTAGRAM_API_URL"] = "http://127.0.0.1:9/v26.0/"
    env["INSTAGRAM_PRIVATE_REPLY_RATE"] = "375/3600"
    settings = InstagramSettings.from_env(env)
    assert (settings.enabled, settings.missing()) == (True, ())
    assert settings.api_url == "http://127.0.0.1:9/v26.0"
    assert (settings.human_agent, settings.takeover) == (True, dt.timedelta(minutes=15))
    assert settings.private_replies == (375, 3600.0)
    assert InstagramSettings.from_env(FULL).private_replies == (750, 3600.0)  # Meta's limit


@pytest.mark.parametrize("unset", sorted(FULL))
def test_half_configured_names_what_is_missing(unset: str) -> None:
    settings = InstagramSettings.from_env({k: v for k, v in FULL.items() if k != unset})
    assert (settings.enabled, settings.missing()) == (False, (unset,))


def test_secrets_are_listed_for_masking_and_never_shown() -> None:
    settings = InstagramSettings.from_env(FULL)
    assert sorted(settings.secrets()) == sorted(
        FULL[k] for k in FULL if k != "INSTAGRAM_ACCOUNT_ID"
    )
    shown = repr(settings)
    assert all(FULL[k] not in shown for k in FULL if k != "INSTAGRAM_ACCOUNT_ID")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("INSTAGRAM_HUMAN_AGENT", "ya"),
        ("INSTAGRAM_TAKEOVER_MINUTES", "-5"),
        ("INSTAGRAM_TAKEOVER_MINUTES", "satu jam"),
        ("INSTAGRAM_ACCOUNT_ID", "me/../123"),
        ("INSTAGRAM_VERIFY_TOKEN", "pendek"),
        ("INSTAGRAM_PRIVATE_REPLY_RATE", "750"),
        ("INSTAGRAM_PRIVATE_REPLY_RATE", "0/3600"),
        ("INSTAGRAM_PRIVATE_REPLY_RATE", "750/jam"),
    ],
)
def test_malformed_values_are_refused_by_name(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name) as caught:
        InstagramSettings.from_env({**FULL, name: value})
    if name == "INSTAGRAM_VERIFY_TOKEN":
        assert value not in str(caught.value)

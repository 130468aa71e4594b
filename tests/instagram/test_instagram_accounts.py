"""The offices' Instagram accounts (issue 21): INSTAGRAM_OFFICE_ACCOUNTS and each account's
token read and checked against the office directory, a chat's id per account, and a queued
reply for an account no longer configured refused for good."""

from __future__ import annotations

import pytest

from bot.channels.instagram.accounts import Accounts, Clients, split
from bot.channels.instagram.api import InstagramClient, InstagramError
from bot.channels.instagram.settings import InstagramSettings, OfficeAccount, token_variable
from bot.core.errors import ConfigError
from bot.core.secret import Secret
from bot.runtime.config import Settings
from knowledge.office_file import load_offices

MAIN, KOTABUMI, BANDAR_LAMPUNG = "17841400000000001", "17841400000000077", "17841400000000078"
BASE = {"INSTAGRAM_ACCOUNT_ID": MAIN}
TOKENS = {
    "INSTAGRAM_OFFICE_TOKEN_KOTABUMI": "IGAAkotabumi123",
    "INSTAGRAM_OFFICE_TOKEN_BANDAR_LAMPUNG": "IGAAbandar456",
}


def settings(accounts: str, **env: str) -> InstagramSettings:
    given = {**BASE, **TOKENS, "INSTAGRAM_OFFICE_ACCOUNTS": accounts, **env}
    return InstagramSettings.from_env(given)


def test_office_accounts_are_read_with_their_tokens() -> None:
    read = settings(f" kotabumi:{KOTABUMI} ,, bandar-lampung:{BANDAR_LAMPUNG}")
    assert dict(read.office_accounts) == {
        KOTABUMI: OfficeAccount("kotabumi", Secret("IGAAkotabumi123")),
        BANDAR_LAMPUNG: OfficeAccount("bandar-lampung", Secret("IGAAbandar456")),
    }
    assert set(TOKENS.values()) <= set(read.secrets())  # masked in logs
    assert all(token not in repr(read) for token in TOKENS.values())
    assert token_variable("bandar-lampung") == "INSTAGRAM_OFFICE_TOKEN_BANDAR_LAMPUNG"
    assert dict(InstagramSettings.from_env(BASE).office_accounts) == {}


@pytest.mark.parametrize(
    "accounts", [f"kotabumi{KOTABUMI}", f":{KOTABUMI}", "kotabumi:", "kotabumi:12/../34"]
)
def test_a_malformed_pair_stops_start_up(accounts: str) -> None:
    with pytest.raises(ConfigError, match="INSTAGRAM_OFFICE_ACCOUNTS: expected office:"):
        settings(accounts)


@pytest.mark.parametrize(
    "accounts",
    [
        f"kotabumi:{MAIN}",
        f"kotabumi:{KOTABUMI},bandar-lampung:{KOTABUMI}",
        f"kotabumi:{KOTABUMI},kotabumi:{BANDAR_LAMPUNG}",
    ],
)
def test_one_account_per_office_and_never_the_main_one(accounts: str) -> None:
    with pytest.raises(ConfigError, match="one account per office"):
        settings(accounts)


def test_an_office_account_without_its_token_stops_start_up() -> None:
    env = {**BASE, "INSTAGRAM_OFFICE_ACCOUNTS": f"kotabumi:{KOTABUMI}"}
    with pytest.raises(ConfigError, match="INSTAGRAM_OFFICE_TOKEN_KOTABUMI must hold its token"):
        InstagramSettings.from_env(env)


def test_office_accounts_alone_are_a_half_configured_instagram() -> None:
    env = {"INSTAGRAM_OFFICE_ACCOUNTS": f"kotabumi:{KOTABUMI}", **TOKENS}
    given = InstagramSettings.from_env(env)
    assert "INSTAGRAM_ACCOUNT_ID" in given.missing()
    assert not given.enabled


def test_every_office_named_must_be_in_the_directory() -> None:
    directory = load_offices(Settings.from_env({}).offices_path)
    read = settings(
        f"kotabumi:{KOTABUMI},metro:{BANDAR_LAMPUNG}", INSTAGRAM_OFFICE_TOKEN_METRO="x"
    )
    with pytest.raises(ConfigError, match="INSTAGRAM_OFFICE_ACCOUNTS: no office metro"):
        Accounts.of(read, directory)
    assert Accounts.of(read, None).offices == {KOTABUMI: "kotabumi", BANDAR_LAMPUNG: "metro"}


def test_a_chat_with_an_office_account_is_a_chat_of_its_own() -> None:
    accounts = Accounts.of(settings(f"kotabumi:{KOTABUMI}"), None)
    assert accounts.chat_id("6543", KOTABUMI) == f"6543@{KOTABUMI}"
    assert accounts.chat_id("private:1785", KOTABUMI) == f"private:1785@{KOTABUMI}"
    assert accounts.chat_id("6543", "") == "6543"  # the main account: as before
    assert accounts.office(f"comment:1785@{KOTABUMI}") == "kotabumi"
    assert accounts.office("6543") is None
    assert split(f"hide:1785@{KOTABUMI}") == ("hide:1785", KOTABUMI)
    assert split("6543") == ("6543", None)


async def test_a_reply_for_an_account_no_longer_configured_fails_for_good() -> None:
    read = settings(f"kotabumi:{KOTABUMI}", INSTAGRAM_ACCESS_TOKEN="IGAAmain")
    clients = Clients(read, InstagramClient(read))
    try:
        assert clients.of("6543") is clients.main
        assert clients.of(f"6543@{KOTABUMI}").account_id == KOTABUMI
        with pytest.raises(InstagramError) as refused:
            clients.of(f"6543@{BANDAR_LAMPUNG}")
        assert not refused.value.temporary
    finally:
        await clients.close()

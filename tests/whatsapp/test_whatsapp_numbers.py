"""The offices' WhatsApp numbers (issue 21): WHATSAPP_OFFICE_NUMBERS read and checked against
the office directory, the number a webhook call names, and a chat's id per number."""

from __future__ import annotations

import pytest
from fakes.whatsapp_payloads import User, envelope, message_value, text

from bot.channels.whatsapp.inbound import parse
from bot.channels.whatsapp.numbers import Numbers, split
from bot.channels.whatsapp.settings import WhatsAppSettings
from bot.core.errors import ConfigError
from bot.runtime.config import Settings
from knowledge.office_file import load_offices

MAIN, KOTABUMI, KRUI = "1065", "2001", "2002"
BASE = {"WHATSAPP_PHONE_NUMBER_ID": MAIN}


def settings(numbers: str) -> WhatsAppSettings:
    return WhatsAppSettings.from_env({**BASE, "WHATSAPP_OFFICE_NUMBERS": numbers})


def test_office_numbers_are_read_as_number_to_office() -> None:
    read = settings(f" kotabumi:{KOTABUMI} , kotabumi:{KRUI},, bandar-lampung:3003")
    assert dict(read.office_numbers) == {
        KOTABUMI: "kotabumi",
        KRUI: "kotabumi",
        "3003": "bandar-lampung",
    }
    assert {KOTABUMI, KRUI, "3003", MAIN} <= set(read.secrets())  # masked in logs
    assert dict(WhatsAppSettings.from_env(BASE).office_numbers) == {}


@pytest.mark.parametrize(
    "numbers",
    [f"kotabumi{KOTABUMI}", f":{KOTABUMI}", "kotabumi:", "kotabumi:12/../34", "kotabumi:１２"],
)
def test_a_malformed_pair_stops_start_up(numbers: str) -> None:
    with pytest.raises(ConfigError, match="WHATSAPP_OFFICE_NUMBERS: expected office:"):
        settings(numbers)


@pytest.mark.parametrize("numbers", [f"kotabumi:{MAIN}", f"kotabumi:{KRUI},kalianda:{KRUI}"])
def test_a_number_serves_one_office_and_the_main_number_none(numbers: str) -> None:
    with pytest.raises(ConfigError, match="serves one office"):
        settings(numbers)


def test_office_numbers_alone_are_a_half_configured_whatsapp() -> None:
    given = WhatsAppSettings.from_env({"WHATSAPP_OFFICE_NUMBERS": f"kotabumi:{KOTABUMI}"})
    assert "WHATSAPP_PHONE_NUMBER_ID" in given.missing()
    assert not given.enabled


def test_every_office_named_must_be_in_the_directory() -> None:
    directory = load_offices(Settings.from_env({}).offices_path)
    read = settings(f"kotabumi:{KOTABUMI},metro:{KRUI}")
    with pytest.raises(ConfigError, match="WHATSAPP_OFFICE_NUMBERS: no office metro"):
        Numbers.of(read, directory)
    assert Numbers.of(read, None).offices == read.office_numbers  # nothing to check against
    assert Numbers.of(settings(f"kotabumi:{KOTABUMI}"), directory).offices == {
        KOTABUMI: "kotabumi"
    }


def test_the_number_written_to_comes_with_each_message() -> None:
    user = User("6281234567890", None)
    body = envelope(KOTABUMI, message_value(user, text("halo", 1_700_000_000)))
    (message,) = parse(body).messages
    assert (message.chat_id, message.number) == ("6281234567890", KOTABUMI)
    del body["entry"][0]["changes"][0]["value"]["metadata"]
    (unnamed,) = parse(body).messages
    assert unnamed.number == ""


def test_a_chat_is_per_number_and_the_main_number_keeps_plain_ids() -> None:
    numbers = Numbers(MAIN, {KOTABUMI: "kotabumi"})
    assert numbers.chat_id("628123", MAIN) == "628123"
    assert numbers.chat_id("628123", "") == "628123"  # a call naming no number: the main one
    assert numbers.chat_id("ID.1234", KOTABUMI) == f"ID.1234@{KOTABUMI}"
    assert (numbers.office("628123"), numbers.office(f"628123@{KOTABUMI}")) == (None, "kotabumi")
    assert numbers.office(f"628123@{KRUI}") is None  # a number since removed from the settings
    assert (split("628123"), split(f"ID.1234@{KOTABUMI}")) == (
        ("628123", None),
        ("ID.1234", KOTABUMI),
    )
    assert [numbers.known(n) for n in ("", MAIN, KOTABUMI, KRUI)] == [True, True, True, False]

"""Secrets stay out of log lines (messages, tracebacks, stack info, passwords in URLs, the
database password and the user-hash salt), and secrets we choose must be long enough: a short
webhook secret or verify token stops the process with the setting named, never its value."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.runtime import logs
from bot.runtime.config import Settings, secret_values

TOKEN = "123456789:AAH-rahasia-token-bot"
SALT = "garam-rahasia-produksi"
PASSWORD = "kata/sandi db"  # percent-encoded in the URL
URL = "postgresql://bot:kata%2Fsandi%20db@db.internal:5432/tanya"


@pytest.fixture
def logged() -> Iterator[tuple[io.StringIO, Iterable[str]]]:
    """A logger on the bot's own handler, its output, and the secrets it was given."""
    settings = Settings.from_env(
        {"DATABASE_URL": URL, "USER_HASH_SALT": SALT, "TELEGRAM_BOT_TOKEN": TOKEN}
    )
    secrets = secret_values(settings)
    out = io.StringIO()
    logger = logging.getLogger("tests.secrets")
    logger.handlers[:] = [logs.handler(secrets, out)]
    logger.propagate = False
    yield out, secrets
    logger.handlers.clear()


def test_secrets_are_masked_in_tracebacks_and_stack_info(
    logged: tuple[io.StringIO, Iterable[str]],
) -> None:
    out, _ = logged
    logger = logging.getLogger("tests.secrets")
    try:
        raise RuntimeError(f"https://api.telegram.org/bot{TOKEN}/getMe failed, salt {SALT}")
    except RuntimeError:
        logger.exception("request failed")
    record = logger.makeRecord("tests.secrets", logging.ERROR, __file__, 1, "x", None, None)
    record.stack_info = f"Stack (most recent call last):\n  token = {TOKEN!r}"
    logger.handle(record)
    text = out.getvalue()
    assert "RuntimeError" in text  # the traceback is there ...
    assert TOKEN not in text  # ... without the secrets
    assert SALT not in text
    assert text.count(logs.MASK) == 3


def test_the_database_password_is_masked_whatever_its_length(
    logged: tuple[io.StringIO, Iterable[str]],
) -> None:
    out, secrets = logged
    assert PASSWORD in secrets
    logger = logging.getLogger("tests.secrets")
    logger.error("cannot connect to %s", URL)
    logger.error("password %r refused", PASSWORD)
    logger.error("also postgresql://other:pw@db/x")  # any URL's password, even 2 characters
    text = out.getvalue()
    assert "kata%2Fsandi%20db" not in text
    assert PASSWORD not in text
    assert ":pw@" not in text
    assert f"postgresql://bot:{logs.MASK}@db.internal:5432/tanya" in text


def test_the_generated_salt_is_known_to_the_masking(tmp_path: Path) -> None:
    settings = Settings.from_env({"TANYA_DATA_DIR": str(tmp_path)})
    assert settings.salt() in secret_values(settings)


@pytest.mark.parametrize("name", ["TELEGRAM_WEBHOOK_SECRET", "WHATSAPP_VERIFY_TOKEN"])
def test_a_short_chosen_secret_stops_the_process_naming_the_setting_only(
    name: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    short = "rahasia-pendek1"  # 15 characters
    monkeypatch.setenv(name, short)
    assert main(["ask", "biaya paspor"]) == 2
    err = capsys.readouterr().err
    assert name in err
    assert "16" in err
    assert short not in err
    monkeypatch.setenv(name, short + "2")  # 16 characters: accepted
    settings = Settings.from_env()
    assert short + "2" in secret_values(settings)

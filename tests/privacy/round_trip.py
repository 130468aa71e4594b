"""What the round-trip tests share: the script an applicant follows, the officer's answer,
the report, and the search for raw values in everything the bot kept or showed."""

from __future__ import annotations

import argparse
import logging
import re
from collections.abc import Iterable
from pathlib import Path

from fakes.telegram_api import FakeTelegram
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram_harness import GROUP

from bot.runtime import cli
from bot.runtime.config import Settings

from .corpus import CASES, SAFE, leaked
from .dump import table_texts

# Several forms per message keep the script short. The first message goes to the log as the
# ticket's question; the rest are typed after "mau tanya petugas", so each also reaches the
# officers as a note.
PER_MESSAGE, REQUEST = 6, "mau tanya petugas"
OFFICER_ANSWER = (
    "Silakan kirim berkas ke budi.petugas @ imigrasi.go.id atau telp (0727) 991234, "
    "NIK 1801 2345 6789 0004 sudah kami cek"
)
OFFICER_SECRETS = ("budi.petugas", "0727991234", "1801234567890004")
# A run types ~22 messages in a few seconds (the flood guard would cut in), and reminders
# would add posts to the officers' group. (Telegram's per-chat limits, which would pace the
# applicant's replies and the group's ~24 posts, are raised by the harness: settings_for.)
BUSY = {"FLOOD_PER_MINUTE": "100000", "REMIND_AFTER_MINUTES": "600"}

Found = list[tuple[str, str]]


def messages() -> list[str]:
    """The applicant's script: corpus cases, ordinary questions, the request."""
    texts = [case.text for case in CASES] + list(SAFE[:5])
    joined = [" ; ".join(texts[n : n + PER_MESSAGE]) for n in range(0, len(texts), PER_MESSAGE)]
    return [joined[0], REQUEST, *joined[1:]]


def secrets() -> list[str]:
    return [secret for case in CASES for secret in case.secrets]


def leaks(where: str, texts: Iterable[str], extra: Iterable[str] = ()) -> Found:
    """(where, secret) for each raw value still readable in `texts`."""
    wanted = [*secrets(), *extra]
    return [
        (f"{where}: {text[:90]}", secret)
        for text in texts
        for secret in wanted
        if leaked(secret, text)
    ]


# A SHA-256 in hex (hashed message ids, update keys): it may contain a short secret's digits
# by chance, and holds nothing to read.
HEX_DIGEST = re.compile(r"(?:[a-z]+:)?[0-9a-f]{64}")


async def database_leaks(engine: AsyncEngine) -> Found:
    """Raw values in any table (hash columns hold no value to read)."""
    texts = [
        f"{table}.{column}: {value}"
        for table, column, value in await table_texts(engine)
        if "hash" not in column and not HEX_DIGEST.fullmatch(value)
    ]
    return leaks("database", texts, OFFICER_SECRETS)


def officer_posts(fake: FakeTelegram) -> list[str]:
    return [s.text or "" for s in fake.sent_to(GROUP)] + [
        s.visible_text or "" for s in fake.sent_to(GROUP)
    ]


async def report_texts(settings: Settings, folder: Path) -> list[str]:
    """The HTML page and CSV files of `python -m bot report` for the last 30 days."""
    args = argparse.Namespace(
        since=None, until=None, applicants=None, format="html", out=str(folder)
    )
    assert await cli.report(settings, args) == 0
    return read_pages(folder)


def read_pages(folder: Path) -> list[str]:
    paths = sorted(folder.iterdir())
    assert [p.suffix for p in paths].count(".html") == 1
    # Charts are embedded images; their base64 is no text anyone reads.
    return [re.sub(r"base64,[A-Za-z0-9+/=]+", "", p.read_text(encoding="utf-8")) for p in paths]


def log_texts(records: Iterable[logging.LogRecord]) -> list[str]:
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    return [formatter.format(record) for record in records]

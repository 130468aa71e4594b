"""The long-lived token kept alive through `serve` workers on SQLite and PostgreSQL: stored from
the environment, refreshed by one worker once a week old, picked up by every worker from the
database, replaced when an operator pastes a new one, the admins warned in Telegram when it is
about to expire unrefreshed, and never written to a log."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from pathlib import Path

import pytest
from fakes.instagram_api import FakeInstagram
from fakes.instagram_payloads import IgUser
from fakes.telegram_api import FakeTelegram
from telegram_harness import ADMIN

from bot.channels.instagram import texts
from bot.runtime import logs
from bot.runtime.config import secret_values

from .harness import instagram_of, instagram_settings
from .tokens import admin_alerts, age, stored, worker

USER = IgUser("6543210987652222", "rina.pemohon")
DAY = dt.timedelta(days=1)


async def test_the_pasted_token_is_stored_and_refreshed_once_a_week_old(
    fake: FakeInstagram, telegram: FakeTelegram, db_url: str, tmp_path: Path
) -> None:
    pasted = fake.token
    async with worker(fake, db_url, tmp_path, telegram) as app:
        first = await stored(app)
        assert first.token.reveal() == pasted
        await instagram_of(app).upkeep()
        assert fake.refreshes == 0  # a fresh token is left alone
        await age(app, refreshed=8 * DAY)
        await instagram_of(app).upkeep()
        assert fake.refreshes == 1
        refreshed = await stored(app)
        assert refreshed.token.reveal() == fake.token != pasted
        left = refreshed.expires_at - dt.datetime.now(dt.UTC)
        assert 59 * DAY < left <= 60 * DAY
        fake.retire(pasted)  # only the new one works now: the worker sends with it
        await fake.user_says(USER, "berapa biaya paspor")
        (answer,) = await fake.wait_sent(USER.igsid, 1)
        assert "Rp650.000" in answer.text
        await instagram_of(app).upkeep()
        assert fake.refreshes == 1
    assert admin_alerts(telegram) == []


async def test_one_worker_refreshes_and_every_worker_sends_with_the_new_token(
    fake: FakeInstagram, telegram: FakeTelegram, db_url: str, tmp_path: Path
) -> None:
    pasted = fake.token
    async with (
        worker(fake, db_url, tmp_path / "a", telegram) as a,
        worker(fake, db_url, tmp_path / "b", telegram) as b,
    ):
        await age(a, refreshed=8 * DAY)
        await asyncio.gather(instagram_of(a).upkeep(), instagram_of(b).upkeep())
        assert fake.refreshes == 1  # the lease: one worker did it
        await instagram_of(a).upkeep()
        await instagram_of(b).upkeep()
        fake.retire(pasted)
        for app in (a, b):
            await instagram_of(app).client.set_ice_breakers([("Biaya paspor?", "#faq:x")])
        assert (await stored(a)).token.reveal() == fake.token


async def test_a_new_token_pasted_in_the_environment_wins_over_the_stored_one(
    fake: FakeInstagram, telegram: FakeTelegram, db_url: str, tmp_path: Path
) -> None:
    async with worker(fake, db_url, tmp_path, telegram) as app:
        await age(app, refreshed=8 * DAY)
        await instagram_of(app).upkeep()
    refreshed = fake.token
    # The same token in the environment at the next start: the refreshed one stays.
    async with worker(fake, db_url, tmp_path, telegram) as app:
        assert (await stored(app)).token.reveal() == refreshed
    pasted = "IGAApastedByTheOperator456"
    fake.issue(pasted)
    async with worker(fake, db_url, tmp_path, telegram, INSTAGRAM_ACCESS_TOKEN=pasted) as app:
        assert (await stored(app)).token.reveal() == pasted
        fake.retire(refreshed)
        await fake.user_says(USER, "berapa biaya paspor")
        (answer,) = await fake.wait_sent(USER.igsid, 1)
        assert "Rp650.000" in answer.text


async def test_admins_are_warned_once_a_day_before_it_expires_unrefreshed(
    fake: FakeInstagram,
    telegram: FakeTelegram,
    db_url: str,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="bot")
    async with worker(fake, db_url, tmp_path, telegram) as app:
        await age(app, refreshed=55 * DAY, expires=5 * DAY)
        fake.fail_next(1, status=400, code=190)  # Meta refuses the refresh
        await instagram_of(app).upkeep()
        await telegram.wait_sent(ADMIN, 2)
        await instagram_of(app).upkeep()  # the same day: no second warning, no second try
        assert fake.refreshes == 0
        assert admin_alerts(telegram) == [texts.token_warning(5)]
        assert fake.errors == [("/refresh_access_token", 190, None)]
    assert "Instagram token not refreshed" in caplog.text
    assert fake.token not in caplog.text


async def test_an_expired_token_is_not_refreshed_and_the_admins_are_told(
    fake: FakeInstagram, telegram: FakeTelegram, db_url: str, tmp_path: Path
) -> None:
    async with worker(fake, db_url, tmp_path, telegram) as app:
        await age(app, refreshed=61 * DAY, expires=-DAY)
        await instagram_of(app).upkeep()
        await telegram.wait_sent(ADMIN, 2)
    assert admin_alerts(telegram) == [texts.token_warning(None)]
    assert fake.refreshes == 0


async def test_the_refreshed_token_is_masked_in_logs_and_never_logged(
    fake: FakeInstagram,
    telegram: FakeTelegram,
    db_url: str,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="bot")
    settings = instagram_settings(fake, db_url, tmp_path, telegram=telegram)
    async with worker(fake, db_url, tmp_path, telegram) as app:
        await age(app, refreshed=8 * DAY)
        await instagram_of(app).upkeep()
    new = fake.token
    assert fake.refreshes == 1
    assert "Instagram token refreshed" in caplog.text
    assert new not in caplog.text
    formatter = logs.MaskedFormatter("%(message)s", secret_values(settings))
    record = logging.LogRecord("t", logging.ERROR, __file__, 1, "calling with %s", (new,), None)
    assert formatter.format(record) == f"calling with {logs.MASK}"

"""Each office account's token kept alive like the main one's (issue 21), through `serve`
workers on SQLite and PostgreSQL against the fake Graph API (a refresh with an office's token
issues a new token for that account only): seeded from INSTAGRAM_OFFICE_TOKEN_<OFFICE>,
refreshed by one worker on its own lease, sent with once refreshed, its expiry warned about
naming the office; and migration 0018 keeping the main account's row."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

from fakes.instagram_api import FakeInstagram
from fakes.instagram_payloads import IgUser
from fakes.telegram_api import FakeTelegram
from sqlalchemy import text
from telegram_harness import ADMIN

from bot.channels.instagram import texts
from bot.storage import create_engine, upgrade
from bot.storage.database import downgrade

from .harness import instagram_of
from .tokens import admin_alerts, age, stored, worker

KOTABUMI = "17841400000000077"
KOTABUMI_TOKEN = "IGAAkotabumiToken4567"
OFFICE_ACCOUNTS = {
    "INSTAGRAM_OFFICE_ACCOUNTS": f"kotabumi:{KOTABUMI}",
    "INSTAGRAM_OFFICE_TOKEN_KOTABUMI": KOTABUMI_TOKEN,
}
USER = IgUser("6543210987653333", "dewi.pemohon")
DAY = dt.timedelta(days=1)


async def test_an_office_token_near_expiry_is_refreshed_and_sent_with(
    fake: FakeInstagram, telegram: FakeTelegram, db_url: str, tmp_path: Path
) -> None:
    fake.add_account(KOTABUMI, KOTABUMI_TOKEN)
    main = fake.token
    async with worker(fake, db_url, tmp_path, telegram, **OFFICE_ACCOUNTS) as app:
        assert (await stored(app, KOTABUMI)).token.reveal() == KOTABUMI_TOKEN  # seeded
        await age(app, refreshed=55 * DAY, expires=5 * DAY, account=KOTABUMI)
        await instagram_of(app).upkeep()
        (new,) = fake.refreshed(KOTABUMI)
        office = await stored(app, KOTABUMI)
        assert office.token.reveal() == new
        assert 59 * DAY < office.expires_at - dt.datetime.now(dt.UTC) <= 60 * DAY
        # The main account's token was fresh: left alone, its row unchanged.
        assert fake.refreshed(fake.account_id) == []
        assert (await stored(app)).token.reveal() == main
        fake.retire(KOTABUMI_TOKEN)  # only the new one works for Kotabumi's account now
        assert await fake.user_says(USER, "berapa biaya paspor", to=KOTABUMI) == 200
        (answer,) = await fake.wait_sent(USER.igsid, 1)
        assert (answer.account, "Rp650.000" in answer.text) == (KOTABUMI, True)
        await instagram_of(app).upkeep()
        assert fake.refreshes == 1
    assert admin_alerts(telegram) == []  # refreshed in time: nothing to warn about


async def test_one_worker_refreshes_each_account_on_its_own_lease(
    fake: FakeInstagram, telegram: FakeTelegram, db_url: str, tmp_path: Path
) -> None:
    fake.add_account(KOTABUMI, KOTABUMI_TOKEN)
    async with (
        worker(fake, db_url, tmp_path / "a", telegram, **OFFICE_ACCOUNTS) as a,
        worker(fake, db_url, tmp_path / "b", telegram, **OFFICE_ACCOUNTS) as b,
    ):
        await age(a, refreshed=8 * DAY)
        await age(a, refreshed=8 * DAY, account=KOTABUMI)
        await asyncio.gather(instagram_of(a).upkeep(), instagram_of(b).upkeep())
        # One refresh per account, in the same round: the main one's lease is not the office's.
        assert (len(fake.refreshed(fake.account_id)), len(fake.refreshed(KOTABUMI))) == (1, 1)
        await instagram_of(b).upkeep()  # the other worker picks the new token up
        fake.retire(KOTABUMI_TOKEN)
        assert await fake.user_says(USER, "berapa biaya paspor", to=KOTABUMI) == 200
        (answer,) = await fake.wait_sent(USER.igsid, 1)
        assert answer.account == KOTABUMI
        assert (await stored(b)).token.reveal() == fake.token


async def test_a_refreshed_office_token_outlives_a_restart_and_a_new_pasted_one_wins(
    fake: FakeInstagram, telegram: FakeTelegram, db_url: str, tmp_path: Path
) -> None:
    fake.add_account(KOTABUMI, KOTABUMI_TOKEN)
    async with worker(fake, db_url, tmp_path, telegram, **OFFICE_ACCOUNTS) as app:
        await age(app, refreshed=8 * DAY, account=KOTABUMI)
        await instagram_of(app).upkeep()
    (refreshed,) = fake.refreshed(KOTABUMI)
    # The same value in the environment at the next start: the refreshed one stays in use.
    async with worker(fake, db_url, tmp_path, telegram, **OFFICE_ACCOUNTS) as app:
        assert (await stored(app, KOTABUMI)).token.reveal() == refreshed
    pasted = "IGAAkotabumiPastedAgain890"
    fake.add_account(KOTABUMI, pasted)
    env = {**OFFICE_ACCOUNTS, "INSTAGRAM_OFFICE_TOKEN_KOTABUMI": pasted}
    async with worker(fake, db_url, tmp_path, telegram, **env) as app:
        assert (await stored(app, KOTABUMI)).token.reveal() == pasted
        assert (await stored(app)).token.reveal() == fake.token  # the main one untouched


async def test_admins_are_warned_about_the_office_token_naming_the_office(
    fake: FakeInstagram, telegram: FakeTelegram, db_url: str, tmp_path: Path
) -> None:
    fake.add_account(KOTABUMI, KOTABUMI_TOKEN)
    async with worker(fake, db_url, tmp_path, telegram, **OFFICE_ACCOUNTS) as app:
        await age(app, refreshed=55 * DAY, expires=5 * DAY, account=KOTABUMI)
        await age(app, refreshed=61 * DAY, expires=-DAY)  # the main one has expired
        fake.fail_next(1, status=400, code=190)  # Meta refuses the office token's refresh
        await instagram_of(app).upkeep()
        await telegram.wait_sent(ADMIN, 3)
        await instagram_of(app).upkeep()  # the same day: no second warning for either
        assert fake.refreshes == 0
    office = (
        "⚠️ Token akses Instagram akun Kantor Imigrasi Kotabumi habis dalam 5 hari dan belum "
        "bisa diperbarui otomatis. Buat token baru di Meta (Instagram → API setup with Instagram "
        "login → Generate access tokens), isikan ke INSTAGRAM_OFFICE_TOKEN_KOTABUMI, lalu "
        "jalankan ulang bot."
    )
    assert sorted(admin_alerts(telegram)) == sorted([texts.token_warning(None), office])


def test_the_main_account_warnings_read_as_before() -> None:
    new_token = (
        "Buat token baru di Meta (Instagram → API setup with Instagram login → Generate "
        "access tokens), isikan ke INSTAGRAM_ACCESS_TOKEN, lalu jalankan ulang bot."
    )
    assert texts.token_warning(5) == (
        "⚠️ Token akses Instagram habis dalam 5 hari dan belum bisa diperbarui otomatis. "
        + new_token
    )
    assert texts.token_warning(None) == (
        "⚠️ Token akses Instagram sudah kedaluwarsa: bot tidak bisa membalas di Instagram. "
        + new_token
    )


async def test_migration_0018_keeps_the_one_token_as_the_main_accounts(db_url: str) -> None:
    at = dt.datetime(2026, 11, 1, 8, 0, tzinfo=dt.UTC)
    row = {"token": "IGAAstoredBefore0018", "expires": at + 60 * DAY, "at": at}
    engine = create_engine(db_url)
    try:
        await upgrade(engine, "0017")
        async with engine.begin() as connection:
            await connection.execute(
                text("INSERT INTO instagram_token VALUES (1, :token, :expires, :at)"), row
            )
        await upgrade(engine, "0018")
        async with engine.connect() as connection:
            after = (await connection.execute(text("SELECT * FROM instagram_token"))).all()
        assert [(r[0], r[1]) for r in after] == [("main", row["token"])]
        await downgrade(engine, "0017")
        async with engine.connect() as connection:
            before = (
                await connection.execute(text("SELECT id, token FROM instagram_token"))
            ).all()
        assert [tuple(r) for r in before] == [(1, row["token"])]
    finally:
        await engine.dispose()

"""/telegram over real HTTP with the right secret but a body that is no Telegram update (JSON
nested too deep, the wrong shape): 400, one log line, nothing stored, and the route still
serves the next real update."""

from __future__ import annotations

import logging
from pathlib import Path

import httpx
import pytest
from fakes.telegram_api import FakeTelegram
from sqlalchemy import func, select
from support.rows import count_questions, reading
from telegram_harness import SECRET, settings_for, webhook_bot

from bot.channels.telegram.webhook import SECRET_HEADER
from bot.runtime.app import App
from bot.storage.tables_queue import InboxRow, OutboxRow

USER = 626262
CHAT = {"id": USER, "type": "private", "first_name": "A"}
DEEP = b"[" * 100_000 + b"]" * 100_000  # 200 KB, under the body limit
WRONG_SHAPES = [
    b'{"update_id": 5, "message": "halo"}',
    b'{"update_id": 5, "message": [1, 2]}',
    b'{"update_id": 5, "message": {"chat": 5}}',
    b'{"update_id": 5, "callback_query": {"id": "1"}}',
    b'{"update_id": {"a": 1}}',
    b'{"update_id": 5.5}',
    b'[{"update_id": 5}]',
    b'"update"',
    b'{"update_id": 5, "message": {"message_id": 1, "date": "x", "chat": %s}}'
    % str(CHAT).replace("'", '"').encode(),
]


async def rows_stored(app: App) -> tuple[int, int, int]:
    """(inbox rows, outbox rows, logged questions), whatever their state."""
    async with reading(app.pipeline.store) as connection:
        inbox = await connection.scalar(select(func.count()).select_from(InboxRow))
        outbox = await connection.scalar(select(func.count()).select_from(OutboxRow))
    return inbox or 0, outbox or 0, await count_questions(app.store)


async def test_authenticated_but_malformed_updates_get_400_and_nothing_is_stored(
    fake: FakeTelegram, db_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with (
        webhook_bot(settings_for(fake, db_url, tmp_path)) as (app, url),
        httpx.AsyncClient(timeout=10.0) as client,
    ):
        for raw in (DEEP, *WRONG_SHAPES):
            caplog.clear()
            with caplog.at_level(logging.INFO):
                answer = await client.post(
                    f"{url}/telegram", content=raw, headers={SECRET_HEADER: SECRET}
                )
            assert answer.status_code == 400, raw[:80]
            (line,) = [r for r in caplog.records if r.levelno >= logging.WARNING]
            assert line.getMessage().startswith("malformed Telegram update refused (400)")
            assert line.exc_info is None  # one line, no traceback
        assert await rows_stored(app) == (0, 0, 0)
        fake.deliver_to(f"{url}/telegram", SECRET)
        fake.user_says(USER, "berapa biaya paspor")
        await fake.wait_for(lambda: len(fake.sent_to(USER)) == 1)

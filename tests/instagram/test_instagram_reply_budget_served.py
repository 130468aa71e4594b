"""The private-reply limit through two `serve` workers on one database: the account's budget
is shared (the workers together stay under it, as the fake counts arrivals), and a reply
that must wait is left to the outbox — the webhook call that brought its comment returns at
once and the public reply under the comment is not held back."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from pathlib import Path

import pytest
from fakes.instagram_api import FakeInstagram
from fakes.instagram_payloads import IgUser
from support.meta_harness import served

from .harness import instagram_settings

RATE, WINDOW = 2, 3.0  # two private replies in any 3 s, for the account
USERS = [IgUser(f"65432109876500{n:02d}", f"pemohon.{n}") for n in range(5)]


@pytest.fixture
async def two_workers(
    fake: FakeInstagram, db_url: str, tmp_path: Path
) -> AsyncIterator[list[str]]:
    """Two workers on one database, both with the account's whole budget."""
    extra = {"INSTAGRAM_PRIVATE_REPLY_RATE": f"{RATE}/{WINDOW:g}"}
    async with AsyncExitStack() as stack:
        urls = []
        for name in ("satu", "dua"):
            settings = instagram_settings(fake, db_url, tmp_path / name, extra=extra)
            _, url = await stack.enter_async_context(served(settings))
            urls.append(f"{url}/instagram")
        await fake.wait_for(lambda: bool(fake.ice_breakers))
        yield urls


async def test_two_workers_share_the_accounts_private_reply_limit(
    fake: FakeInstagram, two_workers: list[str]
) -> None:
    took = []
    for n, user in enumerate(USERS):
        fake.deliver_to(two_workers[n % 2])
        started = time.monotonic()
        status, _ = await fake.user_comments(user, "berapa biaya paspor?")
        took.append(time.monotonic() - started)
        assert status == 200
    # Every comment gets its public reply at once; the private replies past the limit wait.
    await fake.wait_for(lambda: len(fake.public_replies) == len(USERS))
    assert len(fake.sent) <= RATE
    await fake.wait_for(lambda: len(fake.sent) == len(USERS), timeout=3 * WINDOW + 10)
    arrived = sorted(sent.time for sent in fake.sent)
    for first, third in zip(arrived, arrived[RATE:], strict=False):
        assert third - first >= WINDOW, "more than the limit in one window"
    assert max(took) < WINDOW / 2, "a webhook call waited for a private reply's slot"

"""The officers' Telegram group as the channels' desk tests read it: ticket numbers, the
group's posts, and an officer answering by replying to a ticket's post."""

from __future__ import annotations

import re

from fakes.telegram_api import FakeTelegram, Sent
from telegram_harness import GROUP

OFFICER = 7001


def number(text: str | None) -> int:
    """The first "#12" in a text."""
    found = re.search(r"#(\d+)", text or "")
    assert found, text
    return int(found.group(1))


async def group_messages(telegram: FakeTelegram, count: int) -> list[Sent]:
    """The group's messages, once there are at least `count`."""

    def posts() -> list[Sent]:
        return [s for s in telegram.sent_to(GROUP) if s.method == "sendMessage"]

    await telegram.wait_for(lambda: len(posts()) >= count, timeout=10)
    return posts()


def officer_replies(telegram: FakeTelegram, post: Sent, text: str) -> None:
    """Officer Rina answers by replying to `post`."""
    telegram.group_says(
        GROUP, OFFICER, text, first_name="Rina", reply_to_message_id=post.message_id
    )

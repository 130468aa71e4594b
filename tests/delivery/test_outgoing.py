"""Replies in the outbox's JSON and back, and gathering a turn's replies in one task only."""

from __future__ import annotations

import asyncio

from bot.core.vocabulary import Button, Reply
from bot.delivery.outgoing import collect, collecting
from bot.delivery.vocabulary import reply_from_json, reply_to_json

from .fakes import to


def test_a_reply_survives_the_outbox() -> None:
    reply = Reply("Halo", (Button("👍", "#fb:1:1"), Button("Tanya", "tanya")), True)
    data = reply_to_json(reply)
    assert data == {
        "text": "Halo",
        "buttons": [["👍", "#fb:1:1"], ["Tanya", "tanya"]],
        "keyboard": True,
    }
    assert reply_from_json(data) == reply


def test_an_old_row_without_buttons_reads_as_plain_text() -> None:
    assert reply_from_json({"text": "Halo"}) == Reply("Halo", (), False)


async def test_replies_are_gathered_inside_the_block_only() -> None:
    assert not collect([to("1", "sebelum")])
    with collecting() as bucket:
        assert collect([to("1", "satu"), to("1", "dua")])
        assert collect([to("2", "tiga")])
    assert [o.reply.text for o in bucket] == ["satu", "dua", "tiga"]
    assert not collect([to("1", "sesudah")])


async def test_a_task_started_inside_the_block_sends_for_itself() -> None:
    with collecting() as bucket:
        assert not await asyncio.create_task(_collect_in_task())
    assert bucket == []


async def _collect_in_task() -> bool:
    return collect([to("1", "pengumuman")])

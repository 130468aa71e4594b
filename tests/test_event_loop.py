"""`serve` and `telegram` run on uvloop (cheaper per request under load); the terminal chat
keeps the standard loop."""

from __future__ import annotations

import asyncio

import uvloop

from bot.runtime.runners import run_loop


def loop_of(*, fast: bool) -> asyncio.AbstractEventLoop:
    seen: list[asyncio.AbstractEventLoop] = []

    async def main() -> None:
        seen.append(asyncio.get_running_loop())

    run_loop(main(), fast=fast)
    return seen[0]


def test_long_lived_processes_run_on_uvloop() -> None:
    assert isinstance(loop_of(fast=True), uvloop.Loop)


def test_the_terminal_chat_keeps_the_standard_loop() -> None:
    loop = loop_of(fast=False)
    assert not isinstance(loop, uvloop.Loop)
    assert loop.is_closed()  # the runner closed it, as asyncio.run does

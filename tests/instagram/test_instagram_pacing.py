"""Pacing under Meta's rates, on a clock the test moves: a steady gap between sends, and no
more than 750 private replies in any hour, without holding up direct messages."""

from __future__ import annotations

import asyncio

from bot.channels.instagram.pacing import Pacer


class Clock:
    """Time that passes only when someone sleeps; with `hold`, a sleep of a minute or more
    waits for `release()`, so a test can look at what happens meanwhile."""

    def __init__(self, *, hold: bool = False) -> None:
        self.now = 0.0
        self.slept: list[float] = []
        self._released = asyncio.Event()
        if not hold:
            self._released.set()

    def release(self) -> None:
        self._released.set()

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        if seconds >= 60:
            await self._released.wait()
        self.now += seconds


async def test_sends_are_spaced_by_the_rate() -> None:
    clock = Clock()
    pacer = Pacer(per_second=10, clock=clock, sleep=clock.sleep)
    for _ in range(4):
        await pacer.wait()
    assert clock.slept == [0.1, 0.1, 0.1]
    clock.now += 5  # quiet for a while: the next send goes at once
    await pacer.wait()
    assert clock.slept == [0.1, 0.1, 0.1]


async def test_private_replies_stay_under_the_hourly_limit() -> None:
    clock = Clock()
    pacer = Pacer(per_second=1000, private_limit=3, clock=clock, sleep=clock.sleep)
    for _ in range(3):
        await pacer.wait(private=True)
    start = clock.now
    await pacer.wait(private=True)
    assert 3600 - 0.01 <= clock.now - start <= 3600  # the first one's hour had to pass


async def test_a_held_private_reply_does_not_hold_up_direct_messages() -> None:
    clock = Clock(hold=True)
    pacer = Pacer(per_second=1000, private_limit=1, clock=clock, sleep=clock.sleep)
    await pacer.wait(private=True)
    held = asyncio.create_task(pacer.wait(private=True))
    await asyncio.sleep(0)  # the second private reply has reserved its moment and sleeps
    await pacer.wait()
    assert clock.slept == [3600.0, 0.002]  # the direct message only kept the per-second gap
    assert not held.done()
    clock.release()
    await held
    assert clock.now >= 3600


async def test_a_shorter_window_paces_the_same_way() -> None:
    clock = Clock()
    pacer = Pacer(
        per_second=1000, private_limit=2, private_window=5, clock=clock, sleep=clock.sleep
    )
    for _ in range(5):
        await pacer.wait(private=True)
    assert 10 - 0.01 <= clock.now <= 10  # two now, two 5 s later, one 10 s later

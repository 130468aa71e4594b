"""PTB's rate-limiter seam filled with `pacing.SendSchedule`, driven by the event loop's clock.

Replaces PTB's `AIORateLimiter` (a bucket of one refilled 29 times a second), which paced at
29/s and lost each timer's wake-up delay on every send, and knew no per-private-chat limit.
A 429 pauses every send of the process for its `retry_after`; the refused send then goes again
first in its chat. A caller that must not wait long (the durable outbox, whose rows are leased)
passes the longest wait it accepts as `rate_limit_args`, and gets `ChatLimited` instead of a
longer wait.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram._utils.types import JSONDict
from telegram.error import NetworkError, RetryAfter, TelegramError
from telegram.ext import BaseRateLimiter

from bot.channels.telegram.pacing import ChatKey, PacingRules, SendSchedule

logger = logging.getLogger(__name__)

# Methods that put or change a message in a chat: what Telegram's message limits count.
PACED_PREFIXES = ("send", "edit", "copy", "forward")
UNPACED = frozenset({"sendChatAction"})
Result = bool | JSONDict | list[JSONDict]


class ChatLimited(TelegramError):
    """The send's turn is further away than its caller would wait (a busy group's 20/min)."""

    def __init__(self, delay: float) -> None:
        super().__init__(f"send limit of the chat: next turn in about {delay:.0f} s")
        self.delay = delay


class LimiterStopped(NetworkError):
    """Telegram was shut down while the send waited for its turn: it was not made. A network
    error, so the outbox keeps the reply for later; `with_retry` does not try it again."""

    def __init__(self) -> None:
        super().__init__("Telegram is shutting down: the message was not sent")


class PacedLimiter(BaseRateLimiter[float]):
    """Telegram's overall, per-chat and per-group limits on sends, FIFO, 429s honoured."""

    def __init__(self, rules: PacingRules | None = None, *, max_retries: int = 3) -> None:
        self._schedule = SendSchedule(rules)
        self._max_retries = max_retries
        self._waiting: dict[int, tuple[ChatKey, asyncio.Future[None]]] = {}
        # The timer for the next turn, and when it is set for: uvloop's call_at gives a plain
        # Handle, without when(), for a time already past.
        self._timer: asyncio.Handle | None = None
        self._timer_at = 0.0
        self._stopped = False

    async def initialize(self) -> None:
        """Start (again): the schedule lives in memory and still holds the recent sends."""
        self._stopped = False

    async def shutdown(self) -> None:
        """Stop the wake-up timer and fail the sends still waiting, at once: once PTB has
        shut its connections down they could only fail at their turn (a group's can be a
        minute away), and nothing else would ever wake them."""
        self._stopped = True
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        waiting, self._waiting = self._waiting, {}
        for ticket, (chat, future) in waiting.items():
            self._schedule.withdraw(chat, ticket, _now())
            if not future.done():
                future.set_exception(LimiterStopped())

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: float | None,
    ) -> Result:
        """Wait for the send's turn (at most `rate_limit_args` seconds, if given), send, and
        on a 429 pause everything and send again."""
        chat = _chat_key(data.get("chat_id"))
        if chat is None or not _paced(endpoint):
            return await callback(*args, **kwargs)
        ticket = self._schedule.ask(chat, _now())
        for attempt in range(self._max_retries + 1):
            await self._turn(chat, ticket, rate_limit_args)
            self._schedule.started(chat, _now())
            try:
                result = await callback(*args, **kwargs)
            except RetryAfter as exc:
                if attempt == self._max_retries:
                    self._finish(chat)
                    raise
                self._refused(chat, ticket, exc)
                continue
            except BaseException:
                self._finish(chat)
                raise
            self._finish(chat)
            return result
        raise AssertionError("unreachable: the last attempt returns or raises")

    async def _turn(self, chat: ChatKey, ticket: int, max_wait: float | None) -> None:
        if self._stopped:  # shut down while a refused send waited to go again
            raise LimiterStopped
        future = asyncio.get_running_loop().create_future()
        self._waiting[ticket] = (chat, future)
        self._pump()
        if future.done():  # its turn is now: no timer to arm
            future.result()  # raises what it holds, as awaiting it would
            return
        try:
            async with asyncio.timeout(max_wait):
                await future
        except TimeoutError:
            self._give_up(chat, ticket)
            raise ChatLimited(
                max(1.0, self._schedule.chat_free_at(chat, _now()) - _now())
            ) from None
        except asyncio.CancelledError:
            self._give_up(chat, ticket)
            raise

    def _give_up(self, chat: ChatKey, ticket: int) -> None:
        self._waiting.pop(ticket, None)
        self._schedule.withdraw(chat, ticket, _now())
        self._pump()

    def _refused(self, chat: ChatKey, ticket: int, exc: RetryAfter) -> None:
        seconds = _seconds(exc.retry_after)
        logger.info("Telegram said 429: every send waits %.1f s", seconds)
        now = _now()
        self._schedule.pause(now + seconds)
        self._schedule.retry(chat, ticket, now)

    def _finish(self, chat: ChatKey) -> None:
        self._schedule.done(chat, _now())
        self._pump()

    def _pump(self) -> None:
        """Wake the senders whose turn it is, and set the timer for the next turn."""
        if self._stopped:
            return  # a send that was on the wire at shutdown has ended: nothing waits
        loop = asyncio.get_running_loop()
        now = loop.time()
        for ticket in self._schedule.take(now):
            _, future = self._waiting.pop(ticket, (None, None))
            if future is not None and not future.done():
                future.set_result(None)
        wake = self._schedule.wake_at(now)
        if self._timer is not None:
            if wake is not None and self._timer_at == wake:
                return  # already set for that turn: no timer cancelled and made again
            self._timer.cancel()
        self._timer = None if wake is None else loop.call_at(wake, self._on_timer)
        self._timer_at = wake if wake is not None else 0.0

    def _on_timer(self) -> None:
        # Fired (asyncio may run it a clock tick early): pump and set a timer anew.
        self._timer = None
        self._pump()


def _now() -> float:
    return asyncio.get_running_loop().time()


def _paced(endpoint: str) -> bool:
    return endpoint.startswith(PACED_PREFIXES) and endpoint not in UNPACED


def _chat_key(chat_id: object) -> ChatKey | None:
    """Numeric ids as ints (whatever PTB was handed), @channel names as they are."""
    if chat_id is None:
        return None
    with contextlib.suppress(ValueError):
        return int(str(chat_id))
    return str(chat_id)


def _seconds(retry_after: timedelta | int) -> float:
    return (
        retry_after.total_seconds() if isinstance(retry_after, timedelta) else float(retry_after)
    )

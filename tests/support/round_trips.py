"""Count what the bot asks of its database while one piece of work runs: statements,
transactions (each `BEGIN`, and each pre-ping's `BEGIN; ; ROLLBACK`) and new connections.

Only work started under `counting()` is counted (the ASGI wrapper `counted` sets it for each
request, and tasks started inside inherit it), so the pipeline's idle polling in the
background never lands in the figures.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.types import ASGIApp, Receive, Scope, Send

from bot.storage.database import autocommit, lane

_COUNTING: contextvars.ContextVar[bool] = contextvars.ContextVar("counting", default=False)


@dataclass(slots=True)
class RoundTrips:
    """What the database was asked; `pings` are pre-ping transactions (one per checkout)."""

    statements: int = 0
    begins: int = 0
    pings: int = 0
    connects: int = 0

    @property
    def transactions(self) -> int:
        return self.begins + self.pings

    def per(self, messages: int) -> str:
        return (
            f"{self.statements / messages:.1f} statements, "
            f"{self.transactions / messages:.1f} transactions "
            f"({self.pings / messages:.1f} of them pre-pings), "
            f"{self.connects / messages:.1f} new connections per message"
        )


@contextmanager
def watching(engine: AsyncEngine) -> Iterator[RoundTrips]:
    """Count, on `engine` and its autocommit pool, what counted work does until the block
    ends."""
    figures = RoundTrips()
    engines = {engine.sync_engine, autocommit(engine).sync_engine}
    pre_ping = any(getattr(sync.pool, "_pre_ping", False) for sync in engines)

    def statement(*_: Any) -> None:
        figures.statements += _COUNTING.get()

    def begin(*_: Any) -> None:
        figures.begins += _COUNTING.get()

    def checkout(*_: Any) -> None:
        figures.pings += pre_ping and _COUNTING.get()

    def connect(*_: Any) -> None:
        figures.connects += _COUNTING.get()

    hooks = [hook for sync in engines for hook in (
        (sync, "before_cursor_execute", statement), (sync, "begin", begin),
        (sync.pool, "checkout", checkout), (sync.pool, "connect", connect))]  # fmt: skip
    for target, name, hook in hooks:
        event.listen(target, name, hook)
    on_lane = lane(engine)
    told = {"statement": statement, "connect": connect}

    def tell(what: str) -> None:
        told[what]()

    if on_lane is not None:  # PostgreSQL's one-statement work (bot.storage.lane)
        on_lane.hooks.append(tell)
    try:
        yield figures
    finally:
        for target, name, hook in hooks:
            event.remove(target, name, hook)
        if on_lane is not None:
            on_lane.hooks.remove(tell)


@contextmanager
def counting() -> Iterator[None]:
    """Count what runs in this block (and the tasks it starts)."""
    token = _COUNTING.set(True)
    try:
        yield
    finally:
        _COUNTING.reset(token)


def counted(app: ASGIApp) -> ASGIApp:
    """`app` with every HTTP request it serves counted."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        with counting():
            await app(scope, receive, send)

    return wrapped

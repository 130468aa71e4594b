"""The log rate limit: a flood of one kind of line costs a handful of lines, and the count of
what was held back is reported (issue 9: 5.65 M "Too many open files" lines)."""

from __future__ import annotations

import io
import logging

from bot.runtime.logs import RateLimit


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_flood_is_cut_to_the_burst_and_the_rest_is_counted() -> None:
    clock, out = Clock(), io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(RateLimit(burst=10, period=60.0, clock=clock))
    flood = logging.getLogger("test.flood")
    flood.propagate, flood.handlers = False, [handler]
    for attempt in range(100_000):
        flood.error("socket.accept() out of system resource: attempt %d", attempt)
    flood.warning("another kind of line still passes")
    clock.now = 61.0
    flood.error("socket.accept() out of system resource: attempt %d", 100_000)
    lines = out.getvalue().splitlines()
    assert len(lines) == 12
    assert "more like this are suppressed for up to 60 s" in lines[9]
    assert lines[10] == "another kind of line still passes"
    assert lines[11] == (
        "socket.accept() out of system resource: attempt 100000 "
        "[99990 similar lines were suppressed before this]"
    )

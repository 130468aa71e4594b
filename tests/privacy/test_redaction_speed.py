"""Redaction costs what the length of the text costs, whatever its shape (issue 15): a
pattern that is tried again from every character of a long run ("A" * 20,000 took 22 s)
would let one message stall a worker. Each hostile shape is timed against ordinary text of
the same length, in CPU time spent by this process (other jobs on a busy machine do not
count), best of a few rounds taken in turns."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from support.ids import plain_id

from bot.core.privacy import CUT_MARK, MAX_REDACT_CHARS, Redacted, redact, scan

from .hostile import ordinary, shapes

SIZE = 20_000
# Linear patterns measure 1-4x ordinary text here; a quadratic one hundreds of times.
FACTOR = 10
ROUNDS = 5


def slowdown(redacting: Callable[[str], Redacted], hostile: str) -> float:
    """How many times longer `hostile` takes than ordinary text of its length."""
    plain = ordinary(len(hostile))
    best_plain = best_hostile = float("inf")
    for _ in range(ROUNDS):
        best_plain = min(best_plain, timed(redacting, plain))
        best_hostile = min(best_hostile, timed(redacting, hostile))
        if best_hostile <= FACTOR * best_plain:
            break  # fast enough already: no need for more rounds
    return best_hostile / best_plain


def timed(redacting: Callable[[str], Redacted], text: str) -> float:
    started = time.process_time()
    redacting(text)
    return time.process_time() - started


@pytest.mark.parametrize(
    ("name", "hostile"), shapes(SIZE), ids=[plain_id(n) for n, _ in shapes(SIZE)]
)
def test_every_shape_is_scanned_in_linear_time(name: str, hostile: str) -> None:
    assert slowdown(scan, hostile) <= FACTOR, name


@pytest.mark.parametrize("unit", ["A", "1-", "Aa "])
def test_a_message_beyond_the_cap_is_read_up_to_the_cap(unit: str) -> None:
    size = 2 * MAX_REDACT_CHARS
    hostile = (unit * size)[:size]
    assert slowdown(redact, hostile) <= FACTOR
    assert len(redact(hostile).text) <= MAX_REDACT_CHARS + len(CUT_MARK)

"""Redaction time per character on hostile and ordinary text (issue 15): the two must be of
the same order, or one long message could stall a worker.

`scan` (what `redact` runs on the first `MAX_REDACT_CHARS` characters) is timed on 4,096
and 20,000 characters of each shape in `tests/privacy/hostile.py`. Best of three runs.
Run alone with `python -m benchmarks.redaction`; `python -m benchmarks` includes it.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from privacy.hostile import ordinary, shapes  # noqa: E402

from bot.core.privacy import Redacted, scan  # noqa: E402

SIZES = (4096, 20_000)


def per_char_us(redacting: Callable[[str], Redacted], text: str) -> float:
    """Best of three, in microseconds per character."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        redacting(text)
        best = min(best, time.perf_counter() - started)
    return best / len(text) * 1e6


def line(size: int) -> str:
    plain = per_char_us(scan, ordinary(size))
    hostile = sorted((per_char_us(scan, text), name) for name, text in shapes(size))
    worst, name = hostile[-1]
    median = hostile[len(hostile) // 2][0]
    return (
        f"{size:,} chars: ordinary {plain:.2f} µs/char, hostile median {median:.2f}, "
        f"worst {worst:.2f} ({name!r}, {worst / plain:.1f}x)"
    )


def report() -> None:
    figures = "; ".join(line(size) for size in SIZES)
    print(f"redaction per character, {len(shapes(1))} hostile shapes: {figures}   [same order]")


if __name__ == "__main__":
    report()

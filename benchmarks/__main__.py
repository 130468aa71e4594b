"""Print the figures the core issue asks for: matching latency, throughput, idle memory."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from benchmarks import (
    fault_load,
    instagram_load,
    learning,
    matching,
    offices_scale,
    redaction,
    report_load,
    telegram_load,
    telegram_webhook_load,
    whatsapp_load,
)
from bot.core.conversation import Conversation
from bot.core.vocabulary import Incoming
from bot.storage import Store, open_database
from bot.storage.batch import BatchedLog
from knowledge.loader import load
from knowledge.matcher import Matcher

ROOT = Path(__file__).resolve().parent.parent


async def throughput(matcher: Matcher, texts: list[str], total: int) -> float:
    with tempfile.TemporaryDirectory() as folder:
        engine = await open_database(f"sqlite+aiosqlite:///{folder}/bench.db")
        store = Store(engine)
        log = BatchedLog(store)
        core = Conversation(matcher, log, salt="bench")
        messages = [
            Incoming("bench", str(i % 500), str(i % 500), texts[i % len(texts)])
            for i in range(total)
        ]
        # Many applicants write at once: 64 conversations in flight, as on a busy morning.
        gate = asyncio.Semaphore(64)

        async def one(message: Incoming) -> None:
            async with gate:
                await core.handle(message)

        started = time.perf_counter()
        await asyncio.gather(*(one(m) for m in messages))
        elapsed = time.perf_counter() - started
        async with engine.connect() as connection:
            assert await connection.scalar(text("SELECT count(*) FROM questions")) == total
        await store.close()
    return total / elapsed


def idle_memory_mb() -> float:
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{folder}/idle.db",
            "TANYA_DATA_DIR": folder,
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "chat"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=ROOT,
            env=env,
        )
        assert process.stdin
        assert process.stdout
        process.stdin.write(b"halo\n")
        process.stdin.flush()
        process.stdout.readline()
        time.sleep(2.0)
        status = Path(f"/proc/{process.pid}/status").read_text()
        rss_kb = next(
            int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS")
        )
        process.stdin.close()
        process.wait(timeout=30)
    return rss_kb / 1024


def main() -> None:
    real = Matcher(load(ROOT / "faq.yaml"))
    matching.report(real)
    redaction.report()  # hostile vs ordinary text (issue 15): the same order per character
    texts = matching.queries(real) + matching.long_queries()
    rate = asyncio.run(throughput(real, texts, total=3000))
    print(f"end to end with SQLite logging: {rate:,.0f} questions/s   [target >= 1,000]")
    print(f"idle resident memory of `chat`: {idle_memory_mb():.1f} MB   [target <= 150 MB]")
    telegram_load.report()
    fault_load.report()  # kill -9 and a 20 s API outage mid-run: nothing lost or sent twice
    whatsapp_load.report()  # two `serve` workers on PostgreSQL (skipped without its binaries)
    telegram_webhook_load.report()  # the same for Telegram's webhook, fake Bot API unlimited
    instagram_load.report()  # DMs and comments, two workers on PostgreSQL, paced private replies
    report_load.report()  # Reports (issue 4): a month of 100,000 questions
    offices_scale.report()  # Many offices (issue 21): 150 offices, 4 million questions
    learning.report()  # Learning from choices (issue 17): held-out figures before and after


if __name__ == "__main__":
    main()

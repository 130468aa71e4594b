"""Print the figures the core issue asks for: matching latency, throughput, idle memory."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import fault_load, report_load, telegram_load, whatsapp_load
from benchmarks.kbgen import generate
from bot.conversation import Conversation
from bot.model import Incoming
from bot.storage import Store, open_database
from bot.storage.batch import BatchedLog
from knowledge.loader import load
from knowledge.matcher import Matcher

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "eval" / "dev.tsv"


def queries(matcher: Matcher) -> list[str]:
    """Dev questions when present, else the KB's own examples; both informal and formal."""
    if DEV.exists():
        lines = DEV.read_text(encoding="utf-8").splitlines()[1:]
        return [line.split("\t")[0] for line in lines if line.strip()]
    return [q for e in matcher.kb.entries for q in e.questions]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def latency(matcher: Matcher, texts: list[str], rounds: int) -> tuple[float, float]:
    for text in texts:  # warm the caches as a running bot would have them
        matcher.rank(text)
    samples: list[float] = []
    for _ in range(rounds):
        for text in texts:
            started = time.perf_counter()
            matcher.rank(text)
            samples.append((time.perf_counter() - started) * 1000)
    return percentile(samples, 0.5), percentile(samples, 0.99)


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
        assert await store.count_questions() == total
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
    texts = queries(real)
    p50, p99 = latency(real, texts, rounds=5)
    print(
        f"real KB ({len(real.kb.entries)} entries): match p50 {p50:.3f} ms, p99 {p99:.3f} ms"
        "   [target p99 <= 2 ms]"
    )
    started = time.perf_counter()
    large = Matcher(generate(real.kb, 10_000))
    build = time.perf_counter() - started
    p50, p99 = latency(large, texts, rounds=1)
    print(
        f"generated KB (10,000 entries, index built in {build:.1f} s): match p50 {p50:.3f} ms, "
        f"p99 {p99:.3f} ms   [target p99 <= 10 ms]"
    )
    rate = asyncio.run(throughput(real, texts, total=3000))
    print(f"end to end with SQLite logging: {rate:,.0f} questions/s   [target >= 1,000]")
    print(f"idle resident memory of `chat`: {idle_memory_mb():.1f} MB   [target <= 150 MB]")
    telegram_load.report()
    fault_load.report()  # kill -9 and a 20 s API outage mid-run: nothing lost or sent twice
    whatsapp_load.report()  # two `serve` workers on PostgreSQL (skipped without its binaries)
    report_load.report()  # Reports (issue 4): a month of 100,000 questions


if __name__ == "__main__":
    main()

"""The fake channel API (Graph API or Bot API) of a load run, in a process of its own, so that
neither the workers' nor the load driver's event loop serves it and its CPU is its own.

    python -m benchmarks.load_fake whatsapp|telegram USERS

prints one JSON line (the workers' settings for this fake), then answers commands on stdin:
`settle N` waits until at least N sends arrived and none for a moment, then prints the count;
`dump PATH` writes every reply as [recipient, first 40 characters, monotonic time] to PATH.
End of input stops it. `FakeProcess` is the benchmark's side of this.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fakes import whatsapp_payloads  # noqa: E402
from fakes.telegram_api import FakeTelegram  # noqa: E402
from fakes.whatsapp_api import FakeGraph  # noqa: E402
from fakes.whatsapp_payloads import User  # noqa: E402

from benchmarks.load_people import TELEGRAM_SECRET, telegram_user, whatsapp_user  # noqa: E402

QUIET_SECONDS = 2.0  # no new send for this long: the bot has finished (retries back off ~1 s)
Reply = tuple[str, str, float]


class _Served:
    """One started fake, as the commands need it."""

    def __init__(self, fake: FakeGraph | FakeTelegram) -> None:
        self.fake = fake

    def replies(self) -> list[Reply]:
        if isinstance(self.fake, FakeGraph):
            return [(s.to, s.text[:40], s.time) for s in self.fake.sent]
        return [
            (str(s.chat_id), (s.visible_text or "")[:40], s.time)
            for s in self.fake.sent
            if s.method == "sendMessage"
        ]


def whatsapp(users: int) -> tuple[FakeGraph, dict[str, str]]:
    fake = FakeGraph()
    for number in range(users):
        # Each sender has written before: their 24-hour window is open on this side too.
        fake.inbound(User(whatsapp_user(number)), whatsapp_payloads.text("halo", fake.stamp()))
    return fake, {
        "WHATSAPP_TOKEN": fake.token,
        "WHATSAPP_APP_SECRET": fake.app_secret,
        "WHATSAPP_PHONE_NUMBER_ID": fake.phone_number_id,
        "WHATSAPP_VERIFY_TOKEN": "bench-verify-token",
    }


def telegram(users: int) -> tuple[FakeTelegram, dict[str, str]]:
    fake = FakeTelegram()  # no rate limit: this run measures the bot, not Telegram's limit
    for number in range(users):
        # Makes the private chat known, so the bot may answer there. Nothing polls in webhook
        # mode, so this update stays in the fake.
        fake.user_says(telegram_user(number), "halo")
    return fake, {"TELEGRAM_BOT_TOKEN": fake.token, "TELEGRAM_WEBHOOK_SECRET": TELEGRAM_SECRET}


async def serve(channel: str, users: int) -> None:
    fake, settings = whatsapp(users) if channel == "whatsapp" else telegram(users)
    async with fake:
        url_setting = (
            {"WHATSAPP_API_URL": fake.api_url}
            if isinstance(fake, FakeGraph)
            else {"TELEGRAM_API_URL": fake.base_url}
        )
        print(json.dumps({**settings, **url_setting}), flush=True)
        await _commands(_Served(fake))


async def _commands(served: _Served) -> None:
    while line := await asyncio.to_thread(sys.stdin.readline):
        command, _, argument = line.strip().partition(" ")
        if command == "settle":
            print(await _settle(served, int(argument)), flush=True)
        elif command == "dump":
            await asyncio.to_thread(Path(argument).write_text, json.dumps(served.replies()))
            print("dumped", flush=True)


async def _settle(served: _Served, expected: int) -> int:
    count = -1
    while (now := served.fake.sent_count) != count or now < expected:
        count = now
        await asyncio.sleep(QUIET_SECONDS if now >= expected else 0.2)
    return count


class FakeProcess:
    """The fake API process, seen from the benchmark."""

    def __init__(self, process: asyncio.subprocess.Process, settings: dict[str, str]) -> None:
        self.process = process
        self.settings = settings

    @property
    def pid(self) -> int:
        return self.process.pid

    async def _ask(self, line: str) -> str:
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.write(f"{line}\n".encode())
        await self.process.stdin.drain()
        return (await self.process.stdout.readline()).decode().strip()

    async def settle(self, expected: int) -> int:
        """Until the bot has sent at least `expected` messages and then stopped sending."""
        return int(await self._ask(f"settle {expected}"))

    async def replies(self, path: Path) -> list[Reply]:
        await self._ask(f"dump {path}")
        raw = await asyncio.to_thread(path.read_text)
        return [(to, text, time) for to, text, time in json.loads(raw)]


@asynccontextmanager
async def fake_process(channel: str, users: int) -> AsyncIterator[FakeProcess]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "benchmarks.load_fake", channel, str(users),
        cwd=ROOT, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        settings = json.loads(await process.stdout.readline())
        yield FakeProcess(process, settings)
    finally:
        if process.stdin is not None:
            process.stdin.close()
        await asyncio.wait_for(process.wait(), timeout=30)


if __name__ == "__main__":
    asyncio.run(serve(sys.argv[1], int(sys.argv[2])))

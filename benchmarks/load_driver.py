"""The load driver of a load run, in a process of its own, so that its CPU is not the workers'
and the fake API's loop does not share it.

    python -m benchmarks.load_driver whatsapp|telegram USERS PER_USER OUT URL [URL ...]

builds every webhook request first (signed for WhatsApp, with the secret for Telegram), prints
`ready`, waits for `go` on stdin, then sends: each sender writes its messages one after
another (a person waits for the answer), all senders at once, alternating workers; every tenth
message is also delivered at the same moment to the other worker, as Meta and Telegram do when
they retry. Writes what it sent and its own CPU time to OUT as JSON.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fakes import whatsapp_payloads  # noqa: E402
from fakes.meta import encode, sign  # noqa: E402
from fakes.telegram_api import SECRET_HEADER, FakeTelegram  # noqa: E402
from fakes.whatsapp_api import FakeGraph  # noqa: E402
from fakes.whatsapp_payloads import User  # noqa: E402

from benchmarks.load_people import TELEGRAM_SECRET, telegram_user, whatsapp_user  # noqa: E402
from benchmarks.questions import answerable_questions  # noqa: E402

IN_FLIGHT = 32  # webhook POSTs open at once (Meta delivers concurrently, not unboundedly)
DUPLICATE_EVERY = 10


@dataclass(frozen=True, slots=True)
class Post:
    """One webhook request, and the reply it should bring: (recipient, first 40 characters)."""

    path: str
    body: bytes
    headers: dict[str, str]
    key: tuple[str, str]


@dataclass(slots=True)
class Posted:
    """What the driver sent, to check the replies against."""

    started: list[tuple[str, str, float]] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    redelivered: int = 0
    retried: int = 0  # posts sent again after a dropped keep-alive connection
    cpu_s: float = 0.0


def whatsapp_posts(users: int, per_user: int) -> list[list[Post]]:
    questions = answerable_questions(max(per_user * 3, 12))
    meta = FakeGraph()  # not served: it only builds and signs Meta's webhook bodies
    senders = []
    for number in range(users):
        user = User(whatsapp_user(number))
        posts = []
        for n in range(per_user):
            question, line = questions[(number + n) % len(questions)]
            raw = encode(meta.inbound(user, whatsapp_payloads.text(question, meta.stamp())))
            headers = {"X-Hub-Signature-256": sign(meta.app_secret, raw)}
            posts.append(Post("/whatsapp", raw, headers, (user.address, line)))
        senders.append(posts)
    return senders


def telegram_posts(users: int, per_user: int) -> list[list[Post]]:
    questions = answerable_questions(max(per_user * 3, 12))
    telegram = FakeTelegram()  # not served: it only numbers and shapes the updates
    headers = {SECRET_HEADER: TELEGRAM_SECRET, "Content-Type": "application/json"}
    senders = []
    for number in range(users):
        user = telegram_user(number)
        posts = []
        for n in range(per_user):
            question, line = questions[(number + n) % len(questions)]
            raw = json.dumps(telegram.user_says(user, question)).encode()
            posts.append(Post("/telegram", raw, headers, (str(user), line)))
        senders.append(posts)
    return senders


async def drive(senders: list[list[Post]], urls: list[str]) -> Posted:
    posted = Posted()
    seen: set[tuple[str, str]] = set()
    gate = asyncio.Semaphore(IN_FLIGHT)
    limits = httpx.Limits(max_connections=IN_FLIGHT * 2)
    async with httpx.AsyncClient(timeout=120, limits=limits) as client:

        async def send(url: str, post: Post) -> int:
            async with gate:
                # Latency counts from the POST leaving, not from waiting for a free slot.
                if post.key not in seen:
                    seen.add(post.key)
                    posted.started.append((*post.key, time.monotonic()))
                for attempt in range(3):
                    try:
                        answer = await client.post(
                            url + post.path, content=post.body, headers=post.headers
                        )
                        return answer.status_code
                    except httpx.TransportError:
                        # A kept-alive connection the worker had just closed: Meta and Telegram
                        # retry a delivery too, and the bot de-duplicates the message.
                        if attempt == 2:
                            raise
                        posted.retried += 1
                raise AssertionError("unreachable")

        async def sender(number: int, posts: list[Post]) -> None:
            for n, post in enumerate(posts):
                targets = [urls[(number + n) % len(urls)]]
                if (number * len(posts) + n) % DUPLICATE_EVERY == 0:
                    targets.append(urls[(number + n + 1) % len(urls)])
                    posted.redelivered += 1
                posted.statuses += await asyncio.gather(*(send(u, post) for u in targets))

        await asyncio.gather(*(sender(n, posts) for n, posts in enumerate(senders)))
    return posted


async def main(channel: str, users: int, per_user: int, out: Path, urls: list[str]) -> None:
    build = whatsapp_posts if channel == "whatsapp" else telegram_posts
    senders = build(users, per_user)
    print("ready", flush=True)
    if (await asyncio.to_thread(sys.stdin.readline)).strip() != "go":
        return
    cpu = time.process_time()
    posted = await drive(senders, urls)
    posted.cpu_s = time.process_time() - cpu
    await asyncio.to_thread(out.write_text, json.dumps(asdict(posted)))


if __name__ == "__main__":
    _, name, count, each, path, *addresses = sys.argv
    asyncio.run(main(name, int(count), int(each), Path(path), addresses))

"""Instagram load: N DM senders x M messages plus C comments on the office's posts, through the
signed webhook of two `python -m bot serve` workers sharing one (throwaway) PostgreSQL database;
replies go to the fake Graph API.

Senders write one message after another (a person waits for the answer), all senders and
commenters at once, alternating workers; every tenth event also goes to the other worker, as
Meta retries. Each comment asks, so it gets one private reply (paced under the private-reply
limit the workers share, shortened from 750 an hour so the run shows it at work) and one
public reply. Reports messages/s, latencies, lost and duplicated replies, and the most private
replies the fake saw in any window of the limit."""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from benchmarks.questions import answerable_questions
from benchmarks.whatsapp_load import IN_FLIGHT, two_workers

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fakes import instagram_payloads as payloads  # noqa: E402
from fakes.instagram_api import FakeInstagram  # noqa: E402
from fakes.instagram_payloads import IgUser  # noqa: E402
from fakes.meta import encode, sign  # noqa: E402
from postgres_server import find_bindir, start_server  # noqa: E402
from sqlalchemy import text  # noqa: E402
from sqlalchemy.ext.asyncio import create_async_engine  # noqa: E402

DUPLICATE_EVERY = 10
VERIFY_TOKEN = "bench-verify-token-ig"
POSTS = tuple(f"1780000000000000{n}" for n in range(5))
# The account's private-reply limit, shortened from 750 an hour to 20 in 5 s: below the pace
# the comments arrive at, so replies wait for the budget the two workers share.
RATE, WINDOW, WORKERS = 20, 5, 2


@dataclass(slots=True)
class Posted:
    """What the driver sent, to check the replies against."""

    dms: dict[tuple[str, str], float] = field(default_factory=dict)  # (igsid, line) -> t
    comments: dict[str, float] = field(default_factory=dict)  # comment id -> t
    statuses: list[int] = field(default_factory=list)
    duplicates: int = 0
    longest: dict[str, float] = field(default_factory=lambda: {"dm": 0.0, "comment": 0.0})


def environment(fake: FakeInstagram, database_url: str, folder: str) -> dict[str, str]:
    prefixes = ("TELEGRAM_", "WHATSAPP_", "INSTAGRAM_")
    keep = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    return {
        **keep,
        "DATABASE_URL": database_url,
        "TANYA_DATA_DIR": folder,
        "USER_HASH_SALT": "bench-salt",
        "INSTAGRAM_ACCESS_TOKEN": fake.token,
        "INSTAGRAM_APP_SECRET": fake.app_secret,
        "INSTAGRAM_VERIFY_TOKEN": VERIFY_TOKEN,
        "INSTAGRAM_ACCOUNT_ID": fake.account_id,
        "INSTAGRAM_API_URL": fake.api_url,
        "INSTAGRAM_PRIVATE_REPLY_RATE": f"{RATE}/{WINDOW}",
    }


class Driver:
    """Posts signed events to the workers, at most `IN_FLIGHT` at once."""

    def __init__(self, fake: FakeInstagram, urls: list[str], client: httpx.AsyncClient) -> None:
        self.fake, self.urls, self.client = fake, urls, client
        self.posted = Posted()
        # DMs and comments each have their own POSTs in flight, as Meta delivers both fields.
        self._gates = {kind: asyncio.Semaphore(IN_FLIGHT) for kind in ("dm", "comment")}

    async def deliver(self, entry: dict[str, Any], number: int, kind: str) -> float:
        """Post one event (to both workers every tenth time); when the first POST left."""
        raw = encode(payloads.envelope(entry))
        urls = [self.urls[number % len(self.urls)]]
        if number % DUPLICATE_EVERY == 0:
            urls.append(self.urls[(number + 1) % len(self.urls)])
            self.posted.duplicates += 1
        results = await asyncio.gather(*(self._post(url, raw, kind) for url in urls))
        self.posted.statuses += [status for status, _ in results]
        return min(started for _, started in results)

    async def _post(self, url: str, raw: bytes, kind: str) -> tuple[int, float]:
        headers = {"X-Hub-Signature-256": sign(self.fake.app_secret, raw)}
        async with self._gates[kind]:
            # Latency counts from the POST leaving, not from waiting for a free slot.
            started = time.monotonic()
            for attempt in range(3):
                try:
                    response = await self.client.post(
                        f"{url}/instagram", content=raw, headers=headers
                    )
                    took = time.monotonic() - started  # how long Meta would wait for the 200
                    self.posted.longest[kind] = max(self.posted.longest[kind], took)
                    return response.status_code, started
                except httpx.TransportError:
                    if attempt == 2:  # a dropped keep-alive connection: Meta retries too
                        raise
        raise AssertionError("unreachable")

    async def sender(self, number: int, per_user: int, questions: list[tuple[str, str]]) -> None:
        """One applicant writing `per_user` DMs, each after the last one's POST returned."""
        user = IgUser(f"65432{number:011d}", f"pemohon{number}")
        for n in range(per_user):
            question, line = questions[(number + n) % len(questions)]
            entry = self.fake.dm_entry(user, payloads.text(question))
            started = await self.deliver(entry, number * per_user + n, "dm")
            self.posted.dms.setdefault((user.igsid, line), started)

    async def commenter(self, number: int, questions: list[tuple[str, str]]) -> None:
        """One person asking under one of the office's posts."""
        user = IgUser(f"66000{number:011d}", f"pembaca{number}")
        question = questions[number % len(questions)][0].rstrip("?") + "?"
        value, comment_id = self.fake.comment_value(
            user, question, media_id=POSTS[number % len(POSTS)]
        )
        started = await self.deliver(self.fake.comment_entry(value), number, "comment")
        self.posted.comments[comment_id] = started


async def drive(
    fake: FakeInstagram, urls: list[str], users: int, per_user: int, comments: int
) -> Posted:
    questions = answerable_questions(max(per_user * 3, 12))
    limits = httpx.Limits(max_connections=IN_FLIGHT * 4)
    async with httpx.AsyncClient(timeout=120, limits=limits) as client:
        driver = Driver(fake, urls, client)
        await asyncio.gather(
            *(driver.sender(n, per_user, questions) for n in range(users)),
            *(driver.commenter(n, questions) for n in range(comments)),
        )
    return driver.posted


async def settle(fake: FakeInstagram, posted: Posted, *, quiet: float = WINDOW + 5.0) -> None:
    """Wait until every comment has its replies, or nothing new arrived for `quiet` seconds."""
    seen, still = -1, time.monotonic()
    while True:
        count = len(fake.sent) + len(fake.public_replies)
        if count >= len(posted.dms) + 2 * len(posted.comments) and count == seen:
            return
        if count != seen:
            seen, still = count, time.monotonic()
        elif time.monotonic() - still > quiet:
            return
        await asyncio.sleep(0.2)


def dm_figures(
    fake: FakeInstagram, posted: Posted
) -> tuple[list[float], Counter[tuple[str, str]]]:
    """Each DM's latency to its first answer, and how many answers each got."""
    counts: Counter[tuple[str, str]] = Counter({key: 0 for key in posted.dms})
    latencies = []
    for sent in fake.sent:
        key = (sent.to, sent.text[:40])
        if sent.comment is None and key in counts:
            counts[key] += 1
            if counts[key] == 1:
                latencies.append(sent.time - posted.dms[key])
    return latencies, counts


def comment_figures(
    fake: FakeInstagram, posted: Posted
) -> tuple[list[float], list[float], Counter[str], Counter[str]]:
    """Latencies to each private reply, their times, and replies per comment (private, public)."""
    private: Counter[str] = Counter({key: 0 for key in posted.comments})
    public: Counter[str] = Counter({key: 0 for key in posted.comments})
    latencies, times = [], []
    for sent in fake.sent:
        if sent.comment in private:
            private[sent.comment] += 1
            latencies.append(sent.time - posted.comments[sent.comment])
            times.append(sent.time)
    for comment_id, _, _ in fake.public_replies:
        if comment_id in public:
            public[comment_id] += 1
    return latencies, sorted(times), private, public


def busiest_window(times: list[float], window: float) -> int:
    """The most private replies in any `window` seconds, as the fake saw them arrive."""
    most, low = 0, 0
    for high, moment in enumerate(times):
        while moment - times[low] >= window:
            low += 1
        most = max(most, high - low + 1)
    return most


def percentiles(name: str, latencies: list[float]) -> dict[str, float]:
    ordered = sorted(latencies) or [0.0]
    return {
        f"{name}_p50_ms": statistics.median(ordered) * 1000,
        f"{name}_p99_ms": ordered[int(0.99 * (len(ordered) - 1))] * 1000,
    }


def measure(fake: FakeInstagram, posted: Posted) -> dict[str, float]:
    dm_latencies, dms = dm_figures(fake, posted)
    comment_latencies, private_times, private, public = comment_figures(fake, posted)
    first = min([*posted.dms.values(), *posted.comments.values()])
    last = max((s.time for s in fake.sent), default=first + 1e-9)
    counts = [*dms.values(), *private.values(), *public.values()]
    return {
        "messages": len(posted.dms) + len(posted.comments),
        "messages_per_s": (len(posted.dms) + len(posted.comments)) / (last - first),
        **percentiles("dm", dm_latencies),
        **percentiles("comment", comment_latencies),
        "lost": sum(1 for c in counts if c == 0),
        "duplicated": sum(c - 1 for c in counts if c > 1),
        "private_replies": len(private_times),
        "busiest_window": busiest_window(private_times, WINDOW),
        "private_span_s": private_times[-1] - private_times[0] if private_times else 0.0,
        "redelivered": posted.duplicates,
        "longest_dm_post_s": posted.longest["dm"],
        "longest_comment_post_s": posted.longest["comment"],
        "non_200": sum(1 for s in posted.statuses if s != 200),
    }


async def recorded(database_url: str) -> dict[str, float]:
    """What the database kept: questions, and the reply times the reports read."""
    queries = {
        "logged": "SELECT count(*) FROM questions",
        "dm_reply_times": "SELECT count(*) FROM instagram_dm_replies",
        "comment_reply_times": "SELECT count(*) FROM instagram_comments"
        " WHERE replied_at IS NOT NULL",
    }
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            return {
                name: float((await connection.execute(text(sql))).scalar_one())
                for name, sql in queries.items()
            }
    finally:
        await engine.dispose()


async def run(users: int, per_user: int, comments: int, bindir: Path) -> dict[str, float]:
    server = start_server(bindir)
    fake = FakeInstagram()
    fake.start_in_thread()  # its own loop and thread, so the driver does not slow it down
    try:
        with tempfile.TemporaryDirectory() as folder:
            env = environment(fake, server.url, folder)
            codes: list[int] = []
            async with two_workers(env, folder, codes) as urls:
                posted = await drive(fake, urls, users, per_user, comments)
                await settle(fake, posted)
                figures = measure(fake, posted)
            figures |= await recorded(server.url)
            figures["worker_exit_codes"] = float(sum(abs(c) for c in codes))
            return figures
    finally:
        fake.stop_thread()
        server.stop()


def report() -> None:
    users = int(os.environ.get("BENCH_INSTAGRAM_USERS", "1000"))
    per_user = int(os.environ.get("BENCH_INSTAGRAM_MESSAGES", "3"))
    comments = int(os.environ.get("BENCH_INSTAGRAM_COMMENTS", "500"))
    bindir = find_bindir()
    if bindir is None:
        print("Instagram load: skipped (no PostgreSQL server binaries: initdb, pg_ctl)")
        return
    f = asyncio.run(run(users, per_user, comments, bindir))
    print(
        f"Instagram load ({users} DM senders x {per_user} messages + {comments} comments,"
        f" {WORKERS} `serve` workers, PostgreSQL, {f['redelivered']:.0f} redelivered to the"
        f" other worker): {f['messages_per_s']:.1f} messages/s; webhook->send DMs p50"
        f" {f['dm_p50_ms']:.0f} ms, p99 {f['dm_p99_ms']:.0f} ms; comment->private reply p50"
        f" {f['comment_p50_ms']:.0f} ms, p99 {f['comment_p99_ms']:.0f} ms (paced);"
        f" lost {f['lost']:.0f}, duplicated {f['duplicated']:.0f}, non-200 {f['non_200']:.0f};"
        f" private replies {f['private_replies']:.0f}, at most {f['busiest_window']:.0f} in any"
        f" {WINDOW} s [limit {RATE}, for the account], spread over"
        f" {f['private_span_s']:.1f} s; logged {f['logged']:.0f}; reply times kept: DMs"
        f" {f['dm_reply_times']:.0f}, comments {f['comment_reply_times']:.0f}; worker exit codes"
        f" {f['worker_exit_codes']:.0f}; longest webhook POST: DM {f['longest_dm_post_s']:.1f} s,"
        f" comment {f['longest_comment_post_s']:.1f} s"
    )


if __name__ == "__main__":
    report()

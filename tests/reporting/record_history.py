"""A seeded history with the office's posts, for the content record ("Did it help?").

November 2026 in Jakarta; the question log starts on Tuesday 3 November at 10:00. Posts go
through the real publishing store (scheduled at the desk, claimed, published, insights
kept), questions and votes through the real `Store`, comments through Instagram's store:

- OLD, about `paspor-hilang`, on 1 October: before the log started, so nothing to compare.
- A, about `biaya-paspor`, on 10 November 10:00. Before: 3 → 10 November (7 days: the log
  starts then, so it is cut short); after: 10 → 24 November (14 days). Answered 6 → 4,
  unanswered near it 2 → 1, 👎 2 → 0. Reach 340, saves 21, shares 9, comments 4; its
  comments asked 2 questions, 1 of them unclear.
- B, about `akun-otp`, on 24 November 00:00. Before: 10 → 24 November (14 days); after: 24
  November → 1 December (7 days: the period ends). Answered 7 → 7, unanswered 4 → 1, 👎 1 → 0.
  Its insights were not read yet.
- LATE, about `cek-status`, on 2 December: after the period, so not in its record.

Raw personal data sits only where the report must never read it (user hashes, `normalized`).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.channels.instagram.comment_store import CommentNote, CommentStore
from bot.core.vocabulary import ComplaintRecord, FeedbackRecord, QuestionRecord
from bot.publishing.desk import Desk
from bot.publishing.vocabulary import Metrics, Post
from bot.storage import Store
from bot.storage.publication_media import InsightStore
from bot.storage.publications import PublicationStore
from knowledge.complaints import COMPLAINT

from .helpers import RAW_USER, ZONE, Clock, asked

POST_OLD, POST_A, POST_B, POST_LATE = (f"1780000000000010{n}" for n in range(4))
LINK_A = "https://www.instagram.com/p/BiayaPaspor1/"
JPEG = b"\xff\xd8\xff" + b"\x00" * 16
TITLES = {
    "biaya-paspor": "Biaya paspor",
    "akun-otp": "Kode OTP tidak masuk",
    "paspor-hilang": "Paspor hilang",
}
FEE, OTP = "berapa biaya paspor", "kode otp tidak masuk"
COMPLAINT_TEXT = "biayanya mahal sekali, tolong diturunkan"


def nov(day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """A local time in November 2026 (day 31 = 1 December), in UTC."""
    start = dt.datetime(2026, 11, 1, tzinfo=ZONE) + dt.timedelta(days=day - 1)
    return start.replace(hour=hour, minute=minute).astimezone(dt.UTC)


def _questions() -> list[tuple[QuestionRecord, bool | None]]:
    """(question, vote: None for no vote, False for 👎)."""
    fee = [asked(FEE, nov(3, 10), faq_id="biaya-paspor")]  # the log's first row
    fee += [asked(FEE, nov(d, 9), faq_id="biaya-paspor") for d in (4, 5, 6, 8, 9)]
    fee += [asked(FEE, nov(10, 10), faq_id="biaya-paspor")]  # at the post: after
    fee += [asked(FEE, nov(d, 9), faq_id="biaya-paspor") for d in (15, 20, 23)]
    fee += [asked(FEE, nov(24, 10), faq_id="biaya-paspor")]  # A's after ends just before
    otp = [asked(OTP, nov(d, 8), faq_id="akun-otp") for d in (10, 11, 12, 14, 16, 19, 23)]
    otp += [asked(OTP, nov(d, 8), faq_id="akun-otp") for d in (24, 25, 26, 27, 28, 29, 30)]
    near = [
        *(
            asked("biaya berapa ya", nov(d, 11), action="fallback", top="biaya-paspor")
            for d in (4, 7)
        ),
        asked("bayar brp", nov(12, 11), action="clarify", top="biaya-paspor"),
        *(
            asked("otp ga masuk", nov(d, 12), action="fallback", top="akun-otp")
            for d in (9, 11, 13, 17, 20)
        ),
        asked("otp lagi", nov(25, 12), action="clarify", top="akun-otp"),
    ]
    votes: list[bool | None] = [None] * (len(fee) + len(otp) + len(near))
    votes[1] = votes[2] = False  # 👎 on two of A's answers before the post
    votes[3] = True
    votes[len(fee)] = False  # 👎 on B's first answer (10 November, in B's before window)
    return list(zip([*fee, *otp, *near], votes, strict=True))


async def seed_questions(store: Store) -> None:
    """The questions and their votes, and a complaint near A's topic before it (complaints
    have their own section: it is not one of the unanswered questions)."""
    pairs = _questions()
    ids = await store.log_questions([question for question, _ in pairs])
    for question_id, (question, vote) in zip(ids, pairs, strict=True):
        if vote is not None:
            record = FeedbackRecord(question_id, vote, RAW_USER, question.created_at)
            assert await store.add_feedback(record)
    at = nov(5, 12)
    [complained] = await store.log_questions(
        [asked(COMPLAINT_TEXT, at, action="fallback", top="biaya-paspor")]
    )
    complaint = ComplaintRecord(
        complained, "telegram", COMPLAINT, "biaya", None, COMPLAINT_TEXT, at
    )
    await store.add_complaint(complaint)


async def publish(
    engine: AsyncEngine, entry: str, at: dt.datetime, media_id: str, permalink: str | None
) -> int:
    """Schedule a post at the desk, then publish it through the store at `at`."""
    clock = Clock(at - dt.timedelta(days=1))
    records = PublicationStore(engine, clock=clock)
    desk = Desk(records, InsightStore(engine, clock=clock))
    post = Post(entry, (JPEG, JPEG), f"Tentang {entry} #paspor")
    publication = await desk.schedule(post, at, "admin.kanim")
    clock.now = at
    claimed = await records.claim(owner="worker-1", lease=dt.timedelta(minutes=5))
    assert claimed is not None
    assert claimed.id == publication
    moved = await records.published(
        claimed, owner="worker-1", media_id=media_id, permalink=permalink, insights_at=at
    )
    assert moved
    return publication


async def seed_posts(engine: AsyncEngine) -> None:
    """The four posts (see the module), their insights and A's comments."""
    old = await publish(
        engine, "paspor-hilang", dt.datetime(2026, 10, 1, 3, tzinfo=dt.UTC), POST_OLD, None
    )
    post_a = await publish(engine, "biaya-paspor", nov(10, 10), POST_A, LINK_A)
    await publish(engine, "akun-otp", nov(24), POST_B, None)
    await publish(engine, "cek-status", nov(32, 9), POST_LATE, None)
    insights = InsightStore(engine, clock=Clock(nov(12)))
    until = nov(20)
    await insights.keep_insights(
        old, Metrics(reach=120, saves=3, shares=1, comments=0), permalink=None, until=until
    )
    metrics = Metrics(reach=340, saves=21, shares=9, comments=4)
    await insights.keep_insights(post_a, metrics, permalink=LINK_A, until=until)
    await _comments(engine)


async def _comments(engine: AsyncEngine) -> None:
    """Under A: a question answered, one answered with a choice, and praise."""
    made = [("answered", "biaya-paspor", nov(11, 8)), ("clarified", None, nov(12, 8))]
    made += [("ignored", None, nov(12, 9))]
    for n, (action, topic, at) in enumerate(made):
        comment = f"1790000000000{n:04d}"
        note = CommentNote(comment, comment, POST_A, "u" * 64, action, topic, at)
        await CommentStore(engine, clock=Clock(at)).record(note)


async def seed_history(engine: AsyncEngine) -> None:
    """Everything above."""
    await seed_questions(Store(engine))
    await seed_posts(engine)

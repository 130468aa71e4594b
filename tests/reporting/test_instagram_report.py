"""Instagram in the full report, on SQLite and PostgreSQL: questions per post and their topics,
the median first reply under comments and in DMs, the CSVs, the chat summary's lines (the
posts that asked most: a few for /laporan, one line in the weekly digest), and that no
applicant's Instagram id or comment id ever reaches a file."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.channels.instagram.comment_store import CommentNote, CommentStore
from bot.channels.instagram.post_reports import InstagramReports
from bot.channels.instagram.store import InstagramStore
from bot.reporting import digest
from bot.reporting.collect import collect
from bot.reporting.figures import OfficeReport
from bot.reporting.output import write_report
from bot.reporting.period import Period
from bot.reporting.summary import summary_text
from bot.reporting.vocabulary import PostFigures, PostQuestions
from bot.runtime.app.feature_settings import report_settings
from bot.runtime.app.one_shot import post_source
from bot.runtime.config import Settings
from bot.storage import Store
from bot.storage.report_queries import ReportQueries

from .helpers import FIRST, LAST, NOW, ZONE, Clock, asked, local, matcher, read_csv

PERIOD = Period(FIRST, LAST, ZONE)
PREFIX = "laporan_2026-11-01_2026-11-03"
TITLES = {"biaya-paspor": "Biaya paspor", "syarat-anak": "Syarat paspor anak"}
POST_A, POST_B, POST_OLD = "17800000000000001", "17800000000000002", "17800000000000009"
IGSID = "6543210987654321"
COMMENT_IDS = [f"1790000000000{n:04d}" for n in range(10)]


async def comments(engine: AsyncEngine) -> None:
    """Post A: 3 questions (2 fee, 1 child; one unclear), praise, a hidden one; post B: one
    question; a comment before the period. Replies 4, 10 and 30 minutes later."""
    made = [
        (POST_A, "answered", "biaya-paspor", local(0, 8), 4),
        (POST_A, "clarified", "biaya-paspor", local(0, 9), 10),
        (POST_A, "thread_done", "syarat-anak", local(0, 9, 5), None),
        (POST_A, "ignored", "syarat-anak", local(0, 10), None),  # praise: no question
        (POST_A, "hidden", None, local(1, 8), None),
        (POST_B, "fallback", None, local(1, 9), 30),
        (POST_OLD, "answered", "biaya-paspor", local(-1, 9), 1),  # before the period
    ]
    for n, (post, action, topic, at, reply_after) in enumerate(made):
        clock = Clock(at + dt.timedelta(minutes=reply_after or 0))
        store = CommentStore(engine, clock=clock)
        note = CommentNote(COMMENT_IDS[n], COMMENT_IDS[n], post, "u" * 64, action, topic, at)
        await store.record(note)
        if reply_after is not None:
            await store.replied(COMMENT_IDS[n])


async def direct_messages(engine: AsyncEngine) -> None:
    """Two waits answered after 2 and 6 minutes; a second message while waiting is one wait."""
    clock = Clock()

    def chat_hash(chat: str) -> str:
        return hashlib.sha256(chat.encode()).hexdigest()

    store = InstagramStore(engine, chat_hash=chat_hash, clock=clock)
    for start, extra, after in ((local(0, 8), None, 2), (local(1, 8), 1, 6)):
        await store.touch(IGSID, start)
        if extra is not None:
            await store.touch(IGSID, start + dt.timedelta(minutes=extra))
        clock.now = start + dt.timedelta(minutes=after)
        await store.answered(IGSID)
        await store.answered(IGSID)  # the reply's later parts: the wait is closed already


async def build(engine: AsyncEngine) -> OfficeReport:
    await Store(engine).log_questions(
        [
            asked("berapa biaya paspor", local(0, 8), faq_id="biaya-paspor"),
            asked("berapa biaya paspor", local(0, 9), channel="instagram", faq_id="biaya-paspor"),
        ]
    )
    await comments(engine)
    await direct_messages(engine)
    return await report_of(engine)


async def report_of(engine: AsyncEngine, *, instagram: bool = True) -> OfficeReport:
    """The period's report, with Instagram's section when the root hands Instagram in."""
    return await collect(
        ReportQueries(engine),
        PERIOD,
        titles=TITLES,
        now=NOW,
        remind_after=dt.timedelta(minutes=30),
        posts=InstagramReports(engine) if instagram else None,
    )


async def test_questions_per_post_with_topics_and_first_reply_times(engine: AsyncEngine) -> None:
    report = await build(engine)

    assert report.posts == PostFigures(
        "Instagram",
        (
            PostQuestions(POST_A, 5, 3, 1, 1, (("biaya-paspor", 2), ("syarat-anak", 1))),
            PostQuestions(POST_B, 1, 1, 1, 0, ()),
        ),
        comment_reply_minutes=(4.0, 10.0, 30.0),
        dm_reply_minutes=(2.0, 6.0),
    )
    assert (report.posts.median_comment_reply, report.posts.median_dm_reply) == (10.0, 4.0)
    assert {(d.channel, d.questions) for d in report.days} == {("telegram", 1), ("instagram", 1)}


async def test_section_and_csvs(engine: AsyncEngine, tmp_path: Path) -> None:
    report = await build(engine)

    paths = write_report(report, tmp_path, "html")
    names = [p.name for p in paths]
    assert f"{PREFIX}_instagram_unggahan.csv" in names
    assert f"{PREFIX}_instagram_balasan.csv" in names
    page = paths[0].read_text(encoding="utf-8")
    assert "<h2>Instagram: pertanyaan per unggahan</h2>" in page
    assert "Median balasan pertama di komentar: 10 menit (3 komentar dibalas)" in page
    assert "Median balasan pertama di DM: 4,0 menit (2 pesan dibalas)" in page
    assert "Biaya paspor (2), Syarat paspor anak (1)" in page
    posts = read_csv(tmp_path / f"{PREFIX}_instagram_unggahan.csv")
    assert posts[0] == {
        "unggahan": POST_A,
        "komentar": "5",
        "pertanyaan": "3",
        "belum_jelas": "1",
        "disembunyikan": "1",
        "topik": "Biaya paspor (2), Syarat paspor anak (1)",
        "topik_id": "biaya-paspor:2 syarat-anak:1",
    }
    assert [row["unggahan"] for row in posts] == [POST_A, POST_B]  # not the older post
    replies = read_csv(tmp_path / f"{PREFIX}_instagram_balasan.csv")
    assert {row["ukuran"]: row["nilai"] for row in replies} == {
        "median_menit_balasan_pertama_komentar": "10.0",
        "komentar_dibalas": "3",
        "median_menit_balasan_pertama_dm": "4.0",
        "dm_dibalas": "2",
    }


async def test_no_applicant_ids_reach_the_files(engine: AsyncEngine, tmp_path: Path) -> None:
    report = await build(engine)

    for fmt in ("html", "md", "csv"):
        for path in write_report(report, tmp_path / fmt, fmt):
            content = path.read_text(encoding="utf-8-sig")
            for raw in (IGSID, *COMMENT_IDS, "u" * 64):
                assert raw not in content, (path.name, raw)


async def test_markdown_has_the_section(engine: AsyncEngine, tmp_path: Path) -> None:
    report = await build(engine)

    document = write_report(report, tmp_path, "md")[0].read_text(encoding="utf-8")

    assert "## Instagram: pertanyaan per unggahan" in document
    assert f"| {POST_A} | 5 | 3 | 1 | 1 | Biaya paspor (2), Syarat paspor anak (1) |" in document


async def test_the_summary_names_every_channel_and_instagrams_reply_times(
    engine: AsyncEngine,
) -> None:
    text = summary_text(await build(engine), "Ringkasan")

    assert "Per saluran: Instagram 1 · Telegram 1" in text
    assert "Instagram: median balasan pertama di komentar 10 menit, di DM 4,0 menit" in text


async def test_the_chat_summary_lists_the_posts_that_asked_most_with_their_topics(
    engine: AsyncEngine,
) -> None:
    text = summary_text(await build(engine), "Ringkasan")

    assert (
        "\n\nUnggahan Instagram dengan pertanyaan terbanyak:\n"
        f"• {POST_A}: 3 pertanyaan (1 belum jelas) — Biaya paspor (2), Syarat paspor anak (1)\n"
        f"• {POST_B}: 1 pertanyaan (1 belum jelas)\n"
    ) in text


async def test_the_digests_summary_names_the_post_that_asked_most_in_one_line(
    engine: AsyncEngine,
) -> None:
    text = summary_text(await build(engine), "Ringkasan", posts_shown=1)

    expected = (
        f"Unggahan Instagram dengan pertanyaan terbanyak: {POST_A}: 3 pertanyaan"
        " (1 belum jelas) — Biaya paspor (2), Syarat paspor anak (1)"
    )
    assert f"\n\n{expected}\n" in text
    assert POST_B not in text


class Admins:
    """The admin chat at the transport edge: records what it was told."""

    def __init__(self) -> None:
        self.told: list[str] = []

    async def tell(self, text: str) -> None:
        self.told.append(text)


async def test_the_weekly_digest_with_instagram_names_its_top_post(
    engine: AsyncEngine, tmp_path: Path
) -> None:
    await build(engine)
    # NOW is Wednesday 4 November, 10:00 in Jakarta: the digest's 7 days hold the period.
    env = {"TANYA_DATA_DIR": str(tmp_path), "USER_HASH_SALT": "garam", "DIGEST_AT": "Wed 10:00"}
    settings, admins = report_settings(Settings.from_env(env)), Admins()
    queries, kb, posts = ReportQueries(engine), matcher().kb, InstagramReports(engine)
    before = NOW - dt.timedelta(minutes=1)
    for now in (before, NOW):  # the first round books the time, the second sends
        await digest.send_digest_if_due(queries, admins.tell, settings, kb, now=now, posts=posts)

    (text,) = admins.told
    assert f"\nUnggahan Instagram dengan pertanyaan terbanyak: {POST_A}: 3 pertanyaan" in text
    # The 7 days also hold the older post's comment, answered after a minute: 1, 4, 10, 30.
    assert "Instagram: median balasan pertama di komentar 7,0 menit, di DM 4,0 menit" in text
    assert POST_B not in text
    assert text.endswith(digest.CHART_HINT)


async def test_a_period_whose_comments_asked_nothing_says_so_in_the_summary(
    engine: AsyncEngine,
) -> None:
    await CommentStore(engine).record(
        CommentNote("c1", "c1", POST_A, "u" * 64, "ignored", None, local(0, 8))
    )
    report = await report_of(engine)

    text = summary_text(report, "Ringkasan")
    assert "\n\nUnggahan Instagram: belum ada pertanyaan di komentar.\n" in text
    assert POST_A not in text


async def test_without_instagram_there_is_no_section(engine: AsyncEngine, tmp_path: Path) -> None:
    await comments(engine)
    report = await report_of(engine, instagram=False)

    paths = write_report(report, tmp_path, "html")
    assert not any("instagram" in path.name for path in paths)
    assert "per unggahan" not in paths[0].read_text(encoding="utf-8")
    for shown in (3, 1):
        text = summary_text(report, "Ringkasan", posts_shown=shown)
        assert "median balasan pertama di komentar" not in text
        assert "Unggahan" not in text


async def test_a_period_without_comments_says_so(engine: AsyncEngine, tmp_path: Path) -> None:
    report = await report_of(engine)

    page = write_report(report, tmp_path, "html")[0].read_text(encoding="utf-8")
    assert "Belum ada komentar di unggahan Instagram dalam periode ini." in page
    assert "Median balasan pertama di DM: - (0 pesan dibalas)" in page


async def test_the_root_hands_in_instagram_only_when_it_is_configured(
    engine: AsyncEngine,
) -> None:
    configured = {
        "INSTAGRAM_ACCESS_TOKEN": "token",
        "INSTAGRAM_APP_SECRET": "app-secret",
        "INSTAGRAM_VERIFY_TOKEN": "verify-token-of-16-chars",
        "INSTAGRAM_ACCOUNT_ID": "17841400000000000",
    }

    assert isinstance(post_source(Settings.from_env(configured), engine), InstagramReports)
    assert post_source(Settings.from_env({}), engine) is None

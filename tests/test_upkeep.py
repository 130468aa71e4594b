"""Keeping answers current and data lean: valid_until, the outage notice, retention purge."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from support.memory_log import MemoryLog
from support.rows import feedback_for, open_ticket, recent_questions

from bot.core.conversation import Conversation
from bot.core.notices import OutageBoard
from bot.core.replies import footer
from bot.core.vocabulary import Candidate, FeedbackRecord, Incoming, QuestionRecord
from bot.storage import Store, create_engine
from bot.storage.notices import NoticeStore
from bot.storage.purge import RetentionStore
from knowledge.loader import check, load
from knowledge.matcher import Matcher
from knowledge.policy import Thresholds, decide

ROOT = Path(__file__).resolve().parents[1]
NOW = dt.datetime(2026, 11, 28, 3, 0, tzinfo=dt.UTC)


def expired_kb(tmp_path: Path) -> Path:
    """The real KB with the fee entry marked valid until yesterday."""
    text = (ROOT / "faq.yaml").read_text(encoding="utf-8")
    yesterday = dt.date.today() - dt.timedelta(days=1)
    start = text.index("  - id: biaya-paspor\n")
    end = text.index("\n  - id: ", start + 1)
    entry = re.sub(r"\n    valid_until: \S+", "", text[start:end])
    entry = entry.replace("\n", f"\n    valid_until: {yesterday}\n", 1)
    path = tmp_path / "faq.yaml"
    path.write_text(text[:start] + entry + text[end:], encoding="utf-8")
    return path


def says(text: str) -> Incoming:
    return Incoming("test", "1", "1", text)


async def test_expired_entry_is_not_answered(tmp_path: Path) -> None:
    kb = load(expired_kb(tmp_path))
    log = MemoryLog()
    core = Conversation(Matcher(kb), log, salt="s")
    replies = await core.handle(says("berapa biaya membuat paspor"))
    assert "sedang kami perbarui" in replies[0].text
    entry = kb.get("biaya-paspor")
    assert entry is not None
    assert entry.title in replies[0].text  # it says which answer is being updated
    assert footer(kb) in replies[0].text
    (logged,) = log.recent(limit=1)
    assert (logged.action, logged.faq_id) == ("fallback", None)
    assert "expired:biaya-paspor" in logged.flags
    choice = await core.handle(says("#faq:biaya-paspor"))
    assert "sedang kami perbarui" in choice[0].text


def test_expired_entry_fails_kb_check_but_still_loads(tmp_path: Path) -> None:
    path = expired_kb(tmp_path)
    report = check(path)
    assert report.errors == []
    assert [p.entry_id for p in report.expired] == ["biaya-paspor"]
    decision = decide(Matcher(load(path)).rank("berapa biaya membuat paspor"), Thresholds())
    assert decision.action == "fallback"
    assert decision.expired is not None
    result = subprocess.run(
        [sys.executable, "-m", "bot", "kb", "check", str(path)],
        capture_output=True,
        cwd=ROOT,
        check=False,
        timeout=60,
    )
    assert result.returncode == 2
    assert b"valid_until" in result.stdout


async def test_outage_notice_on_app_answers_and_fallbacks(
    engine: AsyncEngine, store: Store
) -> None:
    board = OutageBoard(NoticeStore(engine), cache_seconds=0)
    core = Conversation(Matcher(load(ROOT / "faq.yaml")), store, salt="s", notices=board)
    await board.pin("Gangguan server nasional, kode uji G-77.", "admin")
    about_app = await core.handle(says("aplikasi m paspor force close terus"))
    assert "G-77" in about_app[0].text
    fallback = await core.handle(says("cuaca besok bagaimana"))
    assert "G-77" in fallback[0].text
    fee = await core.handle(says("berapa biaya paspor"))
    assert all("G-77" not in r.text for r in fee)
    assert await board.clear()
    after = await core.handle(says("aplikasi m paspor force close terus"))
    assert all("G-77" not in r.text for r in after)


async def test_daily_alert_is_claimed_once_across_workers(
    db_url: str, engine: AsyncEngine
) -> None:
    other = create_engine(db_url)
    try:
        results = await asyncio.gather(
            *(NoticeStore(e).claim_daily("expired-entries") for e in [engine, other] * 5)
        )
    finally:
        await other.dispose()
    assert results.count(True) == 1
    assert not await NoticeStore(engine).claim_daily("expired-entries")


def question(text: str, when: dt.datetime) -> QuestionRecord:
    return QuestionRecord(
        "test",
        "u" * 64,
        text,
        text,
        "answer",
        "biaya-paspor",
        0.9,
        (Candidate("biaya-paspor", 0.9),),
        1.0,
        "v",
        created_at=when,
    )


async def test_purge_deletes_old_data_and_forgets_chat_ids(engine: AsyncEngine) -> None:
    clock = lambda: NOW  # noqa: E731 - a fixed "now" for every write and the purge
    store = Store(engine, clock=clock)
    old, recent = NOW - dt.timedelta(days=400), NOW - dt.timedelta(days=5)
    old_id, _ = await store.log_questions([question("lama", old), question("baru", recent)])
    await store.add_feedback(FeedbackRecord(old_id, True, "u" * 64, created_at=old))
    ticket = await store.open_ticket(
        channel="telegram", chat_id="42", user_hash="u" * 64, question="q", guesses=(), context=()
    )
    await store.close_ticket(ticket.id)
    purged = await RetentionStore(engine, clock=lambda: NOW + dt.timedelta(days=40)).purge(
        older_than=dt.timedelta(days=365)
    )
    assert (purged.questions, purged.tickets, purged.chat_ids) == (1, 0, 1)
    assert [q.text_redacted for q in await recent_questions(store)] == ["baru"]
    assert await feedback_for(store, old_id) == []
    kept = await store.get_ticket(ticket.id)
    assert kept is not None
    assert kept.chat_id == ""


async def test_purge_keeps_an_open_ticket_with_recent_messages(engine: AsyncEngine) -> None:
    opened_at, lately = NOW - dt.timedelta(days=400), NOW - dt.timedelta(days=5)

    opening = Store(engine, clock=lambda: opened_at)
    talking, abandoned = await open_ticket(opening, "41"), await open_ticket(opening, "42")
    await Store(engine, clock=lambda: lately).add_ticket_message(talking, "applicant", "masih?")
    purged = await RetentionStore(engine, clock=lambda: NOW).purge(
        older_than=dt.timedelta(days=365)
    )
    store = Store(engine, clock=lambda: NOW)
    assert purged.tickets == 1
    assert await store.get_ticket(abandoned) is None
    kept = await store.get_ticket(talking)
    assert kept is not None
    assert (kept.status, kept.chat_id) == ("open", "41")  # still answerable


def test_purge_command(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'p.db'}"}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "db", "purge", "--older-than", "30"],
        capture_output=True,
        cwd=ROOT,
        env=env,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "0 pertanyaan" in result.stdout.decode()


@pytest.mark.parametrize("days", ["0", "-3"])
def test_purge_refuses_a_bad_period(tmp_path: Path, days: str) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'p.db'}"}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "db", "purge", "--older-than", days],
        capture_output=True,
        cwd=ROOT,
        env=env,
        check=False,
        timeout=60,
    )
    assert result.returncode == 2

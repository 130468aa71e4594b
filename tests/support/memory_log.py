"""The question log in memory, for tests of the core where the database adds nothing.

It keeps the store's contract (ids from 1, feedback only from the asker and replacing their
earlier verdict, `messages_since` inclusive); tests/test_question_log.py runs the same checks
on it and on the real store over SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt

from bot.core.vocabulary import ComplaintRecord, FeedbackRecord, QuestionRecord


class MemoryLog:
    """A `bot.core.vocabulary.QuestionLog` in two containers the test can read."""

    def __init__(self) -> None:
        self.questions: list[QuestionRecord] = []  # question id n is questions[n - 1]
        self.feedback: dict[tuple[int, str], FeedbackRecord] = {}
        self.complaints: list[ComplaintRecord] = []  # also a `ComplaintLog`

    async def log_question(self, record: QuestionRecord) -> int:
        self.questions.append(record)
        return len(self.questions)

    async def add_feedback(self, record: FeedbackRecord) -> bool:
        if not 1 <= record.question_id <= len(self.questions):
            return False
        if self.questions[record.question_id - 1].user_hash != record.user_hash:
            return False
        self.feedback[(record.question_id, record.user_hash)] = record
        return True

    async def add_complaint(self, record: ComplaintRecord) -> None:
        self.complaints.append(record)

    async def messages_since(self, user_hash: str, since: dt.datetime) -> int:
        return sum(q.user_hash == user_hash and q.created_at >= since for q in self.questions)

    def recent(self, limit: int = 20) -> list[QuestionRecord]:
        """The newest `limit` questions, newest first."""
        return self.questions[::-1][:limit]

    def feedback_for(self, question_id: int) -> list[FeedbackRecord]:
        """The current verdicts on one question."""
        return [f for (number, _), f in self.feedback.items() if number == question_id]

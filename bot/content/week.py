"""The week's topics: the report's content plan (most asked, most 👎, most often not
recognised, read from the report's own figures) with one place for the entry people
complained about most, then the busiest entries; entries no longer valid on the planned day
are left out with a note, and so are questions no entry answers yet (nothing is invented)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence

from bot.content.settings import ContentSettings, Week
from bot.content.vocabulary import Choice, Skipped, Topic
from bot.core.privacy import redact
from bot.reporting.collect import FullReportSource, collect
from bot.reporting.figures import OfficeReport
from bot.reporting.period import Period
from bot.reporting.text import number
from bot.reporting.vocabulary import VoiceExample
from bot.reporting.voices import EXAMPLE_ROWS
from knowledge.complaints import COMPLAINT
from knowledge.entries import Entry, KnowledgeBase
from knowledge.policy import CHAT

DAYS = 7
MIN_COMPLAINTS = 2  # one complaint is an anecdote


async def week_choice(
    source: FullReportSource, kb: KnowledgeBase, settings: ContentSettings, week: Week
) -> Choice:
    """Read the week's figures through the report's queries and choose the topics."""
    period = Period(week.last_day - dt.timedelta(days=DAYS - 1), week.last_day, settings.zone)
    report = await collect(
        source,
        period,
        titles={entry.id: entry.title for entry in kb.entries},
        small_talk={entry.id for entry in kb.entries if entry.category == CHAT},
        now=dt.datetime.now(dt.UTC),
        remind_after=settings.remind_after,
    )
    rows = await source.voice_examples(since=period.since, until=period.until, limit=EXAMPLE_ROWS)
    return choose(report, kb, complaints_per_entry(rows), planned=week.planned, count=week.count)


def complaints_per_entry(rows: Sequence[VoiceExample]) -> Counter[str]:
    """Complaints per entry the bot answered (or first offered) them with."""
    return Counter(row.faq_id for row in rows if row.kind == COMPLAINT and row.faq_id)


def choose(
    report: OfficeReport,
    kb: KnowledgeBase,
    complaints: Mapping[str, int],
    *,
    planned: dt.date,
    count: int,
) -> Choice:
    """Up to `count` topics with an entry valid on `planned`, most pressing first."""
    picker = _Picker(kb, planned)
    ideas = _candidates(report)
    picker.take(ideas, count - 1)
    picker.take(iter(_complained(complaints)[:1]), min(len(picker.picked) + 1, count))
    picker.take(ideas, count)
    return Choice(tuple(picker.picked), tuple(picker.skipped))


class _Picker:
    """The topics taken so far, the notes on what was left out, and every candidate seen."""

    def __init__(self, kb: KnowledgeBase, planned: dt.date) -> None:
        self.kb, self.planned = kb, planned
        self.picked: list[Topic] = []
        self.skipped: list[Skipped] = []
        self.seen: set[str] = set()

    def take(self, candidates: Iterator[Topic | Skipped], until: int) -> None:
        """Take candidates until `until` topics are picked (or none is left)."""
        while len(self.picked) < until and (candidate := next(candidates, None)) is not None:
            key = candidate.entry_id if isinstance(candidate, Topic) else candidate.note
            if key in self.seen:
                continue
            self.seen.add(key)
            found = _judge(candidate, self.kb, self.planned)
            if isinstance(found, Topic):
                self.picked.append(found)
            elif found is not None:
                self.skipped.append(found)


def _judge(
    candidate: Topic | Skipped, kb: KnowledgeBase, planned: dt.date
) -> Topic | Skipped | None:
    """The topic, or why it is left out (None: silently, small talk or an unknown id)."""
    if isinstance(candidate, Skipped):
        return candidate
    entry = kb.get(candidate.entry_id)
    if entry is None or entry.category == CHAT:
        return None
    if entry.valid_until is not None and entry.valid_until < planned:
        return Skipped(entry.id, _expired(entry, planned))
    return Topic(entry.id, _safe(candidate.reason))


def _candidates(report: OfficeReport) -> Iterator[Topic | Skipped]:
    """The plan's ideas in its order, then every entry asked about, busiest first."""
    for idea in report.plan:
        yield _from_idea(idea.faq_id, idea.topic, idea.questions, idea.reason)
    for entry in sorted(report.entries, key=lambda e: (-e.questions, e.faq_id)):
        if entry.questions:
            yield Topic(entry.faq_id, f"{number(entry.questions)} pertanyaan minggu ini.")


def _complained(complaints: Mapping[str, int]) -> list[Topic]:
    """Entries complaints were answered with, most first; one complaint is an anecdote."""
    ranked = sorted(complaints.items(), key=lambda item: (-item[1], item[0]))
    return [
        Topic(faq_id, f"{number(n)} keluhan pemohon minggu ini tentang topik ini: jelaskan lagi.")
        for faq_id, n in ranked
        if n >= MIN_COMPLAINTS
    ]


def _from_idea(faq_id: str | None, topic: str, questions: int, reason: str) -> Topic | Skipped:
    if faq_id is not None:
        return Topic(faq_id, reason)
    note = (
        f"Topik {topic} ({number(questions)} pertanyaan) belum ada entrinya di FAQ:"
        " tulis entrinya dulu (python -m bot kb suggest), lalu buat kontennya."
    )
    return Skipped(None, _safe(note))


def _expired(entry: Entry, planned: dt.date) -> str:
    until = entry.valid_until.isoformat() if entry.valid_until else "-"
    return (
        f"{entry.title} ({entry.id}) tidak dibuat: berlaku sampai {until}, sebelum tanggal"
        f" rencana {planned.isoformat()}. Perbarui entrinya dulu (valid_until)."
    )


def _safe(text: str) -> str:
    # Reasons and notes quote the question log; it is redacted when stored, and again here in
    # case a row was written before a redaction rule existed.
    return redact(text).text
